/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain on logs of real Go runs (tests/ctl/explain/, made by
 * its make.sh with the official Go in failing setups): the patterns, the
 * ranking of the causes, the line numbers, the exit status; plain output,
 * go test -json, a stamped and coloured job log, stdin, and a clean log. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"
#include "tl_run.h"

static char xt_dir[512];

static void xt_init(void)
{
	static char rules[512];

	snprintf(xt_dir, sizeof(xt_dir), "%s/tests/ctl/explain", tl_env("GOSHIM_SOURCE_ROOT"));
	snprintf(rules, sizeof(rules), "%s/data/rules/goshim.rules", tl_env("GOSHIM_SOURCE_ROOT"));
	setenv("GOSHIM_RULES", rules, 1);
}

TestSuite(explain, .init = xt_init);

/* goshimctl explain --json FIXTURE (plus extra args): the exit status in
 * *status, the JSON (the test fails when it is none). */
static json_t *xt_json(const char *fixture, const char *extra, int *status)
{
	char path[600];
	const char *args[] = { "explain", "--json", path, extra, NULL };
	struct ct_run r;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", xt_dir, fixture);
	ct_run(&r, args);
	*status = r.status;
	j = tl_json(r.out);
	cr_assert_not_null(j, "explain %s: no JSON: %s / %s", fixture, r.out, r.err);
	ct_run_free(&r);
	return j;
}

static json_t *xt_finding(json_t *rep, size_t i)
{
	json_t *f = json_array_get(json_object_get(rep, "findings"), i);

	cr_assert_not_null(f, "no finding %zu in %s", i, json_dumps(rep, 0));
	return f;
}

/* The finding's causes are exactly ids, in this order. */
static void xt_causes(json_t *f, const char *const ids[])
{
	json_t *c = json_object_get(f, "causes");
	size_t n = 0;

	for (; ids[n]; n++) {
		const char *got = json_string_value(json_object_get(json_array_get(c, n), "pattern"));
		cr_expect(got && strcmp(got, ids[n]) == 0, "cause %zu: %s, want %s", n,
			  got ? got : "(none)", ids[n]);
	}
	cr_expect_eq(json_array_size(c), n, "%zu causes, want %zu", json_array_size(c), n);
	cr_expect_str_eq(json_string_value(json_object_get(f, "pattern")), ids[0]);
}

static void xt_lines(json_t *f, size_t n, const size_t want[])
{
	json_t *no = json_object_get(f, "line_numbers");

	cr_expect_eq(json_array_size(no), n, "%zu lines, want %zu", json_array_size(no), n);
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq((size_t)json_integer_value(json_array_get(no, i)), want[i],
			     "line %zu: %lld, want %zu", i,
			     (long long)json_integer_value(json_array_get(no, i)), want[i]);
	}
}

static const char *xt_fact(json_t *f, size_t cause, const char *k)
{
	json_t *c = json_array_get(json_object_get(f, "causes"), cause);

	return json_string_value(json_object_get(json_object_get(c, "facts"), k));
}

/* explain --json on a log with one failure: exit 1, one finding with
 * the causes ids on line no; the JSON (json_decref it). */
static json_t *xt_single(const char *fixture, const char *const ids[], size_t no)
{
	int st;
	json_t *j = xt_json(fixture, NULL, &st);

	cr_expect_eq(st, 1, "%s: exit %d, want 1 (a known pattern)", fixture, st);
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 1, "%s", fixture);
	xt_causes(xt_finding(j, 0), ids);
	xt_lines(xt_finding(j, 0), 1, (size_t[]){ no });
	return j;
}

/* go test with TMPDIR on a noexec tmpfs: the test binary under
 * go-buildNNN is $WORK's, so tmpdir-noexec comes before a security
 * module, and the GOCACHE pattern is not a cause at all. */
Test(explain, go_test_noexec_tmpdir)
{
	static const char *const ids[] = { "tmpdir-noexec", "exec-denied-lsm", NULL };
	json_t *j = xt_single("tmpdir-test.txt", ids, 1), *f = xt_finding(j, 0);

	cr_expect(strstr(xt_fact(f, 0, "path"), "/go-build") &&
		  strstr(xt_fact(f, 0, "path"), "/b001/m.test"), "path %s", xt_fact(f, 0, "path"));
	cr_expect_eq(json_integer_value(json_object_get(j, "lines")), 3);
	json_decref(j);
}

