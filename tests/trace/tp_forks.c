/* SPDX-License-Identifier: Apache-2.0 */
/* The traced program of the cross-process repeat tests:
 *
 *   tp-forks N K PATH [libc]
 *       fork N children one after the other; each fails openat(PATH) K
 *       times from the same call site and exits 0.  Exits 0 when every
 *       child did.
 *
 * The failures are raw system calls (the trace engine sees them, the
 * preload does not), or with "libc" calls to open(3) (the preload's
 * wrapper sees them).  Every child has the same backtrace. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
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
