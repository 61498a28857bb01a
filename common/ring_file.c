/* SPDX-License-Identifier: Apache-2.0 */
/* Opening and reading a ring file without trusting the path (ring_file.h). */
#include "ring_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int gs_ring_file_open(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int e;

	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, st) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

const char *gs_ring_file_kind(mode_t mode)
{
	static const struct { mode_t type; const char *name; } kinds[] = {
		{ S_IFDIR, "a directory" },      { S_IFIFO, "a FIFO" },
		{ S_IFCHR, "a character device" }, { S_IFBLK, "a block device" },
		{ S_IFSOCK, "a socket" },        { S_IFLNK, "a symbolic link" },
		{ S_IFREG, "a regular file" },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if ((mode & S_IFMT) == kinds[i].type) {
			return kinds[i].name;
		}
	}
	return "a special file";
}

int gs_ring_file_read(int fd, const struct stat *st, uint8_t **buf, size_t *len)
{
	uint64_t want = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	size_t n = 0;
	uint8_t *b;

	if (want > GS_RING_FILE_MAX) {
		want = GS_RING_FILE_MAX;
	}
	b = malloc(want ? (size_t)want : 1);
	if (!b) {
		return -ENOMEM;
	}
	while (n < want) {
		ssize_t got = pread(fd, b + n, (size_t)want - n, (off_t)n);

		if (got < 0 && errno == EINTR) {
			continue;
		}
		if (got < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		if (got == 0) {
			break; /* cut short since the fstat */
		}
		n += (size_t)got;
	}
	*buf = b;
	*len = n;
	return 0;
}
