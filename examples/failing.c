/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bundled example: a small C program that fails the way CI jobs fail.
 * Run it under libgoshim.so and decode the ring (examples/demo.sh):
 *
 *   1. exec of a binary whose ELF interpreter does not exist
 *      (the shape of running a musl/Alpine-built binary on glibc);
 *   2. exec of a file without execute permission (a script or artifact
 *      that lost its mode);
 *   3. the C compiler $CC names, looked up on PATH, not installed;
 *   4. the build cache $GOCACHE, which cannot be created below a file;
 *   5. memfd_create denied by a seccomp profile, as a custom container
 *      sandbox does to runc;
 *   6. the same missing optional config file probed 100 times: noise, one
 *      aggregated record, which report counts as benign.
 *
 * Usage: failing DIR   (DIR holds the helper files examples/explain.sh
 * prepares; CC and GOCACHE come from the environment it sets)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void say(const char *what, int err)
{
	printf("%-44s -> %s\n", what, err ? strerror(err) : "ok");
}

static void run_foreign_binary(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/musl-hello", dir);
	char *argv[] = { path, NULL };
	pid_t pid;
	int err = posix_spawn(&pid, path, NULL, NULL, argv, environ);
	if (err == 0) {
		waitpid(pid, NULL, 0);
	}
	say("spawn a binary built for musl", err);
}

static void run_unexecutable(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/not-executable.sh", dir);
	pid_t pid = fork();
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(errno);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	say("exec a script without the x bit", WEXITSTATUS(st));
}

static void find_compiler(void)
{
	const char *cc = getenv("CC");
	char *argv[] = { (char *)(cc && *cc ? cc : "cc"), "--version", NULL };
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err == 0) {
		waitpid(pid, NULL, 0);
	}
	say("spawn the C compiler $CC, not installed", err);
}

static void make_cache(void)
{
	const char *dir = getenv("GOCACHE");
	int r = dir ? mkdir(dir, 0755) : 0;
	say("create the build cache $GOCACHE", r ? errno : 0);
}

static void probe_config(void)
{
	int err = 0;
	for (int i = 0; i < 100; i++) {
		int fd = open("/etc/goshim-example/settings.conf", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
		} else {
			close(fd);
		}
	}
	say("open a missing config file, 100 times", err);
}

#if defined(__x86_64__)
#define EX_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define EX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define EX_AUDIT_ARCH AUDIT_ARCH_I386
#else
#error "add this machine's AUDIT_ARCH_*"
#endif

/* A sandbox's seccomp profile: memfd_create fails with EPERM. */
static int deny_memfd(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, EX_AUDIT_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_memfd_create, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		return -1;
	}
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/* In a child, so that the filter stays there: exits with the errno. */
static void make_memfd_sandboxed(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (deny_memfd() != 0) {
			_exit(0);
		}
		int fd = memfd_create("example", MFD_CLOEXEC);
		_exit(fd < 0 ? errno : 0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	say("memfd_create under a seccomp sandbox", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_foreign_binary(argv[1]);
	run_unexecutable(argv[1]);
	find_compiler();
	make_cache();
	make_memfd_sandboxed();
	probe_config();
	return 0;
}
