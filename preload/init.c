// SPDX-License-Identifier: Apache-2.0
/*
 * The constructor: make every real function resolvable (each at its first
 * call, or all before the process's first fork); stay passive under the
 * trace engine's filter (the engine records this process); else let the
 * recorder set itself up, then the hand-over (a Go program is handed over
 * to the trace engine here).  Priority 101 runs it before this object's other
 * constructors; calls that reach a wrapper earlier (another library's
 * constructor) go through the lazy stubs of real.c.
 */
#include <pthread.h>

#include "handover.h"
#include "real.h"

__attribute__((constructor(101))) static void gs_init(void)
{
	gs_resolve_all();
	pthread_atfork(gs_resolve_rest, NULL, NULL);
	if (gs_ho_supervised()) {
		return;
	}
	gs_setup();
	gs_ho_setup();
}
