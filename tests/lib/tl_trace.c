/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_trace.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl_env.h"
#include "tl_fs.h"
#include "tl_run.h"

const char *tl_trace_run(const char *tag, char *const argv[], int want_exit, struct tl_ring *r)
{
	const char *dir = tl_tmpdir(tag), *ring = tl_path(dir, "r.ring"), *av[64];
	struct tl_cmd c = { .argv = av, .uid = -1 };
	struct tl_load_opts o = { .engine = GOSHIM_ENGINE_TRACE, .wait_engines_ms = 5000 };
	struct tl_res res;

	tl_traced_argv(av, 64, ring, (const char *const *)argv);
	tl_spawn(&c, &res);
	cr_assert(WIFEXITED(res.wstatus) && WEXITSTATUS(res.wstatus) == want_exit, "status %#x",
		  res.wstatus);
	tl_load(ring, r, &o);
	return dir;
}

int tl_trace_in_tmpfs(const char *mnt, unsigned long flags, const char *opts, const char *ring,
		      char *const argv[], int (*prep)(void *), void *arg)
{
	const char *av[64];
	pid_t pid;
	int st;

	tl_traced_argv(av, 64, ring, (const char *const *)argv);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		if (tl_private_tmpfs(mnt, flags, opts) < 0) {
			perror("private tmpfs");
			_exit(200);
		}
		if (prep && prep(arg) != 0) {
			_exit(201);
		}
		execv(av[0], (char *const *)av);
		_exit(203);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(!(WIFEXITED(st) && WEXITSTATUS(st) >= 200), "setup failed: %#x", st);
	return st;
}

pid_t tl_tick_start(const char *ring, const char *prog, const char *file, const char *n,
		    int own_pgrp)
{
	const char *argv[] = { prog, "tick", file, n, NULL }, *av[16];
	pid_t pid;

	tl_traced_argv(av, 16, ring, argv);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		if (own_pgrp) {
			setpgid(0, 0);
		}
		execv(av[0], (char *const *)av);
		_exit(126);
	}
	return pid;
}

int tl_tick_read(const char *file, int *pid)
{
	int c = -1;

	for (int i = 0; i < 50 && c < 0; i++) {
		FILE *f = fopen(file, "r");

		if (f) {
			if (fscanf(f, "%d %d", pid, &c) != 2) {
				c = -1;
			}
			fclose(f);
		}
		if (c < 0) {
			usleep(1000);
		}
	}
	return c;
}

void tl_tick_stop_continue(const char *ring, const char *prog, const char *file, int n,
			   int stopsig, int rounds, unsigned settle_us)
{
	char count[16];
	int pid = 0, c1, c2, c3 = -1, st;
	pid_t drv;

	snprintf(count, sizeof(count), "%d", n);
	drv = tl_tick_start(ring, prog, file, count, 1);
	for (int i = 0; i < rounds && tl_tick_read(file, &pid) < 3; i++) {
		usleep(10000);
	}
	cr_assert(pid > 0, "the traced program never ticked");
	cr_assert(kill(pid, stopsig) == 0);
	usleep(settle_us);
	c1 = tl_tick_read(file, &pid);
	usleep(300000);
	c2 = tl_tick_read(file, &pid);
	cr_assert_eq(c1, c2, "still ticking while stopped (%d -> %d)", c1, c2);
	cr_assert(kill(pid, SIGCONT) == 0);
	for (int i = 0; i < 500 && (c3 = tl_tick_read(file, &pid)) <= c2; i++) {
		usleep(10000);
	}
	cr_assert_gt(c3, c2, "did not continue (%d -> %d)", c2, c3);
	cr_assert(waitpid(drv, &st, 0) == drv);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	cr_assert_eq(tl_tick_read(file, &pid), n);
}
