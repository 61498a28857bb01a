/* SPDX-License-Identifier: Apache-2.0 */
/* The stat family's wrappers, new ABI (stat.c: stat, fstat, fstatat and
 * their *64) and old (xstat.c: __xstat & co, whose first argument is a
 * version): one table of entry points (ST_FAMILY), three shapes, each
 * made with V = NEW or OLD. */
#ifndef GS_STAT_H
#define GS_STAT_H

#include "real.h"

/* The cold half of every stat-family wrapper: records the failure, errno
 * untouched. */
GS_HIDDEN GS_COLD void gs_fail_stat(uint32_t call, int r, unsigned present,
				    int dirfd, const char *path, int flags,
				    const void *caller);

/* The leading version parameter and argument of the old ABI. */
#define ST_P_NEW
#define ST_A_NEW
#define ST_P_OLD int ver,
#define ST_A_OLD ver,

/* The entry points, new name and old, with their shape. */
#define ST_FAMILY(X)                                                           \
	X(PATH, stat, __xstat, struct stat, 0)                                 \
	X(PATH, lstat, __lxstat, struct stat, AT_SYMLINK_NOFOLLOW)             \
	X(PATH, stat64, __xstat64, struct stat64, 0)                           \
	X(PATH, lstat64, __lxstat64, struct stat64, AT_SYMLINK_NOFOLLOW)       \
	X(FD, fstat, __fxstat, struct stat, 0)                                 \
	X(FD, fstat64, __fxstat64, struct stat64, 0)                           \
	X(AT, fstatat, __fxstatat, struct stat, 0)                             \
	X(AT, fstatat64, __fxstatat64, struct stat64, 0)

/* path-based: flags is what the call implies (lstat: no follow) */
#define ST_PATH(name, V, stype, flags)                                         \
	GS_WRAP(int, name, (ST_P_##V const char *path, stype *st),             \
		(ST_A_##V path, st),                                           \
		gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FLAGS, AT_FDCWD, path, \
			     flags, GS_CALLER()))

/* fd-based */
#define ST_FD(name, V, stype, unused)                                           \
	GS_WRAP(int, name, (ST_P_##V int fd, stype *st), (ST_A_##V fd, st),    \
		gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FD, fd, NULL, 0, GS_CALLER()))

/* dirfd-based: the flags are the caller's */
#define ST_AT(name, V, stype, unused)                                           \
	GS_WRAP(int, name, (ST_P_##V int dirfd, const char *path, stype *st,   \
			    int flags),                                        \
		(ST_A_##V dirfd, path, st, flags),                             \
		gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_DIRFD | GS_A_FLAGS, dirfd, \
			     path, flags, GS_CALLER()))

#endif
