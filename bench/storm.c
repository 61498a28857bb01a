/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storm THREADS N DIR: THREADS threads, started together, each failing N
 * opens of distinct missing paths DIR/missing-T-I (no repeat: nothing is
 * folded).  Prints the wall time per failure.  Used by bench/storm.sh and
 * by tests/preload/test_storm.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_barrier_t st_go;
static const char *st_dir;
static long st_n;

static void *st_main(void *arg)
{
	long id = (long)arg, bad = 0;
	char p[4200];

	pthread_barrier_wait(&st_go);
	for (long i = 0; i < st_n; i++) {
		snprintf(p, sizeof(p), "%s/missing-%ld-%ld", st_dir, id, i);
		errno = 0;
		if (open(p, O_RDONLY) != -1 || errno != ENOENT) {
			bad++;
		}
	}
	return (void *)bad;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: storm THREADS N DIR\n");
		return 2;
	}
	long threads = atol(argv[1]), bad = 0;
	st_n = atol(argv[2]);
	st_dir = argv[3];
	if (threads < 1 || threads > 4096 || st_n < 1) {
		return 2;
	}
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	struct timespec a, b;

	if (!t || pthread_barrier_init(&st_go, NULL, (unsigned)threads + 1)) {
		return 2;
	}
	for (long i = 0; i < threads; i++) {
		if (pthread_create(&t[i], NULL, st_main, (void *)i)) {
			perror("pthread_create");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pthread_barrier_wait(&st_go);
	for (long i = 0; i < threads; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	printf("threads=%ld failures=%ld bad=%ld ns_per_failure=%.0f\n",
	       threads, threads * st_n, bad, ns / (double)(threads * st_n));
	return bad != 0;
}
