/* SPDX-License-Identifier: Apache-2.0 */
/* Damaged files: the reader names the damage, never crashes, and still
 * returns every record that is intact. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ring_file.h"
#include "ring_hdr.h"
#include "ringtest.h"

#define NREC 600  /* several laps of a 64 KiB ring */

static char dir[64];
static char ring[128];
static uint8_t *orig;
static size_t orig_len;
static size_t orig_nrecs;

static void setup(void)
{
	struct gs_ring_reader rd = { 0 };

	strcpy(dir, rt_tmpdir());
	snprintf(ring, sizeof(ring), "%s/ring", dir);
	rt_make_ring(ring, NREC, 99);
	orig = rt_slurp(ring, &orig_len);
	cr_assert_eq(gs_ring_load(&rd, ring), 0);
	cr_assert_eq(rd.nissues, 0);
	cr_assert_gt(rd.nrecs, 100);
	orig_nrecs = rd.nrecs;
	gs_ring_unload(&rd);
}

static void teardown(void)
{
	free(orig);
	rt_rmtree(dir);
}

/* Load buf through a file (the mmap path) and check every record found is
 * one of the originals, intact. */
static void load_file(struct gs_ring_reader *rd, const void *buf, size_t len)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/damaged", dir);
	rt_spit(p, buf, len);
	memset(rd, 0, sizeof(*rd));
	cr_assert_eq(gs_ring_load(rd, p), 0);
	for (size_t i = 0; i < rd->nrecs; i++) {
		uint32_t w;
		uint64_t s;
		cr_assert_not_null(rd->recs[i].payload, "%s", rd->recs[i].error);
		cr_assert_eq(rt_check(rd->recs[i].payload, rd->recs[i].raw_len, &w, &s), 0);
		cr_assert_eq(w, 1);
		cr_assert_lt(s, NREC);
	}
}

static const char *issue_msg(const struct gs_ring_reader *r, enum gs_ring_problem what)
{
	for (size_t i = 0; i < r->nissues; i++) {
		if (r->issues[i].what == what) {
			return r->issues[i].msg;
		}
	}
	return "";
}

TestSuite(corrupt, .init = setup, .fini = teardown, .timeout = 120);

Test(corrupt, empty_and_random_bytes)
{
	struct gs_ring_reader rd;
	static const size_t sizes[] = { 0, 1, 8, 100, 4095, 4096, 4096 + 64,
					4096 + 65536, 300000 };
	uint64_t st = 1;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint8_t *b = malloc(sizes[k] + 1);
		for (size_t i = 0; i < sizes[k]; i++) {
			b[i] = (uint8_t)rt_rand(&st);
		}
		load_file(&rd, b, sizes[k]);
		cr_assert_eq(rd.nrecs, 0);
		cr_assert_eq(rd.hdr_ok, 0);
		if (sizes[k] == 0) {
			cr_assert(rt_has_issue(&rd, GS_RP_EMPTY));
		} else if (sizes[k] < 8) {
			cr_assert(rt_has_issue(&rd, GS_RP_SHORT_HDR));
		} else {
			cr_assert(rt_has_issue(&rd, GS_RP_FOREIGN), "size %zu", sizes[k]);
		}
		cr_assert_eq(gs_ring_lost(&rd), 0);
		gs_ring_unload(&rd);
		free(b);
	}
}

Test(corrupt, elf_file_is_foreign)
{
	struct gs_ring_reader rd = { 0 };

	cr_assert_eq(gs_ring_load(&rd, "/bin/true"), 0);
	cr_assert(rt_has_issue(&rd, GS_RP_FOREIGN));
	cr_assert_str_eq(issue_msg(&rd, GS_RP_FOREIGN),
			 "not a goshim ring: magic is \"\\x7fELF\\x02\\x01\\x01\\x00\" "
			 "(expected GOSHIMRG)");
	cr_assert_eq(rd.nrecs, 0);
	gs_ring_unload(&rd);
	cr_assert_eq(gs_ring_load(&rd, "/nonexistent/ring"), -2 /* -ENOENT */);
}

Test(corrupt, newer_version_still_scanned)
{
	struct gs_ring_reader rd;
	uint8_t *b = malloc(orig_len);
	struct goshim_ring_hdr *h = (struct goshim_ring_hdr *)b;

	memcpy(b, orig, orig_len);
	h->version = 3;
	h->hdr_crc = gs_ring_hdr_crc(h);
	load_file(&rd, b, orig_len);
	cr_assert_str_eq(issue_msg(&rd, GS_RP_NEWER),
			 "ring format version 3 is newer than this goshimctl understands (2)");
	cr_assert_eq(rd.hdr_ok, 0);
	cr_assert_eq(rd.nrecs, orig_nrecs, "records of the newest lap still found");
	gs_ring_unload(&rd);

	memcpy(b, orig, orig_len);
	h->endian = 0x04030201;
	h->hdr_crc = gs_ring_hdr_crc(h);
	load_file(&rd, b, orig_len);
	cr_assert(rt_has_issue(&rd, GS_RP_ENDIAN));
	gs_ring_unload(&rd);
	free(b);
}

