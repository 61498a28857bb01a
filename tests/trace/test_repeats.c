/* SPDX-License-Identifier: Apache-2.0 */
/* A failure repeated by many processes (every cc1 of a build searching the
 * same missing paths) costs the ring a short repeat per process, and still
 * reads back as each process's whole failure, with exact counts. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_read.h"
#include "tlv.h"
#include "tt.h"

#define TR_PATH "/nonexistent-goshim/repeat-across"
#define TR_FORKS 50
#define TR_TIMES 3

/* Bytes a repeat of the TR_PATH failure takes in the ring: the record
 * header (40), identity (time real and mono 12 + 12, pid, tid, ppid
 * 8 + 8 + 8), call and errno (8 + 8), the path (4 + its length) and the
 * reference (12), rounded up to a granule. */
#define TR_REPEAT_SPAN \
	((40 + 76 + 4 + sizeof(TR_PATH) - 1 + GOSHIM_RING_GRANULE - 1) & \
	 ~(size_t)(GOSHIM_RING_GRANULE - 1))

/* Run argv into ring, under the trace engine or (preload) with
 * libgoshim.so in every process; it must exit 0. */
static void run_into(const char *ring, char *const argv[], int preload)
{
	int st;

	if (preload) {
		cr_assert_not_null(getenv("GOSHIM_PRELOAD"));
		setenv("LD_PRELOAD", getenv("GOSHIM_PRELOAD"), 1);
		setenv("GOSHIM_RING", ring, 1);
		st = tt_bare(argv, NULL);
		unsetenv("LD_PRELOAD");
		unsetenv("GOSHIM_RING");
	} else {
		st = tt_trace(ring, argv, NULL);
	}
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}

/* Run tp-forks N into dir/name, under the trace engine or (preload) with
 * libgoshim.so in every process. */
static void run_forks(const char *dir, const char *name, int n, int preload,
		      char *ring, size_t cap)
{
	char ns[16], ks[16];
	char *argv[] = { (char *)tt_build("tests/trace/tp-forks"), ns, ks, TR_PATH,
			 preload ? "libc" : NULL, NULL };

	snprintf(ns, sizeof(ns), "%d", n);
	snprintf(ks, sizeof(ks), "%d", TR_TIMES);
	snprintf(ring, cap, "%s/%s", dir, name);
	run_into(ring, argv, preload);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 1 when the record's PATH is TR_PATH. */
static int about_tr_path(const struct gs_rec *rec)
{
	struct gs_tlv_field f;
	size_t off = 0;

	while (rec->payload && gs_tlv_next(rec->payload, rec->raw_len, &off, &f) == 1) {
		if (f.tag == GOSHIM_T_PATH) {
			return f.len == strlen(TR_PATH) && !memcmp(f.val, TR_PATH, f.len);
		}
	}
	return 0;
}

/* The ring bytes the TR_PATH failures took: how many records were written
 * whole, and the largest span of the others. */
static void tr_path_bytes(const char *ring, size_t *whole, uint64_t *max_other)
{
	struct gs_ring_reader rd = { 0 };
	uint64_t pos[4096];
	size_t n = 0;

	cr_assert_eq(gs_ring_load(&rd, ring), 0);
	cr_assert(rd.hdr_ok);
	cr_assert_eq(gs_ring_lost(&rd), 0);
	for (size_t i = 0; i < rd.nrecs && n < 4096; i++) {
		if (rd.recs[i].lane == GOSHIM_LANE_ROUTINE) {
			pos[n++] = rd.recs[i].pos;
		}
	}
	qsort(pos, n, sizeof(pos[0]), cmp_u64);
	*whole = 0;
	*max_other = 0;
	for (size_t i = 0; i < rd.nrecs; i++) {
		const struct gs_rec *rec = &rd.recs[i];
		if (rec->lane != GOSHIM_LANE_ROUTINE || !about_tr_path(rec)) {
			continue;
		}
		const uint64_t *k = bsearch(&rec->pos, pos, n, sizeof(pos[0]), cmp_u64);
		cr_assert_not_null(k);
		uint64_t span = (size_t)(k - pos) + 1 < n ? k[1] - k[0]
					: rd.lanes[GOSHIM_LANE_ROUTINE].head - k[0];
		if (rec->repeat == GS_REC_WHOLE) {
			(*whole)++;
		} else if (span > *max_other) {
			*max_other = span;
		}
	}
	gs_ring_unload(&rd);
}

/* The count `goshimctl report --json` gives the suppressed pattern id. */
static long report_suppressed(const char *ring, const char *id)
{
	char cmd[1024], line[512], key[128];
	long v = -1;

	snprintf(cmd, sizeof(cmd), "%s report --json %s", tt_build("ctl/goshimctl"), ring);
	snprintf(key, sizeof(key), "\"%s\": ", id);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *k = strstr(line, key);
		if (k && v < 0) {
			v = strtol(k + strlen(key), NULL, 10);
		}
	}
	pclose(p);
	return v;
}

/* TR_FORKS processes fail the same way: the ring holds one whole record
 * and a repeat per other process; each process still reads back with its
 * whole failure (backtrace, modules, evidence), counted exactly. */
