/* SPDX-License-Identifier: Apache-2.0 */
/* The payload fuzz harness in CI: deterministic mutations of the seed
 * corpus (tests/fuzz/corpus/payload: real records and regression inputs)
 * through parse, text and JSON output.  The libFuzzer target
 * (tests/fuzz/fuzz_payload.c) explores further; tests/fuzz/run.sh. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"
#include "tl_rand.h"

#define MUTATIONS_PER_SEED 400
#define FZ_MAX_INPUT 70000

static const uint16_t lens[] = { 0, 1, 3, 4, 7, 8, 16, 20, 24, 40, 0x7fff, 0xffff };

/* Mutate b[0..*len) in place (cap bytes of room). */
static void mutate(uint8_t *b, size_t *len, size_t cap, uint64_t *st)
{
	int kinds = 1 + (int)(tl_rand(st) % 3);

	while (kinds-- && *len > 0) {
		size_t at = (size_t)(tl_rand(st) % *len);

		switch (tl_rand(st) % 7) {
		case 0: /* flip bits */
			tl_flip_bits(b, *len, st);
			break;
		case 1: /* random bytes over a range */
			tl_scribble(b, *len, at, 32, st);
			break;
		case 2: { /* a field length at a TLV-aligned guess */
			uint16_t v = lens[tl_rand(st) % (sizeof(lens) / sizeof(lens[0]))];
			if (at + 2 <= *len) {
				memcpy(b + at, &v, 2);
			}
			break;
		}
		case 3: /* cut */
			*len = at ? at : 1;
			break;
		case 4: { /* duplicate a range (repeat a field) */
			size_t n = tl_rand(st) % 256;
			if (at + n <= *len && *len + n <= cap) {
				memmove(b + at + n, b + at, *len - at);
				*len += n;
			}
			break;
		}
		case 5: /* bytes that are not UTF-8, and controls */
			b[at] = (uint8_t[]){ 0xff, 0xc0, 0xed, 0xf4, 0x80, 0x1b, '\n', 0 }[tl_rand(st) % 8];
			break;
		default: /* another record type, engine, count */
			b[0] = (uint8_t)tl_rand(st);
			break;
		}
	}
}

static uint8_t *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	uint8_t *b = malloc(FZ_MAX_INPUT);

	cr_assert(f && b, "%s: %m", p);
	*len = fread(b, 1, FZ_MAX_INPUT, f);
	fclose(f);
	return b;
}

Test(payload_fuzz, mutations_of_the_corpus, .timeout = 600)
{
	const char *src = getenv("GOSHIM_SOURCE_ROOT");
	char dir[4096];
	struct dirent *de;
	DIR *d;
	size_t seeds = 0, runs = 0, out = 0;
	uint64_t st = 0x5eedf00d;

	cr_assert_not_null(src, "GOSHIM_SOURCE_ROOT is not set (run through meson test)");
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/payload", src);
	d = opendir(dir);
	cr_assert_not_null(d, "%s: %m", dir);
	while ((de = readdir(d))) {
		char p[8192];
		size_t len0;

		if (de->d_name[0] == '.') {
			continue;
		}
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		uint8_t *orig = slurp(p, &len0);
		out += gs_fuzz_payload(orig, len0);
		seeds++;
		for (int k = 0; k < MUTATIONS_PER_SEED; k++) {
			uint8_t *b = malloc(FZ_MAX_INPUT);
			size_t len = len0;

			memcpy(b, orig, len0);
			mutate(b, &len, FZ_MAX_INPUT, &st);
			/* exact size: a read past the end is a real bug */
			b = realloc(b, len ? len : 1);
			out += gs_fuzz_payload(b, len);
			runs++;
			free(b);
		}
		free(orig);
	}
	closedir(d);
	fprintf(stderr, "payload fuzz: %zu seeds, %zu mutations, %zu bytes of output\n",
		seeds, runs, out);
	cr_assert_geq(seeds, 10, "the seed corpus is there");
	cr_assert_gt(out, runs, "every input gave output");
}
