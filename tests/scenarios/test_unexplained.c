/* SPDX-License-Identifier: Apache-2.0 */
/* A run that failed never reads as clean: when go exits non-zero and no
 * error finding explains it, report says so (exit status 3), with the
 * unclassified failures nearest to that exit. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sc.h"

static const char fail_test[] =
	"package main\n\n"
	"import \"testing\"\n\n"
	"func TestBoom(t *testing.T) { t.Fatal(\"boom\") }\n";

/* A plain test failure: nothing below Go explains it. */
Test(unexplained, failing_test, .timeout = 240)
{
	struct sc s;

	sc_go_start(&s, "unx-fail", 0, "m", "main.go", sc_go_main, "main_test.go", fail_test, NULL);
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 1, .out = { "boom" } });

	json_t *rep = sc_report(&s);
	json_t *unx = json_object_get(rep, "unexplained");
	cr_assert(json_array_size(json_object_get(rep, "findings")) == 0);
	cr_assert_eq(json_array_size(unx), 1, "unexplained: %s", json_dumps(unx, 0));
	json_t *u = json_array_get(unx, 0);
	cr_expect(strstr(sc_str(u, "exe"), "/go"), "exe %s", sc_str(u, "exe"));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(u, "exit"), "code")), 1);
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3, "report must not read as clean");
	sc_done(&s);
}

static const char denied_test[] =
	"package main\n\n"
	"import (\n\t\"os\"\n\t\"testing\"\n)\n\n"
	"func TestWrite(t *testing.T) {\n"
	"\tif err := os.WriteFile(os.Getenv(\"UNX_FILE\"), []byte(\"x\"), 0o644); err != nil {\n"
	"\t\tt.Fatal(err)\n\t}\n}\n";

/* The test fails on EACCES (a root-owned directory, uid 65534): no pattern
 * covers a test's own file, so the failure is unexplained and the denied
 * open is named as the nearest unclassified failure. */
Test(unexplained, denied_write_is_nearest, .timeout = 240)
{
	struct sc s;
	char file[256], cache[256];

	sc_go_start(&s, "unx-denied", 1, "m", "main.go", sc_go_main, "main_test.go", denied_test,
		    NULL);
	snprintf(file, sizeof(file), "%s/out.db", s.dir);
	setenv("UNX_FILE", file, 1);
	snprintf(cache, sizeof(cache), "%s/cache", s.home); /* the warm cache is root's */
	setenv("GOCACHE", cache, 1);
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 1, .out = { "permission denied" } });

	json_t *rep = sc_report(&s);
	json_t *u = json_array_get(json_object_get(rep, "unexplained"), 0);
	cr_assert(u, "no unexplained exit in the report");
	json_t *near = json_object_get(u, "nearest");
	int seen = 0;
	for (size_t i = 0; i < json_array_size(near); i++) {
		json_t *e = json_array_get(near, i);
		seen |= strcmp(sc_str(e, "path"), file) == 0 && strcmp(sc_str(e, "errno"), "EACCES") == 0;
	}
	cr_expect(seen, "the denied open of %s is not among the nearest: %s", file,
		  json_dumps(near, 0));
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3);
	sc_done(&s);
}

/* The same EACCES as clean::gcc_path_search_meets_denied_dir, but no PATH
 * directory after the denied ones has `as`: gcc fails ("cannot execute
 * 'as': execvp: Permission denied") and the denied execs of its spawn
 * child, which never exec'd and left no EXIT record, are named. */
Test(unexplained, gcc_fails_on_denied_path_dir, .timeout = 120)
{
	struct sc s;
	char *argv[] = { "/usr/bin/gcc", "-c", "-o", "t.o", "t.c", NULL };

	sc_denied_path_start(&s, "unx-pathdeny", "");
	sc_run_want(&s, argv, &(struct sc_want){ .exit = 1, .out = { "Permission denied" } });

	json_t *rep = sc_report(&s);
	json_t *unc = json_object_get(rep, "unclassified");
	int seen = 0;
	for (size_t i = 0; i < json_array_size(unc); i++) {
		json_t *e = json_array_get(unc, i);
		seen += strstr(sc_str(e, "path"), "/priv") && strcmp(sc_str(e, "errno"), "EACCES") == 0;
	}
	cr_expect_eq(seen, 2, "the denied execs of `as` are not unclassified: %s", json_dumps(unc, 0));
	cr_expect_eq(json_array_size(json_object_get(rep, "unexplained")), 1);
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3, "report must not read as clean");
	sc_done(&s);
}

static const char db_test[] =
	"package main\n\n"
	"import (\n\t\"os\"\n\t\"testing\"\n)\n\n"
	"func create(t *testing.T, name string) {\n"
	"\tf, err := os.Create(name)\n"
	"\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n"
	"\tf.Close()\n}\n\n"
	"func TestDB(t *testing.T) { create(t, \"test.db\") }\n\n"
	"func TestIndex(t *testing.T) { create(t, \"test.idx\") }\n";

