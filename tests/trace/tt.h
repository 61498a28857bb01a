/* SPDX-License-Identifier: Apache-2.0 */
/* The trace tests' names for tests/lib: goshimctl run, the decoded ring.
 * Forwarding only; new tests use tests/lib directly. */
#ifndef TT_H
#define TT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "tl_compat.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_read.h"
#include "tl_run.h"

static inline void tt_run_argv(char **av, size_t cap, const char *ring, char *const argv[])
{
	tl_traced_argv((const char **)av, cap, ring, (const char *const *)argv);
}

/* Run argv (with stdin_data on stdin when not NULL); the wait status. */
static inline int tt_bare(char *const argv[], const char *stdin_data)
{
	struct tl_cmd c = { .argv = (const char *const *)argv, .stdin_data = stdin_data,
			    .uid = -1 };
	struct tl_res res;

	tl_spawn(&c, &res);
	return res.wstatus;
}

/* The same under goshimctl run --ring ring. */
static inline int tt_trace(const char *ring, char *const argv[], const char *stdin_data)
{
	char *av[64];

	tt_run_argv(av, 64, ring, argv);
	return tt_bare(av, stdin_data);
}

/* Every record with a payload, after the ring's engines are done. */
static inline void tt_load(const char *ring, struct tl_ring *r)
{
	struct tl_load_opts o = { .engine = GOSHIM_ENGINE_TRACE, .wait_engines_ms = 5000 };

	tl_load(ring, r, &o);
}

#endif
