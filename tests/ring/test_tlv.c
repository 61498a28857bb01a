/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include <string.h>

#include "goshim/record.h"
#include "tlv.h"

Test(tlv, round_trip_all_kinds)
{
	uint8_t buf[256];
	struct gs_tlv t;
	struct gs_tlv_field f;
	size_t off = 0;
	uint32_t u32;
	int32_t i32;
	uint64_t u64;
	int64_t i64;

	gs_tlv_init(&t, buf, sizeof(buf));
	cr_assert_eq(gs_tlv_u32(&t, GOSHIM_T_PID, 4242), 0);
	cr_assert_eq(gs_tlv_i32(&t, GOSHIM_T_ERRNO, -13), 0);
	cr_assert_eq(gs_tlv_u64(&t, GOSHIM_T_FLAGS, 0x8000000000000001ull), 0);
	cr_assert_eq(gs_tlv_i64(&t, GOSHIM_T_RET, -1), 0);
	cr_assert_eq(gs_tlv_str(&t, GOSHIM_T_PATH, "/tmp/go-build"), 0);
	cr_assert_eq(gs_tlv_str(&t, GOSHIM_T_ARGV, ""), 0);
	cr_assert_eq(gs_tlv_str(&t, GOSHIM_T_ARGV, NULL), 0);
	gs_tlv_finish(&t);
	cr_assert_eq(t.full, 0);
	cr_assert_eq(t.truncated, 0);
	cr_assert_eq(t.len, 4 * 6 + 4 + 4 + 8 + 8 + 13 + 0);

	/* the wire bytes of the first field are exactly little-endian */
	const uint8_t first[] = { 3, 0, 4, 0, 0x92, 0x10, 0, 0 };
	cr_assert_arr_eq(buf, first, sizeof(first));

	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(f.tag, GOSHIM_T_PID);
	cr_assert_eq(gs_tlv_get_u32(&f, &u32), 0);
	cr_assert_eq(u32, 4242);
	cr_assert_eq(gs_tlv_get_u64(&f, &u64), -1, "size must match exactly");
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(gs_tlv_get_i32(&f, &i32), 0);
	cr_assert_eq(i32, -13);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(gs_tlv_get_u64(&f, &u64), 0);
	cr_assert_eq(u64, 0x8000000000000001ull);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(gs_tlv_get_i64(&f, &i64), 0);
	cr_assert_eq(i64, -1);
	cr_assert_eq(gs_tlv_get_i32(&f, &i32), -1);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(f.tag, GOSHIM_T_PATH);
	cr_assert_eq(f.len, 13);
	cr_assert_eq(memcmp(f.val, "/tmp/go-build", 13), 0);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(f.tag, GOSHIM_T_ARGV);
	cr_assert_eq(f.len, 0);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 0, "clean end");
	cr_assert_eq(off, t.len);
}

Test(tlv, long_string_truncated_and_flagged)
{
	static uint8_t buf[4096];
	char s[3000];
	struct gs_tlv t;
	struct gs_tlv_field f;
	size_t off = 0;
	uint32_t bits;

	memset(s, 'x', sizeof(s) - 1);
	s[sizeof(s) - 1] = 0;
	gs_tlv_init(&t, buf, sizeof(buf));
	cr_assert_eq(gs_tlv_str(&t, GOSHIM_T_ABSPATH, s), 0);
	cr_assert_eq(t.truncated, gs_tlv_trunc_bit(GOSHIM_T_ABSPATH));
	gs_tlv_finish(&t);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(f.len, GOSHIM_STR_MAX);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 1);
	cr_assert_eq(f.tag, GOSHIM_T_TRUNCATED);
	cr_assert_eq(gs_tlv_get_u32(&f, &bits), 0);
	cr_assert_eq(bits, gs_tlv_trunc_bit(GOSHIM_T_ABSPATH));
	cr_assert_eq(gs_tlv_trunc_tag((unsigned)__builtin_ctz(bits)), GOSHIM_T_ABSPATH);
	cr_assert_eq(gs_tlv_next(buf, t.len, &off, &f), 0);

	/* exactly GOSHIM_STR_MAX bytes is not a truncation */
	s[GOSHIM_STR_MAX] = 0;
	gs_tlv_init(&t, buf, sizeof(buf));
	gs_tlv_str(&t, GOSHIM_T_PATH, s);
	cr_assert_eq(t.truncated, 0);
}

