// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_read.h"
#include "tlv.h"

extern char **environ;

static const char *fl_env(const char *name)
{
	const char *v = getenv(name);

	cr_assert(v && *v, "%s is not set: run the tests with `meson test`", name);
	return v;
}

void fl_built(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/tests/preload/%s", fl_env("GOSHIM_BUILD_ROOT"), name);
}

const char *fl_preload(void)
{
	return fl_env("GOSHIM_PRELOAD");
}

static void fl_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0) {
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
}

static int fl_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	if (flag == FTW_DP) {
		chmod(p, 0700);
		return rmdir(p) ? 0 : 0;
	}
	unlink(p);
	return 0;
}

static void fl_rmtree(const char *dir)
{
	if (dir[0]) {
		nftw(dir, fl_rm, 16, FTW_DEPTH | FTW_PHYS);
	}
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
	fl_rmtree(dir);
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

static void fl_str(const struct gs_tlv_field *f, char *buf, size_t len)
{
	size_t n = f->len < len - 1 ? f->len : len - 1;

	memcpy(buf, f->val, n);
	buf[n] = '\0';
}

static void fl_decode(const struct gs_rec *g, struct fl_rec *r)
{
	struct gs_tlv_field f;
	size_t off = 0;
	uint32_t u;

	memset(r, 0, sizeof(*r));
	r->type = g->type;
	r->count = g->count;
	while (g->payload && gs_tlv_next(g->payload, g->raw_len, &off, &f) == 1) {
		switch (f.tag) {
		case GOSHIM_T_PID:
			gs_tlv_get_u32(&f, &r->pid);
			break;
		case GOSHIM_T_CALL:
			gs_tlv_get_u32(&f, &r->call);
			break;
		case GOSHIM_T_ERRNO:
			r->has_err = gs_tlv_get_i32(&f, &r->err) == 0;
			break;
		case GOSHIM_T_PATH:
			fl_str(&f, r->path, sizeof(r->path));
			break;
		case GOSHIM_T_ABSPATH:
			fl_str(&f, r->abspath, sizeof(r->abspath));
			break;
		case GOSHIM_T_NAME:
			fl_str(&f, r->name, sizeof(r->name));
			break;
		case GOSHIM_T_FD:
			r->has_fd = gs_tlv_get_i32(&f, &r->fd) == 0;
			break;
		case GOSHIM_T_CLOCKID:
			r->has_clockid = gs_tlv_get_i32(&f, &r->clockid) == 0;
			break;
		case GOSHIM_T_STATUS:
			r->has_status = gs_tlv_get_i32(&f, &r->status) == 0;
			break;
		case GOSHIM_T_CHILD:
			if (gs_tlv_get_u32(&f, &u) == 0) {
				r->child = u;
			}
			break;
		case GOSHIM_T_FRAME:
			r->nframes++;
			break;
		default:
			break;
		}
	}
}

size_t fl_ring_records(const char *ring, struct fl_rec *recs, size_t max,
		       uint64_t *lost, uint64_t *dropped)
{
	struct gs_ring_reader rd;
	size_t n = 0;
	int r;

	memset(&rd, 0, sizeof(rd));
	r = gs_ring_load(&rd, ring);
	cr_assert(r == 0, "cannot load ring %s: %s", ring, strerror(-r));
	for (size_t i = 0; i < rd.nrecs && n < max; i++) {
		fl_decode(&rd.recs[i], &recs[n++]);
	}
	if (lost) {
		*lost = gs_ring_lost(&rd);
	}
	if (dropped) {
		*dropped = rd.hdr_ok ? rd.hdr.dropped : 0;
	}
	gs_ring_unload(&rd);
	return n;
}

void fl_ring_count(const char *ring, uint32_t call, const char *path_part,
		   struct fl_count *c)
{
	struct gs_ring_reader rd;
	static struct fl_rec rec;
	int r;

	memset(&rd, 0, sizeof(rd));
	memset(c, 0, sizeof(*c));
	r = gs_ring_load(&rd, ring);
	cr_assert(r == 0, "cannot load ring %s: %s", ring, strerror(-r));
	for (size_t i = 0; i < rd.nrecs; i++) {
		fl_decode(&rd.recs[i], &rec);
		c->found++;
		if (rec.type == GOSHIM_REC_EVENT && rec.call == call &&
		    strstr(rec.path, path_part)) {
			c->matching += rec.count;
		}
	}
	c->lost = gs_ring_lost(&rd);
	c->committed = rd.hdr_ok ? rd.hdr.committed : 0;
	c->dropped = rd.hdr_ok ? rd.hdr.dropped : 0;
	gs_ring_unload(&rd);
}
