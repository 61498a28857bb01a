/* SPDX-License-Identifier: Apache-2.0 */
#include "ringpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

const char *gs_run_default_ring(char *buf, size_t cap)
{
	const char *r = getenv("GOSHIM_RING");

	if (r && *r && *r != '/') {
		run_abs_ring(r);
		r = getenv("GOSHIM_RING");
	}
	if (r && *r) {
		return r;
	}
	snprintf(buf, cap, "/tmp/goshim-%u.ring", (unsigned)geteuid());
	return buf;
}
