// SPDX-License-Identifier: Apache-2.0
/* statx: dirfd, path, flags and the requested mask are recorded. */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void sx_fail(int r, int dirfd, const char *path, int flags,
			    unsigned mask, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = GOSHIM_CALL_statx, .err = e, .ret = r,
		.present = GS_A_DIRFD | GS_A_FLAGS | GS_A_MASK,
		.path = path, .dirfd = dirfd, .flags = (unsigned)flags,
		.mask = mask, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_WRAP(int, statx, (int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *stx), (dirfd, path, flags, mask, stx),
	sx_fail(r, dirfd, path, flags, mask, GS_CALLER()))