static void fifty_processes(int preload)
{
	char *dir = tt_tmpdir("repeats"), many[512];
	size_t whole;
	uint64_t max_other;

	run_forks(dir, "many.ring", TR_FORKS, preload, many, sizeof(many));
	tr_path_bytes(many, &whole, &max_other);
	cr_assert_eq(whole, 1, "%zu of %d processes wrote the failure whole", whole, TR_FORKS);
	cr_assert_leq(max_other, TR_REPEAT_SPAN, "a repeat took %llu bytes, more than %zu",
		      (unsigned long long)max_other, TR_REPEAT_SPAN);

	/* decode: every process has its failure, whole, counted exactly */
	struct tt_ring r;
	uint32_t pids[TR_FORKS], call = 0;
	size_t n = 0, enoent = 0;

	tt_load(many, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *e = &r.recs[i];

		if (e->type != GOSHIM_REC_EVENT) {
			continue;
		}
		enoent += e->err == ENOENT ? e->count : 0;
		if (strcmp(e->path, TR_PATH) != 0) {
			continue;
		}
		cr_assert_lt(n, TR_FORKS, "more records than processes");
		cr_assert_eq(e->count, TR_TIMES, "pid %u: count %u", e->pid, e->count);
		call = call ? call : e->call;
		cr_assert_eq(e->call, preload ? call : GOSHIM_CALL_sys_openat);
		cr_assert_eq(e->err, ENOENT);
		cr_assert_geq(e->nframes, 2, "pid %u: no backtrace", e->pid);
		cr_assert_geq(e->nmodules, 1, "pid %u: no modules", e->pid);
		cr_assert(e->ev_path[0], "pid %u: no evidence", e->pid);
		cr_assert(strstr(e->exe, "tp-forks"), "pid %u: exe %s", e->pid, e->exe);
		for (size_t j = 0; j < n; j++) {
			cr_assert_neq(pids[j], e->pid, "pid %u twice", e->pid);
		}
		pids[n++] = e->pid;
	}
	if (n != TR_FORKS) {
		tt_dump(&r);
	}
	cr_assert_eq(n, TR_FORKS, "%zu processes with the failure", n);
	tt_free(&r);

	/* report: every occurrence counted */
	cr_assert_eq(report_suppressed(many, "unmatched-enoent"), (long)enoent);
	cr_assert_geq(enoent, (size_t)TR_FORKS * TR_TIMES);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

Test(trace_repeats, fifty_processes_one_failure)
{
	fifty_processes(0);
}

/* The same with libgoshim.so recording in each process: they find each
 * other's record through the ring's shared index. */
Test(trace_repeats, fifty_preloaded_processes_one_failure)
{
	fifty_processes(1);
}

/* The mmap records of a ring: how many, and each one's length and count
 * (in the ring's order). */
static size_t mmap_records(const char *ring, uint64_t *len, uint64_t *count, size_t cap)
{
	struct gs_ring_reader rd = { 0 };
	size_t n = 0;

	cr_assert_eq(gs_ring_load(&rd, ring), 0);
	for (size_t i = 0; i < rd.nrecs; i++) {
		const struct gs_rec *rec = &rd.recs[i];
		struct gs_tlv_field f;
		size_t off = 0;
		int is_mmap = 0;
		uint64_t l = 0;

		while (rec->type == GOSHIM_REC_EVENT && rec->payload &&
		       gs_tlv_next(rec->payload, rec->raw_len, &off, &f) == 1) {
			if (f.tag == GOSHIM_T_CALL && f.len == 4) {
				uint32_t c;
				memcpy(&c, f.val, 4);
				is_mmap = c == GOSHIM_CALL_mmap || c == GOSHIM_CALL_mmap64 ||
					  c == GOSHIM_CALL_sys_mmap;
			} else if (f.tag == GOSHIM_T_LENGTH && f.len == 8) {
				memcpy(&l, f.val, 8);
			}
		}
		if (is_mmap && n < cap) {
			len[n] = l;
			count[n++] = rec->count;
		}
	}
	gs_ring_unload(&rd);
	return n;
}

/* One call site fails a 128 MiB mmap then 20 of 32 MiB (ENOMEM): two
 * records, the arena's counted 1 and the others' 20, not one counted 21
 * with the first length only (common/mmclass.h).  Under the preload, under
 * notifications and with the in-kernel watcher, whose own key (process,
 * call, errno, pc, path) mixes the same class in. */
static void mmap_classes(int preload)
{
	char *dir = tt_tmpdir("mmaps"), ring[512];
	char *argv[] = { (char *)tt_build("tests/trace/tp-forks"), "mmaps", "20",
			 preload ? "libc" : NULL, NULL };
	uint64_t len[8], count[8];

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	run_into(ring, argv, preload);
	size_t n = mmap_records(ring, len, count, 8);
	cr_assert_eq(n, 2, "%zu mmap records (%s)", n,
		     preload ? "preload" : tl_ebpf_expected() ? "watcher" : "notified");
	cr_expect_eq(len[0], 128u << 20);
	cr_expect_eq(count[0], 1);
	cr_expect_eq(len[1], 32u << 20);
	cr_expect_eq(count[1], 20);
	tl_rmtree(dir);
	free(dir);
}

Test(repeats, mmap_classes_apart_trace)
{
	mmap_classes(0);
}

Test(repeats, mmap_classes_apart_preload)
{
	mmap_classes(1);
}
