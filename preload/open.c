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

/* open, openat and their *64: the mode is variadic */
#define OP_VA(name, params, args, present, dirfd)                              \
	GS_WRAP_WITH(int, name, params, mode_t mode = 0; GS_VA_MODE(flags, mode), \
		     gs_real.name(GS_UNPAREN args, mode), gs_unlikely(r < 0),  \
		     op_fail(GOSHIM_CALL_##name, r, present, dirfd, path, flags, mode, \
			     GS_CALLER()))

/* creat, creat64: the flags are implied */
#define OP_CREAT(name, flags)                                                  \
	GS_WRAP(int, name, (const char *path, mode_t mode), (path, mode),      \
		op_fail(GOSHIM_CALL_##name, r, 0, AT_FDCWD, path, flags, mode, \
			GS_CALLER()))

/* _FORTIFY_SOURCE entry points: called when open() has no mode argument
 * and the flags are not known at compile time. */
#define OP_2(name, params, args, present, dirfd)                               \
	GS_WRAP(int, name, params, args,                                       \
		op_fail(GOSHIM_CALL_##name, r, present, dirfd, path, flags, 0, \
			GS_CALLER()))

OP_VA(open, (const char *path, int flags, ...), (path, flags), 0, AT_FDCWD)
OP_VA(open64, (const char *path, int flags, ...), (path, flags), 0, AT_FDCWD)
OP_VA(openat, (int dirfd, const char *path, int flags, ...), (dirfd, path, flags),
      GS_A_DIRFD, dirfd)
OP_VA(openat64, (int dirfd, const char *path, int flags, ...), (dirfd, path, flags),
      GS_A_DIRFD, dirfd)
OP_CREAT(creat, O_CREAT | O_WRONLY | O_TRUNC)
OP_CREAT(creat64, O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE)
OP_2(__open_2, (const char *path, int flags), (path, flags), 0, AT_FDCWD)
OP_2(__open64_2, (const char *path, int flags), (path, flags), 0, AT_FDCWD)
OP_2(__openat_2, (int dirfd, const char *path, int flags), (dirfd, path, flags),
     GS_A_DIRFD, dirfd)
OP_2(__openat64_2, (int dirfd, const char *path, int flags), (dirfd, path, flags),
     GS_A_DIRFD, dirfd)
