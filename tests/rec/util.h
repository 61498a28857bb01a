/* SPDX-License-Identifier: Apache-2.0 */
/* The recorder tests' helpers: a private ring, reading it back (the
 * rest of reading is tests/lib's). */
#ifndef GS_REC_TEST_UTIL_H
#define GS_REC_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goshim/record.h"
#include "gs.h"
#include "ring_read.h"
#include "tl_compat.h"
#include "tl_fs.h"
#include "tl_read.h"
#include "tlv.h"

/* This test's ring (rt_setup). */
static char rt_ring[300];

/* Make a private temp dir, point GOSHIM_RING into it and run gs_setup().
 * Returns the dir (static storage). */
static inline const char *rt_setup(void)
{
	const char *dir = tl_tmpdir("rec-test");

	snprintf(rt_ring, sizeof(rt_ring), "%s/ring", dir);
	setenv("GOSHIM_RING", rt_ring, 1);
	setenv("GOSHIM_RING_SIZE", "256k", 1);
	gs_setup();
	return dir;
}

/* rt_setup, and path := DIR/name. */
static inline void rt_setup_file(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", rt_setup(), name);
}

/* Load the ring written by this test (cr_assert on failure). */
static inline void rt_load(struct gs_ring_reader *r)
{
	memset(r, 0, sizeof(*r));
	cr_assert_eq(gs_ring_load(r, rt_ring), 0, "cannot load %s", rt_ring);
}

/* The n-th (0-based) record of type `type` whose T_PID is pid (0: any),
 * or NULL. */
static inline const struct gs_rec *rt_find(const struct gs_ring_reader *r, uint16_t type,
					   uint32_t pid, unsigned n)
{
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct gs_rec *x = &r->recs[i];

		if (x->type == type && (!pid || tl_u32(x, GOSHIM_T_PID) == pid) && n-- == 0) {
			return x;
		}
	}
	return NULL;
}

#endif
