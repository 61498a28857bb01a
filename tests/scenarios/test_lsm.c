/* SPDX-License-Identifier: Apache-2.0 */
/* A security module denies what owner, mode and mount allow: a real
 * Landlock sandbox (any user may make one) that grants exec only outside
 * the scenario's TMPDIR, so `go test` cannot run its test binary from
 * $WORK; and one that grants writes everywhere but in GOCACHE, so go
 * cannot initialize a cache its own uid owns.  And where the mode does
 * explain the denial, the mode's pattern keeps the finding. */
#include <criterion/criterion.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "sc_landlock.h"

/* The sandbox of the workload (and doctor): set by the test, applied in
 * the child by sc_ll_pre just before exec. */
static uint64_t sc_ll_handled;
static const char *sc_ll_allowed[16];

static void sc_ll_pre(void)
{
	if (sc_landlock(sc_ll_handled, sc_ll_allowed) != 0) {
		_exit(98);
	}
}

static void sc_ll_set(uint64_t handled, const char *const *allowed)
{
	size_t n = 0;

	sc_ll_handled = handled;
	for (; allowed[n] && n < 15; n++) {
		sc_ll_allowed[n] = allowed[n];
	}
	sc_ll_allowed[n] = NULL;
}

static void sc_ll_need(void)
{
	sc_need(1, 1);
	if (!sc_landlock_available()) {
		cr_skip("Landlock is not enabled in this kernel");
	}
}

/* Exec is granted on the system, Go's root and the build tree; the
 * scenario's TMPDIR (where go makes $WORK) is not. */
static void exec_case(enum sc_engine engine, const char *tag, const char *go)
{
	struct sc s;
	char mod[256], gotmp[256];

	sc_ll_need();
	sc_init(&s, tag, engine, 0);
	const char *const allowed[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc",
					sc_build(""), s.home, NULL };
	sc_module(&s, "m", mod, sizeof(mod), "main.go", sc_go_main, "main_test.go",
		  sc_go_test, NULL);
	sc_ll_set(LANDLOCK_ACCESS_FS_EXECUTE, allowed);
	s.pre = sc_ll_pre;
	s.cwd = mod;
	char *argv[] = { (char *)go, "test", "-count=1", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) != 0 &&
		  strstr(out, "fork/exec") && strstr(out, "permission denied"),
		  "go test under the sandbox (%#x): %s", s.status, sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "exec-denied-lsm", "error");
	json_t *e = sc_event(f);
	const char *p = sc_str(e, "path");
	cr_expect(strncmp(p, s.tmp, strlen(s.tmp)) == 0 && strstr(p, ".test"),
		  "path %s is not the test binary in $WORK", p);
	cr_expect_str_eq(sc_str(e, "errno"), "EACCES");
	cr_expect_str_eq(sc_fact(f, "mode"), "0755");
	cr_expect(strstr(sc_str(f, "remedy"), "GOTMPDIR"), "remedy: %s", sc_str(f, "remedy"));
	json_decref(rep);

	/* the remedy: $WORK where the sandbox allows exec */
	snprintf(gotmp, sizeof(gotmp), "%s/go-tmp", s.home);
	cr_assert(mkdir(gotmp, 0755) == 0);
	setenv("GOTMPDIR", gotmp, 1);
	sc_rerun_clean(&s, argv, "GOTMPDIR where exec is allowed");
	sc_done(&s);
}

Test(lsm, landlock_exec_denied_go_test_trace, .timeout = 240)
{
	exec_case(SC_TRACE, "llexec", SC_GO);
}

/* The preload sees dynamic programs only (go is static): a shell runs a
 * program from the same denied TMPDIR. */
Test(lsm, landlock_exec_denied_shell_preload, .timeout = 60)
{
	struct sc s;
	char tool[256];
	const char *const allowed[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc",
					sc_build(""), NULL };

	sc_ll_need();
	sc_init(&s, "llexecp", SC_PRELOAD, 0);
	snprintf(tool, sizeof(tool), "%s/tool", s.tmp);
	sc_sh("cp %s %s && chmod 0755 %s", sc_build("tests/scenarios/sc-prog"), tool, tool);
	sc_ll_set(LANDLOCK_ACCESS_FS_EXECUTE, allowed);
	s.pre = sc_ll_pre;
	char *argv[] = { "/bin/sh", "-c", tool, NULL };
	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 126, "%s ran (%#x)", tool,
		  s.status);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "exec-denied-lsm", "error");
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EACCES");
	cr_expect_str_eq(sc_fact(f, "mode"), "0755");
	json_decref(rep);
	sc_done(&s);
}

