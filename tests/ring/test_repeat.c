/* SPDX-License-Identifier: Apache-2.0 */
/* Cross-process repeats (common/repeat.h): the key ignores what differs
 * between two processes failing the same way; a repeat reads back as the
 * whole failure while its original is in the ring, and alone — identity,
 * call, errno, path — once the original was overwritten. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crc32c.h"
#include "goshim/record.h"
#include "repeat.h"
#include "ringtest.h"
#include "tlv.h"

#define RP_PATH "/usr/lib/gcc/x86_64-linux-gnu/12/missing-as"

/* An EVENT as a capture engine writes it: process pid, its module loaded
 * at base (ASLR), free blocks bavail on the path's filesystem. */
static size_t ev_payload(uint8_t *buf, size_t cap, uint32_t pid, uint64_t base,
			 uint64_t bavail, const char *path, int err)
{
	struct gs_tlv t;
	struct goshim_t_statfs sf = { 0xef53, 0x400, bavail, 4096, 1000 };
	uint8_t mod[sizeof(struct goshim_t_module) + 16];
	struct goshim_t_module m = { base, base + 0x10000, base, 4, { 1, 2, 3, 4 }, { 0 } };

	memcpy(mod, &m, sizeof(m));
	memcpy(mod + sizeof(m), "/usr/bin/cc1-tst", 16);
	gs_tlv_init(&t, buf, cap);
	gs_tlv_u64(&t, GOSHIM_T_TIME_REAL, 1000 + pid);
	gs_tlv_u64(&t, GOSHIM_T_TIME_MONO, 2000 + pid);
	gs_tlv_u32(&t, GOSHIM_T_PID, pid);
	gs_tlv_u32(&t, GOSHIM_T_TID, pid);
	gs_tlv_u32(&t, GOSHIM_T_PPID, 1);
	gs_tlv_str(&t, GOSHIM_T_EXE, "/usr/bin/cc1-tst");
	gs_tlv_u32(&t, GOSHIM_T_CALL, 22);
	gs_tlv_i32(&t, GOSHIM_T_ERRNO, err);
	gs_tlv_i64(&t, GOSHIM_T_RET, -1);
	gs_tlv_str(&t, GOSHIM_T_PATH, path);
	gs_tlv_str(&t, GOSHIM_T_ABSPATH, path);
	gs_tlv_u64(&t, GOSHIM_T_FRAME, base + 0x123);
	gs_tlv_u64(&t, GOSHIM_T_FRAME, base + 0x456);
	gs_tlv_put(&t, GOSHIM_T_MODULE, mod, sizeof(mod));
	gs_tlv_str(&t, GOSHIM_T_EV_PATH, "/usr/lib/gcc");
	gs_tlv_put(&t, GOSHIM_T_EV_STATFS, &sf, sizeof(sf));
	gs_tlv_finish(&t);
	return t.len;
}

/* The repeat of payload p written whole at orig. */
static size_t rep_payload(uint8_t *buf, size_t cap, const uint8_t *p, size_t n, uint64_t orig)
{
	struct gs_tlv t;

	gs_tlv_init(&t, buf, cap);
	gs_repeat_put(&t, p, n, orig);
	gs_tlv_finish(&t);
	return t.len;
}

static int64_t put_event(struct gs_ring *r, const uint8_t *p, size_t n)
{
	return gs_ring_write(r, GOSHIM_REC_EVENT, GOSHIM_CODEC_RAW, GOSHIM_ENGINE_TRACE, p,
			     (uint32_t)n, (uint32_t)n);
}

/* Number of fields of tag in a decoded payload, and the first's value. */
static unsigned fields(const struct gs_rec *rec, uint16_t tag, struct gs_tlv_field *first)
{
	struct gs_tlv_field f;
	size_t off = 0;
	unsigned n = 0;

	while (gs_tlv_next(rec->payload, rec->raw_len, &off, &f) == 1) {
		if (f.tag == tag && !n++ && first) {
			*first = f;
		}
	}
	return n;
}

