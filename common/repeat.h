/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cross-process repeats (format: GOSHIM_T_REPEAT_OF in goshim/record.h).
 *
 * Every compiler process of a build fails the same lookups: gcc, cc1, as
 * and ld search the same missing paths from the same code.  The first
 * EVENT of such a failure is written whole; a later one from another
 * process, while that record is in the newer half of the routine lane, is
 * written as a short EVENT that names it: its own identity, the call, the
 * errno, the path and GOSHIM_T_REPEAT_OF.  A reader expands it back into
 * the whole failure (gs_repeat_expand); when the original was overwritten
 * meanwhile, the repeat still says who failed what on which path, without
 * the evidence and the backtrace.
 *
 * Writer side: pure functions over a payload, no allocation, no libc, safe
 * in a signal handler or a vfork child.
 */
#ifndef GS_REPEAT_H
#define GS_REPEAT_H

#include <stddef.h>
#include <stdint.h>

#include "tlv.h"

/* The failure's identity across processes: a hash of the EVENT payload
 * without its identity fields (times, pid, tid, ppid), with each frame
 * made relative to the module it falls in (module path and build-id,
 * pc - load bias) and each module without its addresses.  Two processes
 * of the same program failing the same call on the same path with the
 * same errno, evidence and backtrace get the same key whatever their
 * address-space layout.  The free blocks and inodes of EV_STATFS are left
 * out (the moment's, not the failure's) unless the errno is ENOSPC or
 * EDQUOT: a repeat's expansion shows its original's.  Never 0. */
uint64_t gs_repeat_key(const uint8_t *payload, size_t len);

/* Encode into t the repeat of the EVENT payload[0..len) that was written
 * whole at routine-lane position orig: its identity fields, CALL, ERRNO,
 * ABSPATH (PATH when it has none) and GOSHIM_T_REPEAT_OF = orig.  t was
 * gs_tlv_init'ed by the caller. */
void gs_repeat_put(struct gs_tlv *t, const uint8_t *payload, size_t len, uint64_t orig);

/* Whether tag is one of a record's identity fields, which a repeat
 * carries itself. */
int gs_repeat_ident_tag(uint16_t tag);

#endif
