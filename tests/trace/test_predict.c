/* SPDX-License-Identifier: Apache-2.0 */
/* The engine skips the exit stop of lookups it finds will succeed
 * (trace/tr_predict.c).  Whatever it predicts, every failure is still in
 * the ring: as root, as another uid, near the descriptor limit, and after
 * a credential change without exec. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tt.h"

static char *make_dir(void)
{
	char *dir = tt_tmpdir("predict");

	tt_sh("chmod 0755 %s && cd %s && echo x >file && chmod 0644 file && "
	      "echo s >secret && chmod 0600 secret && echo '#!/bin/sh' >noexec.sh && "
	      "chmod 0644 noexec.sh && ln -s missing dangling && mkdir closed && "
	      "echo i >closed/inner && chmod 0700 closed", dir, dir);
	return dir;
}

static long last_followed; /* of the last run_counting */

/* Run `[prefix] goshimctl run --stats --ring ring -- tp-lookup dir mode`
 * and return how many lookups the engine predicted.  With the in-kernel
 * watcher (tt_ebpf_expected) the path calls are not notified: the
 * failures must then have come from it. */
static long run_counting(const char *prefix, const char *ring, const char *dir,
			 const char *mode, const char *env)
{
	char cmd[8192], line[512];
	long predicted = -1, kernel = -1;

	last_followed = -1;
	snprintf(cmd, sizeof(cmd), "%s %s %s run --stats --ring %s -- %s %s %s 2>&1 >/dev/null",
		 env, prefix, tt_build("ctl/goshimctl"), ring,
		 tt_build("tests/trace/tp-lookup"), dir, mode);
	FILE *p = popen(cmd, "r");
	cr_assert(p, "popen %s", cmd);
	while (fgets(line, sizeof(line), p)) {
		const char *s = strstr(line, "predicted=");
		const char *k = strstr(line, "kernel_events=");

		if (s) {
			predicted = atol(s + strlen("predicted="));
		}
		if (k) {
			kernel = atol(k + strlen("kernel_events="));
		}
		if (strstr(line, "followed=")) {
			last_followed = atol(strstr(line, "followed=") + strlen("followed="));
		}
	}
	int st = pclose(p);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %#x", cmd, st);
	cr_assert_geq(predicted, 0, "no --stats line from: %s", cmd);
	/* tp-lookup under setpriv runs goshimctl as uid 65534: no watcher */
	if (tt_ebpf_expected() && !strstr(prefix, "setpriv")) {
		cr_assert_gt(kernel, 0, "the in-kernel watcher handed over nothing: %s", cmd);
	} else {
		cr_assert_eq(kernel, 0, "kernel events without the watcher: %s", cmd);
	}
	return predicted;
}

static void need(const struct tt_ring *r, int err, const char *sub)
{
	if (!tt_find(r, 0, err, sub)) {
		tt_dump(r);
		cr_assert_fail("no failure errno=%d path~%s in the ring", err, sub);
	}
}

/* The failures every variant must hold, whoever runs it. */
static void need_common(const struct tt_ring *r)
{
	need(r, ENOENT, "/missing");
	need(r, ENOENT, "/dangling");
	need(r, EACCES, "/noexec.sh");
	need(r, ENOTDIR, "/file");
}

static size_t events(const struct tt_ring *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		n += r->recs[i].type == 1 ? r->recs[i].count : 0;
	}
	return n;
}

/* make_dir for a test that needs root (skipped with why otherwise). */
static char *root_dir(const char *why)
{
	if (geteuid() != 0) {
		cr_skip_test("%s", why);
	}
	return make_dir();
}

