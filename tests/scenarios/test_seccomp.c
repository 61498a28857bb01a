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

/* Load a filter: allow all, EPERM for the listed syscalls (native and
 * i386 ABI).  Runs in the workload's child: failure exits 99. */
static void deny(const int *nrs, size_t n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx || seccomp_arch_add(ctx, SCMP_ARCH_X86) != 0) {
		_exit(99);
	}
	for (size_t i = 0; i < n; i++) {
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nrs[i], 0) != 0) {
			_exit(99);
		}
	}
	if (seccomp_load(ctx) != 0) {
		_exit(99);
	}
	seccomp_release(ctx);
}

static void deny_memfd(void)
{
	const int nr[] = { SCMP_SYS(memfd_create) };
	deny(nr, 1);
}

static void deny_statx(void)
{
	const int nr[] = { SCMP_SYS(statx) };
	deny(nr, 1);
}

static void deny_faccessat2(void)
{
	const int nr[] = { SCMP_SYS(faccessat2) };
	deny(nr, 1);
}

static void deny_clone3(void)
{
	const int nr[] = { SCMP_SYS(clone3) };
	deny(nr, 1);
}

/* A container runtime's profile older than all three (Docker <= 20.10.9). */
static void deny_legacy(void)
{
	const int nr[] = { SCMP_SYS(statx), SCMP_SYS(faccessat2), SCMP_SYS(clone3) };
	deny(nr, 3);
}

static void deny_time64(void)
{
	const int nr[] = { SCMP_SYS(clock_gettime64) };
	deny(nr, 1);
}

/* Run argv under the filter, expect it to fail with msg, then the
 * report's one error finding id (with call) and, when doctor_id, the
 * doctor's finding under the same filter. */
static void seccomp_case(struct sc *s, char *const argv[], const char *msg, const char *id,
			 const char *call, const char *doctor_id, const char *doctor_call)
{
	sc_run(s, argv);
	cr_assert(!(WIFEXITED(s->status) && WEXITSTATUS(s->status) == 99),
		  "the seccomp filter could not be loaded");
	char *out = sc_output(s);
	cr_assert(strstr(out, msg), "want \"%s\" in the output: %s", msg, out);
	free(out);

	json_t *rep = sc_report(s);
	json_t *f = sc_expect(s, rep, id, "error");
	cr_expect_str_eq(sc_fact(f, "seccomp"), "2");
	cr_expect_str_eq(sc_str(sc_event(f), "call"), call);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EPERM");
	if (doctor_id) {
		json_t *doc = sc_doctor(s);
		json_t *d = sc_doctor_expect(s, doc, doctor_id);
		cr_expect_str_eq(sc_fact(d, "call"), doctor_call);
		json_decref(doc);
	}
	json_decref(rep);
}

Test(seccomp, memfd_create_denied, .timeout = 60)
{
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "memfd", SC_PRELOAD, 0);
	s.pre = deny_memfd;
	s.doctor = 1;
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog"), "memfd", NULL };
	seccomp_case(&s, argv, "memfd_create: Operation not permitted", "seccomp-memfd-denied",
		     "memfd_create", NULL, NULL);
	json_t *doc = sc_doctor(&s);
	sc_doctor_expect(&s, doc, "seccomp-memfd-denied");
	json_decref(doc);
	sc_done(&s);
}

/* coreutils stat(1) calls statx(2) through glibc. */
Test(seccomp, statx_denied_legacy_profile, .timeout = 60)
{
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "statx", SC_PRELOAD, 0);
	s.pre = deny_statx;
	s.doctor = 1;
	char *argv[] = { "/usr/bin/stat", "/", NULL };
	seccomp_case(&s, argv, "Operation not permitted", "seccomp-legacy-profile", "statx",
		     "seccomp-legacy-profile", "statx");
	sc_done(&s);
}

/* bash's `test -x` is eaccess(3), which glibc >= 2.33 implements with the
 * faccessat2 syscall: under the old profile /bin/sh is "not executable". */
