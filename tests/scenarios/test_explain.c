/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain on what the official Go really printed, bare (no
 * goshim), in failing setups made for real: TMPDIR, then GOCACHE, on a
 * noexec tmpfs in this test's own mount namespace; no cache location, a
 * missing GOTMPDIR, a cache go cannot create as uid 65534; os/exec
 * meeting a missing ELF interpreter and a foreign machine.  The pattern,
 * the line Go printed it on, and --check's doctor confirming it here. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sc.h"

/* A noexec tmpfs on s->mnt, in a mount namespace of this test process. */
static void xs_noexec(struct sc *s)
{
	cr_assert(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	cr_assert(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	cr_assert(mount("tmpfs", s->mnt, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV,
			"size=512m,mode=1777") == 0, "mount: %s", strerror(errno));
}

/* Run the shell line (stdout and stderr into s->out, in order); the
 * 1-based number of the first line of the output holding want. */
static size_t xs_go(struct sc *s, const char *tmpl, const char *want)
{
	char line[2048];
	size_t n = 0;
	int st;

	/* {go}: the scenario's go (SC_GO) */
	for (const char *p = tmpl; *p && n + 512 < sizeof(line); p++) {
		if (strncmp(p, "{go}", 4) == 0) {
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s", SC_GO);
			p += 3;
		} else {
			line[n++] = *p;
		}
	}
	line[n] = 0;
	char *out = tl_sh_out(&st, "cd '%s' && %s 2>&1", s->mod, line);
	const char *hit = strstr(out, want);
	size_t no = 1;

	tl_write(s->out, out);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) != 0 && hit,
		  "`%s` (status %#x) printed no \"%s\":\n%s", line, st, want, sc_tail(out));
	for (const char *p = out; p < hit; p++) {
		no += *p == '\n';
	}
	free(out);
	return no;
}

/* goshimctl explain --json [--check] s->out, after the shell prefix pre
 * (the same environment and user as the run): exit 1, one finding whose
 * first cause is id, on line no; the cause, confirmed or not. */
static json_t *xs_explain_as(struct sc *s, const char *pre, int check, const char *id,
			     size_t no)
{
	int st;
	char *out = tl_sh_out(&st, "%s '%s' explain --json %s '%s'", pre, tl_env("GOSHIMCTL"),
			      check ? "--check" : "", s->out);
	json_t *j = tl_json(out), *f, *c;

	cr_assert_not_null(j, "explain: %s", sc_tail(out));
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "explain exit %#x", st);
	f = json_array_get(json_object_get(j, "findings"), 0);
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 1, "%s", sc_tail(out));
	c = json_array_get(json_object_get(f, "causes"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(c, "pattern")), id, "%s", sc_tail(out));
	cr_expect_eq(json_integer_value(json_array_get(json_object_get(f, "line_numbers"), 0)),
		     (json_int_t)no, "%s", sc_tail(out));
	free(out);
	json_incref(c);
	json_decref(j);
	return c;
}

static json_t *xs_explain(struct sc *s, int check, const char *id, size_t no)
{
	return xs_explain_as(s, "", check, id, no);
}

static void xs_done(struct sc *s)
{
	umount2(s->mnt, MNT_DETACH);
	sc_done(s);
}

/* go test and go test -json with TMPDIR noexec: tmpdir-noexec, and
 * doctor confirms it (TMPDIR is still that mount). */
Test(explain_real, go_test_noexec_tmpdir, .timeout = 600)
{
	struct sc s;
	json_t *c;
	size_t no;

	sc_go_start(&s, "xtmp", 0, "m", "main.go", sc_go_main, "main_test.go", sc_go_test, NULL);
	xs_noexec(&s);
	setenv("TMPDIR", s.mnt, 1);
	no = xs_go(&s, "{go} test -count=1 .", "fork/exec ");
	json_decref(xs_explain(&s, 0, "tmpdir-noexec", no));
	c = xs_explain(&s, 1, "tmpdir-noexec", no);
	cr_expect(json_is_true(json_object_get(c, "confirmed")), "doctor did not confirm it");
	cr_expect(strstr(json_string_value(json_object_get(c, "remedy")), s.mnt),
		  "the remount names the mount doctor measured");
	json_decref(c);
	no = xs_go(&s, "{go} test -json -count=1 .", "fork/exec ");
	json_decref(xs_explain(&s, 0, "tmpdir-noexec", no));
	xs_done(&s);
}

