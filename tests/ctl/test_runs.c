/* SPDX-License-Identifier: Apache-2.0 */
/* Runs (common/runid.h): the first goshim process of a tree makes
 * GOSHIM_RUN, its children inherit it, PROCESS records carry it; and
 * `goshimctl run` starts a fresh ring unless --append or inside a run. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctltest.h"

/* The "run" of every process record of a decode --json: all the same
 * (returned, malloc'd; "" when the records carry none); fails on two. */
static char *ring_run(const char *ring, size_t *nproc)
{
	const char *args[] = { "decode", "--json", "--type", "process", ring, NULL };
	struct ct_run res;
	char *run = NULL;

	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "decode: %s", res.err);
	json_t *a = ct_json_lines(res.out);
	*nproc = 0;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		if (strcmp(ct_jstr(o, "type"), "process") != 0) {
			continue;
		}
		const char *r = ct_jstr(o, "run");
		(*nproc)++;
		if (!run) {
			run = strdup(r ? r : "");
		}
		cr_expect_str_eq(r ? r : "", run, "two runs in one tree: %s", res.out);
	}
	json_decref(a);
	ct_run_free(&res);
	return run ? run : strdup("");
}

Test(runs, preload_tree_shares_one_new_run)
{
	const char *dir = ct_tmpdir(), *pre = getenv("GOSHIM_PRELOAD");
	char ring[300];
	size_t n;
	int st;
	regex_t hex;

	cr_assert_not_null(pre);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *out = tl_sh_out(&st, "env -u GOSHIM_RUN GOSHIM_RING='%s' LD_PRELOAD='%s' /bin/sh -c "
			      "'echo \"$GOSHIM_RUN\"; cat /nonexistent-goshim-runs 2>/dev/null; true'",
			      ring, pre);
	cr_assert_eq(st, 0);
	out[strcspn(out, "\n")] = 0;
	cr_assert_eq(regcomp(&hex, "^[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB), 0);
	cr_expect_eq(regexec(&hex, out, 0, NULL, 0), 0, "GOSHIM_RUN in the shell: '%s'", out);
	regfree(&hex);
	char *run = ring_run(ring, &n);
	cr_expect_geq(n, 1);
	cr_expect_str_eq(run, out, "the records' run is the tree's");
	free(run);
	free(out);

	/* a run already in the environment is joined */
	unlink(ring);
	free(tl_sh_out(&st, "GOSHIM_RUN=job-42.a GOSHIM_RING='%s' LD_PRELOAD='%s' "
		       "cat /nonexistent-goshim-runs 2>/dev/null", ring, pre));
	run = ring_run(ring, &n);
	cr_expect_str_eq(run, "job-42.a");
	free(run);
	ct_rmtree(dir);
}

/* Run `goshimctl run [extra] --ring ring -- cat path`. */
static void ctl_cat(const char *ring, const char *extra, const char *path)
{
	int st;

	free(tl_sh_out(&st, "env -u GOSHIM_RUN '%s' run --no-probe %s --ring '%s' -- "
		       "cat '%s' 2>/dev/null", getenv("GOSHIMCTL"), extra, ring, path));
	cr_assert_eq(WEXITSTATUS(st), 1, "cat exits 1 under goshimctl run");
}

static int ring_has(const char *ring, const char *s)
{
	const char *args[] = { "decode", ring, NULL };
	struct ct_run res;

	ct_run(&res, args);
	int has = strstr(res.out, s) != NULL;
	ct_run_free(&res);
	return has;
}

Test(runs, goshimctl_run_starts_a_fresh_ring_unless_append)
{
	const char *dir = ct_tmpdir();
	char ring[300];
	struct ct_run res;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	ctl_cat(ring, "", "/nonexistent-goshim-first");
	ctl_cat(ring, "", "/nonexistent-goshim-second");
	cr_expect(!ring_has(ring, "nonexistent-goshim-first"), "the first run is still there");
	cr_expect(ring_has(ring, "nonexistent-goshim-second"));

	ctl_cat(ring, "--append", "/nonexistent-goshim-third");
	cr_expect(ring_has(ring, "nonexistent-goshim-second"), "--append lost the ring");
	cr_expect(ring_has(ring, "nonexistent-goshim-third"));
	const char *args[] = { "report", ring, NULL };
	ct_run(&res, args);
	cr_expect(strstr(res.out, ", the last of 2 runs in the ring: ") &&
		  strstr(res.out, " of older runs left out (--all-runs shows them)"), "%s", res.out);
	ct_run_free(&res);
	ct_rmtree(dir);
}

/* The last occurrence of needle in s (NULL: none). */
static const char *strrstr_last(const char *s, const char *needle)
{
	const char *last = NULL;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) {
		last = p;
	}
	return last;
}

Test(runs, a_file_that_is_no_ring_is_left_alone)
{
	const char *dir = ct_tmpdir();
	char path[300];
	int st;

	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	tl_write(path, "not a ring\n");
	char *err = tl_sh_out(&st, "env -u GOSHIM_RUN '%s' run --no-probe --ring '%s' -- true 2>&1",
			      getenv("GOSHIMCTL"), path);
	cr_expect(strstr(err, "is not a ring of yours: left as it is; nothing is recorded"), "%s",
		  err);
	cr_expect(!strstr(err, "Protocol error"), "an errno's name for a sentence: %s", err);
	cr_expect(strstr(err, "left as it is") == strrstr_last(err, "left as it is"),
		  "said twice: %s", err);
	free(err);
	size_t n;
	char *text = tl_slurp(path, &n);
	cr_expect_str_eq(text, "not a ring\n");
	free(text);

	/* a symbolic link at the ring path is refused as one, never followed */
	char link[300];
	snprintf(link, sizeof(link), "%s/link.ring", dir);
	cr_assert(symlink(path, link) == 0);
	err = tl_sh_out(&st, "env -u GOSHIM_RUN '%s' run --no-probe --ring '%s' -- true 2>&1",
			getenv("GOSHIMCTL"), link);
	cr_expect(strstr(err, "link.ring is a symbolic link: a ring is never opened through one"),
		  "%s", err);
	cr_expect(!strstr(err, "Too many levels of symbolic links"), "%s", err);
	free(err);
	text = tl_slurp(path, &n);
	cr_expect_str_eq(text, "not a ring\n");
	free(text);
	ct_rmtree(dir);
}