/* A module directory uid 65534 cannot write (root's, 0755), whose tests
 * create their database in it, and a GOCACHE root filled with the same
 * go test first: uid 65534 runs go test.  Returns the report; the
 * module's path in mod. */
static json_t *hl_run(struct sc *s, const char *go, const char *tag, char *mod, size_t size)
{
	char cache[256], p[512], path[256];

	sc_need(1, 1);
	if (access(go, X_OK) != 0) {
		cr_skip("%s is not installed", go);
	}
	sc_init(s, tag, SC_TRACE, 1);
	sc_module(s, "m", mod, size, "main.go", sc_go_main, "db_test.go", db_test, NULL);
	snprintf(p, sizeof(p), "%s/go.mod", mod);
	sc_write(p, "module example.com/m\n\ngo 1.19\n");
	snprintf(path, sizeof(path), "%.*s:/usr/bin:/bin", (int)(strrchr(go, '/') - go), go);
	setenv("PATH", path, 1);
	snprintf(cache, sizeof(cache), "%s/cache", s->dir);
	/* files an hour old, as in a checkout: go does not keep the module
	 * index of a directory modified in the last seconds, and would then
	 * want to write that entry in uid 65534's run ("setup failed": the
	 * cache is then the cause) */
	sc_sh("cd %s && touch -d '-1 hour' . * && chown -R 0:0 . && "
	      "GOCACHE=%s %s test -count=1 . >/dev/null && rm -f test.db test.idx", mod, cache, go);
	setenv("GOCACHE", cache, 1);
	s->cwd = mod;
	char *argv[] = { (char *)go, "test", "-count=1", ".", NULL };
	sc_run_want(s, argv, &(struct sc_want){ .exit = 1, .out = { "permission denied" } });
	return sc_report(s);
}

/* go test builds and runs the tests, which fail creating their database
 * (EACCES); go's own writes into the root-written cache fail too
 * (gocache-foreign-owner, a warning: go only relays the test binary's
 * exit 1, which the cache did not cause).  The exit is unexplained, named from where it began, with
 * the two EACCES nearest, before the cache finding (exit 3). */
static void hl_case(const char *go, const char *tag)
{
	struct sc s;
	char mod[192], db[256], file[256];

	json_t *rep = hl_run(&s, go, tag, mod, sizeof(mod));
	char *out = sc_output(&s);
	cr_expect(strstr(out, "open test.db: permission denied"), "the tests did not run: %s", sc_tail(out));
	free(out);
	json_t *f = json_array_get(json_object_get(rep, "findings"), 0);
	cr_assert(f, "no finding: %s", json_dumps(rep, 0));
	cr_expect_str_eq(sc_str(f, "pattern"), "gocache-foreign-owner");
	cr_expect_str_eq(sc_str(f, "exit_link"), "relay");
	json_t *u = json_array_get(json_object_get(rep, "unexplained"), 0);
	cr_assert(u, "go's exit is not unexplained: %s", json_dumps(rep, 0));
	json_t *o = json_object_get(u, "origin");
	cr_expect(strstr(sc_str(o, "exe"), "/m.test"), "origin %s", sc_str(o, "exe"));
	cr_expect(strstr(sc_str(u, "exe"), "/go"), "exe %s", sc_str(u, "exe"));
	snprintf(db, sizeof(db), "%s/test.db", mod);
	json_t *near = json_object_get(u, "nearest");
	int seen = 0;
	for (size_t i = 0; i < json_array_size(near); i++) {
		json_t *e = json_array_get(near, i);
		seen += (strcmp(sc_str(e, "path"), db) == 0 ||
			 strstr(sc_str(e, "path"), "/test.idx")) &&
			strcmp(sc_str(e, "errno"), "EACCES") == 0;
	}
	cr_expect_eq(seen, 2, "the tests' EACCES are not the nearest: %s", json_dumps(near, 0));
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3, "report must say the exit is unexplained");
	snprintf(file, sizeof(file), "%s/report.txt", s.dir);
	char *text = tl_read(file, NULL);
	cr_assert(text, "no %s", file);
	const char *unx = strstr(text, "unexplained: m.test (pid ");
	const char *cache = strstr(text, "warning gocache-foreign-owner");
	cr_expect(unx && cache && unx < cache, "the cache finding headlines: %s", text);
	free(text);
	sc_done(&s);
}

Test(unexplained, unwritable_module_and_foreign_cache_go126, .timeout = 300)
{
	hl_case(SC_GO, "unx-hl126");
}

Test(unexplained, unwritable_module_and_foreign_cache_go119, .timeout = 300)
{
	hl_case("/usr/lib/go-1.19/bin/go", "unx-hl119");
}
