/* SPDX-License-Identifier: Apache-2.0 */
/* exec failures: an ELF whose PT_INTERP does not exist, a binary for
 * another architecture (a real arm64 Go build), cgo without a C compiler,
 * a binary still open for writing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"

#define MUSL_LD "/lib/ld-musl-x86_64.so.1"

static const char exec_test[] =
	"package x\n\n"
	"import (\n\t\"os\"\n\t\"os/exec\"\n\t\"testing\"\n)\n\n"
	"func TestRunTool(t *testing.T) {\n"
	"\tout, err := exec.Command(os.Getenv(\"SC_EXEC\")).CombinedOutput()\n"
	"\tif err != nil {\n\t\tt.Fatalf(\"%v: %s\", err, out)\n\t}\n"
	"}\n";

/* The workload: `go test` whose test runs the program (trace engine), or
 * a shell that runs it (preload). */
static void run_tool(struct sc *s, const char *tool)
{
	char mod[256];

	setenv("SC_EXEC", tool, 1);
	if (s->engine == SC_TRACE) {
		sc_module(s, "x", mod, sizeof(mod), "x_test.go", exec_test, NULL);
		s->cwd = mod;
		char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
		sc_run(s, argv);
	} else {
		char *argv[] = { "/bin/sh", "-c", (char *)tool, NULL };
		sc_run(s, argv);
	}
	cr_assert(!WIFEXITED(s->status) || WEXITSTATUS(s->status) != 0, "%s ran", tool);
}

static void interp_case(enum sc_engine engine, const char *tag)
{
	struct sc s;
	char tool[256];

	sc_need(1, engine == SC_TRACE);
	sc_init(&s, tag, engine, 0);
	snprintf(tool, sizeof(tool), "%s/musl-tool", s.dir);
	sc_sh("cp %s %s", sc_build("tests/scenarios/sc-prog-musl"), tool);
	cr_assert(access(MUSL_LD, F_OK) != 0, "%s exists here: no missing interpreter", MUSL_LD);
	run_tool(&s, tool);
	char *out = sc_output(&s);
	cr_assert(strstr(out, "no such file or directory") || strstr(out, "not found"),
		  "output: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "elf-interpreter-missing", "error");
	cr_expect_str_eq(sc_fact(f, "interp"), MUSL_LD);
	cr_expect_str_eq(sc_fact(f, "interp_err"), "ENOENT");
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "ENOENT");
	json_decref(rep);
	sc_done(&s);
}

Test(exec, interpreter_missing_go_test_trace, .timeout = 240)
{
	interp_case(SC_TRACE, "interp-trace");
}

Test(exec, interpreter_missing_shell_preload, .timeout = 60)
{
	interp_case(SC_PRELOAD, "interp-preload");
}

static void format_case(enum sc_engine engine, const char *tag)
{
	struct sc s;
	char tool[256], mod[256];

	sc_need(1, 1);
	sc_init(&s, tag, engine, 0);
	sc_module(&s, "arm", mod, sizeof(mod), "main.go", sc_go_main, NULL);
	snprintf(tool, sizeof(tool), "%s/arm64-tool", s.dir);
	sc_sh("cd %s && GOOS=linux GOARCH=arm64 %s build -o %s .", mod, SC_GO, tool);
	run_tool(&s, tool);
	char *out = sc_output(&s);
	cr_assert(strstr(out, "exec format error") || strstr(out, "Exec format error") ||
		  strstr(out, "not found") || strstr(out, "cannot execute"), "output: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "exec-format", "error");
	cr_expect_str_eq(sc_fact(f, "machine"), "aarch64");
	cr_expect_str_eq(sc_fact(f, "host_machine"), "x86_64");
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "ENOEXEC");
	json_decref(rep);
	sc_done(&s);
}

Test(exec, other_architecture_go_test_trace, .timeout = 300)
{
	format_case(SC_TRACE, "format-trace");
}

Test(exec, other_architecture_shell_preload, .timeout = 300)
{
	format_case(SC_PRELOAD, "format-preload");
}

