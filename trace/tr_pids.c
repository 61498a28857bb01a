/* SPDX-License-Identifier: Apache-2.0 */
/* The pids cgroup limit, seen from outside the calls: the engine reads
 * the `max` counter of pids.events (the forks and clones refused by that
 * cgroup's pids.max) of its own pids cgroup and each ancestor before the
 * command starts and after it ended; a counter that grew makes a NOTE
 * `pids-limit: ...` with the cgroup, its pids.max and pids.current.
 * Two reads per cgroup per run: it works without the in-kernel watcher,
 * where clone, fork and vfork are not watched (a notification per thread
 * or process created would cost every program), and it names the limit
 * the failures met.  cgroup v1 (the `pids` hierarchy) and v2 alike. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr.h"

#define PD_DEPTH 16

static const char *const pd_mounts[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified",
					 "/sys/fs/cgroup" };

static char pd_dir[PD_DEPTH][PATH_MAX];  /* the cgroup first, then up    */
static long pd_max0[PD_DEPTH];          /* pids.events `max` at start    */
static int pd_n;

static int pd_read(const char *dir, const char *file, char *buf, size_t cap)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		return -1;
	}
	ssize_t n = read(fd, buf, cap - 1);

	close(fd);
	if (n < 0) {
		return -1;
	}
	buf[n] = 0;
	if (strcmp(file, "pids.events") != 0) {
		buf[strcspn(buf, "\n")] = 0;
	}
	return 0;
}

/* pids.events' `max N` (-1: none) */
static long pd_events_max(const char *dir)
{
	char b[256], *m;

	if (pd_read(dir, "pids.events", b, sizeof(b)) < 0 || !(m = strstr(b, "max "))) {
		return -1;
	}
	return strtol(m + 4, NULL, 10);
}

/* This process's path in the pids hierarchy (v1 `N:pids:/p`, or v2
 * `0::/p`), and where that hierarchy is mounted. */
static int pd_find(char *rel, size_t cap, const char **mnt)
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
	for (size_t i = 0; i < sizeof(pd_mounts) / sizeof(pd_mounts[0]); i++) {
		char p[PATH_MAX * 2];

		if (!v1 && i == 0) {
			continue;
		}
		snprintf(p, sizeof(p), "%s%s/pids.events", pd_mounts[i], v1 && i == 0 ? rel : v2p);
		if (access(p, R_OK) == 0) {
			if (i > 0) {
				snprintf(rel, cap, "%s", v2p);
			}
			*mnt = pd_mounts[i];
			return 0;
		}
	}
	return -1;
}

void tr_pids_start(void)
{
	char rel[PATH_MAX];
	const char *mnt;

	pd_n = 0;
	if (pd_find(rel, sizeof(rel), &mnt) < 0) {
		return;
	}
	/* the cgroup and its ancestors: a limit above counts there */
	while (pd_n < PD_DEPTH) {
		snprintf(pd_dir[pd_n], sizeof(pd_dir[pd_n]), "%s%s", mnt, rel);
		pd_max0[pd_n] = pd_events_max(pd_dir[pd_n]);
		if (pd_max0[pd_n] >= 0) {
			pd_n++;
		}
		char *sl = strrchr(rel, '/');

		if (!sl || sl == rel) {
			break;
		}
		*sl = 0;
	}
}

void tr_pids_end(pid_t root)
{
	for (int i = 0; i < pd_n; i++) {
		long now = pd_events_max(pd_dir[i]);
		char max[64] = "?", cur[64] = "?";

		if (now <= pd_max0[i]) {
			continue;
		}
		pd_read(pd_dir[i], "pids.max", max, sizeof(max));
		pd_read(pd_dir[i], "pids.current", cur, sizeof(cur));
		tr_note(root, "pids-limit: %ld thread or process creations refused by pids.max %s "
			"of the cgroup %s (pids.current %s at the end)",
			now - pd_max0[i], max, pd_dir[i], cur);
		return;
	}
}