/* Any header byte under the checksum (the lane table too) or of the
 * checksum flipped: BAD_HDR (or FOREIGN for the magic), and the records are
 * still all there: the lanes are guessed. */
Test(corrupt, header_bytes_flipped)
{
	struct gs_ring_reader rd;
	uint8_t *b = malloc(orig_len);

	for (size_t off = 0; off < offsetof(struct goshim_ring_hdr, head); off++) {
		memcpy(b, orig, orig_len);
		b[off] ^= 0x10;
		load_file(&rd, b, orig_len);
		cr_assert_eq(rd.hdr_ok, 0, "byte %zu", off);
		if (off < 8) {
			cr_assert(rt_has_issue(&rd, GS_RP_FOREIGN), "byte %zu", off);
		} else {
			cr_assert(rt_has_issue(&rd, GS_RP_BAD_HDR) ||
				  rt_has_issue(&rd, GS_RP_NEWER) ||
				  rt_has_issue(&rd, GS_RP_ENDIAN), "byte %zu: %s", off,
				  rd.nissues ? rd.issues[0].msg : "no issue");
		}
		cr_assert_eq(rd.nrecs, orig_nrecs, "byte %zu: %zu of %zu records", off,
			     rd.nrecs, orig_nrecs);
		cr_assert_eq(gs_ring_lost(&rd), 0, "untrusted header: no loss claimed");
		gs_ring_unload(&rd);
	}
	free(b);
}

/* A byte flipped inside a record: that record is counted torn and left out;
 * every other record is returned. */
Test(corrupt, data_bytes_flipped)
{
	struct gs_ring_reader rd0 = { 0 }, rd;
	uint8_t *b = malloc(orig_len);
	uint64_t st = 5;
	int stale = 0;

	cr_assert_eq(gs_ring_load_mem(&rd0, orig, orig_len), 0);
	for (int k = 0; k < 200; k++) {
		const struct gs_rec *victim = &rd0.recs[rt_rand(&st) % rd0.nrecs];
		const struct gs_ring_lane *l = &rd0.lanes[victim->lane];
		/* a byte in [16, len): covered by the checksum */
		uint64_t len = 40 + (victim->codec == 0 ? victim->raw_len : 1);
		uint64_t at = 16 + rt_rand(&st) % (len - 16);
		size_t off = GOSHIM_RING_HDR_SIZE + l->base + (victim->pos + at) % l->size;

		memcpy(b, orig, orig_len);
		b[off] ^= (uint8_t)(1u << (rt_rand(&st) % 8));
		load_file(&rd, b, orig_len);
		cr_assert_eq(rd.nrecs, orig_nrecs - 1, "flip at +%lu of %lu", (unsigned long)at,
			     (unsigned long)victim->pos);
		if (at >= 16 && at < 24 && rd.torn == 0) {
			/* pos moved by a multiple of the lane size: it reads as an
			 * older lap's record, which is skipped silently; the
			 * header's counters still show it lost */
			cr_assert_eq(gs_ring_lost(&rd), rd0.hdr.committed - rd.nrecs);
			stale++;
		} else {
			cr_assert_eq(rd.torn, 1, "flip at +%lu", (unsigned long)at);
			cr_assert_str_eq(issue_msg(&rd, GS_RP_TORN), "1 granule held torn "
					 "or corrupt records (checksum mismatch)");
		}
		for (size_t i = 0; i < rd.nrecs; i++) {
			cr_assert_neq(rd.recs[i].pos, victim->pos);
		}
		gs_ring_unload(&rd);
	}
	cr_assert_lt(stale, 20);
	gs_ring_unload(&rd0);
	free(b);
}

/* Cut at many lengths: never a read past the end (the file is mapped to its
 * exact size, and the same bytes are loaded from an exact-size heap copy),
 * the truncation is named, and every record wholly present is found. */
