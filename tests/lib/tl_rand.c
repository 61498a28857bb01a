/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_rand.h"

uint64_t tl_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

void tl_flip_bits(uint8_t *b, size_t len, uint64_t *st)
{
	for (int i = 0; i < 1 + (int)(tl_rand(st) % 8); i++) {
		b[tl_rand(st) % len] ^= (uint8_t)(1u << (tl_rand(st) % 8));
	}
}

void tl_scribble(uint8_t *b, size_t len, size_t at, uint64_t span, uint64_t *st)
{
	for (size_t i = at; i < len && i < at + tl_rand(st) % span; i++) {
		b[i] = (uint8_t)tl_rand(st);
	}
}
