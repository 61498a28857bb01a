/* SPDX-License-Identifier: Apache-2.0 */
/* The traced program of the cross-process repeat tests:
 *
 *   tp-forks N K PATH [libc]
 *       fork N children one after the other; each fails openat(PATH) K
 *       times from the same call site and exits 0.  Exits 0 when every
 *       child did.
 *   tp-forks mmaps K [libc]
 *       under a finite RLIMIT_AS (`ulimit -v`: the trace engine follows
 *       a fixed mmap there), from one call site, a 128 MiB mmap then K of
 *       32 MiB, MAP_FIXED in the kernel's half (ENOMEM): a runtime's
 *       arena then its stacks.  Exits 0.
 *
 * The failures are raw system calls (the trace engine sees them, the
 * preload does not), or with "libc" calls to open(3) (the preload's
 * wrapper sees them).  Every child has the same backtrace. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static __attribute__((noinline)) void tf_fail(const char *path, int libc)
{
	if (libc) {
		open(path, O_RDONLY);
	} else {
		syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
	}
}

static __attribute__((noinline)) void tf_mmap(size_t len, int libc)
{
	void *at = (void *)(uintptr_t)0xffff800000000000ull;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

	if (libc) {
		mmap(at, len, PROT_NONE, flags, -1, 0);
	} else {
		syscall(SYS_mmap, at, len, PROT_NONE, flags, -1, 0);
	}
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "mmaps") == 0) {
		struct rlimit rl = { 4ull << 30, 4ull << 30 };

		if (setrlimit(RLIMIT_AS, &rl) != 0) {
			return 1;
		}
		for (int i = atoi(argv[2]); i >= 0; i--) {
			tf_mmap(i == atoi(argv[2]) ? 128u << 20 : 32u << 20, argc == 4);
		}
		return 0;
	}
	if (argc != 4 && argc != 5) {
		return 2;
	}
	int n = atoi(argv[1]), k = atoi(argv[2]), libc = argc == 5, bad = 0;

	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		int st;

		if (c == 0) {
			for (int j = 0; j < k; j++) {
				tf_fail(argv[3], libc);
			}
			_exit(0);
		}
		if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st)) {
			bad = 1;
		}
	}
	return bad;
}
