/* SPDX-License-Identifier: Apache-2.0 */
#include "tlv.h"

#include "goshim/record.h"
#include "tags.h"

static void tlv_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint64_t tlv_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

/* Room kept at the end of the buffer for GOSHIM_T_TRUNCATED. */
#define TLV_KEEP 8u

void gs_tlv_init(struct gs_tlv *t, void *buf, size_t cap)
{
	t->buf = buf;
	t->cap = buf ? cap : 0;
	t->len = 0;
	t->truncated = 0;
	t->full = 0;
}

int gs_tlv_put(struct gs_tlv *t, uint16_t tag, const void *val, size_t len)
{
	const uint8_t *v = val;

	size_t keep = tag == GOSHIM_T_TRUNCATED ? 0 : TLV_KEEP;

	if (len > 0xffff || t->len > t->cap || t->cap - t->len < keep + 4 + len) {
		t->full = 1;
		if (tag != GOSHIM_T_TRUNCATED) {
			gs_tlv_mark_truncated(t, tag);
		}
		return -1;
	}
	uint8_t *p = t->buf + t->len;
	tlv_le(p, tag, 2);
	tlv_le(p + 2, len, 2);
	if (len > 0) {
		__builtin_memcpy(p + 4, v, len);
	}
	t->len += 4 + len;
	return 0;
}

static int tlv_int(struct gs_tlv *t, uint16_t tag, uint64_t v, unsigned n)
{
	uint8_t b[8];

	tlv_le(b, v, n);
	return gs_tlv_put(t, tag, b, n);
}

int gs_tlv_u32(struct gs_tlv *t, uint16_t tag, uint32_t v)
{
	return tlv_int(t, tag, v, 4);
}

int gs_tlv_i32(struct gs_tlv *t, uint16_t tag, int32_t v)
{
	return tlv_int(t, tag, (uint32_t)v, 4);
}

int gs_tlv_u64(struct gs_tlv *t, uint16_t tag, uint64_t v)
{
	return tlv_int(t, tag, v, 8);
}

int gs_tlv_i64(struct gs_tlv *t, uint16_t tag, int64_t v)
{
	return tlv_int(t, tag, (uint64_t)v, 8);
}

/* The bit of each tag that can be cut short is its tbit column of
 * GOSHIM_TAGS (record.h): part of the file format. */
uint32_t gs_tlv_trunc_bit(uint16_t tag)
{
	const struct gs_tag_info *i = gs_tag_info(tag);

	return i && i->tbit >= 0 ? 1u << i->tbit : GS_TLV_TRUNC_OTHER;
}

uint16_t gs_tlv_trunc_tag(unsigned bit)
{
	for (size_t i = 0; bit < 31 && i < gs_ntags; i++) {
		if (gs_tags[i].tbit == (int)bit) {
			return gs_tags[i].tag;
		}
	}
	return 0;
}

void gs_tlv_mark_truncated(struct gs_tlv *t, uint16_t tag)
{
	t->truncated |= gs_tlv_trunc_bit(tag);
}

int gs_tlv_str(struct gs_tlv *t, uint16_t tag, const char *s)
{
	size_t n = 0;

	if (!s) {
		return 0;
	}
	while (n < GOSHIM_STR_MAX && s[n]) {
		n++;
	}
	if (n == GOSHIM_STR_MAX && s[n]) {
		gs_tlv_mark_truncated(t, tag);
	}
	return gs_tlv_put(t, tag, s, n);
}

void gs_tlv_finish(struct gs_tlv *t)
{
	if (t->truncated) {
		gs_tlv_u32(t, GOSHIM_T_TRUNCATED, t->truncated);
	}
}

int gs_tlv_next(const uint8_t *buf, size_t len, size_t *off, struct gs_tlv_field *f)
{
	size_t o = *off;

	if (o >= len) {
		return 0;
	}
	if (len - o < 4) {
		return -1;
	}
	uint16_t flen = (uint16_t)tlv_get_le(buf + o + 2, 2);
	if (len - o - 4 < flen) {
		return -1;
	}
	f->tag = (uint16_t)tlv_get_le(buf + o, 2);
	f->len = flen;
	f->val = buf + o + 4;
	*off = o + 4 + flen;
	return 1;
}

static int tlv_get(const struct gs_tlv_field *f, uint64_t *v, unsigned n)
{
	if (f->len != n) {
		return -1;
	}
	*v = tlv_get_le(f->val, n);
	return 0;
}

int gs_tlv_get_u32(const struct gs_tlv_field *f, uint32_t *v)
{
	uint64_t x;

	if (tlv_get(f, &x, 4)) {
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

int gs_tlv_get_i32(const struct gs_tlv_field *f, int32_t *v)
{
	uint64_t x;

	if (tlv_get(f, &x, 4)) {
		return -1;
	}
	*v = (int32_t)(uint32_t)x;
	return 0;
}

int gs_tlv_get_u64(const struct gs_tlv_field *f, uint64_t *v)
{
	return tlv_get(f, v, 8);
}

int gs_tlv_get_i64(const struct gs_tlv_field *f, int64_t *v)
{
	uint64_t x;

	if (tlv_get(f, &x, 8)) {
		return -1;
	}
	*v = (int64_t)x;
	return 0;
}
