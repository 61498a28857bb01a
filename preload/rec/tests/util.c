/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goshim/record.h"
#include "gs.h"

static char rt_dir[256];
static char rt_ring[300];

const char *rt_setup(void)
{
	snprintf(rt_dir, sizeof(rt_dir), "/tmp/goshim-rec-test.XXXXXX");
	cr_assert_not_null(mkdtemp(rt_dir), "mkdtemp: %m");
	snprintf(rt_ring, sizeof(rt_ring), "%s/ring", rt_dir);
	setenv("GOSHIM_RING", rt_ring, 1);
	setenv("GOSHIM_RING_SIZE", "256k", 1);
	gs_setup();
	return rt_dir;
}

void rt_load(struct gs_ring_reader *r)
{
	memset(r, 0, sizeof(*r));
	cr_assert_eq(gs_ring_load(r, rt_ring), 0, "cannot load %s", rt_ring);
}

int rt_field(const struct gs_rec *rec, uint16_t tag, unsigned n, struct gs_tlv_field *f)
{
	size_t off = 0;

	if (!rec->payload) {
		return 0;
	}
	while (gs_tlv_next(rec->payload, rec->raw_len, &off, f) == 1) {
		if (f->tag == tag && n-- == 0) {
			return 1;
		}
	}
	return 0;
}

const struct gs_rec *rt_find(const struct gs_ring_reader *r, uint16_t type,
			     uint32_t pid, unsigned n)
{
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct gs_rec *x = &r->recs[i];
		if (x->type != type || (pid && rt_u32(x, GOSHIM_T_PID) != pid)) {
			continue;
		}
		if (n-- == 0) {
			return x;
		}
	}
	return NULL;
}

static void rt_get(const struct gs_rec *rec, uint16_t tag, void *v, size_t len)
{
	struct gs_tlv_field f;

	cr_assert(rt_field(rec, tag, 0, &f), "tag %u missing", tag);
	cr_assert_eq(f.len, len, "tag %u has length %u, want %zu", tag, f.len, len);
	memcpy(v, f.val, len);
}

uint32_t rt_u32(const struct gs_rec *rec, uint16_t tag)
{
	uint32_t v;

	rt_get(rec, tag, &v, sizeof(v));
	return v;
}

uint64_t rt_u64(const struct gs_rec *rec, uint16_t tag)
{
	uint64_t v;

	rt_get(rec, tag, &v, sizeof(v));
	return v;
}

int32_t rt_i32(const struct gs_rec *rec, uint16_t tag)
{
	int32_t v;

	rt_get(rec, tag, &v, sizeof(v));
	return v;
}

const char *rt_str(const struct gs_rec *rec, uint16_t tag, unsigned n)
{
	static char buf[4][4200];
	static unsigned next;
	struct gs_tlv_field f;
	char *b = buf[next++ % 4];

	b[0] = 0;
	if (rt_field(rec, tag, n, &f)) {
		memcpy(b, f.val, f.len);
		b[f.len] = 0;
	}
	return b;
}

unsigned rt_count(const struct gs_rec *rec, uint16_t tag)
{
	struct gs_tlv_field f;
	unsigned n = 0;

	while (rt_field(rec, tag, n, &f)) {
		n++;
	}
	return n;
}