Test(tlv, trunc_bits_distinct)
{
	uint32_t seen = 0;

	for (unsigned b = 0; b < 31; b++) {
		uint16_t tag = gs_tlv_trunc_tag(b);
		if (!tag) {
			continue;
		}
		cr_assert_eq(gs_tlv_trunc_bit(tag), 1u << b);
		cr_assert_eq(seen & (1u << b), 0);
		seen |= 1u << b;
	}
	cr_assert_eq(gs_tlv_trunc_bit(GOSHIM_T_PID), GS_TLV_TRUNC_OTHER);
	cr_assert_eq(gs_tlv_trunc_tag(31), 0);
}

/* A field that does not fit is left out whole; smaller ones still go in;
 * the record still says it lost something, and never overruns. */
Test(tlv, full_buffer)
{
	uint8_t buf[64 + 16];
	struct gs_tlv t;
	struct gs_tlv_field f;
	size_t off = 0;
	char s[60];
	uint32_t bits;
	int saw_trunc = 0;

	memset(buf + 64, 0xa5, 16);
	memset(s, 'y', sizeof(s) - 1);
	s[sizeof(s) - 1] = 0;
	gs_tlv_init(&t, buf, 64);
	cr_assert_eq(gs_tlv_u64(&t, GOSHIM_T_TIME_REAL, 1), 0);   /* 12 */
	cr_assert_eq(gs_tlv_str(&t, GOSHIM_T_PATH, s), -1);       /* 63: no */
	cr_assert(t.full);
	cr_assert_eq(gs_tlv_u32(&t, GOSHIM_T_PID, 7), 0);         /* 20 */
	cr_assert_eq(gs_tlv_u64(&t, GOSHIM_T_TIME_MONO, 2), 0);   /* 32 */
	cr_assert_eq(gs_tlv_u64(&t, GOSHIM_T_FLAGS, 3), 0);       /* 44 */
	cr_assert_eq(gs_tlv_u64(&t, GOSHIM_T_ADDR, 4), 0);        /* 56 */
	cr_assert_eq(gs_tlv_u32(&t, GOSHIM_T_TID, 5), -1, "last 8 bytes are kept");
	gs_tlv_finish(&t);
	cr_assert_leq(t.len, 64);
	for (int i = 64; i < 80; i++) {
		cr_assert_eq(buf[i], 0xa5, "overrun at %d", i);
	}
	while (gs_tlv_next(buf, t.len, &off, &f) == 1) {
		cr_assert_neq(f.tag, GOSHIM_T_PATH);
		if (f.tag == GOSHIM_T_TRUNCATED) {
			cr_assert_eq(gs_tlv_get_u32(&f, &bits), 0);
			cr_assert(bits & gs_tlv_trunc_bit(GOSHIM_T_PATH));
			saw_trunc = 1;
		}
	}
	cr_assert(saw_trunc, "the record says it lost a field");

	/* a zero-capacity buffer stores nothing and does not crash */
	gs_tlv_init(&t, NULL, 100);
	cr_assert_eq(gs_tlv_u32(&t, GOSHIM_T_PID, 1), -1);
	gs_tlv_finish(&t);
	cr_assert_eq(t.len, 0);
}

Test(tlv, malformed_input)
{
	/* a whole field, then a header claiming more than is there */
	const uint8_t bad[] = { 3, 0, 4, 0, 1, 2, 3, 4, 10, 0, 200, 0, 1, 2 };
	struct gs_tlv_field f;
	size_t off = 0;

	cr_assert_eq(gs_tlv_next(bad, sizeof(bad), &off, &f), 1);
	cr_assert_eq(gs_tlv_next(bad, sizeof(bad), &off, &f), -1);
	cr_assert_eq(off, 8, "the offset stays at the bad field");
	/* fewer than 4 bytes left */
	off = 0;
	cr_assert_eq(gs_tlv_next(bad, 3, &off, &f), -1);
	/* offset beyond the end is a clean end, not a read */
	off = 100;
	cr_assert_eq(gs_tlv_next(bad, sizeof(bad), &off, &f), 0);
	/* empty */
	off = 0;
	cr_assert_eq(gs_tlv_next(bad, 0, &off, &f), 0);
	/* a 0xffff length at the end of a buffer */
	const uint8_t huge[] = { 1, 0, 0xff, 0xff, 0 };
	off = 0;
	cr_assert_eq(gs_tlv_next(huge, sizeof(huge), &off, &f), -1);
}
