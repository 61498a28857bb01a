/* SPDX-License-Identifier: Apache-2.0 */
/* Before reading a ring: wait for the trace engines still writing it. */
#include <stdio.h>

#include "engines.h"
#include "goshim/handover.h"
#include "ring_lock.h"

void gs_ctl_wait_engines(const char *ring)
{
	if (goshim_supervised()) {
		return; /* inside a supervised tree: its engine runs by definition */
	}
	if (gs_ring_engines_wait(ring, GS_ENGINES_WAIT_MS)) {
		fprintf(stderr, "goshimctl: %s: a trace engine is still writing it after %d s; "
			"reading it as it is\n", ring, GS_ENGINES_WAIT_MS / 1000);
	}
}
