/* SPDX-License-Identifier: Apache-2.0 */
/* The preload opens what the program names without side effects: an exec
 * of a FIFO fails at once as it does bare (the hand-over's look at the
 * target never opens it), and an empty path names no file. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"

Test(preload_safety, exec_of_fifo_fails_at_once, .timeout = 300)
{
	struct fl_run run;

	/* failer's alarm kills a run hung in the exec */
	fl_same("exec_fifo", &run);
	cr_assert(WIFEXITED(run.status), "status %#x", run.status);
	cr_assert(strstr(run.out, "errno=EACCES"), "%s", run.out);
	fl_run_done(&run);
	fl_cleanup();
}

/* Without AT_EMPTY_PATH, fstatat(fd, "") fails with ENOENT before any
 * lookup: the record has no absolute path (not the cwd, not the dirfd). */
static void ps_empty(const char *scenario)
{
	struct fl_run run;
	struct fl_rec recs[64];
	int seen = 0;

	fl_run(&run, scenario, fl_preload(), NULL);
	cr_assert(WIFEXITED(run.status), "status %#x", run.status);
	cr_assert(strstr(run.out, "errno=ENOENT"), "%s", run.out);
	size_t n = fl_ring_records(run.ring, recs, 64, NULL, NULL);

	for (size_t i = 0; i < n; i++) {
		if (recs[i].type == GOSHIM_REC_EVENT && recs[i].call == GOSHIM_CALL_fstatat) {
			seen++;
			cr_expect_str_empty(recs[i].path);
			cr_expect_str_empty(recs[i].abspath, "%s: abspath %s", scenario,
					    recs[i].abspath);
		}
	}
	cr_assert(seen == 1, "%d fstatat records", seen);
	fl_run_done(&run);
	fl_cleanup();
}

Test(preload_safety, empty_path_names_nothing)
{
	ps_empty("fstatat_empty");
	ps_empty("fstatat_empty_dirfd");
}
