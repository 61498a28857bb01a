/* SPDX-License-Identifier: Apache-2.0 */
/* The fuzz harness in CI: deterministic mutations of a real ring. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "ringtest.h"

#define MUTATIONS 20000

static const uint32_t interesting[] = {
	0, 1, 40, 63, 64, 0x7fffffff, 0xffffffff, GOSHIM_REC_COMMIT, GOSHIM_REC_MAX,
	GOSHIM_REC_MAX + 1, GOSHIM_REC_RAW_MAX + 1, GOSHIM_RING_MIN_DATA,
};

static void mutate(uint8_t *b, size_t *len, uint64_t *st)
{
	int kinds = 1 + (int)(rt_rand(st) % 3);

	while (kinds--) {
		size_t at = (size_t)(rt_rand(st) % *len);
		switch (rt_rand(st) % 7) {
		case 0: /* flip a few bits anywhere */
			tl_flip_bits(b, *len, st);
			break;
		case 1: /* random bytes over a range */
			tl_scribble(b, *len, at, 256, st);
			break;
		case 2: { /* an interesting value in a record header field */
			size_t g = GOSHIM_RING_HDR_SIZE + (at & ~(size_t)63) + 4 * (rt_rand(st) % 10);
			uint32_t v = interesting[rt_rand(st) % (sizeof(interesting) / 4)];
			if (g + 4 <= *len) {
				memcpy(b + g, &v, 4);
			}
			break;
		}
		case 3: /* cut the file */
			*len = at ? at : 1;
			break;
		case 4: { /* copy one granule over another (a stale duplicate) */
			size_t from = at & ~(size_t)63, to = (size_t)(rt_rand(st) % *len) & ~(size_t)63;
			if (from + 64 <= *len && to + 64 <= *len) {
				memmove(b + to, b + from, 64);
			}
			break;
		}
		case 5: /* a header counter or field */
			b[rt_rand(st) % 600] = (uint8_t)rt_rand(st);
			break;
		default: /* zero a range */
			memset(b + at, 0, *len - at < 512 ? *len - at : 512);
			break;
		}
	}
}

Test(fuzz, mutations_of_a_real_ring, .timeout = 600)
{
	const char *d = rt_tmpdir();
	char p[256];
	size_t len0, found = 0, recs_checked = 0;
	uint64_t st = 0x5eed;
	struct timespec t0, t1;

	snprintf(p, sizeof(p), "%s/ring", d);
	rt_make_ring(p, 500, 3);
	uint8_t *orig = rt_slurp(p, &len0);
	cr_assert_gt(gs_fuzz_one(orig, len0, NULL), 100, "the seed ring decodes");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 0; k < MUTATIONS; k++) {
		size_t len = len0;
		uint8_t *b = malloc(len0);
		struct gs_ring_reader rd;

		memcpy(b, orig, len0);
		mutate(b, &len, &st);
		b = realloc(b, len); /* exact size: a read past the end is a real bug */
		found += gs_fuzz_one(b, len, &rd);
		/* every record it hands back is one of ours and intact */
		for (size_t i = 0; i < rd.nrecs; i++) {
			uint32_t w;
			uint64_t s;
			if (rd.recs[i].payload) {
				cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s),
					     0, "mutation %d: a damaged record was returned", k);
				recs_checked++;
			}
		}
		gs_ring_unload(&rd);
		free(b);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "fuzz: %d mutations in %.2f s, %zu records returned, all intact\n",
		MUTATIONS, sec, recs_checked);
	cr_assert_gt(found, 0);
	free(orig);
	rt_rmtree(d);
}
