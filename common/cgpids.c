/* SPDX-License-Identifier: Apache-2.0 */
/* The pids cgroup of this process (cgpids.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgpids.h"

static const char *const cg_mounts[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified",
					 "/sys/fs/cgroup" };

int gs_cgpids_read(const char *dir, const char *file, char *buf, size_t cap)
{
	char p[PATH_MAX + 32];
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0) {
		return -1;
	}
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0) {
		return -1;
	}
	buf[n] = 0;
	if (n > 0 && buf[n - 1] == '\n') {
		buf[n - 1] = 0;
	}
	return 0;
}

/* This process's path in the pids hierarchy (v1 `N:pids:/p`, or v2
 * `0::/p`), and where that hierarchy is mounted. */
static int cg_find(char *rel, size_t cap, const char **mnt)
{
	char line[PATH_MAX + 64];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int v1 = 0;
	char v2p[PATH_MAX] = "";

	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2) {
			continue;
		}
		c2[strcspn(c2, "\n")] = 0;
		*c2 = 0;
		if (strcmp(c1 + 1, "pids") == 0 || strstr(c1 + 1, ",pids") ||
		    strncmp(c1 + 1, "pids,", 5) == 0) {
			snprintf(rel, cap, "%s", c2 + 1);
			v1 = 1;
		} else if (c1[1] == 0) {
			snprintf(v2p, sizeof(v2p), "%s", c2 + 1);
		}
	}
	fclose(f);
	for (size_t i = 0; i < sizeof(cg_mounts) / sizeof(cg_mounts[0]); i++) {
		char p[PATH_MAX * 2];

		if (!v1 && i == 0) {
			continue;
		}
		snprintf(p, sizeof(p), "%s%s/pids.events", cg_mounts[i], v1 && i == 0 ? rel : v2p);
		if (access(p, R_OK) == 0) {
			if (i > 0) {
				snprintf(rel, cap, "%s", v2p);
			}
			*mnt = cg_mounts[i];
			return 0;
		}
	}
	return -1;
}

int gs_cgpids_dir(char *dir, size_t cap)
{
	char rel[PATH_MAX];
	const char *mnt;

	if (cg_find(rel, sizeof(rel), &mnt) < 0) {
		return -1;
	}
	snprintf(dir, cap, "%s%s", mnt, rel);
	return 0;
}
