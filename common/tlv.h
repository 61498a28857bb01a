/* SPDX-License-Identifier: Apache-2.0 */
/* TLV payload encoder and decoder (format: include/goshim/record.h).
 * The encoder writes into a caller-supplied buffer: no allocation, no libc
 * beyond memcpy, safe in a signal handler or a vfork child. */
#ifndef GS_TLV_H
#define GS_TLV_H

#include <stddef.h>
#include <stdint.h>

struct gs_tlv {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint32_t truncated; /* set when a string was cut to GOSHIM_STR_MAX      */
	int full;           /* set when a field did not fit; it was left out    */
};

/* Start encoding into buf[0..cap). */
void gs_tlv_init(struct gs_tlv *t, void *buf, size_t cap);

/* Append one field.  A field that does not fit whole is left out, t->full
 * is set and the tag is marked truncated (see gs_tlv_mark_truncated); later
 * smaller fields may still fit.  The last 8 bytes of the buffer are kept
 * for the GOSHIM_T_TRUNCATED field gs_tlv_finish may append, so that a
 * record that lost something always says so.  Returns 0 or -1. */
int gs_tlv_put(struct gs_tlv *t, uint16_t tag, const void *val, size_t len);
int gs_tlv_u32(struct gs_tlv *t, uint16_t tag, uint32_t v);
int gs_tlv_i32(struct gs_tlv *t, uint16_t tag, int32_t v);
int gs_tlv_u64(struct gs_tlv *t, uint16_t tag, uint64_t v);
int gs_tlv_i64(struct gs_tlv *t, uint16_t tag, int64_t v);
/* A NUL-terminated string; NULL stores nothing.  Longer than
 * GOSHIM_STR_MAX: the first GOSHIM_STR_MAX bytes are stored and
 * t->truncated is set. */
int gs_tlv_str(struct gs_tlv *t, uint16_t tag, const char *s);
/* Close the record: appends GOSHIM_T_TRUNCATED if anything was cut. */
void gs_tlv_finish(struct gs_tlv *t);

/* Note that a field with this tag was cut short or left partly out (frames
 * beyond GOSHIM_FRAMES_MAX, argv beyond GOSHIM_ARGV_MAX); gs_tlv_finish
 * then records it in GOSHIM_T_TRUNCATED. */
void gs_tlv_mark_truncated(struct gs_tlv *t, uint16_t tag);

/* The GOSHIM_T_TRUNCATED value is a bit set; bit i stands for the tag
 * whose tbit is i in GOSHIM_TAGS (record.h, docs/ring-format.md), and
 * GS_TLV_TRUNC_OTHER for any other tag.  gs_tlv_trunc_bit maps a tag to its bit; gs_tlv_trunc_tag maps a bit
 * number (0..31) back to its tag, 0 for bit 31 or an unassigned bit. */
#define GS_TLV_TRUNC_OTHER (1u << 31)
uint32_t gs_tlv_trunc_bit(uint16_t tag);
uint16_t gs_tlv_trunc_tag(unsigned bit);

/* Decoding.  gs_tlv_next returns 1 with the next field, 0 at a clean end,
 * -1 when the remaining bytes are not a whole field (the payload is
 * malformed from *off on). */
struct gs_tlv_field {
	uint16_t tag;
	uint16_t len;
	const uint8_t *val;
};
int gs_tlv_next(const uint8_t *buf, size_t len, size_t *off, struct gs_tlv_field *f);

/* Typed accessors: return 0 and store the value when f->len is exactly the
 * size of the type, else -1. */
int gs_tlv_get_u32(const struct gs_tlv_field *f, uint32_t *v);
int gs_tlv_get_i32(const struct gs_tlv_field *f, int32_t *v);
int gs_tlv_get_u64(const struct gs_tlv_field *f, uint64_t *v);
int gs_tlv_get_i64(const struct gs_tlv_field *f, int64_t *v);

#endif
