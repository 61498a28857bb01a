/* SPDX-License-Identifier: Apache-2.0 */
/* A run of goshimctl run or the go shim: joined when the environment
 * names one, else started with a fresh ring. */
#ifndef GS_CTL_RUNSTART_H
#define GS_CTL_RUNSTART_H

/* Join the run $GOSHIM_RUN names (common/runid.h), or start one: a new id
 * put into the environment, for the engine's records and the command's
 * processes.  Returns 1 when a run was started, 0 when one was joined. */
int gs_run_join(void);

/* Remove the ring at path if it is one of ours: a regular file (not a
 * symbolic link) owned by the effective uid that starts with the ring
 * magic.  Anything else (another user's ring, a file that is no ring) is
 * left alone; the writer's own checks then speak of it.  0 when there is
 * no ring at path any more, else -errno (-EEXIST: something that is not
 * our ring is there). */
int gs_run_fresh_ring(const char *path);

#endif
