/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calls whose failures the engine may answer itself (trace/tr_predict.c),
 * each printed with the result the program saw: run bare and under
 * goshimctl run, the two outputs must be the same, byte for byte.  The
 * cases are the ones where an engine resolving the path for the program
 * could go wrong: symbolic links on the way, /proc/self and /dev/fd
 * (which name the resolver, not the program), a dirfd, a removed cwd,
 * mkdir of existing names, and the descriptor limit (an open allocates
 * its descriptor before it looks its path up: EMFILE, not ENOENT).
 *
 *   tp-answer DIR     DIR holds file, dangling -> missing, sub/
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tp_at.h"

static void show(const char *what, long rc)
{
	printf("%-28s %s\n", what, rc < 0 ? strerrorname_np(errno) : "ok");
}

static void show_fd(const char *what, int fd)
{
	show(what, fd);
	if (fd >= 0) {
		close(fd);
	}
}

/* raw calls: no libc translation between the kernel and us */
static long st(int dfd, const char *p, int flags)
{
	struct stat sb;

	return syscall(SYS_newfstatat, dfd, p, &sb, flags);
}

static void lookups(void)
{
	int d = open(tp_dir, O_PATH | O_DIRECTORY);

	show("stat missing", st(AT_FDCWD, at("missing"), 0));
	show("stat file/x", st(AT_FDCWD, at("file/x"), 0));
	show("stat dangling", st(AT_FDCWD, at("dangling"), 0));
	show("lstat dangling", st(AT_FDCWD, at("dangling"), AT_SYMLINK_NOFOLLOW));
	show("stat dangling/x", st(AT_FDCWD, at("dangling/x"), 0));
	show("stat /proc/self/fd/4321", st(AT_FDCWD, "/proc/self/fd/4321", 0));
	show("stat /proc/thread-self/x", st(AT_FDCWD, "/proc/thread-self/x", 0));
	show("stat /dev/fd/4321", st(AT_FDCWD, "/dev/fd/4321", 0));
	show("stat dirfd missing", st(d, "missing", 0));
	show("stat dirfd sub/missing", st(d, "sub/missing", 0));
	show("stat empty path", st(d, "", AT_EMPTY_PATH));
	show("access missing", syscall(SYS_faccessat, AT_FDCWD, at("missing"), W_OK));
	show("access file", syscall(SYS_faccessat, AT_FDCWD, at("file"), R_OK));
	show_fd("open missing", (int)syscall(SYS_openat, AT_FDCWD, at("missing"), O_RDONLY));
	show_fd("open nofollow dangling",
		(int)syscall(SYS_openat, AT_FDCWD, at("dangling"), O_RDONLY | O_NOFOLLOW));
	show_fd("open file", (int)syscall(SYS_openat, AT_FDCWD, at("file"), O_RDONLY));
	show("mkdir sub", syscall(SYS_mkdirat, AT_FDCWD, at("sub"), 0755));
	show("mkdir sub/", syscall(SYS_mkdirat, AT_FDCWD, at("sub/"), 0755));
	show("mkdir dangling", syscall(SYS_mkdirat, AT_FDCWD, at("dangling"), 0755));
	show("mkdir file/x", syscall(SYS_mkdirat, AT_FDCWD, at("file/x"), 0755));
	show("mkdir new", syscall(SYS_mkdirat, AT_FDCWD, at("new"), 0755));
	show("rmdir new", rmdir(at("new")));
	/* relative to a cwd that was removed */
	if (mkdir(at("gone"), 0755) == 0 && chdir(at("gone")) == 0 && rmdir(at("gone")) == 0) {
		show("stat in removed cwd", st(AT_FDCWD, "x", 0));
		show("mkdir in removed cwd", syscall(SYS_mkdirat, AT_FDCWD, "x", 0755));
	}
	close(d);
}

/* At the descriptor limit, an open of a missing file fails EMFILE. */
static void at_the_limit(void)
{
	struct rlimit rl;
	int fds[64], n = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		return;
	}
	rl.rlim_cur = 16;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		return;
	}
	while (n < 64 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0) {
		n++;
	}
	show_fd("open missing at the limit",
		(int)syscall(SYS_openat, AT_FDCWD, at("missing"), O_RDONLY));
	show("stat missing at the limit", st(AT_FDCWD, at("missing"), 0));
	while (n > 0) {
		close(fds[--n]);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tp-answer DIR\n");
		return 2;
	}
	snprintf(tp_dir, sizeof(tp_dir), "%s", argv[1]);
	setvbuf(stdout, NULL, _IONBF, 0);
	lookups();
	at_the_limit();
	return 0;
}