Test(predict, root_same_failures_with_and_without)
{
	char *dir;
	char ring[2][4096];
	struct tt_ring r[2];

	dir = root_dir("needs root: files of root's with mode 0600 and 0700");
	for (int i = 0; i < 2; i++) {
		snprintf(ring[i], sizeof(ring[i]), "%s/r%d.ring", dir, i);
		long n = run_counting("", ring[i], dir, "",
				      i ? "GOSHIM_TRACE_PREDICT=0" : "");
		if (i == 0 && tt_ebpf_expected()) {
			/* the watcher leaves only execs (followed) notified */
			cr_assert_eq(n, 0, "predicted with the watcher");
		} else if (i == 0) {
			cr_assert_gt(n, 0, "nothing was predicted");
		} else {
			cr_assert_eq(n, 0, "GOSHIM_TRACE_PREDICT=0 still predicted");
		}
		tt_load(ring[i], &r[i]);
		need_common(&r[i]);
	}
	cr_assert_eq(events(&r[0]), events(&r[1]), "failures with prediction %zu, without %zu",
		     events(&r[0]), events(&r[1]));
	tt_free(&r[0]);
	tt_free(&r[1]);
	tt_sh("rm -rf %s", dir);
}

Test(predict, other_uid_sees_its_own_eacces)
{
	char *dir;
	char ring[4096];
	struct tt_ring r;

	dir = root_dir("needs root to switch to uid 65534");
	tt_sh("mkdir %s/rings && chown 65534:65534 %s/rings", dir, dir);
	snprintf(ring, sizeof(ring), "%s/rings/r.ring", dir);
	long n = run_counting("setpriv --reuid 65534 --regid 65534 --clear-groups",
			      ring, dir, "", "");
	cr_assert_gt(n, 0, "tracer and tracee share uid 65534: lookups are predicted");
	tt_load(ring, &r);
	need_common(&r);
	need(&r, EACCES, "/secret");
	need(&r, EACCES, "/closed/inner");
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
}

/* One tp-lookup run in a fresh dir whose ring must hold the failures
 * errno want[i] on a path ending in sub[i] (n of them). */
static void run_needing(const char *prefix, const char *mode, size_t n, const int *want,
			const char *const *sub)
{
	char *dir = make_dir();
	char ring[4096];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	run_counting(prefix, ring, dir, mode, "");
	tt_load(ring, &r);
	for (size_t i = 0; i < n; i++) {
		need(&r, want[i], sub[i]);
	}
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
}

Test(predict, emfile_is_seen_near_the_limit)
{
	run_needing("prlimit --nofile=32:32", "emfile", 1, (const int[]){ EMFILE },
		    (const char *const[]){ "/file" });
}

/* A new thread takes its leader's view only while no thread of the
 * process changed its own: a thread that dropped to uid 65534 alone starts
 * a thread, which the engine must not answer as root (ENOENT for
 * closed/missing, where the kernel says EACCES). */
Test(predict, new_thread_of_a_thread_that_dropped_its_uid)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root to drop to uid 65534");
	}
	run_needing("", "threadcred", 1, (const int[]){ EACCES },
		    (const char *const[]){ "/closed/missing" });
}

/* An ftruncate that will succeed (a descriptor open for writing on a
 * regular file, room for the growth, within RLIMIT_FSIZE) runs as
 * predicted: the go command sizes every file it puts in its cache, and a
 * follow each cost the waiting thread a ptrace round.  The ones that fail
 * are still followed and recorded. */
Test(predict, ftruncate_that_will_succeed_runs)
{
	char *dir = make_dir();
	char ring[2][4096];
	struct tt_ring r;

	for (int i = 0; i < 2; i++) {
		snprintf(ring[i], sizeof(ring[i]), "%s/r%d.ring", dir, i);
		long n = run_counting("", ring[i], dir, "truncate",
				      i ? "GOSHIM_TRACE_PREDICT=0" : "");

		/* the exec and the two failures; 6 more when ftruncate was
		 * followed whatever it would do */
		cr_assert(i || last_followed <= 3, "%ld calls followed, %ld predicted",
			  last_followed, n);
		tt_load(ring[i], &r);
		if (!tt_find(&r, GOSHIM_CALL_sys_ftruncate, EINVAL, NULL) ||
		    !tt_find(&r, GOSHIM_CALL_sys_ftruncate, EFBIG, NULL)) {
			tt_dump(&r);
			cr_assert_fail("no ftruncate EINVAL and EFBIG in the ring");
		}
		tt_free(&r);
	}
	tt_sh("rm -rf %s", dir);
}

