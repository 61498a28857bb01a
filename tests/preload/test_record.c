// SPDX-License-Identifier: Apache-2.0
/*
 * What libgoshim.so records, read back with the common ring reader: for
 * every wrapped entry point, one event with the right call id, errno and
 * path (or name, fd, clock id); for the wait family, exit records with
 * the children's statuses; records from a vfork child, from a signal
 * handler on a sigaltstack, and from 8 threads.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"
#include "scenarios.h"

TestSuite(record, .fini = fl_cleanup);

#define RC_MAX 20000

static struct fl_rec rc_recs[RC_MAX];

static uint32_t rc_call_id(const char *name)
{
	const struct gs_call_info *c = gs_call_by_name(name, 'L');

	cr_assert(c, "no call id for %s", name);
	return c->id;
}

/* "@rest": DIR followed by rest; "*tail": ends with tail; else exact. */
static int rc_path_ok(const char *got, const char *want, const char *dir)
{
	size_t gl = strlen(got);

	if (want[0] == '@') {
		return strncmp(got, dir, strlen(dir)) == 0 &&
		       strcmp(got + strlen(dir), want + 1) == 0;
	}
	if (want[0] == '*') {
		return gl >= strlen(want + 1) &&
		       strcmp(got + gl - strlen(want + 1), want + 1) == 0;
	}
	return strcmp(got, want) == 0;
}

static void rc_check(const char *scen, const char *call, int err,
		     const char *path, const char *name)
{
	struct fl_run run;
	uint32_t id = rc_call_id(call);
	size_t n, found = 0;

	fl_run(&run, scen, fl_preload(), NULL);
	fl_skip_if_needed(&run);
	n = fl_ring_records(run.ring, rc_recs, RC_MAX, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct fl_rec *r = &rc_recs[i];

		if (r->type != GOSHIM_REC_EVENT || r->call != id) {
			continue;
		}
		found++;
		cr_expect(r->has_err && r->err == err, "%s: errno %d, want %d",
			  scen, r->err, err);
		if (path) {
			cr_expect(rc_path_ok(r->path, path, run.dir),
				  "%s: path \"%s\", want \"%s\" (DIR %s)", scen,
				  r->path, path, run.dir);
		}
		if (name) {
			cr_expect_str_eq(r->name, name, "%s: name", scen);
		}
		if (!path && !name && strcmp(call, "clock_gettime") == 0) {
			cr_expect(r->has_clockid && r->clockid == 4242,
				  "%s: clockid", scen);
		} else if (!path && !name && strncmp(call, "mmap", 4) != 0) {
			cr_expect(r->has_fd, "%s: no fd recorded", scen);
		}
	}
	cr_expect_eq(found, 1, "%s: %zu %s events in the ring (%zu records), "
		     "want 1; failer stderr: %s", scen, found, call, n, run.err);
	fl_run_done(&run);
}

#define RC_FAIL(scen, call, err, path, name)                              \
	Test(record, scen, .timeout = 60)                                 \
	{                                                                 \
		rc_check(#scen, #call, err, path, name);                  \
	}
FL_FAILURES(RC_FAIL)

/* Exit records for the five abnormal children of the wait scenario. */
Test(record, wait, .timeout = 60)
{
	static const int want[] = { 0x300, 0xb, 0x400, 0xf, 0x500 };
	struct fl_run run;
	size_t n;
	int seen[5] = { 0 };

	fl_run(&run, "wait", fl_preload(), NULL);
	n = fl_ring_records(run.ring, rc_recs, RC_MAX, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (rc_recs[i].type != GOSHIM_REC_EXIT || !rc_recs[i].child) {
			continue;
		}
		for (int k = 0; k < 5; k++) {
			if (rc_recs[i].has_status && rc_recs[i].status == want[k]) {
				seen[k]++;
			}
		}
	}
	for (int k = 0; k < 5; k++) {
		cr_expect_eq(seen[k], 1, "exit status %#x recorded %d times",
			     want[k], seen[k]);
	}
	fl_run_done(&run);
}

/* The execve that failed in a vfork child is recorded, by the child. */
Test(record, vfork_execve, .timeout = 60)
{
	struct fl_run run;
	size_t n, found = 0, exits = 0;

	fl_run(&run, "vfork_execve", fl_preload(), NULL);
	n = fl_ring_records(run.ring, rc_recs, RC_MAX, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct fl_rec *r = &rc_recs[i];

		if (r->type == GOSHIM_REC_EVENT && r->call == GOSHIM_CALL_execve &&
		    r->err == ENOENT && strstr(r->path, "/nonexistent")) {
			found++;
		}
		if (r->type == GOSHIM_REC_EXIT && r->has_status &&
		    r->status == (127 << 8)) {
			exits++;
		}
	}
	cr_expect_eq(found, 1, "execve events from the vfork child: %zu", found);
	cr_expect_eq(exits, 1, "exit(127) records: %zu", exits);
	fl_run_done(&run);
}

/* Failures inside a signal handler on a SIGSTKSZ stack are recorded too
 * (those interrupting goshim's own code may be skipped, not all). */
Test(record, sigaltstack, .timeout = 120)
{
	struct fl_run run;
	size_t n, handler = 0;

	fl_run(&run, "sigaltstack", fl_preload(), NULL);
	n = fl_ring_records(run.ring, rc_recs, RC_MAX, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (rc_recs[i].type == GOSHIM_REC_EVENT &&
		    rc_recs[i].call == GOSHIM_CALL_openat &&
		    strcmp(rc_recs[i].path, "nonexistent-in-handler") == 0) {
			handler += rc_recs[i].count;
		}
	}
	cr_expect(handler >= 1, "no openat from the signal handler recorded");
	fl_run_done(&run);
}

/* 8000 failing opens from 8 threads: each one is in the ring or counted
 * as lost or dropped. */
Test(record, threads, .timeout = 120)
{
	struct fl_run run;
	uint64_t lost = 0, dropped = 0, opens = 0;
	size_t n;

	fl_run(&run, "threads", fl_preload(), NULL);
	n = fl_ring_records(run.ring, rc_recs, RC_MAX, &lost, &dropped);
	for (size_t i = 0; i < n; i++) {
		if (rc_recs[i].type == GOSHIM_REC_EVENT &&
		    rc_recs[i].call == GOSHIM_CALL_open &&
		    strstr(rc_recs[i].path, "/missing-")) {
			opens += rc_recs[i].count;
		}
	}
	cr_expect(opens >= 1, "no open events recorded");
	cr_expect(opens + lost + dropped >= 8000,
		  "opens %llu + lost %llu + dropped %llu < 8000",
		  (unsigned long long)opens, (unsigned long long)lost,
		  (unsigned long long)dropped);
	fl_run_done(&run);
}
