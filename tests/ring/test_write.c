/* SPDX-License-Identifier: Apache-2.0 */
/* The reserve/commit protocol under contention, wrap-around, aggregation. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "ringtest.h"

#define PROCS   4
#define THREADS 8
#define PER     10000

struct wr_arg {
	const char *path;
	uint32_t writer;
	int failed;
};

static void *wr_thread(void *p)
{
	struct wr_arg *a = p;
	struct gs_ring r;

	/* each thread attaches: exercises many mappings of one file too */
	if (gs_ring_attach(&r, a->path, 0, 0600, 0)) {
		a->failed = 1;
		return NULL;
	}
	for (uint64_t s = 0; s < PER; s++) {
		if (rt_write(&r, a->writer, s, s % 97) < 0) {
			a->failed = 1;
		}
	}
	gs_ring_detach(&r);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(write, threads_times_processes_all_land_once, .timeout = 240)
{
	const char *d = rt_tmpdir();
	char p[256];
	pid_t kids[PROCS];
	struct gs_ring r;

	snprintf(p, sizeof(p), "%s/ring", d);
	/* 320k records of <= 200 bytes (256-byte spans): 128 MiB holds them */
	cr_assert_eq(gs_ring_attach(&r, p, 128u << 20, 0600, 0), 0);
	gs_ring_detach(&r);
	double t0 = now();
	for (int i = 0; i < PROCS; i++) {
		kids[i] = fork();
		cr_assert_geq(kids[i], 0);
		if (kids[i] == 0) {
			pthread_t th[THREADS];
			struct wr_arg a[THREADS];
			int bad = 0;
			for (int t = 0; t < THREADS; t++) {
				a[t] = (struct wr_arg){ p, (uint32_t)(i * THREADS + t), 0 };
				pthread_create(&th[t], NULL, wr_thread, &a[t]);
			}
			for (int t = 0; t < THREADS; t++) {
				pthread_join(th[t], NULL);
				bad |= a[t].failed;
			}
			_exit(bad);
		}
	}
	for (int i = 0; i < PROCS; i++) {
		int st;
		cr_assert_eq(waitpid(kids[i], &st, 0), kids[i]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d: %#x", i, st);
	}
	double t1 = now();

	struct gs_ring_reader rd = { 0 };
	uint8_t *seen = calloc(PROCS * THREADS, PER);
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	double t2 = now();
	cr_assert(rd.hdr_ok);
	cr_assert_eq(rd.torn, 0);
	cr_assert_eq(rd.nissues, 0, "issue: %s", rd.issues[0].msg);
	cr_assert_eq(rd.hdr.committed, (uint64_t)PROCS * THREADS * PER);
	cr_assert_eq(rd.hdr.writers, 1 + PROCS * THREADS);
	cr_assert_eq(rd.nrecs, (size_t)PROCS * THREADS * PER);
	for (size_t i = 0; i < rd.nrecs; i++) {
		uint32_t w;
		uint64_t s;
		cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s), 0,
			     "record %zu damaged", i);
		cr_assert(w < PROCS * THREADS && s < PER);
		cr_assert_eq(seen[w * PER + s]++, 0, "writer %u seq %lu twice", w,
			     (unsigned long)s);
		cr_assert(i == 0 || rd.recs[i - 1].pos < rd.recs[i].pos);
	}
	cr_assert_eq(gs_ring_lost(&rd), 0);
	cr_log_info("%d records by %d writers in %.2f s (%.0f ns/record wall); "
		    "decoded in %.2f s", PROCS * THREADS * PER, PROCS * THREADS, t1 - t0,
		    (t1 - t0) * 1e9 / (PROCS * THREADS * PER), t2 - t1);
	fprintf(stderr, "write: %d records by %d writers in %.2f s; decode %.2f s\n",
		PROCS * THREADS * PER, PROCS * THREADS, t1 - t0, t2 - t1);
	free(seen);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

/* Ten laps over a minimum ring's routine lane: exactly the newest lap
 * survives, in order, and the records lost are exactly the ones the header
 * says were lost. */
