/* SPDX-License-Identifier: Apache-2.0 */
/* The record format does not move: tests/ctl/golden/tags.ring, written by
 * both engines (ctl-tagger under libgoshim.so and under `goshimctl run`,
 * see golden/make.sh), decodes to the text and JSON committed beside it,
 * and the writers of today store the same call fields, byte widths and
 * truncation bits as the ones that wrote it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"

/* The only places of the tagger's paths: its own failures start at the
 * first of them. */
#define TAGS_DIR "/nonexistent-goshim-tags/"
#define TAGS_PATH "PATH=" TAGS_DIR "bin:" TAGS_DIR "sbin"

static const char *golden_dir(void)
{
	static char dir[600];
	const char *src = getenv("GOSHIM_SOURCE_ROOT");

	cr_assert_not_null(src, "GOSHIM_SOURCE_ROOT not set");
	snprintf(dir, sizeof(dir), "%s/tests/ctl/golden", src);
	return dir;
}

static char *slurp(FILE *f)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);
	char buf[4096];
	size_t k;

	cr_assert_not_null(m);
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0) {
		fwrite(buf, 1, k, m);
	}
	fclose(m);
	return s;
}

static char *read_file(const char *dir, const char *name)
{
	FILE *f = fopen(ct_path(dir, name), "r");
	char *s;

	cr_assert_not_null(f, "cannot open %s/%s", dir, name);
	s = slurp(f);
	fclose(f);
	return s;
}

/* Standard output of a shell command that must exit 0. */
static char *shell(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *s;

	cr_assert_not_null(p);
	s = slurp(p);
	cr_assert_eq(pclose(p), 0, "failed: %s", cmd);
	return s;
}

/* decode of ring (in dir) with opts, run in dir as golden/make.sh does. */
static char *decode(const char *dir, const char *ring, const char *opts)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' decode --type all --no-symbols %s '%s'",
		 dir, getenv("GOSHIMCTL"), opts, ring);
	return shell(cmd);
}

/* Assert a == b, naming the first line that differs. */
static void assert_same_lines(const char *a, const char *b, const char *what)
{
	size_t line = 1, i = 0;

	while (a[i] && a[i] == b[i]) {
		line += a[i++] == '\n';
	}
	if (a[i] == b[i]) {
		return;
	}
	while (i > 0 && a[i - 1] != '\n') {
		i--;
	}
	cr_assert_fail("%s differs from line %zu:\n  got:  %.300s\n  want: %.300s", what, line,
		       a + i, b + i);
}

Test(golden, decode_text_unchanged)
{
	const char *dir = golden_dir();

	assert_same_lines(decode(dir, "tags.ring", ""), read_file(dir, "tags.txt"),
			  "decode of golden/tags.ring");
}

Test(golden, decode_json_unchanged)
{
	const char *dir = golden_dir();

	assert_same_lines(decode(dir, "tags.ring", "--json"), read_file(dir, "tags.jsonl"),
			  "decode --json of golden/tags.ring");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tagger's own events of a decode --json, as sorted lines of what the
 * writer stored for the call (not times, ids, evidence or backtraces:
 * they belong to the machine and the moment). */
static char *tagger_events(const char *jsonl)
{
	static const char *const keys[] = {
		"engine", "syscall", "call_id", "errno", "ret", "arch", "sysnr",
		"path", "abspath", "args", "truncated", "count",
	};
	json_t *a = ct_json_lines(jsonl);
	char *lines[256];
	size_t n = 0;
	int started[3] = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i), *k = json_object();
		const char *type = ct_jstr(o, "type"), *path = ct_jstr(o, "path");
		int engine = strcmp(ct_jstr(o, "engine"), "preload") == 0;

		if (path && strcmp(path, TAGS_DIR "begin") == 0) {
			started[engine] = 1;
		}
		if (!started[engine] || strcmp(type, "event") != 0) {
			json_decref(k);
			continue;
		}
		for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
			json_t *v = json_object_get(o, keys[j]);
			if (v) {
				json_object_set(k, keys[j], v);
			}
		}
		cr_assert_lt(n, 256);
		lines[n++] = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(k);
	}
	cr_assert(started[0] && started[1], "the ring lacks the tagger's events of %s",
		  started[0] ? "the preload" : "the trace engine");
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		fprintf(m, "%s\n", lines[i]);
		free(lines[i]);
	}
	fclose(m);
	json_decref(a);
	return out;
}

Test(golden, writers_unchanged)
{
	const char *dir = ct_tmpdir(), *root = getenv("GOSHIM_BUILD_ROOT");
	char cmd[4096];

	cr_assert_not_null(root);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && export GOSHIM_RING_SIZE=64k " TAGS_PATH " && "
		 "{ GOSHIM_RING=\"$PWD/tags.ring\" LD_PRELOAD='%s' '%s/tests/ctl/ctl-tagger'; "
		 "'%s' run --append --no-probe --ring \"$PWD/tags.ring\" -- '%s/tests/ctl/ctl-tagger'; "
		 "} >/dev/null 2>&1; test -s tags.ring",
		 dir, getenv("GOSHIM_PRELOAD"), root, getenv("GOSHIMCTL"), root);
	free(shell(cmd));

	char *now = tagger_events(decode(dir, "tags.ring", "--json"));
	char *then = tagger_events(decode(golden_dir(), "tags.ring", "--json"));

	assert_same_lines(now, then, "the tagger's events written today");
	ct_rmtree(dir);
}
