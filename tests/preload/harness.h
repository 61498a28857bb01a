/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test harness for the preload tests: runs tests/preload/failer with and
 * without libgoshim.so and reads what it recorded.  Criterion asserts on
 * any harness failure (missing env, fork failure): nothing passes quietly.
 */
#ifndef FL_HARNESS_H
#define FL_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "tl_compat.h"
#include "tl_read.h"

#define FL_SKIP 77 /* failer's exit status when a scenario cannot be set up */

/* One failer run. */
struct fl_run {
	char dir[256];   /* the scenario's DIR (kept until fl_run_done)     */
	char ring[300];  /* GOSHIM_RING given to it ("" without preload)    */
	char out[16384]; /* stdout                                          */
	char err[16384]; /* stderr                                          */
	int status;      /* wait status                                     */
};

/* Path of a file built next to the tests (GOSHIM_BUILD_ROOT/tests/preload/
 * name), into buf. */
void fl_built(char *buf, size_t len, const char *name);

/* Path of libgoshim.so (GOSHIM_PRELOAD). */
const char *fl_preload(void);

/* Run `failer scenario DIR` in a fresh DIR.  preload: LD_PRELOAD value, or
 * NULL to run without any.  With a preload, GOSHIM_RING is set to a fresh
 * ring file under a fresh temporary directory (run->ring).  extra_env: a
 * NULL-terminated list of "NAME=value" added to the environment, or NULL. */
void fl_run(struct fl_run *run, const char *scenario, const char *preload,
	    const char *const *extra_env);

/* Remove the run's DIR and ring. */
void fl_run_done(struct fl_run *run);

/* Remove every DIR and ring directory this test created and has not yet
 * removed: the suites' .fini, so a failed assertion leaves nothing behind. */
void fl_cleanup(void);

/* If the run exited FL_SKIP, skip the current test with failer's reason. */
void fl_skip_if_needed(const struct fl_run *run);

/* Run scenario without and with libgoshim.so and assert identical stdout
 * and wait status.  Returns the preloaded run in *with (caller calls
 * fl_run_done). */
void fl_same(const char *scenario, struct fl_run *with);

/* Decode every record of a ring with the common reader.  Returns how many
 * were stored into recs (at most max); *lost gets the reader's count of
 * records lost (overwritten or torn) and *dropped the header's. */
size_t fl_ring_records(const char *ring, struct tl_rec *recs, size_t max,
		       uint64_t *lost, uint64_t *dropped);

/* Counts over a whole ring (any size): records found by the reader,
 * occurrences of EVENTs of `call` whose path contains path_part, and the
 * header's committed and dropped, the reader's lost. */
struct fl_count {
	uint64_t found, matching, committed, lost, dropped;
};
void fl_ring_count(const char *ring, uint32_t call, const char *path_part,
		   struct fl_count *c);

#endif