Test(write, wrap_around_keeps_newest_lap, .timeout = 60)
{
	char p[256];
	struct gs_ring r;
	uint64_t total = 0, bytes = 0, first_kept = 0;
	uint64_t st = 7;
	const char *d = rt_ring_at(&r, p, sizeof(p), GOSHIM_RING_MIN_DATA);

	uint64_t lsize = rt_lane(&r, GOSHIM_LANE_ROUTINE).size;
	int64_t *pos = calloc(100000, sizeof(*pos));
	while (bytes < 10 * lsize) {
		/* varied sizes, some near GOSHIM_REC_MAX, so records straddle the end */
		size_t fill = rt_rand(&st) % 8 == 0 ? 1000 : rt_rand(&st) % 300;
		pos[total] = rt_write(&r, 0, total, fill);
		cr_assert_geq(pos[total], 0);
		total++;
		bytes = r.hdr->head;
	}
	uint64_t head = r.hdr->head;
	/* which records must survive: those wholly in [head - size, head) */
	for (uint64_t i = 0; i < total; i++) {
		if ((uint64_t)pos[i] >= head - lsize) {
			first_kept = i;
			break;
		}
	}
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert(rd.hdr_ok);
	cr_assert_eq(rd.hdr.committed, total);
	cr_assert_eq(rd.nrecs, total - first_kept, "found %zu, expected %lu", rd.nrecs,
		     (unsigned long)(total - first_kept));
	int straddled = 0;
	for (size_t i = 0; i < rd.nrecs; i++) {
		uint32_t w;
		uint64_t s;
		cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s), 0);
		cr_assert_eq(s, first_kept + i, "in order, none missing");
		cr_assert_eq(rd.recs[i].pos, (uint64_t)pos[s]);
		cr_assert_eq(rd.recs[i].lane, GOSHIM_LANE_ROUTINE);
		if (rd.recs[i].pos % lsize + 40 + rd.recs[i].raw_len > lsize) {
			straddled++;
		}
	}
	cr_assert_eq(gs_ring_lost(&rd), rd.hdr.committed - rd.nrecs);
	cr_assert_eq(gs_ring_lost(&rd), first_kept);
	cr_assert_eq(gs_ring_lane_lost(&rd, GOSHIM_LANE_ROUTINE), first_kept);
	cr_assert_eq(rd.torn, 0, "overwritten records are not torn: %lu",
		     (unsigned long)rd.torn);
	cr_log_info("%lu records, %zu kept, %d wrap the end", (unsigned long)total,
		    rd.nrecs, straddled);
	free(pos);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

Test(write, record_straddling_the_end_round_trips)
{
	char p[256];
	struct gs_ring r;
	uint8_t big[GOSHIM_REC_MAX];
	const char *d = rt_ring_at(&r, p, sizeof(p), 0);

	cr_assert_eq(r.size, GOSHIM_RING_MIN_DATA);
	/* a note goes to the vital lane: move its head to 128 bytes before
	 * the lane's end, the next record wraps (within the lane) */
	uint64_t lsize = rt_lane(&r, GOSHIM_LANE_VITAL).size;
	r.hdr->lane[GOSHIM_LANE_VITAL - 1].head = lsize - 128;
	for (size_t i = 0; i < sizeof(big) - 40; i++) {
		big[i] = (uint8_t)(i * 7);
	}
	int64_t at = gs_ring_write(&r, GOSHIM_REC_NOTE, GOSHIM_CODEC_RAW, 2, big,
				   GOSHIM_REC_MAX - 40, GOSHIM_REC_MAX - 40);
	cr_assert_eq(at, (int64_t)lsize - 128);
	/* one byte too many is dropped and counted */
	cr_assert_eq(gs_ring_write(&r, 1, 0, 1, big, GOSHIM_REC_MAX - 39, 1), -1);
	cr_assert_eq(r.hdr->dropped, 1);
	gs_ring_count_drop(&r);
	cr_assert_eq(r.hdr->dropped, 2);
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.nrecs, 1);
	cr_assert_eq(rd.recs[0].lane, GOSHIM_LANE_VITAL);
	cr_assert_eq(rd.recs[0].type, GOSHIM_REC_NOTE);
	cr_assert_eq(rd.recs[0].engine, 2);
	cr_assert_eq(rd.recs[0].raw_len, GOSHIM_REC_MAX - 40);
	cr_assert_eq(memcmp(rd.recs[0].payload, big, GOSHIM_REC_MAX - 40), 0);
	gs_ring_unload(&rd);
	rt_rmtree(d);
}