Test(exec, cgo_without_c_compiler, .timeout = 240)
{
	struct sc s;
	char mod[256], path[512];

	sc_need(1, 1);
	sc_init(&s, "nocc", SC_TRACE, 0);
	sc_module(&s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, NULL);
	snprintf(path, sizeof(path), "%s/bin", s.dir);
	cr_assert(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/bin:/usr/local/go/bin", s.dir);
	setenv("PATH", path, 1);
	setenv("CGO_ENABLED", "1", 1);
	s.cwd = mod;
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "C compiler \"gcc\" not found"), "go build: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "cgo-compiler-missing", "error");
	cr_expect_str_eq(sc_fact(f, "prog"), "gcc");
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "ENOENT");
	json_t *doc = sc_doctor(&s);
	json_t *d = sc_doctor_expect(&s, doc, "cgo-compiler-missing");
	cr_expect_str_eq(sc_str(d, "severity"), "error");
	json_decref(doc);
	json_decref(rep);
	sc_done(&s);
}

/* A program that copes with the missing compiler: `go list -e -compiled`
 * (what golang.org/x/tools/go/packages runs, and tests that set
 * CC=doesnotexist on purpose) reports the cgo failure in its JSON and
 * exits 0.  The cgo tool it ran exited 2; the job passed, so the finding
 * is a warning and report exits 0. */
Test(exec, cgo_compiler_missing_survived_by_go_list, .timeout = 240)
{
	struct sc s;
	char mod[256];

	sc_need(1, 1);
	sc_init(&s, "nocc-list", SC_TRACE, 0);
	sc_module(&s, "c", mod, sizeof(mod), "main.go", sc_go_cgo, NULL);
	setenv("CC", "doesnotexist", 1);
	setenv("CGO_ENABLED", "1", 1);
	s.cwd = mod;
	char *argv[] = { SC_GO, "list", "-e", "-json", "-compiled=true", "-deps=true", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0 &&
		  strstr(out, "doesnotexist"), "go list -e: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "cgo-compiler-missing", "warning");
	cr_expect_str_eq(sc_fact(f, "prog"), "doesnotexist");
	json_decref(rep);
	cr_expect(sc_report_status(&s) == 0, "report exits non-zero on a run that passed");
	sc_done(&s);
}

Test(exec, text_file_busy, .timeout = 60)
{
	struct sc s;
	char tool[256];

	sc_need(1, 0);
	sc_init(&s, "txtbusy", SC_PRELOAD, 0);
	snprintf(tool, sizeof(tool), "%s/fresh-tool", s.dir);
	sc_sh("cp /bin/true %s && chmod 755 %s", tool, tool);
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog"), "busy", tool, NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "Text file busy"), "sc-prog busy: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "exec-text-busy", "error");
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "ETXTBSY");
	json_decref(rep);
	sc_done(&s);
}

/* GOFLAGS=-mod=vendor in a module with a (local, replaced) dependency and
 * no vendor directory: go fails with "inconsistent vendoring".  The
 * remedy, go mod vendor, is applied and the build passes. */
Test(exec, vendor_mode_without_modules_txt, .timeout = 240)
{
	struct sc s;
	char mod[256];

	sc_need(1, 1);
	sc_init(&s, "vendor", SC_TRACE, 0);
	sc_module(&s, "m", mod, sizeof(mod), "main.go",
		  "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Two()) }\n",
		  NULL);
	sc_sh("mkdir %s/dep && printf 'module example.com/dep\\n\\ngo 1.21\\n' > %s/dep/go.mod && "
	      "printf 'package dep\\n\\nfunc Two() int { return 2 }\\n' > %s/dep/dep.go", mod, mod, mod);
	sc_sh("printf '\\nrequire example.com/dep v0.0.0\\n\\nreplace example.com/dep => ./dep\\n' "
	      ">> %s/go.mod", mod);
	setenv("GOFLAGS", "-mod=vendor", 1);
	s.cwd = mod;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "inconsistent vendoring"), "go build: %s", out);
	free(out);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "vendor-inconsistent", "error");
	cr_expect(strstr(sc_str(sc_event(f), "path"), "/vendor/modules.txt"));
	cr_expect(strncmp(sc_str(f, "remedy"), "go mod vendor", 13) == 0, "remedy %s",
		  sc_str(f, "remedy"));
	json_decref(rep);

	/* the remedy */
	sc_sh("cd %s && GOFLAGS=-mod=mod " SC_GO " mod vendor", mod);
	sc_run(&s, argv);
	out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0, "after go mod vendor: %s", out);
	free(out);
	rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	sc_done(&s);
}