/* The same in go test -json: the line of the JSON object that carries
 * Go's output; the other JSON lines say nothing. */
Test(explain, go_test_json)
{
	static const char *const ids[] = { "tmpdir-noexec", "exec-denied-lsm", NULL };
	json_t *j = xt_single("tmpdir-test.json", ids, 2), *f = xt_finding(j, 0);

	cr_expect(strncmp(json_string_value(json_array_get(json_object_get(f, "lines"), 0)),
			  "fork/exec ", 10) == 0, "the line is Go's, not the JSON");
	json_decref(j);
}

/* Go >= 1.24: the second `go run` execs the copy in GOCACHE, on a noexec
 * mount: gocache-noexec, never tmpdir-noexec (whose GOTMPDIR remedy
 * cannot help). */
Test(explain, go_run_noexec_gocache)
{
	static const char *const ids[] = { "gocache-noexec", "exec-denied-lsm", NULL };
	json_t *j = xt_single("gocache-run.txt", ids, 2), *f = xt_finding(j, 0);

	cr_expect(strstr(json_string_value(json_object_get(json_array_get(
		json_object_get(f, "causes"), 0), "remedy")), "export GOCACHE="));
	json_decref(j);
}

/* Go >= 1.24 puts build failures inside go test -json too
 * ("build-output"): cc1's missing header, with the header as the path. */
Test(explain, build_output_json)
{
	static const char *const ids[] = { "cgo-header-missing", NULL };
	json_t *j = xt_single("cgo-test.json", ids, 3), *f = xt_finding(j, 0);

	cr_expect_str_eq(xt_fact(f, 0, "path"), "goshim-absent.h");
	json_decref(j);
}

/* A GitHub Actions job log: timestamps and ANSI colours off, go test
 * -json inside it, three failures at their own line numbers. */
Test(explain, job_log)
{
	static const char *const tmp[] = { "tmpdir-noexec", "exec-denied-lsm", NULL };
	static const char *const hdr[] = { "cgo-header-missing", NULL };
	static const char *const cache[] = { "gocache-noexec", "exec-denied-lsm", NULL };
	int st;
	json_t *j = xt_json("job.log", NULL, &st);

	cr_expect_eq(st, 1);
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 3, "%s", json_dumps(j, 0));
	xt_causes(xt_finding(j, 0), tmp);
	xt_lines(xt_finding(j, 0), 1, (size_t[]){ 11 });
	xt_causes(xt_finding(j, 1), hdr);
	xt_lines(xt_finding(j, 1), 1, (size_t[]){ 19 });
	cr_expect_str_eq(xt_fact(xt_finding(j, 1), 0, "path"), "goshim-absent.h");
	xt_causes(xt_finding(j, 2), cache);
	xt_lines(xt_finding(j, 2), 1, (size_t[]){ 27 });
	cr_expect_eq(json_integer_value(json_object_get(j, "lines")), 28);
	json_decref(j);
}

/* A passing job (go vet, go test -v, go test -json): nothing, exit 0. */
Test(explain, clean_log)
{
	int st;
	json_t *j = xt_json("clean.txt", NULL, &st);

	cr_expect_eq(st, 0, "exit %d for a clean log", st);
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0, "%s", json_dumps(j, 0));
	cr_expect_eq(json_integer_value(json_object_get(j, "lines")), 14);
	json_decref(j);
}

/* Lines with the same causes are one finding; stdin ("-"); GitLab's
 * stamp and stream tag. */
Test(explain, stdin_gitlab_grouped)
{
	const char *argv[] = { tl_env("GOSHIMCTL"), "explain", "--json", "-", NULL };
	const char *log =
		"2026-12-03T16:53:58.717321Z 00O Running with gitlab-runner\n"
		"2026-12-03T16:53:59.144679Z 00O fork/exec /tmp/x/go-build1/b001/a.test: permission denied\n"
		"2026-12-03T16:53:59.144680Z 00O+ FAIL\texample.com/a\t0.000s\n"
		"2026-12-03T16:53:59.144681Z 00E fork/exec /tmp/x/go-build1/b002/b.test: permission denied\n";
	struct tl_cmd c = { .argv = argv, .uid = -1, .capture = 1, .stdin_data = log };
	struct tl_res r;
	json_t *j, *f;

	cr_expect_eq(tl_spawn(&c, &r), 1, "exit %d: %s", r.code, r.err);
	j = tl_json(r.out);
	cr_assert_not_null(j, "%s", r.out);
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 1, "%s", r.out);
	f = xt_finding(j, 0);
	xt_lines(f, 2, (size_t[]){ 2, 4 });
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(f, "lines"), 1)),
			 "fork/exec /tmp/x/go-build1/b002/b.test: permission denied");
	json_decref(j);
	tl_res_free(&r);
}

