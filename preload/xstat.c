// SPDX-License-Identifier: Apache-2.0
/* Old stat ABI (__xstat & co, with a leading version argument): what
 * binaries built against glibc < 2.33 call. */
#include "goshim/record.h"
#include "real.h"

#define XS_PATH(name, stype, flags)                                       \
	GS_EXPORT int name(int ver, const char *path, stype *st)          \
	{                                                                 \
		int r = gs_real.name(ver, path, st);                      \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FLAGS,   \
				AT_FDCWD, path, flags, GS_CALLER());      \
		}                                                         \
		return r;                                                 \
	}

#define XS_FD(name, stype)                                                \
	GS_EXPORT int name(int ver, int fd, stype *st)                    \
	{                                                                 \
		int r = gs_real.name(ver, fd, st);                        \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FD, fd, NULL, \
				0, GS_CALLER());                          \
		}                                                         \
		return r;                                                 \
	}

#define XS_AT(name, stype)                                                \
	GS_EXPORT int name(int ver, int dirfd, const char *path, stype *st,  \
			   int flags)                                     \
	{                                                                 \
		int r = gs_real.name(ver, dirfd, path, st, flags);        \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r,               \
				GS_A_DIRFD | GS_A_FLAGS, dirfd, path,     \
				flags, GS_CALLER());                      \
		}                                                         \
		return r;                                                 \
	}

XS_PATH(__xstat, struct stat, 0)
XS_PATH(__lxstat, struct stat, AT_SYMLINK_NOFOLLOW)
XS_PATH(__xstat64, struct stat64, 0)
XS_PATH(__lxstat64, struct stat64, AT_SYMLINK_NOFOLLOW)
XS_FD(__fxstat, struct stat)
XS_FD(__fxstat64, struct stat64)
XS_AT(__fxstatat, struct stat)
XS_AT(__fxstatat64, struct stat64)
