/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mount that holds a path, as common/mountinfo.h finds it: the
 * path's mount id from statx, /proc/self/mountinfo read with raw
 * open/read in chunks (no stdio, no malloc).
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "mountinfo.h"
#include "sys.h"

/* The mount id of path, 0 when the kernel does not say (before 5.8). */
static uint64_t mnt_id(const char *path)
{
	struct statx sx;

	if (gs_sys5(SYS_statx, AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_MNT_ID, &sx) < 0 ||
	    !(sx.stx_mask & STATX_MNT_ID)) {
		return 0;
	}
	return sx.stx_mnt_id;
}

long gs_mount_of(const char *path, char *out, size_t cap, char *work, size_t work_cap)
{
	int fd = (int)gs_sys4(SYS_openat, AT_FDCWD, "/proc/self/mountinfo", O_RDONLY | O_CLOEXEC, 0);
	long n;

	if (fd < 0) {
		return -1;
	}
	n = gs_mount_find(gs_mi_read_fd, &fd, path, mnt_id(path), out, cap, work, work_cap);
	gs_sys1(SYS_close, fd);
	return n;
}
