/* SPDX-License-Identifier: Apache-2.0 */
/* The C side of the scenarios: what a real C tool does, one mode each.
 *   memfd            memfd_create, as runc does to clone its own binary
 *   clock            clock_gettime(CLOCK_PROCESS_CPUTIME_ID), as clock(3),
 *                    python's process_time and make's timing do (built
 *                    -m32 with the time64 ABI: the clock_gettime64 syscall)
 *   busy FILE        execute FILE while holding it open for writing
 *   run FILE         execute FILE
 *   flood N          open N distinct paths that do not exist (routine
 *                    noise: a tool searching its paths), exit 0
 *   open PATH...     open each PATH (O_WRONLY | O_CREAT), print its errno,
 *                    exit 0
 *   malloc           malloc 100 MiB blocks, 100 of them (a byte of each
 *                    touched), as a tool loading a big input does: under
 *                    `ulimit -v` malloc returns NULL and it exits 1
 *   thread MIB       pthread_create one thread with a stack of MIB MiB
 *                    and join it
 * Exit status: 0 when the call worked, 1 when it failed (errno printed). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int sp_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	return 1;
}

static int sp_malloc(void)
{
	for (int i = 0; i < 100; i++) {
		char *p = malloc(100u << 20);
		if (!p) {
			fprintf(stderr, "sc-prog: out of memory after %d MiB\n", i * 100);
			return 1;
		}
		p[0] = 1;
	}
	return 0;
}

static void *sp_idle(void *a)
{
	return a;
}

static int sp_thread(unsigned long mib)
{
	pthread_attr_t at;
	pthread_t t;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, mib << 20);
	errno = pthread_create(&t, &at, sp_idle, NULL);
	if (errno) {
		return sp_fail("pthread_create");
	}
	return pthread_join(t, NULL) != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "memfd") == 0) {
		int fd = memfd_create("runc_cloned:/proc/self/exe", MFD_CLOEXEC);
		return fd < 0 ? sp_fail("memfd_create") : 0;
	}
	if (argc >= 2 && strcmp(argv[1], "clock") == 0) {
		struct timespec ts;
		if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0) {
			return sp_fail("clock_gettime");
		}
		printf("cpu time %lld.%09ld (time_t is %zu bytes)\n", (long long)ts.tv_sec,
		       ts.tv_nsec, sizeof(time_t));
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "busy") == 0) {
		int fd = open(argv[2], O_WRONLY);
		if (fd < 0) {
			return sp_fail("open");
		}
		execv(argv[2], argv + 2);
		return sp_fail("execv");
	}
	if (argc >= 3 && strcmp(argv[1], "run") == 0) {
		execv(argv[2], argv + 2);
		return sp_fail("execv");
	}
	if (argc >= 3 && strcmp(argv[1], "flood") == 0) {
		long n = atol(argv[2]);
		char path[64];
		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "/nonexistent-goshim-flood/%ld", i);
			if (open(path, O_RDONLY) >= 0 || errno != ENOENT) {
				return sp_fail(path);
			}
		}
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "open") == 0) {
		for (int i = 2; i < argc; i++) {
			int fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
			printf("%s: %s\n", argv[i], fd < 0 ? strerror(errno) : "opened");
		}
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "malloc") == 0) {
		return sp_malloc();
	}
	if (argc >= 3 && strcmp(argv[1], "thread") == 0) {
		return sp_thread(strtoul(argv[2], NULL, 10));
	}
	fprintf(stderr, "usage: sc-prog memfd|clock|busy FILE|run FILE|flood N|open PATH...|malloc|"
		"thread MIB\n");
	return 2;
}