Test(corrupt, truncated_at_many_lengths)
{
	struct gs_ring_reader rd0 = { 0 }, rd;
	uint64_t st = 9;

	cr_assert_eq(gs_ring_load_mem(&rd0, orig, orig_len), 0);
	for (int k = 0; k < 300; k++) {
		size_t len = k < 20 ? (size_t)k * 300 : (size_t)(rt_rand(&st) % orig_len);
		if (k == 20) {
			len = orig_len - 1;
		}
		load_file(&rd, orig, len);
		if (len == 0) {
			cr_assert(rt_has_issue(&rd, GS_RP_EMPTY));
		} else if (len < GOSHIM_RING_HDR_SIZE) {
			cr_assert(rt_has_issue(&rd, GS_RP_SHORT_HDR));
			cr_assert_eq(rd.nrecs, 0);
		} else {
			cr_assert(rt_has_issue(&rd, GS_RP_TRUNCATED), "len %zu", len);
			cr_assert(rd.hdr_ok);
			size_t want = 0;
			for (size_t i = 0; i < rd0.nrecs; i++) {
				const struct gs_ring_lane *l = &rd0.lanes[rd0.recs[i].lane];
				uint64_t o = rd0.recs[i].pos % l->size;
				uint64_t n = 40 + rd0.recs[i].raw_len; /* raw: exact */
				/* present: up to its end, or the lane's when it wraps */
				uint64_t end = l->base + (o + n <= l->size ? o + n : l->size);
				if (rd0.recs[i].codec == 0 && end <= len - GOSHIM_RING_HDR_SIZE) {
					want++;
				}
			}
			size_t raw_found = 0;
			for (size_t i = 0; i < rd.nrecs; i++) {
				raw_found += rd.recs[i].codec == 0;
			}
			cr_assert_eq(raw_found, want, "len %zu", len);
		}
		gs_ring_unload(&rd);

		uint8_t *exact = malloc(len ? len : 1);
		memcpy(exact, orig, len);
		memset(&rd, 0, sizeof(rd));
		cr_assert_eq(gs_ring_load_mem(&rd, exact, len), 0);
		gs_ring_unload(&rd);
		free(exact);
	}
	char msg[200];
	load_file(&rd, orig, 40000);
	snprintf(msg, sizeof(msg), "file truncated: 40000 of %zu bytes present; "
		 "decoding the records in what is left", orig_len);
	cr_assert_str_eq(issue_msg(&rd, GS_RP_TRUNCATED), msg);
	gs_ring_unload(&rd);
	gs_ring_unload(&rd0);
}

/* A ring that never wrapped, its header's head counter lowered (it is
 * outside the header checksum): the reader must not take the header's
 * word for where the records end.  Every record is still found, or the
 * ring is said to be damaged; never silently fewer. */
Test(corrupt, head_understated)
{
	static const uint64_t heads[] = { 0, 64, 1, 2 }; /* 1, 2: head / 2, head - 64 */
	struct gs_ring_reader rd = { 0 };
	char p[160];
	uint8_t *b;
	size_t len;

	snprintf(p, sizeof(p), "%s/young", dir);
	uint64_t head = rt_make_ring(p, 30, 7);
	b = rt_slurp(p, &len);
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.nrecs, 30);
	cr_assert_lt(head, rd.lanes[0].size, "the ring never wrapped");
	gs_ring_unload(&rd);
	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
		uint64_t h = heads[k] == 1 ? head / 2 : heads[k] == 2 ? head - 64 : heads[k];

		((struct goshim_ring_hdr *)b)->head = h;
		load_file(&rd, b, len);
		cr_assert_eq(rd.hdr_ok, 1, "head is not under the checksum");
		cr_assert(rd.nrecs == 30 || rt_has_issue(&rd, GS_RP_TORN) ||
			  rt_has_issue(&rd, GS_RP_BAD_HDR),
			  "head %llu of %llu: %zu of 30 records and no damage said",
			  (unsigned long long)h, (unsigned long long)head, rd.nrecs);
		cr_assert_gt(rd.torn + rd.nrecs, 0);
		gs_ring_unload(&rd);
	}
	free(b);
}

/* A file that shrinks between its fstat and its reading (its owner
 * truncated it): read as a truncated ring, the same as the shorter file,
 * never a crash (a mapping's pages beyond the new end fault with SIGBUS). */
Test(corrupt, shrunk_while_read)
{
	struct gs_ring_reader rd = { 0 }, want = { 0 };
	struct sigaction before, after;
	struct stat st;
	char p[160];
	int fd;

	snprintf(p, sizeof(p), "%s/shrinks", dir);
	rt_spit(p, orig, orig_len);
	fd = gs_ring_file_open(p, &st);
	cr_assert_geq(fd, 0);
	cr_assert_eq(truncate(p, GOSHIM_RING_HDR_SIZE + 20000), 0);
	sigaction(SIGBUS, NULL, &before);
	cr_assert_eq(gs_ring_load_fd(&rd, fd, &st), 0);
	sigaction(SIGBUS, NULL, &after);
	close(fd);
	cr_assert_eq(after.sa_handler, before.sa_handler, "SIGBUS restored");
	cr_assert(rt_has_issue(&rd, GS_RP_TRUNCATED));
	cr_assert_eq(gs_ring_load(&want, p), 0);
	cr_assert_eq(rd.nrecs, want.nrecs);
	cr_assert_gt(rd.nrecs, 0);
	for (size_t i = 0; i < rd.nrecs; i++) {
		cr_assert_eq(rd.recs[i].pos, want.recs[i].pos);
		cr_assert_eq(rd.recs[i].raw_len, want.recs[i].raw_len);
		cr_assert_eq(memcmp(rd.recs[i].payload, want.recs[i].payload, rd.recs[i].raw_len), 0);
	}
	gs_ring_unload(&rd);
	gs_ring_unload(&want);
}
