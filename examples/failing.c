/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bundled example: a small C program that fails the way CI jobs fail.
 * Run it under libgoshim.so and decode the ring (examples/demo.sh):
 *
 *   1. exec of a binary whose ELF interpreter does not exist
 *      (the shape of running a musl/Alpine-built binary on glibc);
 *   2. exec of a file without execute permission;
 *   3. a C compiler looked up on PATH that is not installed;
 *   4. a cache directory that cannot be created under a file;
 *   5. the same missing config file probed 100 times (one aggregated record);
 *   6. memfd_create with flags the kernel rejects.
 *
 * Usage: failing DIR   (DIR holds the helper files demo.sh prepares)
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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
	char *argv[] = { "goshim-example-cc", "--version", NULL };
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err == 0) {
		waitpid(pid, NULL, 0);
	}
	say("spawn a C compiler that is not installed", err);
}

static void make_cache(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/not-a-dir/go-build", dir);
	int r = mkdir(path, 0755);
	say("create a cache dir below a regular file", r ? errno : 0);
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

static void make_memfd(void)
{
	int fd = memfd_create("example", 0x7fff0000u);
	say("memfd_create with unknown flags", fd < 0 ? errno : 0);
	if (fd >= 0) {
		close(fd);
	}
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
	make_cache(argv[1]);
	probe_config();
	make_memfd();
	return 0;
}
