/* SPDX-License-Identifier: Apache-2.0 */
/* A filter chain has one seccomp user-notification listener: under the
 * engine's, a program that loads a filter with a listener of its own (a
 * sandbox, a container runtime, libseccomp's notify API) gets EBUSY,
 * where bare it succeeds.  goshim cannot avoid that failure; it records
 * it (seccomp(2) is watched) and report names it as goshim's own
 * (goshim-seccomp-listener) instead of an unexplained exit 1. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_read.h"
#include "tl_run.h"
#include "tl_trace.h"

/* goshimctl report RING: its output (malloc'd); *rc its exit status. */
static char *listener_report(const char *ring, int *rc)
{
	char *out = tl_sh_out(rc, "%s report %s", tl_build("ctl/goshimctl"), ring);

	*rc = WIFEXITED(*rc) ? WEXITSTATUS(*rc) : -1;
	return out;
}

Test(trace_listener, own_listener_refused_is_named_goshims)
{
	char *argv[] = { (char *)tl_build("tests/trace/tp-fail"), "listener", NULL };
	struct tl_cmd bare = { .argv = (const char *const *)argv, .uid = -1 };
	struct tl_res res;
	struct tl_ring r;
	char ring[4200];
	int rc;

	tl_spawn(&bare, &res);
	cr_assert(WIFEXITED(res.wstatus) && WEXITSTATUS(res.wstatus) == 0,
		  "bare, the listener loads: status %#x", res.wstatus);
	tl_res_free(&res);

	const char *dir = tl_trace_run("listener", argv, 1, &r);
	const struct tl_rec *e = tl_find(&r, GOSHIM_CALL_sys_seccomp, EBUSY, NULL);

	if (!e) {
		tl_dump(&r);
	}
	cr_assert(e, "no seccomp EBUSY in the ring");
	tl_free(&r);

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *out = listener_report(ring, &rc);

	cr_expect(strstr(out, "\nerror goshim-seccomp-listener: tp-fail "), "%s", out);
	cr_expect(!strstr(out, "unexplained"), "%s", out);
	cr_expect_eq(rc, 1, "%s", out);
	free(out);
	tl_rmtree(dir);
}

/* goshimctl run inside a supervised tree meets the same EBUSY loading its
 * filter and steps aside: not a finding. */
Test(trace_listener, nested_goshimctl_is_no_finding)
{
	char *argv[] = { (char *)tl_build("ctl/goshimctl"), "run", "--",
			 (char *)tl_build("tests/trace/tp-fail"), "fail", "0", NULL };
	struct tl_ring r;
	char ring[4200];
	int rc;
	const char *dir = tl_trace_run("listener-nested", argv, 0, &r);

	cr_assert(tl_find(&r, GOSHIM_CALL_sys_seccomp, EBUSY, NULL),
		  "the inner goshimctl's seccomp EBUSY is in the ring");
	tl_free(&r);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *out = listener_report(ring, &rc);

	cr_expect(!strstr(out, "goshim-seccomp-listener"), "%s", out);
	cr_expect(strstr(out, " 0 errors, "), "%s", out);
	free(out);
	tl_rmtree(dir);
}
