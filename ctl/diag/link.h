/* SPDX-License-Identifier: Apache-2.0 */
/* How a failure is linked to the exit that failed the run.  A failed run
 * is a chain of non-zero exits (m.test exit 1, then go exit 1); its origin
 * is the failing process none of whose children failed: what went wrong
 * there is the cause, what went wrong in the processes above it only came
 * along (go's own failed cache writes, while its exit 1 is m.test's). */
#ifndef GS_DIAG_LINK_H
#define GS_DIAG_LINK_H

#include <stdint.h>

#include "model.h"

/* Ordered: a higher link ranks a finding first (classify.h). */
enum gs_link {
	GS_LINK_SURVIVED = 0, /* its process exited 0, or something above it
			       * survived its failed exit                   */
	GS_LINK_RELAY = 1,    /* its process failed the run only after one of
			       * its children had failed                    */
	GS_LINK_UNKNOWN = 2,  /* not known: no process record, exit not
			       * recorded, records lost                     */
	GS_LINK_CAUSE = 3,    /* its process is the origin of a failed run  */
};

/* The link of a failure made by pid: judged by pid's own exit, or, while
 * that is not known (a fork child whose exec failed and that never ran),
 * by its parent's.  For GS_LINK_CAUSE, *origin (may be NULL) gets the pid
 * of the origin. */
enum gs_link gs_link_of(const struct gs_model *m, uint32_t pid, uint32_t *origin);

/* Did the run in which pid failed pass, on positive evidence: the
 * top of pid's recorded tree (the process whose parent is not in the
 * ring: the command goshimctl run traced) has an EXIT record with status
 * 0, and no process from pid up to it has one with another status.  0
 * wherever that is not shown: no EXIT record of the top (the preload
 * records no exit of the process it was started in; a ring made by hand),
 * process records lost to wrap-around (the top found may not be the top),
 * pid not in the ring.  Returns the top's pid, or 0. */
uint32_t gs_link_passed(const struct gs_model *m, uint32_t pid);

/* "cause", "relay", "unknown", "survived": the JSON name of l. */
const char *gs_link_name(enum gs_link l);

#endif
