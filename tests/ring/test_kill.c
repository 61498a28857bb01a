/* SPDX-License-Identifier: Apache-2.0 */
/* Crash safety: a writer SIGKILLed at a random moment of a tight write
 * loop leaves a ring that decodes, with every found record intact. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringtest.h"

#define ROUNDS 40

static void writer(const char *path)
{
	struct gs_ring r;
	uint64_t st = (uint64_t)getpid();

	if (gs_ring_attach(&r, path, GOSHIM_RING_MIN_DATA, 0600, 0)) {
		_exit(3);
	}
	for (uint64_t s = 0;; s++) {
		rt_write(&r, 1, s, rt_rand(&st) % 600);
	}
}

Test(kill, sigkill_mid_write_leaves_decodable_ring, .timeout = 240)
{
	const char *d = rt_tmpdir();
	char p[256];
	uint64_t st = 12345, torn_total = 0, recs_total = 0;
	int partial_tail = 0;

	snprintf(p, sizeof(p), "%s/ring", d);
	for (int round = 0; round < ROUNDS; round++) {
		unlink(p);
		pid_t pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			writer(p);
		}
		/* 0..80 ms: from "not yet attached" to "many laps" */
		struct timespec ts = { 0, (long)(rt_rand(&st) % 80000) * 1000L };
		nanosleep(&ts, NULL);
		cr_assert_eq(kill(pid, SIGKILL), 0);
		int status;
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			  "round %d: the writer ended on its own (%#x)", round, status);
		if (access(p, F_OK) != 0) {
			continue; /* killed before the ring was published */
		}

		struct gs_ring_reader rd = { 0 };
		cr_assert_eq(gs_ring_load(&rd, p), 0);
		cr_assert(rd.hdr_ok, "round %d: header damaged", round);
		uint64_t committed = rd.hdr.committed;
		uint64_t prev = 0;
		for (size_t i = 0; i < rd.nrecs; i++) {
			uint32_t w;
			uint64_t s;
			cr_assert_null(rd.recs[i].error, "round %d: %s", round, rd.recs[i].error);
			cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s), 0,
				     "round %d: record %zu damaged", round, i);
			/* one writer: what survives is a contiguous run of seqs */
			cr_assert(i == 0 || s == prev + 1, "round %d: seq %lu after %lu", round,
				  (unsigned long)s, (unsigned long)prev);
			prev = s;
		}
		if (rd.nrecs) {
			/* killed between commit and the counter: one more than counted */
			cr_assert(prev + 1 == committed || prev == committed,
				  "round %d: last seq %lu, committed %lu", round,
				  (unsigned long)prev, (unsigned long)committed);
			partial_tail += prev == committed;
			cr_assert_eq(gs_ring_lost(&rd),
				     committed > rd.nrecs ? committed - rd.nrecs : 0);
		}
		torn_total += rd.torn;
		recs_total += rd.nrecs;
		gs_ring_unload(&rd);
	}
	cr_log_info("%d kills: %lu records found intact, %lu torn granules counted, "
		    "%d killed between commit and count", ROUNDS, (unsigned long)recs_total,
		    (unsigned long)torn_total, partial_tail);
	fprintf(stderr, "kill: %d kills, %lu records intact, %lu torn granules, "
		"%d kills between commit and count\n", ROUNDS, (unsigned long)recs_total,
		(unsigned long)torn_total, partial_tail);
	cr_assert_gt(recs_total, 0);
	rt_rmtree(d);
}

/* A writer killed after reserve, before commit: simulated exactly by
 * writing a record header with commit 0 the way a writer does first. */
Test(kill, reserved_never_committed_is_skipped)
{
	char p[256];
	struct gs_ring r;
	const char *d = rt_ring_at(&r, p, sizeof(p), 0);

	rt_write(&r, 1, 0, 10);
	uint64_t pos = __atomic_fetch_add(&r.hdr->head, 128, __ATOMIC_RELAXED);
	struct goshim_rec_hdr *h = (struct goshim_rec_hdr *)(r.data + pos);
	h->commit = 0;
	h->pos = pos;
	h->len = 100;
	rt_write(&r, 1, 2, 10);
	/* and one torn the other way: committed, then its payload changed */
	int64_t at = rt_write(&r, 1, 3, 10);
	r.data[at + 50] ^= 1;
	rt_write(&r, 1, 4, 10);
	gs_ring_detach(&r);

	struct gs_ring_reader rd = { 0 };
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_eq(rd.nrecs, 3);
	cr_assert_eq(rd.torn, 1);
	cr_assert(rt_has_issue(&rd, GS_RP_TORN));
	cr_assert_eq(gs_ring_lost(&rd), 1, "4 committed, 3 found");
	gs_ring_unload(&rd);
	rt_rmtree(d);
}
