/* SPDX-License-Identifier: Apache-2.0 */
/* Lanes (format version 2): a flood of failed calls overwrites only failed
 * calls; each lane wraps within itself; version 1 rings stay readable and
 * writable as one lane; a damaged header's lanes are guessed. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "ring_hdr.h"
#include "ringtest.h"

/* The record of (writer, seq) among rd's, or NULL. */
static const struct gs_rec *find(const struct gs_ring_reader *rd, uint32_t writer, uint64_t seq)
{
	for (size_t i = 0; i < rd->nrecs; i++) {
		uint32_t w;
		uint64_t s;
		if (rd->recs[i].payload &&
		    rt_check(rd->recs[i].payload, rd->recs[i].raw_len, &w, &s) == 0 &&
		    w == writer && s == seq) {
			return &rd->recs[i];
		}
	}
	return NULL;
}

/* A failing process's process record, note and exit, then 100,000 distinct
 * failed calls (~40 MB) into a default-size ring: the three are still
 * there, and the loss is counted in the routine lane only. */
Test(lanes, routine_flood_keeps_process_note_exit, .timeout = 120)
{
	char p[256];
	struct gs_ring r;
	uint64_t st = 3;
	const char *d = rt_ring_at(&r, p, sizeof(p), GOSHIM_RING_DEF_DATA);

	cr_assert_eq(r.hdr->version, 2);
	cr_assert_geq(rt_write_type(&r, GOSHIM_REC_PROCESS, 2, 0, 600), 0);
	cr_assert_geq(rt_write_type(&r, GOSHIM_REC_NOTE, 3, 0, 100), 0);
	for (uint64_t i = 0; i < 100000; i++) {
		cr_assert_geq(rt_write(&r, 1, i, 200 + rt_rand(&st) % 400), 0);
	}
	cr_assert_geq(rt_write_type(&r, GOSHIM_REC_EXIT, 4, 0, 50), 0);
	cr_assert_gt(r.hdr->head, 10 * rt_lane(&r, GOSHIM_LANE_ROUTINE).size, "wrapped 10 times");
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert(rd.hdr_ok);
	cr_assert_eq(rd.nlanes, GOSHIM_LANES_DEFAULT);
	const struct gs_rec *proc = find(&rd, 2, 0), *note = find(&rd, 3, 0),
			    *exit = find(&rd, 4, 0);
	cr_assert_not_null(proc, "process record overwritten by failed calls");
	cr_assert_not_null(note, "note overwritten by failed calls");
	cr_assert_not_null(exit, "exit record overwritten by failed calls");
	cr_assert_eq(proc->type, GOSHIM_REC_PROCESS);
	cr_assert_eq(proc->lane, GOSHIM_LANE_PROCESS);
	cr_assert_eq(note->type, GOSHIM_REC_NOTE);
	cr_assert_eq(note->lane, GOSHIM_LANE_VITAL);
	cr_assert_eq(exit->type, GOSHIM_REC_EXIT);
	cr_assert_eq(exit->lane, GOSHIM_LANE_VITAL);

	/* the events kept are the newest ones, none missing among them */
	uint64_t events = 0, first = UINT64_MAX;
	for (size_t i = 0; i < rd.nrecs; i++) {
		uint32_t w;
		uint64_t s;
		cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s), 0);
		if (w == 1) {
			cr_assert_eq(rd.recs[i].lane, GOSHIM_LANE_ROUTINE);
			first = s < first ? s : first;
			events++;
		}
	}
	cr_assert_eq(first + events, 100000, "a contiguous newest run of failed calls");
	cr_assert_eq(rd.hdr.committed, 100003);
	cr_assert_eq(rd.lanes[GOSHIM_LANE_ROUTINE].committed, 100000);
	cr_assert_eq(rd.lanes[GOSHIM_LANE_PROCESS].committed, 1);
	cr_assert_eq(rd.lanes[GOSHIM_LANE_VITAL].committed, 2);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_ROUTINE), 100000 - events);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_PROCESS), 0);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_VITAL), 0);
	cr_assert_eq(gs_ring_lost(&rd), 100000 - events);
	cr_assert_eq(rd.torn, 0);
	char buf[160];
	char want[160];
	snprintf(want, sizeof(want), "routine %lu, process 0, vital 0",
		 (unsigned long)(100000 - events));
	cr_assert_str_eq(gs_ring_lost_lanes(&rd, buf, sizeof(buf)), want);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

