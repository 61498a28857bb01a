/* SPDX-License-Identifier: Apache-2.0 */
/* Opening files a ring names (module paths of recorded backtraces) with
 * no more rights than the ring's writer had, and without side effects. */
#ifndef GS_CTL_FILEAS_H
#define GS_CTL_FILEAS_H

#include <sys/stat.h>
#include <sys/types.h>

/* Whose rights a file named by a ring is opened with. */
struct gs_as {
	int other;     /* 1: uid/gid below, not the invoking user's */
	uid_t uid;
	gid_t gid;
};

/* The identity to open a ring's paths as, from the ring file's stat: its
 * owner and group; nobody (65534) when others may write it (anyone may
 * have written its records), nobody with its group when its group may.
 * as->other is 0 when that is the invoking user, or when the invoker has
 * no privilege to take it (an unprivileged user opens as itself: never
 * more than it could read anyway). */
void gs_as_of_ring(const struct stat *ring, struct gs_as *as);

/* Take as's fsuid, fsgid and groups on the calling thread (raw system
 * calls: other threads keep theirs).  1: taken, 0: nothing to do, -1:
 * cannot be taken (nothing may then be opened). */
int gs_as_enter(const struct gs_as *as);
/* Come back from gs_as_enter's 1. */
void gs_as_leave(void);

/* Open path for reading as as (NULL: as the invoker), a regular file
 * only: an O_PATH descriptor first (no FIFO is opened, no driver run,
 * nothing blocks), then the same inode reopened O_RDONLY | O_NONBLOCK |
 * O_NOCTTY | O_CLOEXEC.  fd, or -1 with errno (EINVAL: not a regular
 * file; EPERM: as's rights could not be taken). */
int gs_open_as(const char *path, const struct gs_as *as);

#endif
