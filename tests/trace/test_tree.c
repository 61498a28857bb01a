/* SPDX-License-Identifier: Apache-2.0 */
/* Every thread and every process of the traced tree is traced. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_trace.h"
#include "tt.h"

Test(trace_tree, threads)
{
	char *dir = tt_tmpdir("threads"), ring[512], path[64];
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail"), "threads", "8", NULL };
	struct tt_ring r;
	uint32_t tids[8], pid = 0;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	cr_assert_eq(tt_trace(ring, argv, NULL), 0);
	tt_load(ring, &r);
	for (int i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "thread-%d-missing", i);
		const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, path);

		if (!e) {
			tt_dump(&r);
		}
		cr_assert(e, "thread %d not traced", i);
		cr_assert_neq(e->tid, e->pid, "a thread, not the main one");
		pid = pid ? pid : e->pid;
		cr_assert_eq(e->pid, pid);
		tids[i] = e->tid;
		for (int j = 0; j < i; j++) {
			cr_assert_neq(tids[j], tids[i]);
		}
	}
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

Test(trace_tree, fork_exec_chain)
{
	char *dir = tt_tmpdir("chain"), ring[512], path[64];
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail-static"), "chain", "3", NULL };
	struct tt_ring r;
	uint32_t pids[4];
	int st;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	st = tt_trace(ring, argv, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
	tt_load(ring, &r);
	for (int i = 0; i <= 3; i++) {
		snprintf(path, sizeof(path), "chain-level-%d", i);
		const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, path);

		if (!e) {
			tt_dump(&r);
		}
		cr_assert(e, "level %d not traced", i);
		pids[i] = e->pid;
		for (int j = 0; j < i; j++) {
			cr_assert_neq(pids[j], pids[i]);
		}
	}
	/* each level's parent is the level above */
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "chain-level-%d", i);
		cr_assert_eq(tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, path)->ppid, pids[i + 1]);
	}
	/* a PROCESS record per program, an EXIT record per non-zero exit */
	cr_assert_geq(tt_count(&r, GOSHIM_REC_PROCESS), 4);
	size_t exits = 0;

	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_EXIT) {
			exits++;
			cr_assert(WIFEXITED(r.recs[i].status) &&
				  WEXITSTATUS(r.recs[i].status) == 5);
		}
	}
	cr_assert_eq(exits, 4);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* exec from a non-leader thread: the program continues under the leader's
 * tid, and is traced after the exec as before. */
Test(trace_tree, exec_from_thread)
{
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail"), "threadexec", NULL };
	struct tt_ring r;
	const char *dir = tl_trace_run("threadexec", argv, 4, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing");

	cr_assert(e, "not traced after the exec");
	cr_assert_eq(e->pid, e->tid, "after exec the thread is the leader");
	tt_free(&r);
	tl_rmtree(dir);
}
