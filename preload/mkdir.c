// SPDX-License-Identifier: Apache-2.0
/* mkdir, mkdirat: path, mode (and dirfd) are recorded. */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void mk_fail(uint32_t call, int r, unsigned present, int dirfd,
			    const char *path, mode_t mode, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r, .present = GS_A_MODE | present,
		.dirfd = dirfd, .path = path, .mode = mode, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_WRAP(int, mkdir, (const char *path, mode_t mode), (path, mode),
	mk_fail(GOSHIM_CALL_mkdir, r, 0, AT_FDCWD, path, mode, GS_CALLER()))
GS_WRAP(int, mkdirat, (int dirfd, const char *path, mode_t mode), (dirfd, path, mode),
	mk_fail(GOSHIM_CALL_mkdirat, r, GS_A_DIRFD, dirfd, path, mode, GS_CALLER()))