/* The vital lane wraps within itself: notes flooding it never touch the
 * failed calls or the process records. */
Test(lanes, vital_lane_wraps_within_itself)
{
	char p[256];
	struct gs_ring r;
	const char *d = rt_ring_at(&r, p, sizeof(p), GOSHIM_RING_MIN_DATA);

	for (uint64_t i = 0; i < 20; i++) {
		cr_assert_geq(rt_write(&r, 1, i, 100), 0);
		cr_assert_geq(rt_write_type(&r, GOSHIM_REC_PROCESS, 2, i, 100), 0);
	}
	uint64_t vsize = rt_lane(&r, GOSHIM_LANE_VITAL).size, notes = 0;
	uint64_t head = r.hdr->head, phead = r.hdr->lane[GOSHIM_LANE_PROCESS - 1].head;
	while (r.hdr->lane[GOSHIM_LANE_VITAL - 1].head < 5 * vsize) {
		cr_assert_geq(rt_write_type(&r, GOSHIM_REC_NOTE, 3, notes++, 300), 0);
	}
	cr_assert_eq(r.hdr->head, head, "the routine lane did not move");
	cr_assert_eq(r.hdr->lane[GOSHIM_LANE_PROCESS - 1].head, phead);
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	for (uint64_t i = 0; i < 20; i++) {
		cr_assert_not_null(find(&rd, 1, i), "failed call %lu", (unsigned long)i);
		cr_assert_not_null(find(&rd, 2, i), "process %lu", (unsigned long)i);
	}
	cr_assert_not_null(find(&rd, 3, notes - 1), "the newest note");
	cr_assert_null(find(&rd, 3, 0), "the oldest note was overwritten");
	cr_assert_eq(rd.lanes[GOSHIM_LANE_VITAL].found + gs_ring_lane_lost(&rd, GOSHIM_LANE_VITAL),
		     notes);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_ROUTINE), 0);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_PROCESS), 0);
	cr_assert_eq(rd.torn, 0);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

/* Append one raw v1 record (per docs/ring-format.md, version 1) at pos. */
static void v1_record(uint8_t *data, uint64_t size, uint64_t pos, uint16_t type,
		      const uint8_t *payload, uint32_t n)
{
	struct goshim_rec_hdr h = {
		.agg = GOSHIM_AGG_MAKE(pos, 1), .commit = GOSHIM_REC_COMMIT,
		.pos = pos, .len = 40 + n, .codec = GOSHIM_CODEC_RAW, .type = type,
		.raw_len = n, .engine = GOSHIM_ENGINE_TRACE,
	};
	h.crc = gs_crc32c(gs_crc32c(0, &h.pos, 24), payload, n);
	memcpy(data + pos % size, &h, sizeof(h));
	for (uint32_t i = 0; i < n; i++) {
		data[(pos + 40 + i) % size] = payload[i];
	}
}

/* A version 1 ring built byte by byte from the v1 specification (its header
 * checksum over [0, 200) only, no lane table, one record straddling the end
 * of the data area) reads as one lane with every record. */
