/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linked into every Criterion test program: a skipped test never passes
 * quietly.  Each skip is printed with its reason; a program with skips
 * and no failures exits 77, which meson reports as SKIP (not OK); and
 * under CI (CI set in the environment), where every scenario must run,
 * a skip is a failure.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define LS_MESON_SKIP 77

ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
	if (stats->test_status == CR_STATUS_SKIPPED) {
		fprintf(stderr, "SKIPPED %s::%s: %s\n", stats->test->category,
			stats->test->name, stats->message ? stats->message : "(no reason given)");
	}
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	if (stats->tests_skipped == 0) {
		return;
	}
	const char *ci = getenv("CI");
	int in_ci = ci && *ci && *ci != '0';

	fprintf(stderr, "goshim: %zu test(s) SKIPPED in this program, reasons above: "
		"they did not pass%s\n", stats->tests_skipped,
		in_ci ? "; CI must run every test, so this is a failure" : "");
	if (stats->tests_failed || stats->tests_crashed) {
		return; /* Criterion's own failing exit status stands */
	}
	fflush(NULL);
	_exit(in_ci ? 1 : LS_MESON_SKIP);
}