Test(lsm, landlock_exec_denied_go119_trace, .timeout = 240)
{
	exec_case(SC_TRACE, "llexec19", "/usr/lib/go-1.19/bin/go");
}

/* Writes are granted in TMPDIR (ring and $WORK), HOME and /dev; not in
 * GOCACHE, an empty directory uid 65534 owns, mode 0755. */
static void write_case(enum sc_engine engine, const char *tag)
{
	struct sc s;
	char mod[256], cache[256];

	sc_ll_need();
	sc_init(&s, tag, engine, 1);
	sc_module(&s, "m", mod, sizeof(mod), "main.go", sc_go_main, NULL);
	cr_assert(snprintf(s.ring, sizeof(s.ring), "%s/r.ring", s.tmp) < (int)sizeof(s.ring));
	snprintf(cache, sizeof(cache), "%s/cache", s.dir);
	cr_assert(mkdir(cache, 0755) == 0);
	cr_assert(chown(cache, SC_NOBODY, SC_NOBODY) == 0);
	setenv("GOCACHE", cache, 1);
	const char *const allowed[] = { s.tmp, s.home, "/dev", NULL };
	sc_ll_set(SC_LL_WRITE, allowed);
	s.pre = sc_ll_pre;
	s.cwd = mod;
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "failed to initialize build cache") &&
		  strstr(out, "permission denied"), "go build (%#x): %s", s.status, sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "lsm-denied", "error");
	cr_expect_str_eq(sc_fact(f, "owner"), "65534");
	cr_expect_str_eq(sc_fact(f, "euid"), "65534");
	cr_expect_str_eq(sc_fact(f, "mode"), "0755");
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EACCES");
	json_t *doc = sc_doctor(&s);
	json_t *d = sc_doctor_expect(&s, doc, "lsm-denied");
	cr_expect_str_eq(sc_fact(d, "owner"), "65534");
	json_decref(doc);
	json_decref(rep);

	/* the remedy: the cache where the sandbox allows writes */
	snprintf(cache, sizeof(cache), "%s/go-build", s.home);
	setenv("GOCACHE", cache, 1);
	sc_rerun_clean(&s, argv, "GOCACHE where writes are allowed");
	sc_done(&s);
}

Test(lsm, landlock_gocache_write_denied_trace, .timeout = 240)
{
	write_case(SC_TRACE, "llwrite");
}

/* The preload: root's mkdir of GOCACHE/00 in a cache root owns (go is
 * static, mkdir(1) is not). */
Test(lsm, landlock_gocache_write_denied_mkdir_preload, .timeout = 60)
{
	struct sc s;
	char cache[256];

	sc_ll_need();
	sc_init(&s, "llwritep", SC_PRELOAD, 0);
	cr_assert(snprintf(s.ring, sizeof(s.ring), "%s/r.ring", s.tmp) < (int)sizeof(s.ring));
	snprintf(cache, sizeof(cache), "%s/cache", s.dir);
	cr_assert(mkdir(cache, 0755) == 0);
	setenv("GOCACHE", cache, 1);
	const char *const allowed[] = { s.tmp, s.home, "/dev", NULL };
	sc_ll_set(SC_LL_WRITE, allowed);
	s.pre = sc_ll_pre;
	char *argv[] = { "/bin/sh", "-c", "mkdir \"$GOCACHE/00\"", NULL };
	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1, "mkdir (%#x)", s.status);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "lsm-denied", "error");
	cr_expect_str_eq(sc_fact(f, "owner"), "0");
	cr_expect_str_eq(sc_fact(f, "euid"), "0");
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EACCES");
	json_decref(rep);
	sc_done(&s);
}

/* The mode explains it: as uid 65534, a program root keeps to itself
 * (0700: x bits, but not for others) — no security module's doing. */
Test(lsm, mode_0700_exec_is_not_lsm, .timeout = 60)
{
	struct sc s;
	char tool[256];
	size_t i;
	json_t *f;

	sc_need(1, 0);
	sc_init(&s, "llmode", SC_TRACE, 1);
	snprintf(tool, sizeof(tool), "%s/own-tool", s.dir);
	sc_sh("cp %s %s && chmod 0700 %s", sc_build("tests/scenarios/sc-prog"), tool, tool);
	char *argv[] = { "/bin/sh", "-c", tool, NULL };
	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 126, "%s ran (%#x)", tool,
		  s.status);
	json_t *rep = sc_report(&s);
	json_t *r = sc_record(&s, tool);
	cr_expect_str_eq(sc_str(r, "errno"), "EACCES");
	json_decref(r);
	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		cr_expect(strstr(sc_str(f, "pattern"), "lsm") == NULL,
			  "a 0700 program of root is blamed on a security module");
	}
	json_decref(rep);
	sc_done(&s);
}
