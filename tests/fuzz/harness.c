/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "tlv.h"

#define FZ_CHECK(cond) do { if (!(cond)) { abort(); } } while (0)

static const void *fz_dict(uint32_t id, size_t *len)
{
	static const char dict[] = "goshim fuzz dictionary: open stat exec mmap";

	if (id != 1) {
		return NULL;
	}
	*len = sizeof(dict) - 1;
	return dict;
}

static void fz_walk_tlv(const uint8_t *p, size_t len)
{
	struct gs_tlv_field f;
	size_t off = 0, n = 0;
	uint64_t u64;
	uint32_t u32;
	int ret;

	while ((ret = gs_tlv_next(p, len, &off, &f)) == 1) {
		FZ_CHECK(f.val >= p && f.val + f.len <= p + len);
		FZ_CHECK(off <= len);
		(void)gs_tlv_get_u64(&f, &u64);
		(void)gs_tlv_get_u32(&f, &u32);
		n++;
	}
	FZ_CHECK(ret == 0 || ret == -1);
	FZ_CHECK(n <= len / 4);
}

size_t gs_fuzz_one(const uint8_t *buf, size_t len, struct gs_ring_reader *keep)
{
	struct gs_ring_reader local;
	struct gs_ring_reader *r = keep ? keep : &local;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->dict_lookup = fz_dict;
	FZ_CHECK(gs_ring_load_mem(r, buf, len) == 0);
	FZ_CHECK(r->nissues <= sizeof(r->issues) / sizeof(r->issues[0]));
	for (size_t i = 0; i < r->nissues; i++) {
		FZ_CHECK(memchr(r->issues[i].msg, 0, sizeof(r->issues[i].msg)) != NULL);
		FZ_CHECK(r->issues[i].msg[0] != 0);
	}
	FZ_CHECK(r->nrecs <= len / GOSHIM_RING_GRANULE);
	/* merged by time across lanes, in position order within one */
	uint64_t next[GOSHIM_RING_LANES_MAX] = { 0 };
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct gs_rec *rec = &r->recs[i];
		FZ_CHECK(rec->lane < GOSHIM_RING_LANES_MAX);
		FZ_CHECK(rec->pos >= next[rec->lane]);
		next[rec->lane] = rec->pos + 1;
		FZ_CHECK((rec->payload == NULL) != (rec->error == NULL));
		FZ_CHECK(rec->count >= 1);
		FZ_CHECK(rec->raw_len <= GOSHIM_REC_RAW_MAX);
		if (rec->payload) {
			fz_walk_tlv(rec->payload, rec->raw_len);
		} else {
			FZ_CHECK(strlen(rec->error) > 0);
		}
	}
	FZ_CHECK(r->hdr_ok || gs_ring_lost(r) == 0);
	n = r->nrecs;
	if (!keep) {
		gs_ring_unload(r);
	}
	return n;
}
