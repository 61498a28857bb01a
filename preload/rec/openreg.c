/* SPDX-License-Identifier: Apache-2.0 */
/* Opening a file the program names (an exec target) to read a few bytes
 * of it, without side effects: an O_PATH descriptor first (it runs no
 * driver, wakes no FIFO writer, never blocks), then, for a regular file
 * only, the same inode reopened for reading through /proc/self/fd/N,
 * O_NONBLOCK | O_NOCTTY.  Without /proc, the path itself is opened
 * O_NONBLOCK and checked again.  Raw system calls: async-signal-safe. */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "sys.h"

#define OR_READ (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

static int or_regular(long fd)
{
	struct stat st;

	return gs_sys2(SYS_fstat, fd, &st) == 0 && S_ISREG(st.st_mode);
}

long gs_open_regular(int dirfd, const char *path, int nofollow)
{
	char link[32];
	int nf = nofollow ? O_NOFOLLOW : 0;
	long pfd = gs_sys4(SYS_openat, dirfd, path, O_PATH | O_CLOEXEC | nf, 0);
	long fd;

	if (pfd < 0) {
		return pfd;
	}
	if (!or_regular(pfd)) {
		gs_sys1(SYS_close, pfd);
		return -EINVAL;
	}
	gs_fd_link((int)pfd, link);
	fd = gs_sys4(SYS_openat, AT_FDCWD, link, OR_READ, 0);
	gs_sys1(SYS_close, pfd);
	if (fd == -ENOENT) {
		fd = gs_sys4(SYS_openat, dirfd, path, OR_READ | nf, 0);
		if (fd >= 0 && !or_regular(fd)) {
			gs_sys1(SYS_close, fd);
			fd = -EINVAL;
		}
	}
	return fd;
}