static uint32_t u32_of(const struct gs_rec *rec, uint16_t tag)
{
	struct gs_tlv_field f;
	uint32_t v = 0;

	cr_assert_eq(fields(rec, tag, &f), 1, "tag %u once", tag);
	cr_assert_eq(gs_tlv_get_u32(&f, &v), 0);
	return v;
}

static const struct gs_rec *at(const struct gs_ring_reader *rd, uint64_t pos)
{
	for (size_t i = 0; i < rd->nrecs; i++) {
		if (rd->recs[i].lane == GOSHIM_LANE_ROUTINE && rd->recs[i].pos == pos) {
			return &rd->recs[i];
		}
	}
	return NULL;
}

Test(repeat, key_ignores_identity_layout_and_free_space)
{
	uint8_t a[2048], b[2048], c[2048], d[2048], e[2048];
	size_t na = ev_payload(a, sizeof(a), 10, 0x555500000000ull, 100, RP_PATH, ENOENT);
	size_t nb = ev_payload(b, sizeof(b), 11, 0x7f7700000000ull, 99, RP_PATH, ENOENT);
	size_t nc = ev_payload(c, sizeof(c), 10, 0x555500000000ull, 100, RP_PATH "2", ENOENT);
	size_t nd = ev_payload(d, sizeof(d), 10, 0x555500000000ull, 100, RP_PATH, ENOSPC);
	size_t ne = ev_payload(e, sizeof(e), 11, 0x555500000000ull, 99, RP_PATH, ENOSPC);

	cr_assert_eq(gs_repeat_key(a, na), gs_repeat_key(b, nb),
		     "another pid, load address and free space: the same failure");
	cr_assert_neq(gs_repeat_key(a, na), gs_repeat_key(c, nc), "another path");
	cr_assert_neq(gs_repeat_key(a, na), gs_repeat_key(d, nd), "another errno");
	cr_assert_neq(gs_repeat_key(d, nd), gs_repeat_key(e, ne),
		      "ENOSPC: the free space is part of the failure");
}

/* A repeat carries identity, call, errno, path and the reference: far
 * less than the whole record. */
Test(repeat, repeat_is_short)
{
	uint8_t a[2048], r[2048];
	size_t na = ev_payload(a, sizeof(a), 10, 0x555500000000ull, 100, RP_PATH, ENOENT);
	size_t nr = rep_payload(r, sizeof(r), a, na, 4096);

	/* 5 identity fields (12 + 12 + 8 + 8 + 8), call and errno (8 + 8),
	 * the path (4 + its length), REPEAT_OF (12) */
	cr_assert_eq(nr, 76 + 4 + strlen(RP_PATH), "%zu", nr);
	cr_assert_lt(nr, na);
}

/* A ring with process 10's failure on orig_path written whole (at o), then
 * process 11's failure on RP_PATH written as a repeat of it (at rp). */
struct wr {
	const char *dir;
	char p[256];
	struct gs_ring r;
	int64_t o, rp;
};

static void whole_then_repeat(struct wr *w, const char *orig_path)
{
	uint8_t a[2048], b[2048], rb[2048];

	w->dir = rt_tmpdir();
	snprintf(w->p, sizeof(w->p), "%s/ring", w->dir);
	cr_assert_eq(gs_ring_attach(&w->r, w->p, GOSHIM_RING_MIN_DATA, 0600, 0), 0);
	size_t na = ev_payload(a, sizeof(a), 10, 0x555500000000ull, 100, orig_path, ENOENT);
	size_t nb = ev_payload(b, sizeof(b), 11, 0x7f7700000000ull, 99, RP_PATH, ENOENT);
	w->o = put_event(&w->r, a, na);
	cr_assert_geq(w->o, 0);
	cr_assert(gs_ring_recent(&w->r, (uint64_t)w->o));
	w->rp = put_event(&w->r, rb, rep_payload(rb, sizeof(rb), b, nb, (uint64_t)w->o));
	cr_assert_geq(w->rp, 0);
}

