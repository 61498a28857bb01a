/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp profiles that answer EPERM: for memfd_create (a custom
 * sandbox), for statx / faccessat2 / clone3 (a runtime profile older than
 * the syscall), for clock_gettime64 in an i386 program (a profile older
 * than time64).  The filter is loaded with libseccomp in the workload's
 * process before exec, as a container runtime does.  A filter's ERRNO
 * outranks the trace engine's RET_TRACE, so the 64-bit C workloads run
 * under LD_PRELOAD. */
#include <criterion/criterion.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "tl_table.h"
#include "tl_seccomp.h"

/* Load a filter: allow all, EPERM for the listed syscalls (native and
 * i386 ABI).  Runs in the workload's child: failure exits 99. */
static void deny(const int *nrs, size_t n)
{
	struct tl_rule rules[4];

	for (size_t i = 0; i < n; i++) {
		rules[i] = (struct tl_rule){ SCMP_ACT_ERRNO(EPERM), nrs[i] };
	}
	if (tl_seccomp_load(rules, n, 1) < 0) {
		_exit(99);
	}
}

/* The syscalls the next workload's filter denies (set in the test's
 * process, read in the workload's child). */
static const int *deny_nrs;
static size_t deny_n;

static void deny_listed(void)
{
	deny(deny_nrs, deny_n);
}

/* A container runtime's profile older than statx, faccessat2 and clone3
 * (Docker <= 20.10.9). */
static const int legacy_nrs[] = { SCMP_SYS(statx), SCMP_SYS(faccessat2), SCMP_SYS(clone3) };

static void deny_legacy(void)
{
	deny(legacy_nrs, 3);
}

/* Run argv under the filter, expect it to fail with msg, then the
 * report's one error finding id (with call) and, when doctor_id, the
 * doctor's finding under the same filter (with doctor_call when set). */
struct seccomp_case {
	const char *tag;
	enum sc_engine engine;
	int need_go;
	int nrs[1];             /* denied */
	const char *argv[4];    /* argv[0]: "tests/..." is built, "cgo-tool" a cgo build */
	const char *msg, *id, *call, *doctor_id, *doctor_call;
};

static struct seccomp_case seccomp_cases[] = {
	/* memfd_create_denied */
	{ "memfd", SC_PRELOAD, 0, { SCMP_SYS(memfd_create) }, { "tests/scenarios/sc-prog", "memfd" },
	  "memfd_create: Operation not permitted", "seccomp-memfd-denied", "memfd_create",
	  "seccomp-memfd-denied", NULL },
	/* statx_denied_legacy_profile: coreutils stat(1) calls statx(2) through glibc */
	{ "statx", SC_PRELOAD, 0, { SCMP_SYS(statx) }, { "/usr/bin/stat", "/" },
	  "Operation not permitted", "seccomp-legacy-profile", "statx",
	  "seccomp-legacy-profile", "statx" },
	/* faccessat2_denied_legacy_profile: bash's `test -x` is eaccess(3), which
	 * glibc >= 2.33 implements with the faccessat2 syscall: under the old
	 * profile /bin/sh is "not executable"; the preload names the libc entry
	 * point bash called */
	{ "faccessat2", SC_PRELOAD, 0, { SCMP_SYS(faccessat2) },
	  { "/bin/bash", "-c", "test -x /bin/sh || { echo '/bin/sh: not executable'; exit 1; }" },
	  "/bin/sh: not executable", "seccomp-legacy-profile", "faccessat",
	  "seccomp-legacy-profile", "faccessat2" },
	/* clone3_denied_cgo_binary: runtime/cgo's pthread_create uses clone3
	 * (glibc >= 2.34) and dies with "pthread_create failed: ..." */
	{ "clone3", SC_PRELOAD, 1, { SCMP_SYS(clone3) }, { "cgo-tool" },
	  "pthread_create failed: Operation not permitted", "seccomp-legacy-profile", "clone3",
	  "seccomp-legacy-profile", "clone3" },
	/* clock_gettime64_denied_i386: an i386 program built with the time64
	 * ABI: clock_gettime for a clock the vDSO does not serve is the
	 * clock_gettime64 syscall.  The 64-bit libgoshim.so cannot be preloaded
	 * into it: the trace engine runs it. */
	{ "time64", SC_TRACE, 0, { SCMP_SYS(clock_gettime64) },
	  { "tests/scenarios/sc-prog-i386", "clock" },
	  "clock_gettime: Operation not permitted", "seccomp-time64-denied", "clock_gettime64",
	  NULL, NULL },
};

/* A real cgo binary built into the scenario's dir; its path in tool. */
static void cgo_tool(struct sc *s, char *tool, size_t size)
{
	char mod[256];

	sc_module(s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, NULL);
	snprintf(tool, size, "%s/cgo-tool", s->dir);
	sc_sh("cd %s && CGO_ENABLED=1 %s build -o %s .", mod, SC_GO, tool);
}

/* sc_run under the filter s->pre loads; fails when it could not. */
static void run_filtered(struct sc *s, char *const argv[])
{
	sc_run(s, argv);
	cr_assert(!(WIFEXITED(s->status) && WEXITSTATUS(s->status) == 99),
		  "the seccomp filter could not be loaded");
}

/* memfd_create_denied, statx_denied_legacy_profile,
 * faccessat2_denied_legacy_profile, clone3_denied_cgo_binary and
 * clock_gettime64_denied_i386, as rows. */
