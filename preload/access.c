// SPDX-License-Identifier: Apache-2.0
/* access family: path and amode (and dirfd, flags) are recorded. */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void ac_fail(uint32_t call, int r, unsigned present, int dirfd,
			    const char *path, int amode, int flags,
			    const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r, .present = GS_A_AMODE | present,
		.dirfd = dirfd, .path = path, .amode = amode,
		.flags = (unsigned)flags, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

/* path-based, relative to the working directory */
#define AC_PATH(name)                                                      \
	GS_WRAP(int, name, (const char *path, int amode), (path, amode),  \
		ac_fail(GOSHIM_CALL_##name, r, 0, AT_FDCWD, path, amode, 0, GS_CALLER()))

AC_PATH(access)
GS_WRAP(int, faccessat, (int dirfd, const char *path, int amode, int flags),
	(dirfd, path, amode, flags),
	ac_fail(GOSHIM_CALL_faccessat, r, GS_A_DIRFD | GS_A_FLAGS, dirfd, path, amode,
		flags, GS_CALLER()))
AC_PATH(euidaccess)
AC_PATH(eaccess)
