// SPDX-License-Identifier: Apache-2.0
/*
 * The constructor: resolve every real function, then let the recorder set
 * itself up.  Priority 101 runs it before this object's other constructors;
 * calls that reach a wrapper earlier (another library's constructor) go
 * through the lazy stubs of real.c.
 */
#include "gs.h"

__attribute__((constructor(101))) static void gs_init(void)
{
	gs_resolve_all();
	gs_setup();
}
