/* SPDX-License-Identifier: Apache-2.0 */
/* The pids cgroup of this process: where its pids.max, pids.current and
 * pids.events are (cgroup v1's `pids` hierarchy at /sys/fs/cgroup/pids,
 * else cgroup2 at /sys/fs/cgroup/unified or /sys/fs/cgroup).  Used by the
 * trace engine (refusals during a run) and doctor (the room left). */
#ifndef GS_CGPIDS_H
#define GS_CGPIDS_H

#include <stddef.h>

/* The cgroup's directory into dir: 0, or -1 when there is none to read. */
int gs_cgpids_dir(char *dir, size_t cap);

/* dir/file into buf (its last newline dropped): 0, or -1. */
int gs_cgpids_read(const char *dir, const char *file, char *buf, size_t cap);

#endif
