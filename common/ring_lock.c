/* SPDX-License-Identifier: Apache-2.0 */
/* Readers wait for the trace engines still writing a ring (ring_lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "ring_file.h"
#include "ring_lock.h"

int gs_ring_engine_hold(const char *path)
{
	struct stat st;
	int fd = gs_ring_file_open(path, &st); /* never blocks on a FIFO */

	if (fd < 0) {
		return fd;
	}
	if (flock(fd, LOCK_SH) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int gs_ring_engines_wait(const char *path, int timeout_ms)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct stat st;
	int fd = gs_ring_file_open(path, &st); /* never blocks on a FIFO */
	int busy = 0;

	if (fd < 0) {
		return 0;
	}
	for (int waited = 0;; waited += 10) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			break;
		}
		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			busy = errno == EWOULDBLOCK;
			break;
		}
		nanosleep(&tick, NULL);
	}
	close(fd);
	return busy;
}
