/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-call cost of the calls libgoshim.so wraps.  Run it bare and under
 * LD_PRELOAD (bench/run.sh interleaves both and takes medians); each line
 * printed is "<case> <ns per call>".
 *
 *   success path: clock_gettime (vDSO), openat+close of an existing file,
 *                 stat of an existing file
 *   failure path: openat of a new missing file in an existing directory
 *                 each time (one record with evidence and backtrace each:
 *                 the common case), the same three components deep
 *                 (a longer evidence walk), and of the same missing path
 *                 again and again (aggregated into one record), and a
 *                 refused mmap (MAP_FIXED in the kernel's half: ENOMEM)
 *                 again and again (aggregated with its class)
 *
 * Usage: calls [CASE...]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef void (*bench_fn)(long n);

static uint64_t now_ns(void)
{
	struct timespec ts;
	/* raw syscall: the measurement itself must not pass through goshim */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile long sink;

static void b_clock(long n)
{
	struct timespec ts;
	for (long i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sink += ts.tv_nsec;
	}
}

static void b_openat(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, "/etc/hostname", O_RDONLY | O_CLOEXEC);
		close(fd);
	}
}

static void b_stat(long n)
{
	struct stat st;
	for (long i = 0; i < n; i++) {
		stat("/etc/hostname", &st);
		sink += st.st_size;
	}
}

static void fail_new(const char *fmt, long n)
{
	static long serial;
	char path[64];
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), fmt, serial++);
		sink += openat(AT_FDCWD, path, O_RDONLY);
	}
}

static void b_fail_new(long n)
{
	fail_new("/etc/goshim-bench-%ld", n);
}

static void b_fail_deep(long n)
{
	fail_new("/nonexistent/goshim-bench/%ld", n);
}

static void b_fail_repeat(long n)
{
	char path[64];
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/nonexistent/goshim-bench/%d", 7);
		sink += openat(AT_FDCWD, path, O_RDONLY);
	}
}

static void b_fail_mmap_repeat(long n)
{
	for (long i = 0; i < n; i++) {
		sink += (long)mmap((void *)(uintptr_t)0xffff800000000000ull, 1 << 20, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
}

static const struct {
	const char *name;
	bench_fn fn;
	long n;
} cases[] = {
	{ "clock_gettime", b_clock, 4000000 },
	{ "openat+close", b_openat, 400000 },
	{ "stat", b_stat, 1000000 },
	{ "fail-new", b_fail_new, 20000 },
	{ "fail-deep", b_fail_deep, 20000 },
	{ "fail-repeat", b_fail_repeat, 200000 },
	{ "fail-mmap-repeat", b_fail_mmap_repeat, 200000 },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int wanted = argc < 2;
		for (int a = 1; a < argc; a++) {
			wanted |= strcmp(argv[a], cases[i].name) == 0;
		}
		if (!wanted) {
			continue;
		}
		cases[i].fn(cases[i].n / 20); /* warm up */
		uint64_t t0 = now_ns();
		cases[i].fn(cases[i].n);
		uint64_t t1 = now_ns();
		printf("%s %.2f\n", cases[i].name, (double)(t1 - t0) / (double)cases[i].n);
	}
	return 0;
}
