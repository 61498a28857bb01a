// SPDX-License-Identifier: Apache-2.0
/*
 * open family.  The variadic mode is read only when __OPEN_NEEDS_MODE
 * (O_CREAT or O_TMPFILE), as libc does, and passed on to the real
 * variadic function.
 */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void op_fail(uint32_t call, int r, unsigned present, int dirfd,
			    const char *path, int flags, mode_t mode,
			    const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r,
		.present = GS_A_FLAGS | present,
		.path = path, .dirfd = dirfd, .flags = (unsigned)flags,
		.mode = mode, .caller = caller,
	};

	if (__OPEN_NEEDS_MODE(flags)) {
		c.present |= GS_A_MODE;
	}
	gs_fail(&c);
	errno = e;
}

GS_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	GS_VA_MODE(flags, mode);
	int r = gs_real.open(path, flags, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_open, r, 0, AT_FDCWD, path, flags, mode,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	GS_VA_MODE(flags, mode);
	int r = gs_real.open64(path, flags, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_open64, r, 0, AT_FDCWD, path, flags, mode,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	GS_VA_MODE(flags, mode);
	int r = gs_real.openat(dirfd, path, flags, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_openat, r, GS_A_DIRFD, dirfd, path, flags,
			mode, GS_CALLER());
	}
	return r;
}

GS_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	GS_VA_MODE(flags, mode);
	int r = gs_real.openat64(dirfd, path, flags, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_openat64, r, GS_A_DIRFD, dirfd, path, flags,
			mode, GS_CALLER());
	}
	return r;
}

GS_EXPORT int creat(const char *path, mode_t mode)
{
	int r = gs_real.creat(path, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_creat, r, 0, AT_FDCWD, path,
			O_CREAT | O_WRONLY | O_TRUNC, mode, GS_CALLER());
	}
	return r;
}

GS_EXPORT int creat64(const char *path, mode_t mode)
{
	int r = gs_real.creat64(path, mode);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL_creat64, r, 0, AT_FDCWD, path,
			O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE, mode,
			GS_CALLER());
	}
	return r;
}

/* _FORTIFY_SOURCE entry points: called when open() has no mode argument
 * and the flags are not known at compile time. */
GS_EXPORT int __open_2(const char *path, int flags)
{
	int r = gs_real.__open_2(path, flags);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL___open_2, r, 0, AT_FDCWD, path, flags, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int __open64_2(const char *path, int flags)
{
	int r = gs_real.__open64_2(path, flags);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL___open64_2, r, 0, AT_FDCWD, path, flags, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	int r = gs_real.__openat_2(dirfd, path, flags);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL___openat_2, r, GS_A_DIRFD, dirfd, path,
			flags, 0, GS_CALLER());
	}
	return r;
}

GS_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	int r = gs_real.__openat64_2(dirfd, path, flags);

	if (gs_unlikely(r < 0)) {
		op_fail(GOSHIM_CALL___openat64_2, r, GS_A_DIRFD, dirfd, path,
			flags, 0, GS_CALLER());
	}
	return r;
}
