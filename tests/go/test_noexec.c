/* SPDX-License-Identifier: Apache-2.0 */
/* `go test` with TMPDIR on a real noexec tmpfs, captured four ways: under
 * goshimctl run, through the PATH masquerade, by a shell with LD_PRELOAD
 * exported running the static official `go` (hand-over at exec), and with
 * LD_PRELOAD put directly on Debian's dynamic `go` (hand-over in the
 * constructor).  Each time the ring explains the failure. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "gt.h"

static void failed_go_test(int st, const char *dir)
{
	char out[600];

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "go test status %#x", st);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	char *text = gt_slurp(out);

	cr_assert(strstr(text, "permission denied"), "go said: %s", text);
	free(text);
}

static void finish(char *dir)
{
	cr_assert(chdir("/") == 0);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

Test(go_noexec, goshimctl_run, .timeout = 240)
{
	gt_need(GT_GO_OFFICIAL);
	char *dir = gt_workdir("go-run"), ring[600];

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *argv[] = { (char *)tt_build("ctl/goshimctl"), "run", "--ring", ring, "--",
			 GT_GO_OFFICIAL, "test", "-count=1", ".", NULL };

	failed_go_test(gt_run_noexec(dir, argv, NULL, NULL), dir);
	gt_check_noexec_exec(dir, ring, GT_GO_OFFICIAL);
	finish(dir);
}

Test(go_noexec, path_masquerade, .timeout = 240)
{
	gt_need(GT_GO_OFFICIAL);
	char *dir = gt_workdir("go-mq"), ring[600], shims[600], link[700];
	static char path[2048], ringenv[700];

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(shims, sizeof(shims), "%s/shims", dir);
	snprintf(link, sizeof(link), "%s/go", shims);
	/* made by `goshimctl shims`, twice: the second run is a no-op */
	tt_sh("%s shims %s && %s shims %s", tt_build("ctl/goshimctl"), shims,
	      tt_build("ctl/goshimctl"), shims);
	cr_assert(access(link, X_OK) == 0, "no %s", link);
	/* the shim directory first, then the real go's */
	snprintf(path, sizeof(path), "PATH=%s:/usr/local/go/bin:/usr/bin:/bin", shims);
	snprintf(ringenv, sizeof(ringenv), "GOSHIM_RING=%s", ring);
	char *env[] = { path, ringenv, NULL };
	char *argv[] = { "go", "test", "-count=1", ".", NULL };

	failed_go_test(gt_run_noexec(dir, argv, env, NULL), dir);
	gt_check_noexec_exec(dir, ring, GT_GO_OFFICIAL);
	finish(dir);
}

Test(go_noexec, exported_preload_shell_static_go, .timeout = 240)
{
	gt_need(GT_GO_OFFICIAL);
	char *dir = gt_workdir("go-sh"), ring[600];
	static char pre[700], ringenv[700];

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s", getenv("GOSHIM_PRELOAD"));
	snprintf(ringenv, sizeof(ringenv), "GOSHIM_RING=%s", ring);
	char *env[] = { pre, ringenv, NULL };
	/* a CI step: a shell with LD_PRELOAD exported runs the static go */
	char *argv[] = { "bash", "-c", "echo step; " GT_GO_OFFICIAL " test -count=1 .; "
			 "rc=$?; echo done; exit $rc", NULL };

	failed_go_test(gt_run_noexec(dir, argv, env, NULL), dir);
	cr_assert_eq(gt_check_noexec_exec(dir, ring, GT_GO_OFFICIAL), 1,
		     "the failure is recorded more than once");
	finish(dir);
}

/* Debian's go is dynamic: the preload loads into it and hands it over in
 * its constructor.  go keeps its pid (the one we spawned), and the
 * failure is recorded once, by the tracer only. */
Test(go_noexec, preload_on_dynamic_go, .timeout = 240)
{
	gt_need(GT_GO_DEBIAN);
	char *dir = gt_workdir("go-dyn"), ring[600];
	static char pre[700], ringenv[700];
	struct tt_ring r;
	pid_t pid;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s", getenv("GOSHIM_PRELOAD"));
	snprintf(ringenv, sizeof(ringenv), "GOSHIM_RING=%s", ring);
	char *env[] = { pre, ringenv, NULL };
	char *argv[] = { GT_GO_DEBIAN, "test", "-count=1", ".", NULL };

	failed_go_test(gt_run_noexec(dir, argv, env, &pid), dir);
	cr_assert_eq(gt_check_noexec_exec(dir, ring, GT_GO_DEBIAN), 1,
		     "the failure is recorded more than once");
	tt_load(ring, &r);
	int go_proc = 0;

	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *x = &r.recs[i];

		if (x->type == GOSHIM_REC_PROCESS && x->pid == (uint32_t)pid) {
			cr_assert_str_eq(x->exe, GT_GO_DEBIAN);
			go_proc = 1;
		}
		if (x->type == GOSHIM_REC_NOTE) {
			cr_assert(!strstr(x->note, "hand-over failed"), "%s", x->note);
		}
	}
	if (!go_proc) {
		tt_dump(&r);
	}
	cr_assert(go_proc, "no PROCESS record with go's own pid %d", (int)pid);
	cr_assert_eq(r.engine_mismatch, 0, "%u records from the preload: it was not "
		     "passive in the traced tree", r.engine_mismatch);
	tt_free(&r);
	finish(dir);
}
