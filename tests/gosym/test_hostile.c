/* SPDX-License-Identifier: Apache-2.0 */
/* Hostile input: real Go binaries with random bytes of their pclntab
 * (and of the ELF headers) overwritten, and truncated at random, are
 * opened and queried.  Built with AddressSanitizer and UBSan: any read out
 * of bounds aborts.  The seed is fixed, the run is reproducible. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gg.h"
#include "gopclntab.h"

#define HT_TRIALS   3000
#define HT_TRUNCS   150
#define HT_QUERIES  48

static uint64_t ht_seed = 0x9e3779b97f4a7c15ull;

static uint64_t ht_rand(void)
{
	ht_seed ^= ht_seed << 13;
	ht_seed ^= ht_seed >> 7;
	ht_seed ^= ht_seed << 17;
	return ht_seed;
}

static uint8_t *ht_load(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	uint8_t *b;

	cr_assert(fd >= 0 && fstat(fd, &st) == 0);
	b = malloc((size_t)st.st_size);
	cr_assert(b && pread(fd, b, (size_t)st.st_size, 0) == st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

/* Offset of the pcHeader in the image (its magic and fixed bytes). */
static size_t ht_pclntab(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 4) {
		if (b[i + 1] == 0xff && b[i + 2] == 0xff && b[i + 3] == 0xff &&
		    (b[i] == 0xf1 || b[i] == 0xf0 || b[i] == 0xfa) && !b[i + 4] && !b[i + 5] &&
		    b[i + 6] == 1 && b[i + 7] == 8) {
			return i;
		}
	}
	cr_assert_fail("no pcHeader found");
	return 0;
}

/* Query t the way the tracer does: lookups and inline expansions at pcs
 * around real entries and at random. */
static unsigned ht_query(const struct gs_gopcln *t, const uint64_t *entries, size_t ne)
{
	unsigned found = 0;

	for (int q = 0; q < HT_QUERIES; q++) {
		struct gs_gopcln_frame fr[16];
		uint64_t pc = q % 4 == 3 ? ht_rand() : entries[ht_rand() % ne] + ht_rand() % 256;

		found += gs_gopcln_lookup(t, pc, fr) == 0;
		found += (unsigned)gs_gopcln_frames(t, pc, fr, 16);
		for (size_t k = 0; k < 16 && k < gs_gopcln_nfunc(t); k++) {
			(void)gs_gopcln_entry(t, k);
		}
	}
	return found;
}

static void ht_run(enum gg_go g)
{
	const char *bin = gg_bin(g, "inl-s");
	size_t len, hdr;
	uint8_t *img = ht_load(bin, &len);
	int fd = memfd_create("gosym-hostile", 0);
	struct gs_gopcln *t;
	uint64_t entries[64];
	unsigned opened = 0, answers = 0;

	cr_assert(fd >= 0);
	cr_assert(pwrite(fd, img, len, 0) == (ssize_t)len);
	t = gs_gopcln_open_fd(fd, NULL);
	cr_assert(t, "the intact binary must open");
	for (size_t i = 0; i < 64; i++) {
		entries[i] = gs_gopcln_entry(t, i * gs_gopcln_nfunc(t) / 64);
	}
	gs_gopcln_close(t);
	hdr = ht_pclntab(img, len);

	for (int trial = 0; trial < HT_TRIALS; trial++) {
		size_t off[8];
		int n = 1 + (int)(ht_rand() % 8);

		for (int i = 0; i < n; i++) {
			uint64_t r = ht_rand();

			if (r % 8 == 0) {
				off[i] = r % 4096;                 /* ELF and program headers */
			} else if (r % 8 == 1) {
				off[i] = hdr + (r >> 8) % 96;      /* pcHeader */
			} else {
				off[i] = hdr + (r >> 8) % (len - hdr);
			}
			uint8_t v = (uint8_t)(ht_rand() >> 24);

			cr_assert(pwrite(fd, &v, 1, (off_t)off[i]) == 1);
		}
		t = gs_gopcln_open_fd(fd, NULL);
		if (t) {
			opened++;
			answers += ht_query(t, entries, 64);
			gs_gopcln_close(t);
		}
		for (int i = 0; i < n; i++) {
			cr_assert(pwrite(fd, img + off[i], 1, (off_t)off[i]) == 1);
		}
	}
	for (int trial = 0; trial < HT_TRUNCS; trial++) {
		size_t cut = trial % 2 ? (size_t)(ht_rand() % len) : hdr + ht_rand() % (len - hdr);

		cr_assert(ftruncate(fd, (off_t)cut) == 0);
		t = gs_gopcln_open_fd(fd, NULL);
		if (t) {
			answers += ht_query(t, entries, 64);
			gs_gopcln_close(t);
		}
		cr_assert(pwrite(fd, img + cut, len - cut, (off_t)cut) == (ssize_t)(len - cut));
	}
	fprintf(stderr, "gosym: hostile %s: %d mutated files (%d opened, %u answers), "
		"%d truncations, no fault\n", gg_go_name(g), HT_TRIALS, opened, answers, HT_TRUNCS);
	cr_assert_gt(opened, HT_TRIALS / 4, "most single-byte damage leaves a usable table");
	close(fd);
	free(img);
}

Test(gosym, hostile_official, .timeout = 240)
{
	ht_run(GG_GO_OFFICIAL);
}

Test(gosym, hostile_debian119, .timeout = 240)
{
	ht_run(GG_GO_DEBIAN);
}