/* The text output names the lines and the ranked causes; github's is one
 * annotation per finding. */
Test(explain, text_and_github)
{
	char path[600];
	const char *text[] = { "explain", path, NULL };
	const char *gh[] = { "explain", "--format=github", path, NULL };
	struct ct_run r;

	snprintf(path, sizeof(path), "%s/job.log", xt_dir);
	ct_run(&r, text);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "tmpdir-noexec (or exec-denied-lsm) — line 11\n"), "%s", r.out);
	cr_expect(strstr(r.out, "  1. error tmpdir-noexec: "), "%s", r.out);
	/* the other cause, a warning unless the exec failed the run (as in a ring) */
	cr_expect(strstr(r.out, "  2. warning exec-denied-lsm: "), "%s", r.out);
	cr_expect(strstr(r.out, "(checks finding role=work|tmp problem=noexec)"), "%s", r.out);
	ct_run_free(&r);
	ct_run(&r, gh);
	cr_expect_eq(r.status, 1);
	cr_expect_eq(ct_count_lines(r.out), 3, "%s", r.out);
	cr_expect(strncmp(r.out, "::error title=goshim explain tmpdir-noexec::log line 11: fork/exec ",
			  67) == 0, "%s", r.out);
	ct_run_free(&r);
}

/* Usage errors, an unreadable log and a bad text exit 2. */
Test(explain, errors)
{
	char rules[600];
	const char *bad_opt[] = { "explain", "--frob", NULL };
	const char *missing[] = { "explain", "/nonexistent/goshim.log", NULL };
	const char *two[] = { "explain", "a", "b", NULL };
	const char *bad_text[] = { "explain", "--rules", rules, "/dev/null", NULL };
	struct ct_run r;

	ct_run(&r, bad_opt);
	cr_expect_eq(r.status, 2);
	ct_run_free(&r);
	ct_run(&r, missing);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/nonexistent/goshim.log: No such file"), "%s", r.err);
	ct_run_free(&r);
	ct_run(&r, two);
	cr_expect_eq(r.status, 2);
	ct_run_free(&r);
	snprintf(rules, sizeof(rules), "%s/bad.rules", tl_tmpdir("explain"));
	tl_write(rules, "[site-x]\nseverity error\nsummary s\nremedy r\n"
		 "text *leading star\nmatch errno EACCES\n");
	ct_run(&r, bad_text);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "bad.rules:5: text: a text starts with literal characters"),
		  "%s", r.err);
	ct_run_free(&r);
}

/* A site's own pattern and text (--rules) is found like a shipped one,
 * and its rules come first among equals. */
Test(explain, site_rules)
{
	char rules[600], log[600];
	const char *args[] = { "explain", "--json", "--rules", rules, log, NULL };
	struct ct_run r;
	json_t *j, *f;

	snprintf(rules, sizeof(rules), "%s/site.rules", tl_tmpdir("explain-site"));
	snprintf(log, sizeof(log), "%s/job.log", xt_dir);
	tl_write(rules, "[site-noexec-runner]\nseverity error\nsummary our runners mount /tmp noexec\n"
		 "remedy use the go-exec runner label\n"
		 "text fork/exec {path:*/go-build[0-9]*/*}: permission denied\n"
		 "match errno EACCES\n");
	ct_run(&r, args);
	cr_expect_eq(r.status, 1, "%s", r.err);
	j = tl_json(r.out);
	cr_assert_not_null(j, "%s %s", r.out, r.err);
	f = xt_finding(j, 0);
	xt_causes(f, (const char *const[]){ "site-noexec-runner", "tmpdir-noexec", "exec-denied-lsm",
					    NULL });
	json_decref(j);
	ct_run_free(&r);
}
