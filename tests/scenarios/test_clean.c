/* SPDX-License-Identifier: Apache-2.0 */
/* The other side: healthy `go build` and `go test` runs, cgo off and on,
 * of a module using strings, encoding/json, net/url and os and of those
 * std packages themselves, under the trace engine.  Every finding or
 * unclassified failure here is a false positive. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sc.h"
#include "tl_table.h"

/* A healthy run: go build or go test, cgo off or on. */
struct clean_case {
	const char *tag;
	int cgo;
	const char *argv[8];
};

/* argv[0] is the scenarios' go (SC_GO), filled in at run time */
#define CLEAN_BUILD { NULL, "build", ".", "strings", "encoding/json", "net/url", "os" }
#define CLEAN_TEST { NULL, "test", "-count=1", ".", "strings", "encoding/json", "net/url" }

static struct clean_case clean_cases[] = {
	{ "build-nocgo", 0, CLEAN_BUILD },
	{ "test-nocgo", 0, CLEAN_TEST },
	{ "build-cgo", 1, CLEAN_BUILD },
	{ "test-cgo", 1, CLEAN_TEST },
};

/* go_build_nocgo, go_test_nocgo, go_build_cgo and go_test_cgo, as rows. */
TL_TABLE_TEST(struct clean_case, clean_cases, clean, go, .timeout = 300)
{
	struct sc s;
	char mod[256];
	const char *av[8];
	char *const *argv = (char *const *)av;

	memcpy(av, c->argv, sizeof(av));
	av[0] = SC_GO;
	sc_need(0, 1);
	sc_init(&s, c->tag, SC_TRACE, 0);
	if (c->cgo) {
		sc_module(&s, "m", mod, sizeof(mod), "main.go", sc_go_cgo, "lib.go", sc_go_cgo_lib,
			  "main_test.go", sc_go_cgo_test, NULL);
		setenv("CGO_ENABLED", "1", 1);
	} else {
		sc_module(&s, "m", mod, sizeof(mod), "main.go", sc_go_main, "main_test.go",
			  sc_go_test, NULL);
	}
	s.cwd = mod;
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 0 });
	json_t *rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	/* the ring did see go's benign noise: the engine was really there */
	json_t *sup = json_object_get(json_object_get(rep, "suppressed"), "total");
	cr_expect_gt(json_integer_value(sup), 0, "no failure recorded at all: was go traced?");
	json_decref(rep);
	sc_done(&s);
}

static const char eacces_test[] =
	"package main\n\n"
	"import (\n\t\"errors\"\n\t\"io/fs\"\n\t\"os\"\n\t\"testing\"\n)\n\n"
	"func TestReadOnly(t *testing.T) {\n"
	"\t_, err := os.OpenFile(os.Getenv(\"RO_FILE\"), os.O_WRONLY, 0)\n"
	"\tif !errors.Is(err, fs.ErrPermission) {\n\t\tt.Fatalf(\"want EACCES, got %v\", err)\n\t}\n}\n";

/* A test that expects EACCES (github.com/spf13/cobra has one): as uid
 * 65534 it opens a 0400 file of root's for writing, gets EACCES and
 * passes.  The failure is the test's own: not unclassified, counted as
 * unmatched-survived. */
Test(clean, expected_eacces_in_a_passing_test, .timeout = 300)
{
	struct sc s;
	char ro[256], bin[256];

	sc_go_start(&s, "eacces", 1, "m", "main.go", sc_go_main, "main_test.go", eacces_test, NULL);
	snprintf(ro, sizeof(ro), "%s/ro.txt", s.dir);
	snprintf(bin, sizeof(bin), "%s/m.test", s.dir);
	sc_sh("echo x > %s && chmod 0400 %s", ro, ro);
	sc_sh("cd %s && %s test -c -o %s . && chmod 0755 %s", s.mod, SC_GO, bin, bin);
	setenv("RO_FILE", ro, 1);
	char *argv[] = { bin, "-test.v", NULL };
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 0, .out = { "PASS" } });
	json_t *rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_t *by = json_object_get(json_object_get(rep, "suppressed"), "by_pattern");
	cr_expect_eq(json_integer_value(json_object_get(by, "unmatched-survived")), 1,
		     "the expected EACCES was not seen: %s", json_dumps(by, 0));
	json_decref(rep);
	sc_done(&s);
}

/* gcc runs `as` with execvp, which tries execve in every PATH directory
 * and goes on after EACCES: a PATH directory uid 65534 cannot search is
 * met on the way to /usr/bin/as.  That is path-search noise, not a
 * failure the process survived, and no finding. */
Test(clean, gcc_path_search_meets_denied_dir, .timeout = 120)
{
	struct sc s;
	char *argv[] = { "gcc", "-c", "-o", "t.o", "t.c", NULL };

	/* goshimctl run's own execvp of gcc meets them too, and fails with
	 * ENOENT in /usr/local/go/bin before it finds /usr/bin/gcc, a link to
	 * gcc-12: no cgo-compiler-missing */
	sc_denied_path_start(&s, "pathdeny", ":/usr/local/go/bin:/usr/bin:/bin");
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 0 });
	json_t *rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_t *by = json_object_get(json_object_get(rep, "suppressed"), "by_pattern");
	cr_expect_eq(json_object_get(by, "unmatched-survived"), NULL,
		     "execvp's EACCES on a PATH directory is not path-search noise: %s",
		     json_dumps(by, 0));
	cr_expect_geq(json_integer_value(json_object_get(by, "benign-path-search-denied")), 2,
		     "the denied PATH directories were not met: %s", json_dumps(by, 0));
	json_decref(rep);
	sc_done(&s);
}
