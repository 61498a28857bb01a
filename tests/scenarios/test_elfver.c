/* SPDX-License-Identifier: Apache-2.0 */
/* elf-version-missing: a program linked against a library that defines
 * symbol version FOO_2.0 runs with one that defines only FOO_1.0 (as a
 * program built on a newer glibc runs on an older one: "version
 * `GLIBC_2.34' not found").  The exec succeeds, ld.so stops the program
 * before main and it exits 1.  A C program and a Go cgo program, through
 * both engines; then the remedy's analog, the program rebuilt against the
 * old library, runs clean. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sc.h"

static const char ev_lib[] = "int foo(void) { return 42; }\n";
static const char ev_main[] = "int foo(void);\nint main(void) { return foo() == 42 ? 0 : 3; }\n";
static const char ev_v1[] = "FOO_1.0 { global: foo; local: *; };\n";
static const char ev_v2[] = "FOO_1.0 { local: *; };\nFOO_2.0 { global: foo; } FOO_1.0;\n";

/* dir/new/libfoo.so defines FOO_1.0 and FOO_2.0, dir/old/libfoo.so only
 * FOO_1.0; dir/prog is linked against the new one. */
static const char ev_go[] = "package main\n\n// int foo(void);\nimport \"C\"\n\n"
			    "func main() {\n\tif C.foo() != 42 {\n\t\tpanic(0)\n\t}\n}\n";

/* prog built against dir/LIB: a C program, or a Go cgo one (go set). */
static void ev_build(struct sc *s, const char *lib, int go)
{
	char mod[256];

	if (!go) {
		sc_sh("cd %s && cc -o prog main.c -L%s -lfoo", s->dir, lib);
		return;
	}
	snprintf(mod, sizeof(mod), "%s/m", s->dir);
	sc_sh("cd %s && CGO_ENABLED=1 CGO_LDFLAGS='-L%s/%s -lfoo' %s build -o %s/prog .", mod,
	      s->dir, lib, SC_GO, s->dir);
}

static void ev_make(struct sc *s, int go)
{
	char p[256];
	const char *files[][2] = { { "foo.c", ev_lib }, { "main.c", ev_main },
				   { "v1.map", ev_v1 }, { "v2.map", ev_v2 } };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", s->dir, files[i][0]);
		sc_write(p, files[i][1]);
	}
	sc_sh("cd %s && mkdir new old && "
	      "cc -shared -fPIC -o new/libfoo.so foo.c -Wl,--version-script=v2.map "
	      "-Wl,-soname,libfoo.so && "
	      "cc -shared -fPIC -o old/libfoo.so foo.c -Wl,--version-script=v1.map "
	      "-Wl,-soname,libfoo.so", s->dir);
	if (go) {
		char mod[256];

		sc_module(s, "m", mod, sizeof(mod), "main.go", ev_go, NULL);
	}
	ev_build(s, "new", go);
}

static void ev_case(enum sc_engine engine, int go)
{
	const char *name = engine == SC_TRACE ? "trace" : "preload";
	char *argv[] = { "/bin/sh", "-c", "./prog; exit $?", NULL };
	char libpath[256];
	struct sc s;

	sc_need(1, go);
	sc_init(&s, "elfver", engine, 0);
	ev_make(&s, go);
	snprintf(libpath, sizeof(libpath), "%s/old", s.dir);
	setenv("LD_LIBRARY_PATH", libpath, 1);

	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1, "%s: status %#x", name,
		  s.status);
	char *out = sc_output(&s);
	cr_assert(strstr(out, "version `FOO_2.0' not found"), "%s: ld.so said: %s", name, sc_tail(out));
	free(out);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "elf-version-missing", "error");
	const char *note = sc_str(sc_event(f), "note");
	cr_expect(strstr(note, "needs FOO_2.0 of libfoo.so, which ") && strstr(note, "/old/libfoo.so"),
		  "%s: %s", name, note);
	json_decref(rep);

	/* the remedy: build against the oldest library it must run with */
	ev_build(&s, "old", go);
	unlink(s.ring);
	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0, "%s: rebuilt: status %#x",
		  name, s.status);
	rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	unsetenv("LD_LIBRARY_PATH");
	sc_done(&s);
}

Test(elfver, trace) { ev_case(SC_TRACE, 0); }
Test(elfver, preload) { ev_case(SC_PRELOAD, 0); }
Test(elfver, go_cgo_trace, .timeout = 300) { ev_case(SC_TRACE, 1); }
Test(elfver, go_cgo_preload, .timeout = 300) { ev_case(SC_PRELOAD, 1); }