Test(repeat, expanded_from_its_original)
{
	struct wr w;

	whole_then_repeat(&w, RP_PATH);
	cr_assert_eq(gs_ring_agg_bump(&w.r, (uint64_t)w.rp), 0);
	cr_assert_eq(gs_ring_agg_bump(&w.r, (uint64_t)w.rp), 0);
	gs_ring_detach(&w.r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, w.p), 0);
	cr_assert_eq(rd.nrecs, 2);
	cr_assert_eq(rd.repeats, 1);
	cr_assert_eq(rd.repeats_alone, 0);
	const struct gs_rec *orig = at(&rd, (uint64_t)w.o), *rep = at(&rd, (uint64_t)w.rp);
	cr_assert(orig && rep);
	cr_assert_eq(orig->repeat, GS_REC_WHOLE);
	cr_assert_eq(rep->repeat, GS_REC_REPEAT);
	cr_assert_eq(rep->repeat_of, (uint64_t)w.o);
	cr_assert_eq(rep->count, 3, "its own count: %u", rep->count);
	cr_assert_eq(u32_of(rep, GOSHIM_T_PID), 11, "its own identity");
	cr_assert_eq(fields(rep, GOSHIM_T_FRAME, NULL), 2, "the original's backtrace");
	cr_assert_eq(fields(rep, GOSHIM_T_MODULE, NULL), 1);
	cr_assert_eq(fields(rep, GOSHIM_T_EXE, NULL), 1);
	cr_assert_eq(fields(rep, GOSHIM_T_EV_STATFS, NULL), 1, "the original's evidence");
	cr_assert_eq(fields(rep, GOSHIM_T_ABSPATH, NULL), 1, "no field twice");
	cr_assert_eq(fields(rep, GOSHIM_T_TIME_MONO, NULL), 1);
	gs_ring_unload(&rd);
	rt_rmtree(w.dir);
}

/* Fill the routine lane with small records until the record at o is
 * overwritten and the one at keep is not. */
static void overwrite_upto(struct gs_ring *r, uint64_t o, uint64_t keep)
{
	uint64_t size = rt_lane(r, GOSHIM_LANE_ROUTINE).size;
	uint8_t junk[24] = { 0xe7, 0x03, 20, 0 }; /* one unknown field, 64-byte records */

	while (r->hdr->head < o + size + GOSHIM_RING_GRANULE) {
		cr_assert_geq(put_event(r, junk, sizeof(junk)), 0);
	}
	cr_assert_leq(r->hdr->head, keep + size, "the repeat is still there");
}

Test(repeat, alone_once_the_original_is_overwritten)
{
	struct wr w;

	whole_then_repeat(&w, RP_PATH);
	overwrite_upto(&w.r, (uint64_t)w.o, (uint64_t)w.rp);
	cr_assert_not(gs_ring_recent(&w.r, (uint64_t)w.o), "a writer no longer names it");
	gs_ring_detach(&w.r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, w.p), 0);
	cr_assert_null(at(&rd, (uint64_t)w.o), "the original was overwritten");
	const struct gs_rec *rep = at(&rd, (uint64_t)w.rp);
	cr_assert_not_null(rep, "the repeat is read");
	cr_assert_eq(rep->repeat, GS_REC_REPEAT_ALONE);
	cr_assert_eq(rd.repeats_alone, 1);
	cr_assert_eq(u32_of(rep, GOSHIM_T_PID), 11);
	cr_assert_eq(u32_of(rep, GOSHIM_T_CALL), 22);
	struct gs_tlv_field f = { 0 };
	cr_assert_eq(fields(rep, GOSHIM_T_ABSPATH, &f), 1);
	cr_assert_eq(f.len, strlen(RP_PATH));
	cr_assert_eq(memcmp(f.val, RP_PATH, f.len), 0);
	cr_assert_eq(fields(rep, GOSHIM_T_FRAME, NULL), 0, "nothing borrowed");
	gs_ring_unload(&rd);
	rt_rmtree(w.dir);
}

/* A writer lapped while it filled an older record writes over part of a
 * newer one, header left intact: the index no longer names it, and the
 * failure is written whole again instead of as a repeat that would stand
 * alone. */
