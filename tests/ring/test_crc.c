/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include <string.h>

#include "crc32c.h"
#include "crc32c_table.h"
#include "ringtest.h"

/* Bit at a time, straight from the definition: the oracle. */
static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++) {
			crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
		}
	}
	return ~crc;
}

Test(crc, check_value)
{
	cr_assert_eq(gs_crc32c(0, "123456789", 9), 0xe3069283u);
	cr_assert_eq(gs_crc32c_sw(0, "123456789", 9), 0xe3069283u);
	cr_assert_eq(gs_crc32c(0, "", 0), 0);
}

/* iSCSI test vectors (RFC 3720, B.4). */
Test(crc, rfc3720_vectors)
{
	uint8_t buf[32];

	memset(buf, 0, sizeof(buf));
	cr_assert_eq(gs_crc32c(0, buf, 32), 0x8a9136aau);
	memset(buf, 0xff, sizeof(buf));
	cr_assert_eq(gs_crc32c(0, buf, 32), 0x62a8ab43u);
	for (int i = 0; i < 32; i++) {
		buf[i] = (uint8_t)i;
	}
	cr_assert_eq(gs_crc32c(0, buf, 32), 0x46dd794eu);
	for (int i = 0; i < 32; i++) {
		buf[i] = (uint8_t)(31 - i);
	}
	cr_assert_eq(gs_crc32c(0, buf, 32), 0x113fdb5cu);
}

Test(crc, tables_match_definition)
{
	for (unsigned i = 0; i < 256; i++) {
		/* table[0][i]: the register after shifting byte i through */
		uint32_t c = i;
		for (int k = 0; k < 8; k++) {
			c = (c >> 1) ^ (0x82f63b78u & -(c & 1));
		}
		cr_assert_eq(gs_crc_tab[0][i], c, "table[0][%u]", i);
		for (int t = 1; t < 8; t++) {
			c = gs_crc_tab[0][c & 0xff] ^ (c >> 8);
			cr_assert_eq(gs_crc_tab[t][i], c, "table[%d][%u]", t, i);
		}
	}
}

/* Every length and alignment up to 300 bytes, in one piece and split:
 * hardware, slice-by-8 and the bitwise oracle agree. */
Test(crc, paths_agree_all_lengths_alignments)
{
	uint8_t buf[400];
	uint64_t st = 42;

	for (size_t i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)rt_rand(&st);
	}
	for (size_t a = 0; a < 8; a++) {
		for (size_t n = 0; n <= 300; n++) {
			uint32_t want = crc_bitwise(0, buf + a, n);
			cr_assert_eq(gs_crc32c(0, buf + a, n), want, "a=%zu n=%zu", a, n);
			cr_assert_eq(gs_crc32c_sw(0, buf + a, n), want, "a=%zu n=%zu", a, n);
			size_t k = n / 3;
			cr_assert_eq(gs_crc32c(gs_crc32c(0, buf + a, k), buf + a + k, n - k), want);
			cr_assert_eq(gs_crc32c_sw(gs_crc32c(0, buf + a, k), buf + a + k, n - k),
				     want);
		}
	}
}