/* Go >= 1.24 runs `go run` programs from GOCACHE: with GOCACHE on the
 * noexec mount the second run fails; gocache-noexec, confirmed by
 * doctor's GOCACHE check, and tmpdir-noexec is no cause of it. */
Test(explain_real, go_run_noexec_gocache, .timeout = 600)
{
	static const char tiny[] = "package main\n\nfunc main() {}\n";
	char cache[256];
	struct sc s;
	json_t *c;
	size_t no;

	sc_go_start(&s, "xcache", 0, "m", "main.go", tiny, NULL);
	xs_noexec(&s);
	snprintf(cache, sizeof(cache), "%s/cache", s.mnt);
	setenv("GOCACHE", cache, 1);
	no = xs_go(&s, "{go} run . && {go} run .", "fork/exec ");
	c = xs_explain(&s, 1, "gocache-noexec", no);
	cr_expect(json_is_true(json_object_get(c, "confirmed")), "doctor did not confirm it");
	json_decref(c);
	xs_done(&s);
}

/* Failures go meets before it builds anything, run for real with the
 * environment (and user) a shell prefix sets: explain names the pattern
 * on the line Go printed, and doctor, run the same way, confirms it. */
static const struct {
	const char *tag, *pre, *id, *want;
	int nobody;
} xs_env[] = {
	{ "xundef", "env -u GOCACHE -u XDG_CACHE_HOME -u HOME", "gocache-undefined",
	  "build cache is required", 0 },
	{ "xwork", "env GOTMPDIR=/nonexistent-goshim-explain", "tmpdir-unusable",
	  "go: creating work dir", 0 },
	{ "xinit", "setpriv --reuid=65534 --regid=65534 --clear-groups env -u GOCACHE HOME=/",
	  "gocache-init-denied", "failed to initialize build cache", 1 },
};

Test(explain_real, go_environment_failures, .timeout = 600)
{
	for (size_t i = 0; i < sizeof(xs_env) / sizeof(xs_env[0]); i++) {
		char line[512];
		struct sc s;
		json_t *c;
		size_t no;

		sc_go_start(&s, xs_env[i].tag, xs_env[i].nobody, "m", "main.go", sc_go_main, NULL);
		snprintf(line, sizeof(line), "%s {go} build -o /dev/null .", xs_env[i].pre);
		no = xs_go(&s, line, xs_env[i].want);
		c = xs_explain_as(&s, xs_env[i].pre, 1, xs_env[i].id, no);
		cr_expect(json_is_true(json_object_get(c, "confirmed")),
			  "%s: doctor did not confirm it", xs_env[i].id);
		json_decref(c);
		sc_done(&s);
	}
}

/* os/exec's own words for a program whose ELF interpreter is missing
 * (musl's loader on this glibc system) and for one of another machine
 * (an aarch64 ELF header): two findings, at their lines. */
