/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic randomness for the tests: the same seed, the same cases. */
#ifndef GS_TL_RAND_H
#define GS_TL_RAND_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*: the next number of the sequence in *state (0 stands for a
 * fixed non-zero seed). */
uint64_t tl_rand(uint64_t *state);

/* Fuzzing steps on b[0..len): flip 1 to 8 random bits anywhere; write
 * random bytes from at on, fewer than span of them (never past len). */
void tl_flip_bits(uint8_t *b, size_t len, uint64_t *state);
void tl_scribble(uint8_t *b, size_t len, size_t at, uint64_t span, uint64_t *state);

#endif
