/* SPDX-License-Identifier: Apache-2.0 */
/* exec failures: an ELF whose PT_INTERP does not exist, a binary for
 * another architecture (a real arm64 Go build), a program without its
 * execute bits, cgo without a C compiler, a binary still open for
 * writing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "tl_table.h"

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

/* The tool: a copy of the musl-linked program (its PT_INTERP is not
 * there), or a real arm64 Go build. */
static void musl_tool(struct sc *s, const char *tool)
{
	sc_sh("cp %s %s", sc_build("tests/scenarios/sc-prog-musl"), tool);
	cr_assert(access(MUSL_LD, F_OK) != 0, "%s exists here: no missing interpreter", MUSL_LD);
}

static void arm64_tool(struct sc *s, const char *tool)
{
	char mod[256];

	sc_module(s, "arm", mod, sizeof(mod), "main.go", sc_go_main, NULL);
	sc_sh("cd %s && GOOS=linux GOARCH=arm64 %s build -o %s .", mod, SC_GO, tool);
}

/* A program that lost its execute bits (an artifact that went through a
 * zip, a checkout with core.fileMode=false): mode 0644. */
static void nox_tool(struct sc *s, const char *tool)
{
	sc_sh("cp %s %s && chmod 0644 %s", sc_build("tests/scenarios/sc-prog"), tool, tool);
}

/* A tool that cannot be executed, run by go test (trace engine) or a
 * shell (preload). */
struct tool_case {
	const char *tag;
	enum sc_engine engine;
	int need_go;
	void (*make)(struct sc *s, const char *tool);
	const char *out[4];      /* the output holds one of these */
	const char *id;
	struct sc_kv fact[2];
	const char *err;
};

#define TOOL_INTERP(tag, engine, go) \
	{ tag, engine, go, musl_tool, { "no such file or directory", "not found" }, \
	  "elf-interpreter-missing", { { "interp", MUSL_LD }, { "interp_err", "ENOENT" } }, \
	  "ENOENT" }
#define TOOL_FORMAT(tag, engine) \
	{ tag, engine, 1, arm64_tool, \
	  { "exec format error", "Exec format error", "not found", "cannot execute" }, \
	  "exec-format", { { "machine", "aarch64" }, { "host_machine", "x86_64" } }, "ENOEXEC" }

#define TOOL_NOX(tag, engine, go) \
	{ tag, engine, go, nox_tool, { "permission denied", "Permission denied" }, \
	  "exec-not-executable", { { "mode", "0644" }, { "euid", "0" } }, "EACCES" }

static struct tool_case tool_cases[] = {
	TOOL_INTERP("interp-trace", SC_TRACE, 1),
	TOOL_INTERP("interp-preload", SC_PRELOAD, 0),
	TOOL_FORMAT("format-trace", SC_TRACE),
	TOOL_FORMAT("format-preload", SC_PRELOAD),
	TOOL_NOX("nox-trace", SC_TRACE, 1),
	TOOL_NOX("nox-preload", SC_PRELOAD, 0),
};

/* interpreter_missing_{go_test_trace,shell_preload},
 * other_architecture_{go_test_trace,shell_preload} and
 * not_executable_{go_test_trace,shell_preload}, as rows. */
TL_TABLE_TEST(struct tool_case, tool_cases, exec, tool_fails, .timeout = 300)
{
	struct sc s;
	char tool[256];
	int said = 0;

	sc_need(1, c->need_go);
	sc_init(&s, c->tag, c->engine, 0);
	snprintf(tool, sizeof(tool), "%s/%s-tool", s.dir, c->tag);
	c->make(&s, tool);
	run_tool(&s, tool);
	char *out = sc_output(&s);
	for (size_t i = 0; i < 4 && c->out[i]; i++) {
		said |= strstr(out, c->out[i]) != NULL;
	}
	cr_assert(said, "%s: output: %s", c->tag, sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, c->id, "error");
	for (size_t i = 0; i < 2; i++) {
		cr_expect_str_eq(sc_fact(f, c->fact[i].k), c->fact[i].v);
	}
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), c->err);
	json_decref(rep);
	sc_done(&s);
}

Test(exec, cgo_without_c_compiler, .timeout = 240)
{
	struct sc s;
	char path[512];

	sc_go_start(&s, "nocc", 0, "c", "main.go", sc_go_cgo, NULL);
	snprintf(path, sizeof(path), "%s/bin", s.dir);
	cr_assert(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/bin:/usr/local/go/bin", s.dir);
	setenv("PATH", path, 1);
	setenv("CGO_ENABLED", "1", 1);
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = {
		.exit = 1, .out = { "C compiler \"gcc\" not found" },
		.id = "cgo-compiler-missing", .sev = "error",
		.fact = { { "prog", "gcc" } }, .event = { { "errno", "ENOENT" } },
	};
	json_t *rep = sc_check(&s, argv, &w, NULL);
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

	sc_go_start(&s, "nocc-list", 0, "c", "main.go", sc_go_cgo, NULL);
	setenv("CC", "doesnotexist", 1);
	setenv("CGO_ENABLED", "1", 1);
	char *argv[] = { SC_GO, "list", "-e", "-json", "-compiled=true", "-deps=true", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0 &&
		  strstr(out, "doesnotexist"), "go list -e: %s", sc_tail(out));
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
	struct sc_want w = {
		.exit = 1, .out = { "Text file busy" }, .id = "exec-text-busy", .sev = "error",
		.event = { { "path", tool }, { "errno", "ETXTBSY" } },
	};
	json_decref(sc_check(&s, argv, &w, NULL));
	sc_done(&s);
}

/* GOFLAGS=-mod=vendor in a module with a (local, replaced) dependency and
 * no vendor directory: go fails with "inconsistent vendoring".  The
 * remedy, go mod vendor, is applied and the build passes. */
Test(exec, vendor_mode_without_modules_txt, .timeout = 240)
{
	struct sc s;

	sc_go_start(&s, "vendor", 0, "m", "main.go",
		    "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Two()) }\n",
		    NULL);
	sc_sh("mkdir %s/dep && printf 'module example.com/dep\\n\\ngo 1.21\\n' > %s/dep/go.mod && "
	      "printf 'package dep\\n\\nfunc Two() int { return 2 }\\n' > %s/dep/dep.go",
	      s.mod, s.mod, s.mod);
	sc_sh("printf '\\nrequire example.com/dep v0.0.0\\n\\nreplace example.com/dep => ./dep\\n' "
	      ">> %s/go.mod", s.mod);
	setenv("GOFLAGS", "-mod=vendor", 1);
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = { .exit = 1, .out = { "inconsistent vendoring" },
			     .id = "vendor-inconsistent", .sev = "error" };
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_str(sc_event(f), "path"), "/vendor/modules.txt"));
	cr_expect(strncmp(sc_str(f, "remedy"), "go mod vendor", 13) == 0, "remedy %s",
		  sc_str(f, "remedy"));
	json_decref(rep);

	/* the remedy */
	sc_sh("cd %s && GOFLAGS=-mod=mod %s mod vendor", s.mod, SC_GO);
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0, "after go mod vendor: %s", sc_tail(out));
	free(out);
	rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	sc_done(&s);
}
