// SPDX-License-Identifier: Apache-2.0
/* stat family (glibc >= 2.33 exports these as real functions). */
#include "goshim/record.h"
#include "real.h"

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

/* path-based: stat, lstat, stat64, lstat64 */
#define ST_PATH(name, stype, flags)                                       \
	GS_EXPORT int name(const char *path, stype *st)                   \
	{                                                                 \
		int r = gs_real.name(path, st);                           \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FLAGS,   \
				AT_FDCWD, path, flags, GS_CALLER());      \
		}                                                         \
		return r;                                                 \
	}

/* fd-based: fstat, fstat64 */
#define ST_FD(name, stype)                                                \
	GS_EXPORT int name(int fd, stype *st)                             \
	{                                                                 \
		int r = gs_real.name(fd, st);                             \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r, GS_A_FD, fd, NULL, \
				0, GS_CALLER());                          \
		}                                                         \
		return r;                                                 \
	}

/* dirfd-based: fstatat, fstatat64 */
#define ST_AT(name, stype)                                                \
	GS_EXPORT int name(int dirfd, const char *path, stype *st, int flags) \
	{                                                                 \
		int r = gs_real.name(dirfd, path, st, flags);             \
		if (gs_unlikely(r < 0)) {                                 \
			gs_fail_stat(GOSHIM_CALL_##name, r,               \
				GS_A_DIRFD | GS_A_FLAGS, dirfd, path,     \
				flags, GS_CALLER());                      \
		}                                                         \
		return r;                                                 \
	}

ST_PATH(stat, struct stat, 0)
ST_PATH(lstat, struct stat, AT_SYMLINK_NOFOLLOW)
ST_PATH(stat64, struct stat64, 0)
ST_PATH(lstat64, struct stat64, AT_SYMLINK_NOFOLLOW)
ST_FD(fstat, struct stat)
ST_FD(fstat64, struct stat64)
ST_AT(fstatat, struct stat)
ST_AT(fstatat64, struct stat64)
