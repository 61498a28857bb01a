// SPDX-License-Identifier: Apache-2.0
/*
 * A thread storm loses nothing: 64 threads started together, each failing
 * distinct opens, under libgoshim.so.  Into a ring big enough, every
 * failure is in the ring and nothing is dropped (no thread waits for, or
 * goes without, a scratch slot); into a ring that wraps, every record
 * written is found by the reader or counted as lost, exactly.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls.h"
#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"
#include "tl_suite.h"

#define SM_THREADS "64"
#define SM_N       "500"
#define SM_TOTAL   (64u * 500u)

static char sm_tmp[256];
TL_SUITE_TMPDIR(storm, sm_tmp);

/* Run the storm under the preload into ring (of size, a GOSHIM_RING_SIZE). */
static void sm_run(const char *ring, const char *size)
{
	char storm[512], cmd[2048];

	fl_built(storm, sizeof(storm), "storm");
	snprintf(cmd, sizeof(cmd),
		 "GOSHIM_RING='%s' GOSHIM_RING_SIZE=%s GOSHIM_HANDOVER=0 LD_PRELOAD='%s' "
		 "'%s' " SM_THREADS " " SM_N " '%s' >/dev/null",
		 ring, size, fl_preload(), storm, sm_tmp);
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "storm: status %#x", st);
}

/* The storm into a ring of that size in the suite's dir, counted: no
 * record may be dropped. */
static void sm_count(const char *name, const char *size, struct fl_count *c)
{
	char ring[512];

	snprintf(ring, sizeof(ring), "%s/%s", sm_tmp, name);
	sm_run(ring, size);
	fl_ring_count(ring, GOSHIM_CALL_open64, "/missing-", c);
	cr_expect_eq(c->dropped, 0, "dropped %llu", (unsigned long long)c->dropped);
}

Test(storm, big_ring_nothing_dropped, .timeout = 300)
{
	struct fl_count c;

	sm_count("big.ring", "64M", &c);
	cr_expect_eq(c.lost, 0, "lost %llu (the ring should hold everything)",
		     (unsigned long long)c.lost);
	cr_expect_eq(c.matching, SM_TOTAL, "failures in the ring: %llu of %u",
		     (unsigned long long)c.matching, SM_TOTAL);
	cr_expect_eq(c.found, c.committed, "found %llu, committed %llu",
		     (unsigned long long)c.found, (unsigned long long)c.committed);
}

Test(storm, wrapped_ring_exact_accounting, .timeout = 300)
{
	struct fl_count c;

	sm_count("small.ring", "1M", &c);
	cr_expect_gt(c.lost, 0, "a 1 MiB ring should have wrapped");
	cr_expect_eq(c.found + c.lost, c.committed,
		     "found %llu + lost %llu != committed %llu",
		     (unsigned long long)c.found, (unsigned long long)c.lost,
		     (unsigned long long)c.committed);
	/* every failure is a record of its own: committed = failures + the
	 * process record (and nothing else the storm fails on) */
	cr_expect_geq(c.committed, SM_TOTAL, "committed %llu < %u failures",
		      (unsigned long long)c.committed, SM_TOTAL);
}
