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

GS_EXPORT int access(const char *path, int amode)
{
	int r = gs_real.access(path, amode);

	if (gs_unlikely(r < 0)) {
		ac_fail(GOSHIM_CALL_access, r, 0, AT_FDCWD, path, amode, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int faccessat(int dirfd, const char *path, int amode, int flags)
{
	int r = gs_real.faccessat(dirfd, path, amode, flags);

	if (gs_unlikely(r < 0)) {
		ac_fail(GOSHIM_CALL_faccessat, r, GS_A_DIRFD | GS_A_FLAGS,
			dirfd, path, amode, flags, GS_CALLER());
	}
	return r;
}

GS_EXPORT int euidaccess(const char *path, int amode)
{
	int r = gs_real.euidaccess(path, amode);

	if (gs_unlikely(r < 0)) {
		ac_fail(GOSHIM_CALL_euidaccess, r, 0, AT_FDCWD, path, amode, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int eaccess(const char *path, int amode)
{
	int r = gs_real.eaccess(path, amode);

	if (gs_unlikely(r < 0)) {
		ac_fail(GOSHIM_CALL_eaccess, r, 0, AT_FDCWD, path, amode, 0,
			GS_CALLER());
	}
	return r;
}
