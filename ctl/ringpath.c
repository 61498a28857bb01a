/* SPDX-License-Identifier: Apache-2.0 */
#include "ringpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ringhome.h"

/* A relative $GOSHIM_RING made absolute once, in the environment the
 * command inherits: its processes in other directories share the ring. */
static void run_abs_ring(const char *r)
{
	char *cwd = getcwd(NULL, 0);
	char *abs = NULL;

	if (cwd && cwd[0] == '/' &&
	    asprintf(&abs, "%s%s%s", cwd, cwd[1] ? "/" : "", r) > 0) {
		setenv("GOSHIM_RING", abs, 1);
	}
	free(abs);
	free(cwd);
}

const char *gs_run_default_ring(const char *who, int create, int *dflt)
{
	static struct gs_ringhome h;
	const char *r = getenv("GOSHIM_RING");
	char say[GS_RINGHOME_MAX * 2 + 128];

	if (r && *r && *r != '/') {
		run_abs_ring(r);
		r = getenv("GOSHIM_RING");
	}
	if (dflt) {
		*dflt = !(r && *r);
	}
	if (r && *r) {
		return r;
	}
	gs_ringhome(&h, getenv("XDG_RUNTIME_DIR"), getenv("HOME"), (unsigned)geteuid(), create);
	if (h.refused[0]) {
		fprintf(stderr, "%s: %s\n", who, gs_ringhome_say(&h, say, sizeof(say)));
	}
	return h.path[0] ? h.path : NULL;
}
