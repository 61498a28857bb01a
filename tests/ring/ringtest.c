/* SPDX-License-Identifier: Apache-2.0 */
#include "ringtest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "crc32c.h"
#include "goshim/record.h"
#include "tlv.h"

#define RT_T_SEQ    GOSHIM_T_TIME_MONO
#define RT_T_WRITER GOSHIM_T_PID
#define RT_T_FILL   GOSHIM_T_NOTE
#define RT_T_CHECK  GOSHIM_T_ERRNO

size_t rt_payload(uint8_t *buf, size_t cap, uint32_t writer, uint64_t seq, size_t filler)
{
	struct gs_tlv t;
	char fill[GOSHIM_STR_MAX + 1];
	uint64_t st = seq * 31 + writer + 1;

	if (filler > GOSHIM_STR_MAX) {
		filler = GOSHIM_STR_MAX;
	}
	for (size_t i = 0; i < filler; i++) {
		fill[i] = (char)('a' + rt_rand(&st) % 26);
	}
	fill[filler] = 0;
	gs_tlv_init(&t, buf, cap);
	gs_tlv_u32(&t, RT_T_WRITER, writer);
	gs_tlv_u64(&t, RT_T_SEQ, seq);
	gs_tlv_str(&t, RT_T_FILL, fill);
	gs_tlv_u32(&t, RT_T_CHECK, gs_crc32c(0, buf, t.len));
	cr_assert(!t.full, "test payload did not fit");
	return t.len;
}

int rt_check(const uint8_t *buf, size_t len, uint32_t *writer, uint64_t *seq)
{
	struct gs_tlv_field f;
	size_t off = 0, before = 0;
	int got = 0;
	uint32_t check;

	while (gs_tlv_next(buf, len, &off, &f) == 1) {
		if (f.tag == RT_T_WRITER && !gs_tlv_get_u32(&f, writer)) {
			got |= 1;
		} else if (f.tag == RT_T_SEQ && !gs_tlv_get_u64(&f, seq)) {
			got |= 2;
		} else if (f.tag == RT_T_CHECK && !gs_tlv_get_u32(&f, &check)) {
			if (off != len || check != gs_crc32c(0, buf, before)) {
				return -1;
			}
			return got == 3 ? 0 : -1;
		}
		before = off;
	}
	return -1;
}

int64_t rt_write_type(struct gs_ring *r, uint16_t type, uint32_t writer, uint64_t seq,
		      size_t filler)
{
	uint8_t raw[GOSHIM_REC_RAW_MAX];
	size_t n = rt_payload(raw, sizeof(raw), writer, seq, filler);

	return tl_ring_put(r, type, seq % 3 == 1 ? GOSHIM_CODEC_ZSTD : GOSHIM_CODEC_RAW,
			   GOSHIM_ENGINE_PRELOAD, raw, n, 1);
}

int64_t rt_write(struct gs_ring *r, uint32_t writer, uint64_t seq, size_t filler)
{
	return rt_write_type(r, GOSHIM_REC_EVENT, writer, seq, filler);
}

const char *rt_ring_at(struct gs_ring *r, char *path, size_t size, uint64_t data_size)
{
	const char *d = rt_tmpdir();

	snprintf(path, size, "%s/ring", d);
	tl_ring_new(r, path, data_size);
	return d;
}

uint64_t rt_make_ring(const char *path, uint64_t n, uint64_t seed)
{
	struct gs_ring r;
	uint64_t head;

	cr_assert_eq(gs_ring_attach(&r, path, GOSHIM_RING_MIN_DATA, 0600, 0), 0);
	for (uint64_t s = 0; s < n; s++) {
		size_t fill = rt_rand(&seed) % 10 == 0 ? 900 : rt_rand(&seed) % 200;
		cr_assert_geq(rt_write(&r, 1, s, fill), 0);
	}
	head = r.hdr->head;
	gs_ring_detach(&r);
	return head;
}

struct gs_lane rt_lane(const struct gs_ring *r, unsigned lane)
{
	struct gs_lane l[GOSHIM_RING_LANES_MAX];
	unsigned n = gs_ring_lanes(r->hdr, r->size, l);

	return l[lane < n ? lane : 0];
}
