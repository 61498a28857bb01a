/* SPDX-License-Identifier: Apache-2.0 */
/* Who waits for the trace engines still writing a ring: the commands
 * (decode, report), never the loader they share (ctl/ringopen.h). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctltest.h"
#include "ring_lock.h"
#include "ring_read.h"
#include "ringopen.h"

#define STILL_WRITING "a trace engine is still writing it"

/* A ring at dir/r.ring, held by a make-believe engine (its shared lock);
 * returns the lock's fd. */
static int held_ring(const char *dir, const char **ring)
{
	struct gs_ring r;
	int fd;

	*ring = ct_path(dir, "r.ring");
	ct_ring_new(&r, *ring, GOSHIM_RING_MIN_DATA);
	gs_ring_detach(&r);
	fd = gs_ring_engine_hold(*ring);
	cr_assert_geq(fd, 0, "engine lock: %s", strerror(-fd));
	return fd;
}

Test(load, the_loader_does_not_wait_for_engines)
{
	const char *dir = ct_tmpdir(), *ring;
	int lock = held_ring(dir, &ring);
	const char *errpath = ct_path(dir, "stderr");
	char err[512], owner[512], said[1024] = "";
	struct gs_ring_reader rd = { .fd = -1 };
	int saved = dup(2), fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int rc;
	FILE *f;

	cr_assert(saved >= 0 && fd >= 0);
	fflush(stderr);
	dup2(fd, 2);
	rc = gs_ctl_ring_load(&rd, ring, err, sizeof(err), owner, sizeof(owner));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	f = fopen(errpath, "r");
	cr_assert(f);
	said[fread(said, 1, sizeof(said) - 1, f)] = 0;
	fclose(f);

	cr_assert_eq(rc, 0, "load: %s", err);
	cr_expect_null(strstr(said, STILL_WRITING), "the loader waited: %s", said);
	cr_expect_str_empty(said, "the loader said: %s", said);
	gs_ring_unload(&rd);
	close(lock);
	ct_rmtree(dir);
}

/* The commands still wait (and say so at the deadline, then read). */
Test(load, decode_and_report_wait_for_engines, .timeout = 120)
{
	static const char *const cmds[] = { "decode", "report" };
	const char *dir = ct_tmpdir(), *ring;
	int lock = held_ring(dir, &ring);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct ct_run res;

		ct_run(&res, (const char *const[]){ cmds[i], ring, NULL });
		cr_expect(strstr(res.err, STILL_WRITING), "%s did not wait: %s", cmds[i],
			  res.err);
		ct_run_free(&res);
	}
	close(lock);
	ct_rmtree(dir);
}
