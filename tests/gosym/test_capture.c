/* SPDX-License-Identifier: Apache-2.0 */
/* End to end: programs run under the trace engine, the ring decoded with
 * goshimctl.  A Go test failing os.Open under `go test` (binary stripped
 * and deleted by go test: its frames must have been named at capture
 * time), with both toolchains; a C program without frame pointers, whose
 * frames libunwind-ptrace recovers. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gg.h"
#include "tl_table.h"

/* The first EVENT record of the decoded ring with this path and errno
 * whose exe ends with exe_suffix (a new reference), or NULL. */
static json_t *cp_find(const char *jsonl, const char *path, const char *err,
		       const char *exe_suffix)
{
	const char *l = jsonl;

	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		json_t *o = json_loadb(l, n, 0, NULL);
		const char *p = json_string_value(json_object_get(o, "path"));
		const char *x = json_string_value(json_object_get(o, "exe"));
		const char *er = json_string_value(json_object_get(o, "errno"));

		if (p && x && er && strcmp(p, path) == 0 && strcmp(er, err) == 0 &&
		    strlen(x) >= strlen(exe_suffix) &&
		    strcmp(x + strlen(x) - strlen(exe_suffix), exe_suffix) == 0) {
			return o;
		}
		json_decref(o);
		l += n + (e != NULL);
	}
	return NULL;
}

/* Index of the first backtrace frame at or after from whose function is
 * fn, or -1. */
static int cp_frame(json_t *bt, const char *fn, int from)
{
	for (size_t i = (size_t)from; i < json_array_size(bt); i++) {
		const char *f = json_string_value(json_object_get(json_array_get(bt, i), "function"));

		if (f && strcmp(f, fn) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static void cp_go(enum gg_go g)
{
	char *dir = gg_tmpdir("gotest"), ring[512];
	char *out, *json;
	json_t *ev, *bt, *inl;
	int st, open_file, test, trunner;

	gg_go_env();
	gg_sh("cp '%s' '%s' '%s'", gg_source("tests/gosym/go/m/go.mod"),
	      gg_source("tests/gosym/go/m/m_test.go"), dir);
	snprintf(ring, sizeof(ring), "%s/ring", dir);
	out = gg_out(&st, "cd '%s' && %s '%s' test -count=1 ./... 2>&1", dir, gg_traced(ring),
		     gg_go(g));
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1,
		  "go test should fail (status %#x):\n%s", st, out);
	cr_assert(strstr(out, "open: open /nonexistent/x"), "%s", out);
	json = gg_decode_json(ring);
	ev = cp_find(json, "/nonexistent/x", "ENOENT", ".test");
	cr_assert(ev, "%s: no openat ENOENT of /nonexistent/x by the test binary in:\n%s",
		  gg_go_name(g), json);
	bt = json_object_get(ev, "backtrace");
	open_file = cp_frame(bt, "os.OpenFile", 1);
	test = cp_frame(bt, "example.com/m.TestOpen", open_file);
	trunner = cp_frame(bt, "testing.tRunner", test);
	cr_assert(open_file > 0 && test > open_file && trunner > test,
		  "%s: frames os.OpenFile (%d) -> example.com/m.TestOpen (%d) -> "
		  "testing.tRunner (%d) in:\n%s", gg_go_name(g), open_file, test, trunner,
		  json_dumps(bt, JSON_INDENT(1)));
	inl = json_object_get(json_array_get(bt, (size_t)test), "inlined");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(inl, 0), "function")),
			 "os.Open", "%s: os.Open inlined into TestOpen", gg_go_name(g));
	json_t *tf = json_array_get(bt, (size_t)test);
	const char *file = json_string_value(json_object_get(tf, "file"));

	cr_assert(file && strlen(file) > 10 && strcmp(file + strlen(file) - 10, "/m_test.go") == 0 &&
		  json_integer_value(json_object_get(tf, "line")) == 11,
		  "%s: TestOpen's frame is at m_test.go:11 (the os.Open call), got %s:%lld",
		  gg_go_name(g), file ? file : "?",
		  (long long)json_integer_value(json_object_get(tf, "line")));
	json_decref(ev);
	free(json);
	free(out);
	gg_sh("rm -rf '%s'", dir);
	free(dir);
}

