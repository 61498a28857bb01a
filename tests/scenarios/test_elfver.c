/* SPDX-License-Identifier: Apache-2.0 */
/* elf-version-missing: a program linked against a library that defines
 * symbol version FOO_2.0 runs with one that defines only FOO_1.0 (as a
 * program built on a newer glibc runs on an older one: "version
 * `GLIBC_2.34' not found").  The exec succeeds, ld.so stops the program
 * before main and it exits 1.  Through both engines; then the remedy's
 * analog, the program rebuilt against the old library, runs clean. */
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
static void ev_make(struct sc *s)
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
	      "-Wl,-soname,libfoo.so && cc -o prog main.c -Lnew -lfoo", s->dir);
}

static void ev_case(enum sc_engine engine)
{
	const char *name = engine == SC_TRACE ? "trace" : "preload";
	char *argv[] = { "/bin/sh", "-c", "./prog; exit $?", NULL };
	char libpath[256];
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "elfver", engine, 0);
	ev_make(&s);
	snprintf(libpath, sizeof(libpath), "%s/old", s.dir);
	setenv("LD_LIBRARY_PATH", libpath, 1);

	sc_run(&s, argv);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1, "%s: status %#x", name,
		  s.status);
	char *out = sc_output(&s);
	cr_assert(strstr(out, "version `FOO_2.0' not found"), "%s: ld.so said: %s", name, out);
	free(out);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "elf-version-missing", "error");
	const char *note = sc_str(sc_event(f), "note");
	cr_expect(strstr(note, "needs FOO_2.0 of libfoo.so, which ") && strstr(note, "/old/libfoo.so"),
		  "%s: %s", name, note);
	json_decref(rep);

	/* the remedy: build against the oldest library it must run with */
	sc_sh("cd %s && cc -o prog main.c -Lold -lfoo", s.dir);
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

Test(elfver, trace) { ev_case(SC_TRACE); }
Test(elfver, preload) { ev_case(SC_PRELOAD); }
