/* SPDX-License-Identifier: Apache-2.0 */
/* SIGKILL of goshimctl run at random moments of a real `go test`: the job
 * runs on, unrecorded, and ends with its own result (bench/kill-stress.sh,
 * 12 kills here; the bench runs 200).  One engine per test: the watcher
 * (trace-kill) or notifications only (trace-kill-notify). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tt.h"

#define KILL_N 12

Test(trace_kill, go_test_runs_on_after_engine_sigkill, .timeout = 1500)
{
	const char *ebpf = getenv("GOSHIM_TRACE_EBPF");
	const char *mode = ebpf && !strcmp(ebpf, "0") ? "notify" : "ebpf";
	const char *src = getenv("GOSHIM_SOURCE_ROOT");
	char cmd[2048], line[512], want[128];
	int found = 0, st;
	FILE *p;

	if (geteuid() != 0 && !strcmp(mode, "ebpf")) {
		cr_skip_test("the in-kernel watcher needs root");
	}
	cr_assert(access("/usr/lib/go-1.19/bin/go", X_OK) == 0 ||
		  access("/usr/local/go/bin/go", X_OK) == 0, "no go toolchain installed");
	cr_assert(src, "GOSHIM_SOURCE_ROOT unset");
	snprintf(cmd, sizeof(cmd), "MODES=%s GOSHIMCTL=%s PKGS='strings errors' "
		 "bash %s/bench/kill-stress.sh %d 120", mode, tt_build("ctl/goshimctl"), src,
		 KILL_N);
	snprintf(want, sizeof(want), "kill-stress %s: hangs 0/%d failed 0 ", mode, KILL_N);
	p = popen(cmd, "r");
	cr_assert(p);
	while (fgets(line, sizeof(line), p)) {
		fputs(line, stderr);
		found |= strncmp(line, want, strlen(want)) == 0;
	}
	st = pclose(p);
	cr_assert(found, "no \"%s\" line", want);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "kill-stress status %#x", st);
}
