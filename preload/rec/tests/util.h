/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the recorder tests: a private ring, reading it back. */
#ifndef GS_REC_TEST_UTIL_H
#define GS_REC_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "ring_read.h"
#include "tlv.h"

/* Make a private temp dir, point GOSHIM_RING into it and run gs_setup().
 * Returns the dir (static storage). */
const char *rt_setup(void);

/* Load the ring written by this test (cr_assert on failure). */
void rt_load(struct gs_ring_reader *r);

/* The n-th (0-based) record of type `type` whose T_PID is pid (0: any),
 * or NULL. */
const struct gs_rec *rt_find(const struct gs_ring_reader *r, uint16_t type,
			     uint32_t pid, unsigned n);

/* The n-th field with tag in rec, or 0 when absent. */
int rt_field(const struct gs_rec *rec, uint16_t tag, unsigned n, struct gs_tlv_field *f);

/* Field as a u32/u64/i32 (cr_assert that it exists and has that size). */
uint32_t rt_u32(const struct gs_rec *rec, uint16_t tag);
uint64_t rt_u64(const struct gs_rec *rec, uint16_t tag);
int32_t rt_i32(const struct gs_rec *rec, uint16_t tag);

/* Field as a NUL-terminated string in a static buffer ("" when absent). */
const char *rt_str(const struct gs_rec *rec, uint16_t tag, unsigned n);

/* Count fields with tag. */
unsigned rt_count(const struct gs_rec *rec, uint16_t tag);

#endif