Test(lanes, v1_ring_readable)
{
	const char *d = rt_tmpdir();
	char p[256];
	uint64_t size = GOSHIM_RING_MIN_DATA;
	uint8_t *f = calloc(1, GOSHIM_RING_HDR_SIZE + size);
	struct goshim_ring_hdr *h = (struct goshim_ring_hdr *)f;
	uint8_t pay[3][300];
	uint32_t n[3];

	memcpy(h->magic, GOSHIM_RING_MAGIC, 8);
	h->version = 1;
	h->endian = GOSHIM_RING_ENDIAN;
	h->hdr_size = GOSHIM_RING_HDR_SIZE;
	h->granule = GOSHIM_RING_GRANULE;
	h->data_size = size;
	h->hdr_crc = gs_crc32c(0, h, 200);
	/* positions of a second lap: a note, a failed call, a process record
	 * that wraps at the end of the data area */
	uint64_t pos[3] = { size + 1024, size + 2048, 2 * size - 128 };
	const uint16_t type[3] = { GOSHIM_REC_NOTE, GOSHIM_REC_EVENT, GOSHIM_REC_PROCESS };
	for (int i = 0; i < 3; i++) {
		n[i] = (uint32_t)rt_payload(pay[i], sizeof(pay[i]), 7, (uint64_t)i, 150);
		v1_record(f + GOSHIM_RING_HDR_SIZE, size, pos[i], type[i], pay[i], n[i]);
	}
	h->head = 2 * size + 256;
	h->committed = 3 + 40; /* 40 of the first lap were overwritten */
	snprintf(p, sizeof(p), "%s/v1.ring", d);
	rt_spit(p, f, GOSHIM_RING_HDR_SIZE + size);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert(rd.hdr_ok, "%s", rd.nissues ? rd.issues[0].msg : "");
	cr_assert_eq(rd.nissues, 0);
	cr_assert_eq(rd.nlanes, 1);
	cr_assert_eq(rd.lanes[0].size, size);
	cr_assert_eq(rd.nrecs, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(rd.recs[i].pos, pos[i], "in position order");
		cr_assert_eq(rd.recs[i].type, type[i]);
		cr_assert_eq(rd.recs[i].lane, 0);
		cr_assert_eq(memcmp(rd.recs[i].payload, pay[i], n[i]), 0);
	}
	cr_assert_eq(gs_ring_lost(&rd), 40);
	cr_assert_eq(gs_ring_lane_lost(&rd, 0), 40);
	char buf[64];
	cr_assert_str_eq(gs_ring_lost_lanes(&rd, buf, sizeof(buf)), "", "one lane: no split");
	gs_ring_unload(&rd);
	free(f);
	rt_rmtree(d);
}

/* A writer that finds a version 1 ring at its path writes it as version 1:
 * one lane, every record type in it, the v1 counters only. */
Test(lanes, v1_ring_written_as_one_lane)
{
	char p[256];
	struct gs_ring r;
	const char *d = rt_ring_at(&r, p, sizeof(p), GOSHIM_RING_MIN_DATA);

	/* make it what a v1 writer creates */
	r.hdr->version = 1;
	r.hdr->nlanes = 0;
	memset(r.hdr->lane_granules, 0, sizeof(r.hdr->lane_granules));
	r.hdr->hdr_crc = gs_crc32c(0, r.hdr, 200);
	cr_assert_eq(gs_ring_hdr_crc(r.hdr), r.hdr->hdr_crc);
	r.hdr->writers = 0;
	gs_ring_detach(&r);

	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), 0, "a v1 ring is attached to");
	cr_assert_eq(r.hdr->version, 1);
	int64_t a = rt_write_type(&r, GOSHIM_REC_NOTE, 3, 0, 100);
	int64_t b = rt_write(&r, 1, 0, 100);
	int64_t c = rt_write_type(&r, GOSHIM_REC_PROCESS, 2, 0, 100);
	cr_assert_eq(a, 0);
	cr_assert_gt(b, a, "one position space");
	cr_assert_gt(c, b);
	cr_assert_eq(r.hdr->head, (uint64_t)c + (uint64_t)(b - a), "same sizes, same spans");
	for (unsigned i = 0; i < GOSHIM_RING_LANES_MAX - 1; i++) {
		cr_assert_eq(r.hdr->lane[i].head, 0);
		cr_assert_eq(r.hdr->lane[i].committed, 0);
	}
	cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)b), 0);
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert(rd.hdr_ok);
	cr_assert_eq(rd.nlanes, 1);
	cr_assert_eq(rd.nrecs, 3);
	cr_assert_eq(rd.recs[0].type, GOSHIM_REC_NOTE);
	cr_assert_eq(rd.recs[1].type, GOSHIM_REC_EVENT);
	cr_assert_eq(rd.recs[1].count, 2);
	cr_assert_eq(rd.recs[2].type, GOSHIM_REC_PROCESS);
	cr_assert_eq(gs_ring_lost(&rd), 0);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

