/* SPDX-License-Identifier: Apache-2.0 */
/* cgo-header-missing and cgo-library-missing: a cgo package includes a
 * header no include directory has, or links a -l library no library
 * directory has; `go build` fails.  Go 1.26 and Debian's Go 1.19, through
 * both engines.  The same build with the header and library there (the
 * remedy: install them; here: -I and -L to a directory holding them)
 * reports no error, though cc1 and ld fail many lookups on the way. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"

#define GO119 "/usr/lib/go-1.19/bin/go"

static const char cd_header[] =
	"package main\n\n/*\n#include <nonexistent_goshim.h>\n*/\nimport \"C\"\n\n"
	"func main() { C.goshim_x() }\n";
static const char cd_library[] =
	"package main\n\n/*\n#cgo LDFLAGS: -lnonexistent_goshim\nint goshim_x(void);\n*/\n"
	"import \"C\"\n\nfunc main() { C.goshim_x() }\n";

static void cd_case(const char *go, enum sc_engine engine, const char *src, const char *id,
		    const char *want)
{
	const char *name = engine == SC_TRACE ? "trace" : "preload";
	char *argv[] = { (char *)go, "build", "-o", "/dev/null", ".", NULL };
	char mod[256], p[512], flags[600];
	struct sc s;

	sc_need(1, 1);
	if (access(go, X_OK) != 0) {
		cr_skip("%s is not installed", go);
	}
	sc_init(&s, id, engine, 0);
	sc_module(&s, "m", mod, sizeof(mod), "main.go", src, NULL);
	snprintf(p, sizeof(p), "%s/go.mod", mod);
	sc_write(p, "module example.com/m\n\ngo 1.19\n");
	setenv("CGO_ENABLED", "1", 1);
	s.cwd = mod;

	sc_run(&s, argv);
	char *out = sc_output(&s);
	/* go build exits 1 (Go 1.26) or 2 (Go 1.19) */
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) != 0, "%s %s: status %#x: %s",
		  go, name, s.status, sc_tail(out));
	free(out);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, id, "error");
	const char *path = sc_str(sc_event(f), "path");
	cr_expect(strstr(path, want), "%s %s: %s", go, name, path);
	json_decref(rep);

	/* the header and the library installed where the build looks */
	sc_sh("mkdir -p %s/dev && cd %s/dev && echo 'static inline int goshim_x(void) { return 0; }' > nonexistent_goshim.h && "
	      "echo 'int goshim_x(void) { return 0; }' > x.c && cc -shared -fPIC -o "
	      "libnonexistent_goshim.so x.c", s.dir, s.dir);
	snprintf(flags, sizeof(flags), "-I%s/dev", s.dir);
	setenv("CGO_CFLAGS", flags, 1);
	snprintf(flags, sizeof(flags), "-L%s/dev", s.dir);
	setenv("CGO_LDFLAGS", flags, 1);
	unlink(s.ring);
	sc_run(&s, argv);
	out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0, "%s %s: fixed: %#x: %s", go,
		  name, s.status, sc_tail(out));
	free(out);
	rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	unsetenv("CGO_CFLAGS");
	unsetenv("CGO_LDFLAGS");
	sc_done(&s);
}

#define CD_TESTS(go, tag)                                                                  \
	Test(cgodev, header_##tag##_trace, .timeout = 400)                                   \
	{ cd_case(go, SC_TRACE, cd_header, "cgo-header-missing", "/nonexistent_goshim.h"); } \
	Test(cgodev, header_##tag##_preload, .timeout = 400)                                 \
	{ cd_case(go, SC_PRELOAD, cd_header, "cgo-header-missing", "/nonexistent_goshim.h"); } \
	Test(cgodev, library_##tag##_trace, .timeout = 400)                                  \
	{ cd_case(go, SC_TRACE, cd_library, "cgo-library-missing", "libnonexistent_goshim.a"); } \
	Test(cgodev, library_##tag##_preload, .timeout = 400)                                \
	{ cd_case(go, SC_PRELOAD, cd_library, "cgo-library-missing", "libnonexistent_goshim.a"); }

CD_TESTS(SC_GO, go126)
CD_TESTS(GO119, go119)
