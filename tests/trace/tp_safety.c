/* SPDX-License-Identifier: Apache-2.0 */
/* A traced program for tests/trace/test_safety.c:
 *   emptypath          newfstatat(AT_FDCWD, "") and newfstatat(dirfd, ""),
 *                      both ENOENT (no AT_EMPTY_PATH): paths that name nothing
 *   exec PATH ERRNO    execv(PATH); exits 0 when it failed with ERRNO
 *   fifoexe            remove its own executable, put a FIFO named as
 *                      /proc/self/maps now shows it ("PATH (deleted)"),
 *                      then fail open("/", O_WRONLY) (EISDIR: a C failure
 *                      the engine unwinds); exits 0
 *   umount N           N times: mount a tmpfs on a new directory, put a
 *                      script in it, remount it noexec, fail an exec and an
 *                      X_OK check on it (EACCES), unmount it at once (as
 *                      Go's TestFindExecutableVsNoexec does); prints the
 *                      number of unmounts that failed with EBUSY, exits 1
 *                      when there was one, 2 when mounting is not allowed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int emptypath(void)
{
	struct stat st;
	int d = open("/tmp", O_PATH | O_DIRECTORY);
	long a = syscall(SYS_newfstatat, AT_FDCWD, "", &st, 0);
	int ea = errno;
	long b = syscall(SYS_newfstatat, d, "", &st, 0);
	int eb = errno;

	printf("newfstatat(AT_FDCWD, \"\") = %ld %s; newfstatat(dirfd, \"\") = %ld %s\n", a,
	       strerror(ea), b, strerror(eb));
	return a == -1 && ea == ENOENT && b == -1 && eb == ENOENT ? 0 : 1;
}

static int do_exec(const char *path, int want)
{
	char *av[] = { (char *)path, NULL };

	execv(path, av);
	int e = errno;

	printf("execv %s: %s\n", path, strerror(e));
	return e == want ? 0 : 1;
}

/* fork + execv(path): the errno of the failed exec, 0 when it ran. */
static int exec_errno(const char *path)
{
	int p[2], e = 0;

	if (pipe2(p, O_CLOEXEC) < 0) {
		return -1;
	}
	pid_t pid = fork();

	if (pid == 0) {
		char *av[] = { (char *)path, NULL };

		execv(path, av);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0) {
			_exit(126);
		}
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != sizeof(e)) {
		e = 0;
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	return e;
}

#define TP_FILES 8

/* faccessat2(AT_FDCWD, path, X_OK, 0) made right here: a call site of its
 * own at each use. */
#define TP_X_OK(path)                                                        \
	do {                                                                 \
		register long r10 __asm__("r10") = 0;                        \
		long ret_ = SYS_faccessat2;                                  \
		__asm__ volatile("syscall"                                   \
				 : "+a"(ret_)                                \
				 : "D"((long)AT_FDCWD), "S"(path), "d"((long)X_OK), \
				   "r"(r10)                                  \
				 : "rcx", "r11", "memory");                  \
	} while (0)

static int umounts(int n)
{
	int busy = 0;

	for (int i = 0; i < n; i++) {
		char dir[] = "/tmp/goshim-um-XXXXXX", prog[64], files[TP_FILES][64];

		if (!mkdtemp(dir)) {
			return 2;
		}
		if (mount("tmpfs", dir, "tmpfs", 0, "") < 0) {
			printf("mount: %s\n", strerror(errno));
			rmdir(dir);
			return 2;
		}
		snprintf(prog, sizeof(prog), "%s/program", dir);
		int fd = open(prog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

		if (fd < 0 || write(fd, "#!/bin/sh\nexit 0\n", 17) != 17) {
			return 2;
		}
		close(fd);
		for (int k = 0; k < TP_FILES; k++) {
			snprintf(files[k], sizeof(files[k]), "%s/program-%d", dir, k);
			fd = open(files[k], O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
			if (fd >= 0) {
				close(fd);
			}
		}
		if (exec_errno(prog) != 0 ||
		    mount("", dir, "", MS_REMOUNT | MS_NOEXEC, "") < 0) {
			printf("exec or remount failed: %s\n", strerror(errno));
			umount2(dir, MNT_DETACH);
			rmdir(dir);
			return 2;
		}
		int e = exec_errno(prog);
		long r = syscall(SYS_faccessat2, AT_FDCWD, prog, X_OK, 0);

		if (e != EACCES || r != -1 || errno != EACCES) {
			printf("on noexec: exec %s, X_OK %ld\n", strerror(e), r);
		}
		/* more failures on it, back to back, each from its own call site
		 * (so each is a record of its own, not a repeat): the engine may
		 * still be reading their evidence when the unmount comes */
		TP_X_OK(files[0]); TP_X_OK(files[1]); TP_X_OK(files[2]); TP_X_OK(files[3]);
		TP_X_OK(files[4]); TP_X_OK(files[5]); TP_X_OK(files[6]); TP_X_OK(files[7]);
		if (umount2(dir, 0) < 0) {
			if (errno == EBUSY) {
				busy++;
			}
			while (umount2(dir, 0) < 0 && errno == EBUSY) {
				usleep(1000);
			}
		}
		rmdir(dir);
	}
	printf("ebusy %d of %d\n", busy, n);
	return busy ? 1 : 0;
}

static int fifoexe(void)
{
	char exe[4096], fifo[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		return 2;
	}
	exe[n] = 0;
	snprintf(fifo, sizeof(fifo), "%s (deleted)", exe);
	if (unlink(exe) < 0 || mkfifo(fifo, 0644) < 0) {
		return 2;
	}
	int fd = open("/", O_WRONLY);

	printf("open(\"/\", O_WRONLY) = %d %s\n", fd, strerror(errno));
	return fd < 0 && errno == EISDIR ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && strcmp(argv[1], "emptypath") == 0) {
		return emptypath();
	}
	if (argc > 3 && strcmp(argv[1], "exec") == 0) {
		return do_exec(argv[2], atoi(argv[3]));
	}
	if (argc > 1 && strcmp(argv[1], "fifoexe") == 0) {
		return fifoexe();
	}
	if (argc > 2 && strcmp(argv[1], "umount") == 0) {
		return umounts(atoi(argv[2]));
	}
	fprintf(stderr, "usage: tp-safety emptypath | exec PATH ERRNO | fifoexe | umount N\n");
	return 64;
}
