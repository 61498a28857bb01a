/* SPDX-License-Identifier: Apache-2.0 */
#include "crc32c.h"

#include "crc32c_table.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* Slice-by-8: eight bytes per step, little-endian loads. */
static uint32_t crc_sw(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len && ((uintptr_t)p & 7)) {
		crc = gs_crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			      (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = gs_crc_tab[7][lo & 0xff] ^ gs_crc_tab[6][(lo >> 8) & 0xff] ^
		      gs_crc_tab[5][(lo >> 16) & 0xff] ^ gs_crc_tab[4][lo >> 24] ^
		      gs_crc_tab[3][hi & 0xff] ^ gs_crc_tab[2][(hi >> 8) & 0xff] ^
		      gs_crc_tab[1][(hi >> 16) & 0xff] ^ gs_crc_tab[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--) {
		crc = gs_crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	}
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c = crc;

	while (len && ((uintptr_t)p & 7)) {
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
		len--;
	}
	while (len >= 8) {
		uint64_t v;
		__builtin_memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	while (len--) {
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	}
	return (uint32_t)c;
}

/* 0 not yet probed, 1 software, 2 SSE4.2.  cpuid is one instruction, no
 * libc and no lock; racing first callers store the same answer. */
static int crc_impl;

static int crc_probe(void)
{
	unsigned a, b, c, d;
	int impl = 1;

	if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2)) {
		impl = 2;
	}
	__atomic_store_n(&crc_impl, impl, __ATOMIC_RELAXED);
	return impl;
}
#endif

uint32_t gs_crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__)
	int impl = __atomic_load_n(&crc_impl, __ATOMIC_RELAXED);

	if (impl == 0) {
		impl = crc_probe();
	}
	if (impl == 2) {
		return ~crc_hw(crc, buf, len);
	}
#endif
	return ~crc_sw(crc, buf, len);
}

uint32_t gs_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	return ~crc_sw(~crc, buf, len);
}