/* Records in every lane, then the header damaged: its checksum, then a
 * lane table that no longer adds up (checksum fixed).  The lanes are
 * guessed and every record is found; nothing is claimed lost. */
Test(lanes, damaged_header_lanes_guessed)
{
	const char *d = rt_tmpdir();
	char p[256], q[256];
	struct gs_ring r;
	const uint16_t types[3] = { GOSHIM_REC_EVENT, GOSHIM_REC_PROCESS, GOSHIM_REC_NOTE };

	snprintf(p, sizeof(p), "%s/ring", d);
	snprintf(q, sizeof(q), "%s/damaged", d);
	cr_assert_eq(gs_ring_attach(&r, p, GOSHIM_RING_MIN_DATA, 0600, 0), 0);
	for (uint64_t i = 0; i < 30; i++) {
		cr_assert_geq(rt_write_type(&r, types[i % 3], 1, i, 200), 0);
	}
	gs_ring_detach(&r);
	size_t len;
	uint8_t *b = rt_slurp(p, &len);
	struct goshim_ring_hdr *h = (struct goshim_ring_hdr *)b;

	for (int k = 0; k < 3; k++) {
		struct gs_ring_reader rd = { 0 };
		uint8_t *c = malloc(len);

		memcpy(c, b, len);
		h = (struct goshim_ring_hdr *)c;
		if (k == 0) {
			h->hdr_crc ^= 1;
		} else if (k == 1) {
			h->lane_granules[0] += 1;
			h->hdr_crc = gs_ring_hdr_crc(h);
		} else {
			h->nlanes = GOSHIM_RING_LANES_MAX + 1;
			h->hdr_crc = gs_ring_hdr_crc(h);
		}
		rt_spit(q, c, len);
		cr_assert_eq(gs_ring_load(&rd, q), 0);
		cr_assert_eq(rd.hdr_ok, 0, "case %d", k);
		cr_assert(rt_has_issue(&rd, GS_RP_BAD_HDR), "case %d", k);
		cr_assert_eq(rd.nlanes, GOSHIM_LANES_DEFAULT, "case %d", k);
		cr_assert_eq(rd.nrecs, 30, "case %d: %zu", k, rd.nrecs);
		for (uint64_t i = 0; i < 30; i++) {
			const struct gs_rec *x = find(&rd, 1, i);
			cr_assert_not_null(x, "case %d, record %lu", k, (unsigned long)i);
			cr_assert_eq(x->type, types[i % 3]);
			cr_assert_eq(x->lane, goshim_lane_of(types[i % 3]));
		}
		cr_assert_eq(gs_ring_lost(&rd), 0);
		gs_ring_unload(&rd);
		free(c);
	}
	free(b);
	rt_rmtree(d);
}

/* The lane table a new ring gets: shares of the data area, no lane below
 * GOSHIM_REC_MAX, exactly data_size in all. */
Test(lanes, default_geometry)
{
	static const uint64_t sizes[] = { GOSHIM_RING_MIN_DATA, 128 * 1024, GOSHIM_RING_DEF_DATA,
					  GOSHIM_RING_MAX_DATA };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct goshim_ring_hdr *h = calloc(1, sizeof(*h));
		struct gs_lane l[GOSHIM_RING_LANES_MAX];

		h->version = 2;
		gs_ring_lanes_default(h, sizes[k]);
		cr_assert(gs_ring_lanes_ok(h, sizes[k]));
		cr_assert_eq(gs_ring_lanes(h, sizes[k], l), 3);
		cr_assert_eq(l[0].base, 0);
		cr_assert_eq(l[2].base + l[2].size, sizes[k]);
		for (int i = 0; i < 3; i++) {
			cr_assert_geq(l[i].size, GOSHIM_REC_MAX);
		}
		if (sizes[k] == GOSHIM_RING_DEF_DATA) {
			cr_assert_eq(l[GOSHIM_LANE_PROCESS].size, 1024 * 1024);
			cr_assert_eq(l[GOSHIM_LANE_VITAL].size, 256 * 1024);
		}
		free(h);
	}
}
