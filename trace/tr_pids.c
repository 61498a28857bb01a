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

#include "cgpids.h"
#include "tr.h"

#define PD_DEPTH 16

static char pd_dir[PD_DEPTH][PATH_MAX];  /* the cgroup first, then up    */
static long pd_max0[PD_DEPTH];          /* pids.events `max` at start    */
static int pd_n;

/* pids.events' `max N` (-1: none) */
static long pd_events_max(const char *dir)
{
	char b[256], *m;

	if (gs_cgpids_read(dir, "pids.events", b, sizeof(b)) < 0 || !(m = strstr(b, "max "))) {
		return -1;
	}
	return strtol(m + 4, NULL, 10);
}

void tr_pids_start(void)
{
	char dir[PATH_MAX];

	pd_n = 0;
	if (gs_cgpids_dir(dir, sizeof(dir)) < 0) {
		return;
	}
	/* the cgroup and its ancestors: a limit above counts there */
	while (pd_n < PD_DEPTH) {
		snprintf(pd_dir[pd_n], sizeof(pd_dir[pd_n]), "%s", dir);
		pd_max0[pd_n] = pd_events_max(pd_dir[pd_n]);
		if (pd_max0[pd_n] >= 0) {
			pd_n++;
		}
		char *sl = strrchr(dir, '/');

		if (!sl || strncmp(dir, "/sys/fs/cgroup/", 15) != 0 || sl - dir < 15) {
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
		gs_cgpids_read(pd_dir[i], "pids.max", max, sizeof(max));
		gs_cgpids_read(pd_dir[i], "pids.current", cur, sizeof(cur));
		tr_note(root, "pids-limit: %ld thread or process creations refused by pids.max %s "
			"of the cgroup %s (pids.current %s at the end)",
			now - pd_max0[i], max, pd_dir[i], cur);
		return;
	}
}
