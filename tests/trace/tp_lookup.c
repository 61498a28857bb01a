/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lookups that succeed and lookups that fail, for the exit-stop
 * prediction of the trace engine (trace/tr_predict.c): every failure here
 * must be recorded whether or not the engine predicts.
 *
 *   tp-lookup DIR          stat/open/access successes and failures in DIR
 *   tp-lookup DIR setuid   the same after setresuid(65534) without exec
 *   tp-lookup DIR emfile   opens of an existing file until EMFILE
 *   tp-lookup DIR threadcred  a thread drops to uid 65534 alone (raw
 *                          setresuid) and starts a thread, which must see
 *                          EACCES for closed/missing (root sees ENOENT)
 *   tp-lookup DIR truncate ftruncates that succeed (growing and shrinking
 *                          DIR/grown) and fail: a read-only descriptor
 *                          (EINVAL), beyond RLIMIT_FSIZE (EFBIG)
 *
 * DIR holds: file (0644), secret (0600, root's), noexec.sh (0644),
 * dangling -> missing, closed/ (0700, root's) with closed/inner.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tp_at.h"

static void lookups(void)
{
	struct stat st;
	int fd;

	for (int round = 0; round < 3; round++) {
		stat(at("file"), &st);                       /* ok */
		stat(at("missing"), &st);                    /* ENOENT */
		stat(at("dangling"), &st);                   /* ENOENT */
		lstat(at("dangling"), &st);                  /* ok */
		access(at("noexec.sh"), X_OK);               /* EACCES, root too */
		stat(at("closed/inner"), &st);               /* ok for root, EACCES else */
		fd = open(at("file"), O_RDONLY | O_CLOEXEC);  /* ok */
		if (fd >= 0) {
			close(fd);
		}
		fd = open(at("file"), O_RDONLY | O_DIRECTORY); /* ENOTDIR */
		if (fd >= 0) {
			close(fd);
		}
		fd = open(at("secret"), O_RDONLY);           /* ok for root, EACCES else */
		if (fd >= 0) {
			close(fd);
		}
		fd = openat(AT_FDCWD, at("missing"), O_RDONLY); /* ENOENT */
		if (fd >= 0) {
			close(fd);
		}
	}
}

static int emfile(void)
{
	for (int i = 0; i < 4096; i++) {
		if (open(at("file"), O_RDONLY) < 0) {
			return errno == EMFILE ? 0 : 1;
		}
	}
	return 1;
}

static void *look_closed(void *arg)
{
	struct stat st;

	(void)arg;
	return (void *)(long)(stat(at("closed/missing"), &st) == 0 ? 0 : errno);
}

static int tc_dropped[2], tc_looked[2];

static void *drop_then_start(void *arg)
{
	pthread_t t;
	void *err = (void *)-1l;
	char c = 0;

	(void)arg;
	/* this thread only: glibc's setresuid would change every thread */
	if (syscall(SYS_setresuid, 65534, 65534, 65534) != 0 || write(tc_dropped[1], &c, 1) != 1 ||
	    read(tc_looked[0], &c, 1) != 1 || pthread_create(&t, NULL, look_closed, NULL) != 0 ||
	    pthread_join(t, &err) != 0) {
		return (void *)-1l;
	}
	return err;
}

static int threadcred(void)
{
	pthread_t t;
	void *err = NULL;
	struct stat st;
	char c = 0;

	lookups(); /* as root first: the engine learns the leader's view */
	if (pipe(tc_dropped) != 0 || pipe(tc_looked) != 0 ||
	    pthread_create(&t, NULL, drop_then_start, NULL) != 0) {
		return 3;
	}
	/* the leader looks up again once the other thread has dropped: its
	 * view is then of the engine's current generation */
	if (read(tc_dropped[0], &c, 1) != 1 || stat(at("file"), &st) != 0 ||
	    write(tc_looked[1], &c, 1) != 1 || pthread_join(t, &err) != 0) {
		return 3;
	}
	if ((long)err != EACCES) {
		fprintf(stderr, "closed/missing from a thread of uid 65534: %s\n",
			(long)err > 0 ? strerror((int)(long)err) : "not failed");
		return 1;
	}
	return 0;
}

static int truncates(void)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	int w = open(at("grown"), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r = open(at("file"), O_RDONLY | O_CLOEXEC);

	if (w < 0 || r < 0) {
		return 3;
	}
	for (int i = 0; i < 3; i++) {
		if (ftruncate(w, 64 << 10) != 0 || ftruncate(w, 4096) != 0) {
			return 1;
		}
	}
	signal(SIGXFSZ, SIG_IGN);
	if (ftruncate(r, 10) == 0 || errno != EINVAL || setrlimit(RLIMIT_FSIZE, &rl) != 0 ||
	    ftruncate(w, 2 << 20) == 0 || errno != EFBIG) {
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tp-lookup DIR [setuid|emfile|threadcred|truncate]\n");
		return 2;
	}
	snprintf(tp_dir, sizeof(tp_dir), "%s", argv[1]);
	if (argc > 2 && strcmp(argv[2], "emfile") == 0) {
		return emfile();
	}
	if (argc > 2 && strcmp(argv[2], "threadcred") == 0) {
		return threadcred();
	}
	if (argc > 2 && strcmp(argv[2], "truncate") == 0) {
		return truncates();
	}
	if (argc > 2 && strcmp(argv[2], "setuid") == 0) {
		lookups(); /* as root first: the engine learns this thread */
		if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) {
			return 3;
		}
	}
	lookups();
	return 0;
}
