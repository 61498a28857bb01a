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

/* Append one field.  A field that does not fit whole is left out and
 * t->full is set; later smaller fields may still fit.  Returns 0 or -1. */
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