static const enum gg_go cp_gos[] = { GG_GO_OFFICIAL, GG_GO_DEBIAN };

/* go_test_official and go_test_debian119, as rows. */
TL_TABLE_TEST(enum gg_go, cp_gos, gosym, go_test, .timeout = 180)
{
	cp_go(*c);
}

/* A program that removes its own binary and then fails, traced by an
 * engine without root (uid 65534): /proc/PID/map_files is refused to it
 * and the path is gone, yet the failure's inlined calls are named (their
 * trees are read from the process's memory). */
Test(gosym, inlined_after_binary_removed, .timeout = 180)
{
	char *dir = gg_tmpdir("selfrm"), ring[512], *json, *out;
	json_t *ev, *bt, *inl;
	int st, m;

	if (geteuid() != 0) {
		cr_skip_test("needs root: runs the engine as uid 65534");
	}
	gg_go_env();
	gg_sh("cp '%s' '%s' '%s' && chmod 0777 '%s'", gg_source("tests/gosym/go/selfrm/go.mod"),
	      gg_source("tests/gosym/go/selfrm/main.go"), dir, dir);
	gg_sh("cd '%s' && %s build -o prog . && chmod 0777 prog", dir, gg_go(GG_GO_OFFICIAL));
	snprintf(ring, sizeof(ring), "%s/ring", dir);
	out = gg_out(&st, "cd '%s' && setpriv --reuid 65534 --regid 65534 --clear-groups -- %s "
		     "./prog 2>&1", dir, gg_traced(ring));
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "prog (status %#x):\n%s", st, out);
	json = gg_decode_json(ring);
	ev = cp_find(json, "/nonexistent/after", "ENOENT", "/prog (deleted)");
	if (!ev) {
		ev = cp_find(json, "/nonexistent/after", "ENOENT", "/prog");
	}
	cr_assert(ev, "no openat ENOENT of /nonexistent/after by prog in:\n%s", json);
	bt = json_object_get(ev, "backtrace");
	m = cp_frame(bt, "main.main", 1);
	cr_assert(m > 0, "a frame main.main in:\n%s", json_dumps(bt, JSON_INDENT(1)));
	inl = json_object_get(json_array_get(bt, (size_t)m), "inlined");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(inl, 0), "function")),
			 "os.Open", "os.Open inlined into main.main in:\n%s",
			 json_dumps(bt, JSON_INDENT(1)));
	json_decref(ev);
	free(json);
	free(out);
	gg_sh("rm -rf '%s'", dir);
	free(dir);
}

/* open(dir, O_WRONLY) fails with EISDIR: outside the ENOENT flood, so the
 * engine unwinds with libunwind-ptrace. */
Test(gosym, c_no_frame_pointers, .timeout = 60)
{
	char *dir = gg_tmpdir("c"), ring[512], *json;
	json_t *ev, *bt;
	int l3, l2, l1;

	snprintf(ring, sizeof(ring), "%s/ring", dir);
	gg_sh("%s '%s' /tmp > /dev/null", gg_traced(ring), gg_build("tests/gosym/gosym-cdeep"));
	json = gg_decode_json(ring);
	ev = cp_find(json, "/tmp", "EISDIR", "/gosym-cdeep");
	cr_assert(ev, "no EISDIR record of gosym-cdeep in:\n%s", json);
	bt = json_object_get(ev, "backtrace");
	l3 = cp_frame(bt, "level3", 0);
	l2 = cp_frame(bt, "level2", l3 + 1);
	l1 = cp_frame(bt, "level1", l2 + 1);
	cr_assert(l3 > 0 && l2 == l3 + 1 && l1 == l2 + 1 && cp_frame(bt, "main", l1) == l1 + 1,
		  "frames level3 (%d) level2 (%d) level1 (%d) main in:\n%s", l3, l2, l1,
		  json_dumps(bt, JSON_INDENT(1)));
	json_decref(ev);
	free(json);
	gg_sh("rm -rf '%s'", dir);
	free(dir);
}
