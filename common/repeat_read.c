/* SPDX-License-Identifier: Apache-2.0 */
#include "repeat_read.h"

#include <stdlib.h>
#include <string.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tlv.h"

/* Fields a repeat carries that its original must hold the same. */
static const uint16_t rr_same[] = {
	GOSHIM_T_CALL, GOSHIM_T_ERRNO, GOSHIM_T_ABSPATH, GOSHIM_T_PATH,
};

/* The first field of tag in the payload; 0 when there is none. */
static int rp_find(const uint8_t *p, size_t len, uint16_t tag, struct gs_tlv_field *out)
{
	struct gs_tlv_field f;
	size_t off = 0;

	while (gs_tlv_next(p, len, &off, &f) == 1) {
		if (f.tag == tag) {
			*out = f;
			return 1;
		}
	}
	return 0;
}

int gs_repeat_of(const uint8_t *payload, size_t len, uint64_t *orig)
{
	struct gs_tlv_field f;

	return payload && rp_find(payload, len, GOSHIM_T_REPEAT_OF, &f) &&
	       gs_tlv_get_u64(&f, orig) == 0;
}

static int rp_matches(const uint8_t *rep, size_t rep_len, const uint8_t *orig,
		      size_t orig_len)
{
	struct gs_tlv_field a, b;

	if (rp_find(orig, orig_len, GOSHIM_T_REPEAT_OF, &b)) {
		return 0;
	}
	for (size_t i = 0; i < sizeof(rr_same) / sizeof(rr_same[0]); i++) {
		if (rp_find(rep, rep_len, rr_same[i], &a) &&
		    (!rp_find(orig, orig_len, rr_same[i], &b) || a.len != b.len ||
		     memcmp(a.val, b.val, a.len) != 0)) {
			return 0;
		}
	}
	return 1;
}

int gs_repeat_expand(const uint8_t *rep, size_t rep_len, const uint8_t *orig,
		     size_t orig_len, uint8_t **out, size_t *out_len)
{
	struct gs_tlv_field f, g;
	size_t off = 0, n;
	uint8_t *buf;

	if (!rp_matches(rep, rep_len, orig, orig_len) ||
	    rep_len + orig_len > GOSHIM_REC_RAW_MAX) {
		return -1;
	}
	buf = malloc(rep_len + orig_len + 1);
	if (!buf) {
		return -1;
	}
	memcpy(buf, rep, rep_len);
	n = rep_len;
	while (gs_tlv_next(orig, orig_len, &off, &f) == 1) {
		if (rp_find(rep, rep_len, f.tag, &g)) {
			continue;
		}
		memcpy(buf + n, f.val - 4, (size_t)f.len + 4);
		n += (size_t)f.len + 4;
	}
	*out = buf;
	*out_len = n;
	return 0;
}
