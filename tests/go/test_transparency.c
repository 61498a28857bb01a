/* SPDX-License-Identifier: Apache-2.0 */
/* A Go program and `go test` behave under goshimctl run exactly as bare:
 * exit status, death by signal, stdin, job control stops, and the output
 * of `go test` on std packages. */
#include <criterion/criterion.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt.h"
#include "tl_trace.h"

static char *dir;
static const char *prog;
static char ring[600];

static void setup(void)
{
	gt_need(GT_GO_OFFICIAL);
	dir = gt_workdir("go-tr");
	prog = gt_build_prog(dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
}

static void teardown(void)
{
	tt_sh("rm -rf %s", dir);
	free(dir);
}

TestSuite(go_transparency, .init = setup, .fini = teardown, .timeout = 240);

/* Run prog with args through a shell (stdin from `in`, output captured),
 * bare or under goshimctl run; returns the shell's status. */
static int run(int traced, const char *args, const char *in, char **out)
{
	char cmd[4096], of[700], pre[1400] = "";
	int rc;

	snprintf(of, sizeof(of), "%s/out-%d.txt", dir, traced);
	if (traced) {
		snprintf(pre, sizeof(pre), "%s run --ring %s -- ", tt_build("ctl/goshimctl"),
			 ring);
	}
	snprintf(cmd, sizeof(cmd), "printf '%s' | %s%s %s > %s 2>&1", in ? in : "", pre,
		 prog, args, of);
	rc = system(cmd);
	*out = gt_slurp(of);
	return rc;
}

Test(go_transparency, exit_signal_stdin)
{
	static const struct { const char *args, *in; } cases[] = {
		{ "exit 3", NULL }, { "exit 0", NULL }, { "signal", NULL },
		{ "cat", "line one\\nline two\\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *ob, *ot;
		int b = run(0, cases[i].args, cases[i].in, &ob);
		int t = run(1, cases[i].args, cases[i].in, &ot);

		cr_assert_eq(t, b, "%s: status %#x traced, %#x bare", cases[i].args, t, b);
		cr_assert_str_eq(ot, ob, "%s: output differs", cases[i].args);
		free(ob);
		free(ot);
	}
	/* the cases mean what they say: the shell saw 3, SIGTERM (128+15) */
	char *o;
	int st = run(1, "exit 3", NULL, &o);

	free(o);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	st = run(1, "signal", NULL, &o);
	free(o);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM, "status %#x", st);
	st = run(1, "cat", "abc\\n", &o);
	cr_assert_str_eq(o, "abc\n");
	free(o);
}

/* Stopped (SIGTSTP, as ^Z would) and continued: the Go program stops
 * ticking, resumes, and goshimctl ends with its status. */
Test(go_transparency, stop_and_continue)
{
	char file[700];

	snprintf(file, sizeof(file), "%s/tick", dir);
	tl_tick_stop_continue(ring, prog, file, 80, SIGTSTP, 500, 150000);
}

/* The elapsed times of `go test` output ("ok  \tstrings\t0.123s") masked. */
static char *mask_times(const char *in)
{
	regex_t re;
	regmatch_t m;
	size_t cap = strlen(in) + 1, len = 0;
	char *out = malloc(cap);
	const char *p = in;

	cr_assert(regcomp(&re, "[0-9]+\\.[0-9]+s", REG_EXTENDED) == 0);
	while (regexec(&re, p, 1, &m, 0) == 0) {
		memcpy(out + len, p, (size_t)m.rm_so);
		len += (size_t)m.rm_so;
		out[len++] = 'T';
		p += m.rm_eo;
	}
	strcpy(out + len, p);
	regfree(&re);
	return out;
}

Test(go_transparency, std_packages_identical, .timeout = 280)
{
	char cmd[2048], bo[700], to[700];
	int b, t;
	/* outside the test module (its go.mod would set older GODEBUG
	 * defaults); -short and -skip leave out os tests that only sleep or
	 * churn the disk for seconds */
	const char *pk = "-short -skip 'TestRootMulti|Deadline|NonPollable|RemoveAllLarge' "
			 "strings encoding/json net/url os";

	snprintf(bo, sizeof(bo), "%s/std-bare.txt", dir);
	snprintf(to, sizeof(to), "%s/std-traced.txt", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && %s test -count=1 %s > %s 2>&1", dir,
		 GT_GO_OFFICIAL, pk, bo);
	b = system(cmd);
	snprintf(cmd, sizeof(cmd), "cd %s && %s run --ring %s -- %s test -count=1 %s "
		 "> %s 2>&1", dir, tt_build("ctl/goshimctl"), ring, GT_GO_OFFICIAL, pk, to);
	t = system(cmd);
	char *bt = gt_slurp(bo), *tt = gt_slurp(to);
	char *bm = mask_times(bt), *tm = mask_times(tt);

	cr_assert_eq(t, b, "status %#x traced, %#x bare", t, b);
	cr_assert(WIFEXITED(b) && WEXITSTATUS(b) == 0, "bare go test failed: %s", bt);
	cr_assert_str_eq(tm, bm, "output differs");
	cr_assert(strstr(bm, "ok  \tencoding/json\tT"), "%s", bm);
	free(bt);
	free(tt);
	free(bm);
	free(tm);
}