Test(repeat, not_named_once_cut_into)
{
	struct wr w;
	uint8_t a[2048];
	uint64_t orig = 0;
	size_t na = ev_payload(a, sizeof(a), 10, 0x555500000000ull, 100, RP_PATH, ENOENT);
	uint64_t key = gs_repeat_key(a, na);

	whole_then_repeat(&w, RP_PATH);
	gs_ring_repeat_store(&w.r, key, (uint64_t)w.o);
	cr_assert_eq(gs_ring_repeat_find(&w.r, key, &orig), 0);
	cr_assert_eq(orig, (uint64_t)w.o);
	struct gs_lane l = rt_lane(&w.r, GOSHIM_LANE_ROUTINE);
	w.r.data[l.base + ((uint64_t)w.o + GOSHIM_REC_HDR_SIZE + 100) % l.size] ^= 0x5a;
	cr_assert_not(gs_ring_recent(&w.r, (uint64_t)w.o), "a record cut into is not named");
	cr_assert_neq(gs_ring_repeat_find(&w.r, key, &orig), 0, "the index names @%llu",
		      (unsigned long long)orig);
	gs_ring_detach(&w.r);
	rt_rmtree(w.dir);
}

/* A repeat naming a record that is not its original (another path: a
 * damaged or hostile ring) is not expanded from it. */
Test(repeat, not_expanded_from_another_failure)
{
	struct wr w;
	uint8_t b[2048], rb[2048];
	size_t nb = ev_payload(b, sizeof(b), 11, 0x7f7700000000ull, 99, RP_PATH, ENOENT);

	whole_then_repeat(&w, RP_PATH "-other");
	int64_t rr = put_event(&w.r, rb, rep_payload(rb, sizeof(rb), b, nb, (uint64_t)w.rp));
	gs_ring_detach(&w.r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, w.p), 0);
	cr_assert_eq(at(&rd, (uint64_t)w.rp)->repeat, GS_REC_REPEAT_ALONE);
	cr_assert_eq(at(&rd, (uint64_t)rr)->repeat, GS_REC_REPEAT_ALONE, "a repeat of a repeat");
	cr_assert_eq(fields(at(&rd, (uint64_t)w.rp), GOSHIM_T_FRAME, NULL), 0);
	gs_ring_unload(&rd);
	rt_rmtree(w.dir);
}

#define KILL_ROUNDS 30
#define KILL_PATHS 64

static void kill_path(char *buf, size_t cap, unsigned k)
{
	snprintf(buf, cap, "%s-%u", RP_PATH, k);
}

/* A preloaded writer's loop: each failure written whole or as a repeat of
 * another process's record, found through the shared index. */
static void repeat_writer(const char *path)
{
	struct gs_ring r;
	uint64_t st = (uint64_t)getpid();
	uint8_t a[2048], rb[2048];
	char fp[256];

	if (gs_ring_attach(&r, path, GOSHIM_RING_MIN_DATA, 0600, 0)) {
		_exit(3);
	}
	for (;;) {
		uint64_t orig;

		kill_path(fp, sizeof(fp), (unsigned)(rt_rand(&st) % KILL_PATHS));
		size_t na = ev_payload(a, sizeof(a), (uint32_t)getpid(), 0x555500000000ull,
				       rt_rand(&st), fp, ENOENT);
		uint64_t key = gs_repeat_key(a, na);
		if (gs_ring_repeat_find(&r, key, &orig) == 0) {
			if (put_event(&r, rb, rep_payload(rb, sizeof(rb), a, na, orig)) >= 0) {
				gs_ring_count_repeat(&r);
			}
		} else {
			int64_t pos = put_event(&r, a, na);
			if (pos >= 0) {
				gs_ring_repeat_store(&r, key, (uint64_t)pos);
			}
		}
	}
}

/* Whether the routine-lane record reserved at pos is whole in the ring's
 * bytes: committed, at its position, its CRC holding. */
