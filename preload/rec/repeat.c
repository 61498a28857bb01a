/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A failure another process already recorded whole (every cc1 of a build
 * searching the same missing paths) is written as a short repeat naming
 * that record, found through the ring's shared index (common/repeat.h,
 * goshim/ring.h).  The whole payload is built first either way: the key
 * covers its evidence and backtrace, so a repeat is only ever written for
 * a failure whose whole record would have said the same.
 */
#include "rec.h"

#include "repeat.h"

int64_t gs_event_emit(struct gs_slot *s, struct gs_tlv *t)
{
	uint64_t key, orig;
	struct gs_tlv r;
	int64_t pos;

	gs_tlv_finish(t);
	key = gs_repeat_key(s->raw, t->len);
	if (gs_ring_repeat_find(&gs_rec.ring, key, &orig) != 0) {
		pos = gs_rec_write(s, GOSHIM_REC_EVENT, t->len);
		if (pos >= 0) {
			gs_ring_repeat_store(&gs_rec.ring, key, (uint64_t)pos);
		}
		return pos;
	}
	/* built in s->work, then moved to s->raw, where gs_rec_write takes it */
	gs_tlv_init(&r, s->work, sizeof(s->work));
	gs_repeat_put(&r, s->raw, t->len, orig);
	gs_tlv_finish(&r);
	for (size_t i = 0; i < r.len; i++) {
		s->raw[i] = s->work[i];
	}
	pos = gs_rec_write(s, GOSHIM_REC_EVENT, r.len);
	if (pos >= 0) {
		gs_ring_count_repeat(&gs_rec.ring);
	}
	return pos;
}