Test(seccomp, faccessat2_denied_legacy_profile, .timeout = 60)
{
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "faccessat2", SC_PRELOAD, 0);
	s.pre = deny_faccessat2;
	s.doctor = 1;
	char *argv[] = { "/bin/bash", "-c", "test -x /bin/sh || { echo '/bin/sh: not executable'; exit 1; }",
			 NULL };
	/* the preload names the libc entry point bash called */
	seccomp_case(&s, argv, "/bin/sh: not executable", "seccomp-legacy-profile", "faccessat",
		     "seccomp-legacy-profile", "faccessat2");
	sc_done(&s);
}

/* A real cgo binary: runtime/cgo's pthread_create uses clone3 (glibc >=
 * 2.34) and dies with "pthread_create failed: Operation not permitted". */
Test(seccomp, clone3_denied_cgo_binary, .timeout = 240)
{
	struct sc s;
	char mod[256], tool[256];

	sc_need(1, 1);
	sc_init(&s, "clone3", SC_PRELOAD, 0);
	sc_module(&s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, NULL);
	snprintf(tool, sizeof(tool), "%s/cgo-tool", s.dir);
	sc_sh("cd %s && CGO_ENABLED=1 %s build -o %s .", mod, SC_GO, tool);
	s.pre = deny_clone3;
	s.doctor = 1;
	char *argv[] = { tool, NULL };
	seccomp_case(&s, argv, "pthread_create failed: Operation not permitted",
		     "seccomp-legacy-profile", "clone3", "seccomp-legacy-profile", "clone3");
	sc_done(&s);
}

/* An i386 program built with the time64 ABI: clock_gettime for a clock
 * the vDSO does not serve is the clock_gettime64 syscall.  The 64-bit
 * libgoshim.so cannot be preloaded into it: the trace engine runs it. */
Test(seccomp, clock_gettime64_denied_i386, .timeout = 60)
{
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "time64", SC_TRACE, 0);
	s.pre = deny_time64;
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog-i386"), "clock", NULL };
	seccomp_case(&s, argv, "clock_gettime: Operation not permitted", "seccomp-time64-denied",
		     "clock_gettime64", NULL, NULL);
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
static void wrapped_case(struct sc *s, const char *msg)
{
	char *out = sc_output(s);
	cr_assert(strstr(out, msg), "want \"%s\" in the output: %s", msg, out);
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
	char mod[256], cache[256];

	sc_need(1, 1);
	sc_init(&s, "cgotest", SC_TRACE, 0);
	sc_module(&s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, "lib.go", sc_go_cgo_lib,
		  "main_test.go", sc_go_cgo_test, NULL);
	snprintf(cache, sizeof(cache), "%s/gocache", s.dir);
	setenv("GOCACHE", cache, 1);  /* cold: everything is compiled */
	setenv("CGO_ENABLED", "1", 1);
	setenv("GOSHIM_RING_SIZE", "2M", 1);
	s.cwd = mod;
	s.pre = deny_legacy;
	char *argv[] = { SC_GO, "test", ".", NULL };
	sc_run(&s, argv);
	cr_assert(!(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 99),
		  "the seccomp filter could not be loaded");
	wrapped_case(&s, "pthread_create failed: Operation not permitted");
	sc_done(&s);
}

/* The same failure, then a preloaded C program failing 100,000 distinct
 * lookups (~40 MB of records) into the default ring. */
Test(seccomp, clone3_denied_then_flood, .timeout = 600)
{
	struct sc s;
	char mod[256], tool[256], cmd[1024];

	sc_need(1, 1);
	sc_init(&s, "flood", SC_PRELOAD, 0);
	sc_module(&s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, NULL);
	snprintf(tool, sizeof(tool), "%s/cgo-tool", s.dir);
	sc_sh("cd %s && CGO_ENABLED=1 %s build -o %s .", mod, SC_GO, tool);
	unsetenv("GOSHIM_RING_SIZE");
	s.pre = deny_legacy;
	snprintf(cmd, sizeof(cmd), "%s; rc=$?; %s flood 100000; exit $rc", tool,
		 sc_build("tests/scenarios/sc-prog"));
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	sc_run(&s, argv);
	cr_assert(!(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 99),
		  "the seccomp filter could not be loaded");
	wrapped_case(&s, "pthread_create failed: Operation not permitted");
	sc_done(&s);
}
