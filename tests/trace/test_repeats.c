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

/* Run tp-forks N under the engine into dir/name; the routine lane's head:
 * every byte the failed calls took. */
static uint64_t run_forks(const char *dir, const char *name, int n, char *ring, size_t cap)
{
	char ns[16], ks[16];
	char *argv[] = { (char *)tt_build("tests/trace/tp-forks"), ns, ks, TR_PATH, NULL };
	struct gs_ring_reader rd = { 0 };

	snprintf(ns, sizeof(ns), "%d", n);
	snprintf(ks, sizeof(ks), "%d", TR_TIMES);
	snprintf(ring, cap, "%s/%s", dir, name);
	int st = tt_trace(ring, argv, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	cr_assert_eq(gs_ring_load(&rd, ring), 0);
	cr_assert(rd.hdr_ok);
	cr_assert_eq(gs_ring_lost(&rd), 0);
	uint64_t head = rd.lanes[GOSHIM_LANE_ROUTINE].head;
	gs_ring_unload(&rd);
	return head;
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

Test(trace_repeats, fifty_processes_one_failure)
{
	char *dir = tt_tmpdir("repeats"), one[512], many[512];
	uint64_t b1 = run_forks(dir, "one.ring", 1, one, sizeof(one));
	uint64_t bn = run_forks(dir, "many.ring", TR_FORKS, many, sizeof(many));

	cr_assert_leq(bn - b1, (uint64_t)(TR_FORKS - 1) * TR_REPEAT_SPAN,
		      "%d more processes failing the same way took %llu bytes, "
		      "more than a %zu-byte repeat each", TR_FORKS - 1,
		      (unsigned long long)(bn - b1), TR_REPEAT_SPAN);

	/* decode: every process has its failure, whole, counted exactly */
	struct tt_ring r;
	uint32_t pids[TR_FORKS];
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
		cr_assert_eq(e->call, GOSHIM_CALL_sys_openat);
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
