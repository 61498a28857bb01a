/* SPDX-License-Identifier: Apache-2.0 */
/* Joining or starting a run (runstart.h). */
#include "runstart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goshim/ring.h"
#include "runid.h"

int gs_run_join(void)
{
	const char *r = getenv("GOSHIM_RUN");
	char id[17];

	if (r && gs_runid_ok(r)) {
		return 0;
	}
	gs_runid_new(id);
	setenv("GOSHIM_RUN", id, 1);
	return 1;
}

int gs_run_fresh_ring(const char *path)
{
	char magic[sizeof(GOSHIM_RING_MAGIC) - 1];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int ours;

	if (fd < 0) {
		return errno == ENOENT ? 0 : -errno;
	}
	ours = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	       memcmp(magic, GOSHIM_RING_MAGIC, sizeof(magic)) == 0;
	close(fd);
	if (!ours) {
		return -EEXIST;
	}
	return unlink(path) == 0 || errno == ENOENT ? 0 : -errno;
}
