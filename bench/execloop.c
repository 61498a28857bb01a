/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/exec.sh's driver: run a program N times, one fork + execv each
 * (the way a shell runs a command), and print the mean wall time and the
 * mean CPU time (user + system, this process and its children) per run,
 * in microseconds, and the mean minor faults of a child (its fork's and
 * its program's).  The driver itself makes no failing call.
 *
 *   execloop N PROGRAM [ARG...]
 *
 * With EXECLOOP_PRELOAD=LIB in its environment (and no LD_PRELOAD), the
 * driver runs bare and only the children get LD_PRELOAD=LIB: the cost of
 * their start and exit alone, without the driver's fork and exec under
 * the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	long n = argc > 2 ? atol(argv[1]) : 0;

	if (n <= 0) {
		fprintf(stderr, "usage: execloop N PROGRAM [ARG...]\n");
		return 2;
	}
	const char *child = getenv("EXECLOOP_PRELOAD");

	if (child && *child && setenv("LD_PRELOAD", child, 1) != 0) {
		perror("execloop: setenv");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || st != 0) {
			fprintf(stderr, "execloop: run %ld of %s failed\n", i, argv[2]);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);

	double cpu = 0, minflt = 0;
	int who[] = { RUSAGE_SELF, RUSAGE_CHILDREN };

	for (int k = 0; k < 2; k++) {
		struct rusage ru;

		getrusage(who[k], &ru);
		cpu += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
		if (who[k] == RUSAGE_CHILDREN)
			minflt = ru.ru_minflt;
	}
	printf("%.1f %.1f %.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n,
	       cpu / n, minflt / n);
	return 0;
}