static int whole_at(const struct gs_ring *r, uint64_t pos)
{
	struct gs_lane l = rt_lane(r, GOSHIM_LANE_ROUTINE);
	uint8_t rec[GOSHIM_REC_MAX];
	struct goshim_rec_hdr h;

	for (size_t i = 0; i < sizeof(rec); i++) {
		rec[i] = r->data[l.base + (pos + i) % l.size];
	}
	memcpy(&h, rec, sizeof(h));
	if (h.commit != GOSHIM_REC_COMMIT || h.pos != pos || h.len < GOSHIM_REC_HDR_SIZE ||
	    h.len > GOSHIM_REC_MAX) {
		return 0;
	}
	return gs_crc32c(0, rec + 16, h.len - 16) == h.crc;
}

/* Two writers SIGKILLed at random moments: every index entry a writer
 * would trust names a whole, committed record of its failure, and a
 * repeat stands alone only when its original is no longer whole: reserved
 * over by a later lap, or cut into by a writer lapped while it filled an
 * older record (a stall of one lap, 32 KiB here, happens on a busy
 * machine). */
Test(repeat, sigkill_leaves_a_consistent_index, .timeout = 240)
{
	const char *d = rt_tmpdir();
	char p[256], fp[256];
	uint64_t st = 777, repeats = 0, trusted = 0;

	snprintf(p, sizeof(p), "%s/ring", d);
	for (int round = 0; round < KILL_ROUNDS; round++) {
		pid_t w[2];

		unlink(p);
		for (int i = 0; i < 2; i++) {
			w[i] = fork();
			cr_assert_geq(w[i], 0);
			if (w[i] == 0) {
				repeat_writer(p);
			}
		}
		struct timespec ts = { 0, (long)(rt_rand(&st) % 60000) * 1000L };
		nanosleep(&ts, NULL);
		for (int i = 0; i < 2; i++) {
			int status;
			cr_assert_eq(kill(w[i], SIGKILL), 0);
			cr_assert_eq(waitpid(w[i], &status, 0), w[i]);
		}
		if (access(p, F_OK) != 0) {
			continue;
		}
		struct gs_ring_reader rd = { 0 };
		cr_assert_eq(gs_ring_load(&rd, p), 0);
		cr_assert(rd.hdr_ok);
		uint64_t head = rd.lanes[GOSHIM_LANE_ROUTINE].head;
		uint64_t size = rd.lanes[GOSHIM_LANE_ROUTINE].size;
		struct gs_ring r;
		cr_assert_eq(gs_ring_attach(&r, p, GOSHIM_RING_MIN_DATA, 0600, 0), 0);
		for (size_t i = 0; i < rd.nrecs; i++) {
			const struct gs_rec *rec = &rd.recs[i];
			cr_assert_null(rec->error, "round %d: %s", round, rec->error);
			if (rec->repeat == GS_REC_REPEAT_ALONE) {
				cr_assert(rec->repeat_of + size < head || !whole_at(&r, rec->repeat_of),
					  "round %d: a repeat of @%llu, which is whole, stands alone",
					  round, (unsigned long long)rec->repeat_of);
			}
			repeats += rec->repeat != GS_REC_WHOLE;
		}
		for (unsigned k = 0; k < KILL_PATHS; k++) {
			uint8_t a[2048];
			uint64_t orig;
			kill_path(fp, sizeof(fp), k);
			size_t na = ev_payload(a, sizeof(a), 1, 0x555500000000ull, 0, fp, ENOENT);
			if (gs_ring_repeat_find(&r, gs_repeat_key(a, na), &orig) != 0) {
				continue;
			}
			trusted++;
			const struct gs_rec *o = at(&rd, orig);
			cr_assert_not_null(o, "round %d: the index names @%llu: no record", round,
					   (unsigned long long)orig);
			cr_assert_eq(o->repeat, GS_REC_WHOLE);
			struct gs_tlv_field f = { 0 };
			cr_assert_eq(fields(o, GOSHIM_T_ABSPATH, &f), 1);
			cr_assert(f.len == strlen(fp) && !memcmp(f.val, fp, f.len),
				  "round %d: the index names another failure's record", round);
		}
		gs_ring_detach(&r);
		gs_ring_unload(&rd);
	}
	cr_assert_gt(repeats, 0, "no repeat was ever written");
	cr_assert_gt(trusted, 0, "no index entry was ever trusted");
	rt_rmtree(d);
}
