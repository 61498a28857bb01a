/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's ring: attached once, refused with one sentence, guarded
 * against being cut short. */
#ifndef GS_TR_RING_H
#define GS_TR_RING_H

#include "ring_write.h"
#include "trace.h"

/* Attach r to o->ring_path (gs_ring_attach, mode 0600).  When the ring is
 * refused, say why once on stderr, naming its owner when it belongs to
 * another user, and that nothing is recorded (the command runs anyway).
 * When it is attached, install a SIGBUS guard over its mapping: should
 * the ring's owner (the same uid, or root) truncate it while the engine
 * runs, the engine's next store into a page that no longer exists does
 * not kill it; the mapping becomes anonymous memory, what is written
 * after that is lost, and one line on stderr says so.  Returns
 * gs_ring_attach's result. */
int tr_ring_open(struct gs_ring *r, const struct gs_trace_opts *o);

#endif
