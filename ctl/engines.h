/* SPDX-License-Identifier: Apache-2.0 */
/* Before reading a ring: wait for the trace engines still writing it. */
#ifndef GS_CTL_ENGINES_H
#define GS_CTL_ENGINES_H

/* Wait (up to GS_ENGINES_WAIT_MS) until no trace engine holds ring
 * (common/ring_lock.h): an engine writes a process's EXIT record only
 * after the process was reaped, a moment after a job ends.  Not from
 * inside a tree goshim supervises, whose engine is still running by
 * definition.  Says so on stderr when the deadline passes. */
void gs_ctl_wait_engines(const char *ring);

#define GS_ENGINES_WAIT_MS 5000

#endif
