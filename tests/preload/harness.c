// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tl_env.h"
#include "tl_fs.h"

extern char **environ;

void fl_built(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/tests/preload/%s", tl_env("GOSHIM_BUILD_ROOT"), name);
}

const char *fl_preload(void)
{
	return tl_env("GOSHIM_PRELOAD");
}

/* The start of a file into buf (NUL-terminated). */
static void fl_read_file(const char *path, char *buf, size_t len)
{
	char *all = tl_slurp(path, NULL);

	snprintf(buf, len, "%s", all);
	free(all);
}

/* Directories created by this test process and not yet removed. */
static char fl_dirs[16][300];

static void fl_track(const char *dir)
{
	for (size_t i = 0; i < 16; i++) {
		if (!fl_dirs[i][0]) {
			snprintf(fl_dirs[i], sizeof(fl_dirs[i]), "%s", dir);
			return;
		}
	}
}

static void fl_remove(const char *dir)
{
	tl_rmtree(dir);
	for (size_t i = 0; i < 16; i++) {
		if (strcmp(fl_dirs[i], dir) == 0) {
			fl_dirs[i][0] = '\0';
		}
	}
}

void fl_cleanup(void)
{
	for (size_t i = 0; i < 16; i++) {
		if (fl_dirs[i][0]) {
			fl_remove(fl_dirs[i]);
		}
	}
}

void fl_run(struct fl_run *run, const char *scenario, const char *preload,
	    const char *const *extra_env)
{
	char failer[512], badinterp[512], outp[96], errp[96], ringdir[64];
	pid_t pid;

	memset(run, 0, sizeof(*run));
	fl_built(failer, sizeof(failer), "failer");
	fl_built(badinterp, sizeof(badinterp), "badinterp");
	snprintf(run->dir, sizeof(run->dir), "/tmp/goshim-fl-XXXXXX");
	cr_assert(mkdtemp(run->dir), "mkdtemp: %s", strerror(errno));
	fl_track(run->dir);
	snprintf(ringdir, sizeof(ringdir), "/tmp/goshim-flr-XXXXXX");
	cr_assert(mkdtemp(ringdir), "mkdtemp: %s", strerror(errno));
	fl_track(ringdir);
	snprintf(outp, sizeof(outp), "%s/stdout", ringdir);
	snprintf(errp, sizeof(errp), "%s/stderr", ringdir);
	if (preload) {
		snprintf(run->ring, sizeof(run->ring), "%s/ring", ringdir);
	}

	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) {
			_exit(120);
		}
		unsetenv("LD_PRELOAD");
		unsetenv("GOSHIM_RING");
		unsetenv("GOSHIM_DEBUG");
		setenv("FAILER_BADINTERP", badinterp, 1);
		if (preload) {
			setenv("LD_PRELOAD", preload, 1);
			setenv("GOSHIM_RING", run->ring, 1);
		}
		for (size_t i = 0; extra_env && extra_env[i]; i++) {
			putenv((char *)extra_env[i]);
		}
		execl(failer, "failer", scenario, run->dir, (char *)NULL);
		_exit(121);
	}
	cr_assert(waitpid(pid, &run->status, 0) == pid);
	fl_read_file(outp, run->out, sizeof(run->out));
	fl_read_file(errp, run->err, sizeof(run->err));
	unlink(outp);
	unlink(errp);
	if (!preload) {
		fl_remove(ringdir);
	}
	cr_assert(!(WIFEXITED(run->status) && WEXITSTATUS(run->status) >= 120),
		  "could not start %s (status %d)", failer, WEXITSTATUS(run->status));
}

void fl_run_done(struct fl_run *run)
{
	char ringdir[sizeof(run->ring)];

	fl_remove(run->dir);
	if (run->ring[0]) {
		snprintf(ringdir, sizeof(ringdir), "%s", run->ring);
		*strrchr(ringdir, '/') = '\0';
		fl_remove(ringdir);
	}
}

void fl_skip_if_needed(const struct fl_run *run)
{
	if (WIFEXITED(run->status) && WEXITSTATUS(run->status) == FL_SKIP) {
		cr_skip_test("%s", run->err);
	}
}

void fl_same(const char *scenario, struct fl_run *with)
{
	struct fl_run without;

	fl_run(&without, scenario, NULL, NULL);
	fl_run_done(&without);
	fl_skip_if_needed(&without);
	fl_run(with, scenario, fl_preload(), NULL);
	cr_assert(WIFEXITED(without.status) && WEXITSTATUS(without.status) == 0,
		  "%s without preload: status %#x, stderr: %s", scenario,
		  without.status, without.err);
	cr_assert_str_eq(with->out, without.out,
			 "%s: output differs with libgoshim.so (stderr: %s)",
			 scenario, with->err);
	cr_assert_eq(with->status, without.status,
		     "%s: wait status %#x with libgoshim.so, %#x without",
		     scenario, with->status, without.status);
}

size_t fl_ring_records(const char *ring, struct tl_rec *recs, size_t max,
		       uint64_t *lost, uint64_t *dropped)
{
	struct tl_load_opts o = { .engine = GOSHIM_ENGINE_PRELOAD, .keep_unreadable = 1 };
	struct tl_ring all;
	size_t n;

	tl_load(ring, &all, &o);
	n = all.n < max ? all.n : max;
	memcpy(recs, all.recs, n * sizeof(*recs));
	if (lost) {
		*lost = all.lost;
	}
	if (dropped) {
		*dropped = all.dropped;
	}
	tl_free(&all);
	return n;
}

struct fl_match {
	uint32_t call;
	const char *path_part;
	uint64_t n;
};

static void fl_match(const struct tl_rec *rec, void *arg)
{
	struct fl_match *m = arg;

	if (rec->type == GOSHIM_REC_EVENT && rec->call == m->call &&
	    strstr(rec->path, m->path_part)) {
		m->n += rec->count;
	}
}

void fl_ring_count(const char *ring, uint32_t call, const char *path_part,
		   struct fl_count *c)
{
	struct tl_load_opts o = { .engine = GOSHIM_ENGINE_PRELOAD, .keep_unreadable = 1 };
	struct fl_match m = { .call = call, .path_part = path_part };
	struct tl_ring counts;

	tl_walk(ring, &o, fl_match, &m, &counts);
	c->found = counts.n;
	c->matching = m.n;
	c->lost = counts.lost;
	c->committed = counts.committed;
	c->dropped = counts.dropped;
}
