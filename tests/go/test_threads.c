/* SPDX-License-Identifier: Apache-2.0 */
/* Notification mode starts no thread a pids cgroup sized for the bare run
 * would refuse.  A cold `go test` of std packages, bare, then under
 * `goshimctl run` with notifications only (GOSHIM_TRACE_EBPF=0), each in a
 * fresh pids cgroup (cgroup v2, or the v1 pids hierarchy); the traced
 * tree's pids.max is the bare peak + 2.  Go's runtime hands the P of a
 * thread that waits in a system call for more than a sysmon tick to a new
 * thread: every notification the engine answers slowly can cost one.
 * goshimctl and its keeper stay outside the cgroup: they are not the
 * tree (in a container's cgroup they count too: two tasks). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt.h"

#define TH_PKGS  "strings errors"
#define TH_SLACK 2

static char *dir;
static char base[128];

/* The pids hierarchy: v2 with the controller enabled, else v1's. */
static int th_base(void)
{
	const char *v2ctl = "/sys/fs/cgroup/cgroup.controllers";
	char *ctl = access(v2ctl, R_OK) == 0 ? gt_slurp(v2ctl) : NULL;
	int v2 = ctl && strstr(ctl, "pids") != NULL;

	free(ctl);
	if (v2) {
		snprintf(base, sizeof(base), "/sys/fs/cgroup");
		tt_sh("grep -qw pids /sys/fs/cgroup/cgroup.subtree_control || "
		      "echo +pids >/sys/fs/cgroup/cgroup.subtree_control");
		return 1;
	}
	if (access("/sys/fs/cgroup/pids/cgroup.procs", W_OK) == 0) {
		snprintf(base, sizeof(base), "/sys/fs/cgroup/pids");
		return 1;
	}
	return 0;
}

static void setup(void)
{
	if (geteuid() != 0) {
		cr_skip_test("the pids-cgroup test needs root (cgroups)");
	}
	if (access(GT_GO_DEBIAN, X_OK) != 0 && access(GT_GO_OFFICIAL, X_OK) != 0) {
		cr_skip_test("no go toolchain (%s, %s)", GT_GO_DEBIAN, GT_GO_OFFICIAL);
	}
	if (!th_base()) {
		cr_skip_test("no pids cgroup controller to use (v2 or v1)");
	}
	dir = gt_workdir("go-threads");
	setenv("GOFLAGS", "", 1);
}

static void teardown(void)
{
	if (dir) {
		tt_sh("rm -rf %s", dir);
		free(dir);
	}
}

TestSuite(go_threads, .init = setup, .fini = teardown, .timeout = 1200);

/* A cold `go test` in a fresh pids cgroup limited to max tasks (0: none),
 * joined by the command's tree only (a shell that joins, then execs go,
 * inside goshimctl run when traced).  Returns the tree's pids.peak;
 * *status its exit status, *refused the forks the limit refused. */
static long th_run(int traced, long max, int *status, long *refused)
{
	static unsigned n;
	const char *go = access(GT_GO_DEBIAN, X_OK) == 0 ? GT_GO_DEBIAN : GT_GO_OFFICIAL;
	char cg[256], cmd[4096], pre[1400] = "", *text, *ev;
	long peak;

	snprintf(cg, sizeof(cg), "%s/goshim-threads-%d-%u", base, (int)getpid(), n++);
	cr_assert(mkdir(cg, 0755) == 0, "%s: %s", cg, strerror(errno));
	if (max > 0) {
		tt_sh("echo %ld >%s/pids.max", max, cg);
	}
	if (traced) {
		snprintf(pre, sizeof(pre), "GOSHIM_TRACE_EBPF=0 %s run --ring %s/r%u.ring -- ",
			 tt_build("ctl/goshimctl"), dir, n);
	}
	snprintf(cmd, sizeof(cmd),
		 "cd %s/mod && rm -rf %s/cache && GOCACHE=%s/cache %s/bin/sh -c "
		 "'echo $$ >\"$0\"/cgroup.procs && exec \"$@\"' %s %s test -count=1 %s "
		 ">%s/out.txt 2>&1",
		 dir, dir, dir, pre, cg, go, TH_PKGS, dir);
	*status = system(cmd);
	/* a test binary may outlive go by a moment */
	for (int i = 0; i < 100; i++) {
		char p[300];

		snprintf(p, sizeof(p), "%s/cgroup.procs", cg);
		text = gt_slurp(p);
		int empty = !text[0];

		free(text);
		if (empty) {
			break;
		}
		usleep(100000);
	}
	snprintf(cmd, sizeof(cmd), "%s/pids.peak", cg);
	text = gt_slurp(cmd);
	cr_assert(text, "%s: no pids.peak", cg);
	peak = atol(text);
	free(text);
	snprintf(cmd, sizeof(cmd), "%s/pids.events", cg);
	text = gt_slurp(cmd);
	ev = text ? strstr(text, "max ") : NULL;
	*refused = ev ? atol(ev + 4) : 0;
	free(text);
	cr_assert(rmdir(cg) == 0, "%s: %s", cg, strerror(errno));
	return peak;
}

/* The last run's output. */
static char *th_out(void)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/out.txt", dir);
	return gt_slurp(p);
}

/* The bare peak (the higher of two runs), then two traced runs under a
 * limit of that + TH_SLACK: both pass, no fork refused. */
Test(go_threads, notify_within_bare_peak)
{
	int st;
	long refused, bare = 0;

	for (int i = 0; i < 2; i++) {
		long p = th_run(0, 0, &st, &refused);

		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "bare go test failed:\n%s",
			  th_out());
		bare = p > bare ? p : bare;
	}
	fprintf(stderr, "go-threads: bare peak %ld; traced tree limited to %ld\n", bare,
		bare + TH_SLACK);
	for (int i = 0; i < 2; i++) {
		long p = th_run(1, bare + TH_SLACK, &st, &refused);
		char *out = th_out();

		fprintf(stderr, "go-threads: traced peak %ld, %ld forks refused\n", p, refused);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0 && refused == 0,
			  "run %d under goshimctl run (notifications only) failed with pids.max "
			  "%ld (bare peak %ld), peak %ld, %ld forks refused:\n%s",
			  i, bare + TH_SLACK, bare, p, refused, out ? out : "");
		cr_expect(out && strstr(out, "ok  \tstrings"), "%s", out ? out : "");
		free(out);
	}
}