Test(write, aggregation_bump)
{
	char p[256];
	struct gs_ring r;
	const char *d = rt_ring_at(&r, p, sizeof(p), 0);

	int64_t a = rt_write(&r, 1, 0, 10);
	int64_t b = rt_write(&r, 1, 3, 10);
	for (int i = 0; i < 41; i++) {
		cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)a), 0);
	}
	cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)b), 0);
	cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)a + 64), -1, "no record there");
	uint64_t lsize = rt_lane(&r, GOSHIM_LANE_ROUTINE).size;
	cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)a + lsize), -1, "a future lap");
	cr_assert_eq(r.hdr->aggregated, 42);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.nrecs, 2);
	cr_assert_eq(rd.recs[0].count, 42);
	cr_assert_eq(rd.recs[1].count, 2);
	gs_ring_unload(&rd);

	/* overwrite a: a full lap of records later it is gone */
	uint64_t s = 10;
	while (r.hdr->head < (uint64_t)a + lsize + 64) {
		rt_write(&r, 2, s++, 50);
	}
	cr_assert_eq(gs_ring_agg_bump(&r, (uint64_t)a), -1, "overwritten record");
	cr_assert_eq(r.hdr->aggregated, 42);
	gs_ring_detach(&r);
	rt_rmtree(d);
}

/* Many threads bumping one record while others write: no bump lost while
 * the record lives. */
struct bump_arg {
	struct gs_ring *r;
	uint64_t pos;
	int ok;
};

static void *bumper(void *p)
{
	struct bump_arg *a = p;

	for (int i = 0; i < 100000; i++) {
		a->ok += gs_ring_agg_bump(a->r, a->pos) == 0;
	}
	return NULL;
}

Test(write, aggregation_bump_concurrent)
{
	char p[256];
	struct gs_ring r;
	pthread_t th[4];
	struct bump_arg a[4];
	const char *d = rt_ring_at(&r, p, sizeof(p), 1 << 20);

	int64_t at = rt_write(&r, 1, 0, 10);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct bump_arg){ &r, (uint64_t)at, 0 };
		pthread_create(&th[i], NULL, bumper, &a[i]);
	}
	for (int i = 0; i < 1000; i++) {
		rt_write(&r, 2, (uint64_t)i, 10);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(a[i].ok, 100000);
	}
	cr_assert_eq(r.hdr->aggregated, 400000);
	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.recs[0].count, 400001);
	cr_assert_eq(rd.nrecs, 1001);
	gs_ring_unload(&rd);
	gs_ring_detach(&r);
	rt_rmtree(d);
}

/* The dictionary codec: decoded with the caller's dictionary; a reader
 * without it says which one it lacks. */
static const char test_dict[] = "open /tmp/go-build noexec EACCES ENOENT stat exec "
				"GOCACHE GOTMPDIR /usr/local/go/pkg/tool/linux_amd64";

static const void *lookup(uint32_t id, size_t *len)
{
	if (id != 99) {
		return NULL;
	}
	*len = sizeof(test_dict) - 1;
	return test_dict;
}

#include <zstd.h>

Test(write, dict_codec)
{
	const char *d = rt_tmpdir();
	char p[256];
	struct gs_ring r;
	uint8_t raw[2048], z[2048];

	snprintf(p, sizeof(p), "%s/ring", d);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 99), 0);
	size_t n = rt_payload(raw, sizeof(raw), 5, 6, 200);
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t zn = ZSTD_compress_usingDict(c, z, sizeof(z), raw, n, test_dict,
					    sizeof(test_dict) - 1, 3);
	cr_assert(!ZSTD_isError(zn));
	ZSTD_freeCCtx(c);
	cr_assert_geq(gs_ring_write(&r, 1, GOSHIM_CODEC_DICT, 1, z, (uint32_t)zn, (uint32_t)n), 0);
	/* and a zstd record whose raw_len lies */
	zn = ZSTD_compress(z, sizeof(z), raw, n, 1);
	cr_assert_geq(gs_ring_write(&r, 1, GOSHIM_CODEC_ZSTD, 1, z, (uint32_t)zn,
				    (uint32_t)n + 1), 0);
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	rd.dict_lookup = lookup;
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.nrecs, 2);
	uint32_t w;
	uint64_t s;
	cr_assert_null(rd.recs[0].error);
	cr_assert_eq(rt_check(rd.recs[0].payload, rd.recs[0].raw_len, &w, &s), 0);
	cr_assert_eq(w, 5);
	cr_assert_eq(s, 6);
	cr_assert_null(rd.recs[1].payload);
	cr_assert_not_null(rd.recs[1].error);
	cr_assert(rt_has_issue(&rd, GS_RP_BAD_RECORD));
	gs_ring_unload(&rd);

	struct gs_ring_reader rd2 = { 0 };
	cr_assert_eq(gs_ring_load(&rd2, p), 0);
	cr_assert_eq(rd2.nrecs, 2);
	cr_assert_null(rd2.recs[0].payload);
	cr_assert_str_eq(rd2.recs[0].error, "zstd dictionary 99 not known to this goshimctl");
	gs_ring_unload(&rd2);
	rt_rmtree(d);
}
