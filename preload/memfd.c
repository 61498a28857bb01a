// SPDX-License-Identifier: Apache-2.0
/* memfd_create: the name and flags are recorded. */
#include <sys/mman.h>

#include "goshim/record.h"
#include "real.h"

static GS_COLD void mf_fail(int r, const char *name, unsigned flags,
			    const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = GOSHIM_CALL_memfd_create, .err = e, .ret = r,
		.present = GS_A_FLAGS, .name = name, .flags = flags,
		.caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_WRAP(int, memfd_create, (const char *name, unsigned int flags), (name, flags),
	mf_fail(r, name, flags, GS_CALLER()))
