/* SPDX-License-Identifier: Apache-2.0 */
/* Reader side of cross-process repeats (common/repeat.h): for the ring
 * reader, which may allocate. */
#ifndef GS_REPEAT_READ_H
#define GS_REPEAT_READ_H

#include <stddef.h>
#include <stdint.h>

/* 1 and *orig when the payload carries GOSHIM_T_REPEAT_OF, else 0. */
int gs_repeat_of(const uint8_t *payload, size_t len, uint64_t *orig);

/* The whole failure a repeat stands for: every field of the repeat, then
 * every field of the original whose tag the repeat does not carry, in the
 * original's order (its evidence, backtrace, modules, exe).  -1 when orig
 * is not the repeat's original (itself a repeat, or CALL, ERRNO, ABSPATH
 * or PATH differ) or the result would exceed GOSHIM_REC_RAW_MAX; else 0
 * and a new buffer in *out (malloc) of *out_len bytes. */
int gs_repeat_expand(const uint8_t *rep, size_t rep_len, const uint8_t *orig,
		     size_t orig_len, uint8_t **out, size_t *out_len);

#endif