Test(explain_real, go_exec_failures, .timeout = 600)
{
	static const char prog[] =
		"package main\n\n"
		"import (\n\t\"fmt\"\n\t\"os\"\n\t\"os/exec\"\n)\n\n"
		"func main() {\n"
		"\tfor _, p := range os.Args[1:] {\n"
		"\t\tfmt.Println(exec.Command(p).Run())\n"
		"\t}\n"
		"\tos.Exit(1)\n"
		"}\n";
	static const unsigned char arm[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, [16] = 2, 0, 0xb7, 0 };
	static const char *const ids[] = { "elf-interpreter-missing", "exec-format" };
	char line[1024], foreign[256], *out;
	json_t *j, *fa;
	struct sc s;
	FILE *f;
	size_t no;
	int st;

	sc_go_start(&s, "xexec", 0, "m", "main.go", prog, NULL);
	snprintf(foreign, sizeof(foreign), "%s/arm64-prog", s.dir);
	f = fopen(foreign, "wb");
	cr_assert(f && fwrite(arm, 1, sizeof(arm), f) == sizeof(arm) && fclose(f) == 0);
	cr_assert(chmod(foreign, 0755) == 0);
	snprintf(line, sizeof(line), "{go} run . %s/tests/scenarios/sc-prog-musl %s",
		 tl_env("GOSHIM_BUILD_ROOT"), foreign);
	no = xs_go(&s, line, "fork/exec ");
	out = tl_sh_out(&st, "'%s' explain --json '%s'", tl_env("GOSHIMCTL"), s.out);
	j = tl_json(out);
	fa = json_object_get(j, "findings");
	cr_assert_eq(json_array_size(fa), 2, "%s", sc_tail(out));
	for (size_t i = 0; i < 2; i++) {
		json_t *fi = json_array_get(fa, i);

		cr_expect_str_eq(json_string_value(json_object_get(fi, "pattern")), ids[i], "%s", sc_tail(out));
		cr_expect_eq(json_integer_value(json_array_get(json_object_get(fi, "line_numbers"), 0)),
			     (json_int_t)(no + i), "%s", sc_tail(out));
	}
	json_decref(j);
	free(out);
	sc_done(&s);
}

/* A test that checks a file without the execute bit cannot be run, and
 * prints the error it expects: go's own words for exec-not-executable
 * and tmpdir-noexec, in a job that passed. */
static const char xs_expect_denied_test[] =
	"package main\n\n"
	"import (\n\t\"fmt\"\n\t\"os\"\n\t\"os/exec\"\n\t\"path/filepath\"\n\t\"testing\"\n)\n\n"
	"func TestNotExecutable(t *testing.T) {\n"
	"\tp := filepath.Join(t.TempDir(), \"tool.sh\")\n"
	"\tif err := os.WriteFile(p, []byte(\"#!/bin/sh\\n\"), 0o644); err != nil {\n"
	"\t\tt.Fatal(err)\n\t}\n"
	"\terr := exec.Command(p).Run()\n"
	"\tif err == nil {\n\t\tt.Fatal(\"ran a file without the execute bit\")\n\t}\n"
	"\tfmt.Println(err)\n}\n";

/* go test -v and go test -json of that passing test: explain says the job
 * passed and the line came from test output, exits 0, ranks no cause. */
Test(explain_real, passing_job_printing_a_known_text, .timeout = 600)
{
	static const char *const runs[] = { "test -v -count=1 .", "test -json -count=1 ." };
	struct sc s;
	int st;

	sc_go_start(&s, "xpass", 0, "m", "main.go", sc_go_main, "main_test.go",
		    xs_expect_denied_test, NULL);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char *out = tl_sh_out(&st, "cd '%s' && %s %s 2>&1", s.mod, SC_GO, runs[i]);
		tl_write(s.out, out);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(out, "permission denied"),
			  "go %s (status %#x):\n%s", runs[i], st, sc_tail(out));
		free(out);
		out = tl_sh_out(&st, "'%s' explain --json '%s'", tl_env("GOSHIMCTL"), s.out);
		json_t *j = tl_json(out);
		cr_assert_not_null(j, "explain: %s", sc_tail(out));
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "go %s: explain exit %#x: %s",
			  runs[i], st, sc_tail(out));
		cr_expect_str_eq(json_string_value(json_object_get(j, "job")), "passed", "%s", sc_tail(out));
		cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0, "%s", sc_tail(out));
		cr_expect_eq(json_array_size(json_object_get(j, "test_output")), 1, "%s", sc_tail(out));
		json_decref(j);
		free(out);
		out = tl_sh_out(&st, "'%s' explain '%s'", tl_env("GOSHIMCTL"), s.out);
		cr_expect(strstr(out, "job passed; this text came from test output") &&
			  !strstr(out, "remedy:"), "go %s: %s", runs[i], sc_tail(out));
		free(out);
	}
	sc_done(&s);
}
