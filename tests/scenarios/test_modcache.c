/* SPDX-License-Identifier: Apache-2.0 */
/* The module cache: go downloads a module (from a file:// proxy) and a
 * test then edits the dependency's source in GOMODCACHE as the uid that
 * owns it — read-only (0444) by design, not a cache to move.  The
 * remedy, a writable copy and a replace, is applied. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"

static const char dep_test[] =
	"package m\n\n"
	"import (\n\t\"os\"\n\t\"testing\"\n\n\t_ \"example.com/dep\"\n)\n\n"
	"func TestPatchDependency(t *testing.T) {\n"
	"\tif err := os.WriteFile(os.Getenv(\"SC_MODFILE\"), []byte(\"package dep\\n\"), 0o644); err != nil {\n"
	"\t\tt.Fatal(err)\n\t}\n"
	"}\n";

Test(modcache, owner_writes_into_a_module_file, .timeout = 240)
{
	struct sc s;
	char mod[256], proxy[256], mc[256], file[320], url[300], gc[256];

	sc_need(1, 1);
	sc_init(&s, "mcro", SC_TRACE, 1);
	snprintf(proxy, sizeof(proxy), "%s/proxy", s.dir);
	sc_dep_proxy(proxy);
	sc_module(&s, "m", mod, sizeof(mod), "m_test.go", dep_test, NULL);
	sc_sh("printf '\\nrequire example.com/dep v1.0.0\\n' >> %s/go.mod", mod);
	snprintf(mc, sizeof(mc), "%s/mod", s.home);
	snprintf(file, sizeof(file), "%s/example.com/dep@v1.0.0/dep.go", mc);
	snprintf(url, sizeof(url), "file://%s", proxy);
	snprintf(gc, sizeof(gc), "%s/go-build", s.home);
	setenv("GOCACHE", gc, 1); /* the shared warm one is root's */
	setenv("GOMODCACHE", mc, 1);
	setenv("GOPROXY", url, 1);
	setenv("GOSUMDB", "off", 1);
	setenv("SC_MODFILE", file, 1);
	s.cwd = mod;
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "permission denied"), "go test (%#x): %s", s.status, sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "gomodcache-file-readonly", "error");
	cr_expect_str_eq(sc_str(sc_event(f), "path"), file);
	cr_expect_str_eq(sc_fact(f, "owner"), "65534");
	cr_expect_str_eq(sc_fact(f, "mode"), "0444");
	cr_expect(strstr(sc_str(f, "remedy"), "-replace") && !strstr(sc_str(f, "remedy"), "GOMODCACHE="),
		  "remedy: %s", sc_str(f, "remedy"));
	json_decref(rep);

	/* the remedy: a writable copy of the module, and a replace */
	sc_sh("cp -r %s/example.com/dep@v1.0.0 %s/depcopy && chmod -R u+w %s/depcopy && "
	      "chown -R %d:%d %s/depcopy && printf 'replace example.com/dep => ../depcopy\\n' >> %s/go.mod",
	      mc, s.dir, s.dir, SC_NOBODY, SC_NOBODY, s.dir, mod);
	snprintf(file, sizeof(file), "%s/depcopy/dep.go", s.dir);
	setenv("SC_MODFILE", file, 1);
	sc_rerun_clean(&s, argv, "a writable copy and a replace");
	sc_done(&s);
}
