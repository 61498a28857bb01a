// SPDX-License-Identifier: Apache-2.0
/*
 * goshimctl is never a subject: with LD_PRELOAD exported job-wide,
 * `goshimctl decode` and `report` (missing rules file, missing ring) write
 * nothing into the ring they read, or any other.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"
#include "tl_suite.h"

static char sj_tmp[256];
TL_SUITE_TMPDIR(subject, sj_tmp);

/* Run `sh -c cmd` with the preload exported, recording into ring. */
static int sj_sh(const char *ring, const char *cmd)
{
	char line[9000];

	snprintf(line, sizeof(line),
		 "export LD_PRELOAD='%s' GOSHIM_RING='%s' GOSHIM_HANDOVER=0; %s",
		 fl_preload(), ring, cmd);
	return system(line);
}

Test(subject, ctl_records_nothing, .timeout = 120)
{
	const char *ctl = getenv("GOSHIMCTL");
	char ring[512], cmd[8192];
	struct fl_count before, after;

	cr_assert(ctl && *ctl, "GOSHIMCTL is not set");
	snprintf(ring, sizeof(ring), "%s/r.ring", sj_tmp);
	/* a subject: cat's failure is recorded (the ring exists, the
	 * preload records in this environment) */
	sj_sh(ring, "cat /nonexistent/goshim-subject 2>/dev/null");
	fl_ring_count(ring, 0, "", &before);
	cr_assert_geq(before.committed, 1, "cat's failure was not recorded");

	snprintf(cmd, sizeof(cmd),
		 "'%s' decode '%s' >/dev/null; "
		 "'%s' decode --json '%s' >/dev/null; "
		 "'%s' report '%s' >/dev/null; "
		 "GOSHIM_RULES=/nonexistent/goshim.rules '%s' report '%s' >/dev/null 2>&1; "
		 "'%s' decode /nonexistent/goshim.ring >/dev/null 2>&1; "
		 "'%s' doctor >/dev/null 2>&1; true",
		 ctl, ring, ctl, ring, ctl, ring, ctl, ring, ctl, ctl);
	cr_assert_eq(sj_sh(ring, cmd), 0);
	fl_ring_count(ring, 0, "", &after);
	cr_expect_eq(after.committed, before.committed,
		     "goshimctl wrote %llu record(s) into the ring it read",
		     (unsigned long long)(after.committed - before.committed));
	cr_expect_eq(after.dropped, before.dropped);
}