Test(predict, credential_change_without_exec)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root to drop to uid 65534");
	}
	/* after setresuid(65534) the same thread is denied what root read */
	run_needing("", "setuid", 2, (const int[]){ EACCES, EACCES },
		    (const char *const[]){ "/secret", "/closed/inner" });
}

/* Failures the engine answers itself are the kernel's own answers: a
 * program printing what each tricky lookup returned prints the same bare
 * and under the engine (tests/trace/tp_answer.c), and the missing file it
 * looked up is in the ring. */
Test(predict, answers_are_the_kernels)
{
	char *dir = tt_tmpdir("answer");
	char bare[8192], traced[8192], ring[2200];

	tt_sh("cd %s && echo x >file && ln -s missing dangling && mkdir sub", dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(bare, sizeof(bare), "cd %s && %s %s > bare.txt", dir,
		 tt_build("tests/trace/tp-answer"), dir);
	snprintf(traced, sizeof(traced), "cd %s && %s run --ring %s -- %s %s > traced.txt", dir,
		 tt_build("ctl/goshimctl"), ring, tt_build("tests/trace/tp-answer"), dir);
	cr_assert_eq(system(bare), 0);
	cr_assert_eq(system(traced), 0);
	char cmp[4600];

	snprintf(cmp, sizeof(cmp), "diff %s/bare.txt %s/traced.txt >&2", dir, dir);
	cr_assert_eq(system(cmp), 0, "the program saw other results under the engine");
	snprintf(cmp, sizeof(cmp), "grep -q 'open missing at the limit *EMFILE' %s/bare.txt", dir);
	cr_assert_eq(system(cmp), 0, "the descriptor limit case did not run");
	struct tt_ring r;

	tt_load(ring, &r);
	need(&r, ENOENT, "/missing");
	need(&r, EEXIST, "/sub");
	need(&r, EMFILE, "/missing");
	tt_free(&r);
	free(dir);
}

/* The value after key= in line, or -1. */
static long field(const char *line, const char *key)
{
	const char *s = strstr(line, key);

	return s ? atol(s + strlen(key)) : -1;
}

/* -vv counts every notification tr_predict decided in a class (call and
 * what the filter sees of its arguments; trace/tr_census.c): the classes'
 * "let run" add up to the engine's predicted=, their failures and repeats
 * to its answered=, and the failed stat of a missing file is in the stat
 * class of AT_FDCWD. */
Test(predict, census_adds_up)
{
	char *dir = make_dir();
	char cmd[8192], line[512], ring[4096];
	long go = 0, fail = 0, predicted = -1, answered = -1, classes = 0, missing = 0;

	snprintf(ring, sizeof(ring), "%s/census.ring", dir);
	snprintf(cmd, sizeof(cmd), "%s run -vv --stats --ring %s -- %s %s '' 2>&1 >/dev/null",
		 tt_build("ctl/goshimctl"), ring, tt_build("tests/trace/tp-lookup"), dir);
	FILE *p = popen(cmd, "r");
	cr_assert(p, "popen %s", cmd);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "census ") && strstr(line, " go=")) {
			classes++;
			go += field(line, " go=");
			fail += field(line, " fail=") + field(line, " repeat=");
			missing += (strstr(line, "census stat ") || strstr(line, "census newfstatat ")) &&
				   strstr(line, " cwd ") && field(line, " fail=") > 0;
		}
		if (strstr(line, "predicted=")) {
			predicted = field(line, "predicted=");
			answered = field(line, "answered=");
		}
	}
	int st = pclose(p);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %#x", cmd, st);
	cr_assert_geq(predicted, 0, "no --stats line from: %s", cmd);
	cr_assert_eq(go, predicted, "census: %ld let run, the engine predicted %ld", go, predicted);
	cr_assert_eq(fail, answered, "census: %ld failures, the engine answered %ld", fail,
		     answered);
	if (!tt_ebpf_expected()) {
		cr_assert_gt(classes, 1, "no census lines from: %s", cmd);
		cr_assert_gt(missing, 0, "no failed stat from AT_FDCWD counted: %s", cmd);
	}
}
