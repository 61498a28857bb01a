/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_trace.h"

#include <criterion/criterion.h>
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
