/* SPDX-License-Identifier: Apache-2.0 */
/* Opening and reading a ring file without trusting the path (ring_file.h). */
#include "ring_file.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
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

/* The bytes of fd to read or map: its size when fstat'd, bounded. */
static uint64_t rf_want(const struct stat *st)
{
	uint64_t want = st->st_size > 0 ? (uint64_t)st->st_size : 0;

	return want > GS_RING_FILE_MAX ? GS_RING_FILE_MAX : want;
}

int gs_ring_file_read(int fd, const struct stat *st, uint8_t **buf, size_t *len)
{
	uint64_t want = rf_want(st);
	size_t n = 0;
	uint8_t *b;

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

int gs_ring_file_map(int fd, const struct stat *st, const uint8_t **map, size_t *len)
{
	uint64_t want = rf_want(st);
	void *m;

	if (want == 0) {
		return -EINVAL; /* nothing to map: read it */
	}
	m = mmap(NULL, (size_t)want, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		return -errno;
	}
	*map = m;
	*len = (size_t)want;
	return 0;
}

static sigjmp_buf rf_bus_env;

static void rf_bus(int sig)
{
	(void)sig;
	siglongjmp(rf_bus_env, 1);
}

int gs_ring_file_guard(int (*fn)(void *ctx), void *ctx)
{
	struct sigaction sa = { .sa_handler = rf_bus }, old;
	volatile int ret = -EFAULT;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) < 0) {
		return -errno;
	}
	if (sigsetjmp(rf_bus_env, 1) == 0) {
		ret = fn(ctx);
	}
	sigaction(SIGBUS, &old, NULL);
	return ret;
}