TL_TABLE_TEST(struct seccomp_case, seccomp_cases, seccomp, denied, .timeout = 240)
{
	struct sc s;
	char tool[256];
	char *argv[4] = { NULL };

	sc_need(1, c->need_go);
	sc_init(&s, c->tag, c->engine, 0);
	for (size_t i = 0; i < 3 && c->argv[i]; i++) {
		argv[i] = (char *)c->argv[i];
	}
	if (strcmp(argv[0], "cgo-tool") == 0) {
		cgo_tool(&s, tool, sizeof(tool));
		argv[0] = tool;
	} else if (strncmp(argv[0], "tests/", 6) == 0) {
		argv[0] = (char *)sc_build(argv[0]);
	}
	deny_nrs = c->nrs;
	deny_n = 1;
	s.pre = deny_listed;
	s.doctor = c->doctor_id != NULL;
	run_filtered(&s, argv);
	char *out = sc_output(&s);
	cr_assert(strstr(out, c->msg), "want \"%s\" in the output: %s", c->msg, sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, c->id, "error");
	cr_expect_str_eq(sc_fact(f, "seccomp"), "2");
	cr_expect_str_eq(sc_str(sc_event(f), "call"), c->call);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EPERM");
	if (c->doctor_id) {
		json_t *doc = sc_doctor(&s);
		json_t *d = sc_doctor_expect(&s, doc, c->doctor_id);
		if (c->doctor_call) {
			cr_expect_str_eq(sc_fact(d, "call"), c->doctor_call);
		}
		json_decref(doc);
	}
	json_decref(rep);
	sc_done(&s);
}

/* The report's ring object: records lost in all and in lane `lane`. */
static json_int_t lost(json_t *rep, const char *lane)
{
	json_t *ring = json_object_get(rep, "ring"), *l;
	size_t i;

	if (!lane) {
		return json_integer_value(json_object_get(ring, "lost"));
	}
	json_array_foreach(json_object_get(ring, "lanes"), i, l) {
		if (strcmp(sc_str(l, "lane"), lane) == 0) {
			return json_integer_value(json_object_get(l, "lost"));
		}
	}
	cr_assert_fail("no lane %s in the report", lane);
	return -1;
}

/* The finding stands on the policy probe's note and the exit records: the
 * report must give it, exit 1, and the ring must really have wrapped (else
 * the case tests nothing). */
static void wrapped_case(struct sc *s, char *const argv[], const char *msg)
{
	run_filtered(s, argv);
	char *out = sc_output(s);
	cr_assert(strstr(out, msg), "want \"%s\" in the output: %s", msg, sc_tail(out));
	free(out);
	cr_assert(!WIFEXITED(s->status) || WEXITSTATUS(s->status) != 0, "the workload passed");

	json_t *rep = sc_report(s);
	cr_assert_gt(lost(rep, NULL), 0, "the ring did not wrap: the case tests nothing");
	json_t *f = sc_expect(s, rep, "seccomp-legacy-profile", "error");
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EPERM");
	cr_expect_eq(lost(rep, "process"), 0);
	cr_expect_eq(lost(rep, "vital"), 0);
	json_decref(rep);
	cr_assert_eq(sc_report_status(s), 1, "report must exit 1 on the error finding");

	/* the text report says what was lost, and where */
	char path[256], text[65536];
	snprintf(path, sizeof(path), "%s/report.txt", s->dir);
	FILE *rf = fopen(path, "r");
	cr_assert_not_null(rf);
	size_t n = fread(text, 1, sizeof(text) - 1, rf);
	text[n] = 0;
	fclose(rf);
	cr_expect(strstr(text, "records lost to wrap-around"), "%s", text);
	cr_expect(strstr(text, ", process 0, vital 0;"), "%s", text);
}

/* A cold `go test` of a small cgo package under that profile: go, cgo, gcc,
 * cc1, as and ld search their paths (~9,600 failed lookups); the test
 * binary dies with "pthread_create failed".  The policy probe's note, the
 * ring's first record, and the exit records must outlive the lookups.
 * Those took 4.7 MiB and wrapped the default 4 MiB ring; written as repeats
 * across processes and with the dictionary they take 2.6 MiB and fit
 * (bench/repeats.sh), so the ring is halved to 2 MiB: the lookups must
 * still overwrite each other, else the case tests nothing. */
Test(seccomp, cgo_go_test_cold_default_ring, .timeout = 600)
{
	struct sc s;
	char cache[256];

	sc_go_start(&s, "cgotest", 0, "c", "main.go", sc_go_cgo, "lib.go", sc_go_cgo_lib,
		    "main_test.go", sc_go_cgo_test, NULL);
	snprintf(cache, sizeof(cache), "%s/gocache", s.dir);
	setenv("GOCACHE", cache, 1);  /* cold: everything is compiled */
	setenv("CGO_ENABLED", "1", 1);
	setenv("GOSHIM_RING_SIZE", "2M", 1);
	s.pre = deny_legacy;
	char *argv[] = { SC_GO, "test", ".", NULL };
	wrapped_case(&s, argv, "pthread_create failed: Operation not permitted");
	sc_done(&s);
}

/* The same failure, then a preloaded C program failing 100,000 distinct
 * lookups (~40 MB of records) into the default ring. */
Test(seccomp, clone3_denied_then_flood, .timeout = 600)
{
	struct sc s;
	char tool[256], cmd[1024];

	sc_need(1, 1);
	sc_init(&s, "flood", SC_PRELOAD, 0);
	cgo_tool(&s, tool, sizeof(tool));
	unsetenv("GOSHIM_RING_SIZE");
	s.pre = deny_legacy;
	snprintf(cmd, sizeof(cmd), "%s; rc=$?; %s flood 100000; exit $rc", tool,
		 sc_build("tests/scenarios/sc-prog"));
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	wrapped_case(&s, argv, "pthread_create failed: Operation not permitted");
	sc_done(&s);
}
