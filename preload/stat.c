// SPDX-License-Identifier: Apache-2.0
/* stat family (glibc >= 2.33 exports these as real functions). */
#include "goshim/record.h"
#include "real.h"
#include "stat.h"

void gs_fail_stat(uint32_t call, int r, unsigned present, int dirfd,
		  const char *path, int flags, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r, .present = present,
		.path = path, .dirfd = dirfd, .fd = dirfd,
		.flags = (unsigned)flags, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

#define ST_NEW(shape, name, old, stype, flags) ST_##shape(name, NEW, stype, flags)
ST_FAMILY(ST_NEW)
