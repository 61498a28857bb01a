/* SPDX-License-Identifier: Apache-2.0 */
#include "repeat.h"

#include <errno.h>

#include "goshim/record.h"

#define RP_MODS GOSHIM_FRAMES_MAX /* modules a record names, at most */

static const uint16_t rp_ident[] = {
	GOSHIM_T_TIME_REAL, GOSHIM_T_TIME_MONO, GOSHIM_T_PID, GOSHIM_T_TID, GOSHIM_T_PPID,
};

/* Fields a repeat keeps besides the identity: what makes it readable when
 * its original is gone. */
static const uint16_t rp_kept[] = { GOSHIM_T_CALL, GOSHIM_T_ERRNO, GOSHIM_T_ABSPATH };

static int rp_in(uint16_t tag, const uint16_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i] == tag) {
			return 1;
		}
	}
	return 0;
}

int gs_repeat_ident_tag(uint16_t tag)
{
	return rp_in(tag, rp_ident, sizeof(rp_ident) / sizeof(rp_ident[0]));
}

static uint64_t rp_mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ull;
	}
	return h;
}

static uint64_t rp_get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

struct rp_mod {
	uint64_t start, end, bias;
};

/* The modules of the payload, in order (at most RP_MODS). */
static unsigned rp_mods(const uint8_t *payload, size_t len, struct rp_mod *m)
{
	struct gs_tlv_field f;
	size_t off = 0;
	unsigned n = 0;

	while (n < RP_MODS && gs_tlv_next(payload, len, &off, &f) == 1) {
		if (f.tag == GOSHIM_T_MODULE && f.len >= sizeof(struct goshim_t_module)) {
			m[n].start = rp_get64(f.val + offsetof(struct goshim_t_module, start));
			m[n].end = rp_get64(f.val + offsetof(struct goshim_t_module, end));
			m[n].bias = rp_get64(f.val + offsetof(struct goshim_t_module, bias));
			n++;
		}
	}
	return n;
}

/* Whether the failure is about space: then the free space in its
 * EV_STATFS is part of the failure, else it is the moment's. */
static int rp_space(const uint8_t *payload, size_t len)
{
	struct gs_tlv_field f;
	size_t off = 0;
	int32_t err = 0;

	while (gs_tlv_next(payload, len, &off, &f) == 1) {
		if (f.tag == GOSHIM_T_ERRNO && gs_tlv_get_i32(&f, &err) == 0) {
			return err == ENOSPC || err == EDQUOT;
		}
	}
	return 0;
}

uint64_t gs_repeat_key(const uint8_t *payload, size_t len)
{
	struct rp_mod m[RP_MODS];
	unsigned nm = rp_mods(payload, len, m);
	int space = rp_space(payload, len);
	uint64_t h = 0xcbf29ce484222325ull;
	struct gs_tlv_field f;
	size_t off = 0;

	while (gs_tlv_next(payload, len, &off, &f) == 1) {
		if (gs_repeat_ident_tag(f.tag)) {
			continue;
		}
		h = rp_mix(h, &f.tag, sizeof(f.tag));
		if (f.tag == GOSHIM_T_FRAME && f.len == 8) {
			uint64_t pc = rp_get64(f.val);
			uint32_t k = 0;

			while (k < nm && !(pc >= m[k].start && pc < m[k].end)) {
				k++;
			}
			if (k < nm) {
				pc -= m[k].bias;
			}
			h = rp_mix(h, &k, sizeof(k));
			h = rp_mix(h, &pc, sizeof(pc));
		} else if (f.tag == GOSHIM_T_EV_STATFS && f.len == sizeof(struct goshim_t_statfs) &&
			   !space) {
			/* the filesystem, not how full it was at that moment */
			h = rp_mix(h, f.val, offsetof(struct goshim_t_statfs, bavail));
			h = rp_mix(h, f.val + offsetof(struct goshim_t_statfs, bsize), 8);
		} else if (f.tag == GOSHIM_T_MODULE && f.len >= sizeof(struct goshim_t_module)) {
			size_t skip = offsetof(struct goshim_t_module, build_id_len);
			h = rp_mix(h, f.val + skip, f.len - skip);
		} else {
			h = rp_mix(h, f.val, f.len);
		}
	}
	return h ? h : 1;
}

void gs_repeat_put(struct gs_tlv *t, const uint8_t *payload, size_t len, uint64_t orig)
{
	struct gs_tlv_field f;
	size_t off = 0;
	int has_abs = 0;

	while (gs_tlv_next(payload, len, &off, &f) == 1) {
		has_abs |= f.tag == GOSHIM_T_ABSPATH;
	}
	off = 0;
	while (gs_tlv_next(payload, len, &off, &f) == 1) {
		if (gs_repeat_ident_tag(f.tag) ||
		    rp_in(f.tag, rp_kept, sizeof(rp_kept) / sizeof(rp_kept[0])) ||
		    (f.tag == GOSHIM_T_PATH && !has_abs)) {
			gs_tlv_put(t, f.tag, f.val, f.len);
		}
	}
	gs_tlv_u64(t, GOSHIM_T_REPEAT_OF, orig);
}
