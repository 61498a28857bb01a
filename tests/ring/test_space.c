/* SPDX-License-Identifier: Apache-2.0 */
/* A ring that could lose its pages under a writer or a reader: a full
 * filesystem, another user truncating it, its owner truncating it while
 * it is read.  No writer and no reader may die of SIGBUS; a ring that
 * cannot be backed is not published and the job runs as without goshim. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringtest.h"

#define SP_TMPFS_SIZE "2m"

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: mounts a small tmpfs, switches to uid %d", RT_NOBODY);
	}
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d) {
		return -1;
	}
	while ((e = readdir(d))) {
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	}
	closedir(d);
	return n;
}

/* Fill the filesystem of dir with dir/filler, then give back `leave`
 * bytes.  0, or -1. */
static int fill(const char *dir, size_t leave)
{
	static char page[4096];
	char p[256];
	off_t n = 0;
	int fd;

	snprintf(p, sizeof(p), "%s/filler", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		return -1;
	}
	memset(page, 'f', sizeof(page));
	while (write(fd, page, sizeof(page)) == (ssize_t)sizeof(page)) {
		n += (off_t)sizeof(page);
	}
	if (errno != ENOSPC || (off_t)leave > n || ftruncate(fd, n - (off_t)leave) < 0) {
		return -1;
	}
	return close(fd);
}

/* In a child with a private mount namespace, mount a small tmpfs on a
 * fresh directory, run prep(dir) (may be NULL), fill the tmpfs up but
 * `leave` bytes, and exit with fn(dir).  Returns the child's wait status. */
static int on_full_tmpfs(int (*prep)(const char *), int (*fn)(const char *), size_t leave)
{
	char dir[64];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s", rt_tmpdir());
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (tl_private_tmpfs(dir, 0, "size=" SP_TMPFS_SIZE ",mode=0755")) {
			_exit(90);
		}
		if (prep && prep(dir)) {
			_exit(91);
		}
		if (fill(dir, leave)) {
			_exit(92);
		}
		_exit(fn(dir));
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	rt_rmtree(dir);
	return st;
}

static void expect_ok(int st, const char *what)
{
	cr_assert(!WIFSIGNALED(st), "%s: killed by signal %d%s", what, WTERMSIG(st),
		  WTERMSIG(st) == SIGBUS ? " (SIGBUS)" : "");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: exit %d", what,
		  WEXITSTATUS(st));
}

/* Write records until the ring has gone round once: every page stored. */
static void fill_ring(struct gs_ring *r)
{
	for (uint64_t k = 0; r->hdr->head < 2 * r->size; k++) {
		rt_write(r, 1, k, 200);
	}
}

static int attach_refused(const char *dir, uint64_t size)
{
	char p[256];
	struct gs_ring r;
	int ret;

	snprintf(p, sizeof(p), "%s/ring", dir);
	ret = gs_ring_attach(&r, p, size, 0600, 0);
	if (ret == 0) {
		fill_ring(&r); /* a sparse ring dies here */
		return 1;
	}
	if (ret != -ENOSPC) {
		return 2;
	}
	if (entries(dir) != 1) {
		return 3; /* published, or a temporary file left behind */
	}
	return 0;
}

static int full_1m(const char *dir)
{
	return attach_refused(dir, 1 << 20);
}

static int nearly_full_256k(const char *dir)
{
	return attach_refused(dir, 256 << 10);
}

Test(space, full_filesystem_ring_is_not_published)
{
	need_root();
	expect_ok(on_full_tmpfs(NULL, full_1m, 0), "full tmpfs");
	expect_ok(on_full_tmpfs(NULL, nearly_full_256k, 64 << 10), "64 KiB left, 256 KiB ring");
}

/* A ring that exists but lost its blocks (made sparse: an older goshim,
 * a copy): a writer backs it first, or does not attach. */
static int make_sparse_ring(const char *dir)
{
	char p[256];
	struct gs_ring r;
	int fd;

	snprintf(p, sizeof(p), "%s/ring", dir);
	if (gs_ring_attach(&r, p, 256 << 10, 0600, 0)) {
		return 1;
	}
	gs_ring_detach(&r);
	fd = open(p, O_RDWR);
	if (fd < 0 || fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				GOSHIM_RING_HDR_SIZE, 256 << 10)) {
		return 2;
	}
	return close(fd);
}

static int attach_sparse(const char *dir)
{
	char p[256];
	struct gs_ring r;
	struct stat st;
	int ret;

	snprintf(p, sizeof(p), "%s/ring", dir);
	ret = gs_ring_attach(&r, p, 0, 0600, 0);
	if (ret == 0) {
		fill_ring(&r);
		return 1;
	}
	if (ret != -ENOSPC || stat(p, &st) || st.st_size != GOSHIM_RING_HDR_SIZE + (256 << 10)) {
		return 2;
	}
	return 0;
}

Test(space, sparse_ring_on_full_filesystem_is_refused)
{
	need_root();
	expect_ok(on_full_tmpfs(make_sparse_ring, attach_sparse, 0), "sparse ring");
}

/* Run argv with env added, stdout/stderr to errfile; the wait status. */
static int run(char *const argv[], char *const env[], const char *errfile)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		return -1;
	}
	if (pid == 0) {
		int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0) {
			_exit(93);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		for (size_t i = 0; env[i]; i++) {
			putenv(env[i]);
		}
		alarm(60); /* a watchdog, not a measure: a hang must end the test */
		execv(argv[0], argv);
		_exit(94);
	}
	if (waitpid(pid, &st, 0) != pid) {
		return -1;
	}
	return st;
}

static int status_code(int st)
{
	if (WIFSIGNALED(st)) {
		return 100 + WTERMSIG(st); /* SIGBUS: 107 */
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

static char sp_ring_env[300], sp_errfile[300];

/* Run argv with env (sp_ring_env: the ring at dir/ring), its stderr into
 * sp_errfile: 0 when it exits want and dir holds the ring alone, else 98
 * (it exited 0), 97 (more in dir) or its exit code. */
static int sp_expect(char *const argv[], char *const env[], const char *dir, int want)
{
	int code;

	snprintf(sp_ring_env, sizeof(sp_ring_env), "GOSHIM_RING=%s/ring", dir);
	code = status_code(run(argv, env, sp_errfile));
	if (code != want) {
		return code == 0 ? 98 : code;
	}
	return entries(dir) == 1 ? 0 : 97;
}

/* `cat /nonexistent` under the preload: exits 1 as without it. */
static int preload_cat(const char *dir)
{
	char pre[4200];
	char *argv[] = { "/bin/cat", "/nonexistent-goshim-test", NULL };
	char *env[] = { pre, sp_ring_env, NULL };

	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s", getenv("GOSHIM_PRELOAD"));
	return sp_expect(argv, env, dir, 1);
}

Test(space, preload_on_full_filesystem_changes_nothing)
{
	need_root();
	cr_assert_not_null(getenv("GOSHIM_PRELOAD"), "run through meson test");
	snprintf(sp_errfile, sizeof(sp_errfile), "%s/err", rt_tmpdir());
	int st = on_full_tmpfs(NULL, preload_cat, 0);

	cr_assert(WIFEXITED(st), "the test child died");
	cr_assert_eq(WEXITSTATUS(st), 0, "cat under the preload: %d (1xx: killed by "
		     "signal xx; 107: SIGBUS)", WEXITSTATUS(st));
}

/* `goshimctl run` with its ring on a full filesystem: says so once, runs
 * the command and ends with its exit status. */
static int engine_run(const char *dir)
{
	char *argv[] = { (char *)getenv("GOSHIMCTL"), "run", "--no-probe", "--",
			 "/bin/sh", "-c", "exit 7", NULL };
	char *env[] = { sp_ring_env, "GOSHIM_TRACE_EBPF=0", NULL };

	return sp_expect(argv, env, dir, 7);
}

Test(space, engine_on_full_filesystem_runs_the_command)
{
	need_root();
	cr_assert_not_null(getenv("GOSHIMCTL"), "run through meson test");
	const char *d = rt_tmpdir();
	snprintf(sp_errfile, sizeof(sp_errfile), "%s/err", d);
	int st = on_full_tmpfs(NULL, engine_run, 0);
	size_t n;
	char *err = (char *)rt_slurp(sp_errfile, &n);

	err = realloc(err, n + 1);
	err[n] = 0;
	cr_assert(WIFEXITED(st), "the test child died");
	cr_assert_eq(WEXITSTATUS(st), 0, "goshimctl run: %d (1xx: killed by signal xx; "
		     "107: SIGBUS); stderr: %s", WEXITSTATUS(st), err);
	char *m = strstr(err, "no room for it on its filesystem");
	cr_assert_not_null(m, "stderr: %s", err);
	cr_assert_null(strstr(m + 1, "no room for it"), "said more than once: %s", err);
	free(err);
	rt_rmtree(d);
}

/* The ring's owner (the command itself, same uid) truncates the ring
 * while the engine records: the engine survives, says so once, and ends
 * with the command's exit status. */
Test(space, engine_survives_its_ring_cut_short)
{
	cr_assert_not_null(getenv("GOSHIMCTL"), "run through meson test");
	const char *d = rt_tmpdir();
	char ring[300], env[320], err[300];
	char *argv[] = { (char *)getenv("GOSHIMCTL"), "run", "--no-probe", "--ring", ring, "--",
			 "/bin/sh", "-c", ": > \"$R\"; for i in 1 2 3 4 5 6 7 8; do "
			 "cat /nonexistent-$i 2>/dev/null; done; exit 5", NULL };
	char *envs[] = { env, "GOSHIM_TRACE_EBPF=0", NULL };
	size_t n;

	snprintf(ring, sizeof(ring), "%s/ring", d);
	snprintf(env, sizeof(env), "R=%s", ring);
	snprintf(err, sizeof(err), "%s/err", d);
	int code = status_code(run(argv, envs, err));
	char *msg = (char *)rt_slurp(err, &n);

	msg = realloc(msg, n + 1);
	msg[n] = 0;
	cr_assert_eq(code, 5, "goshimctl run: %d (1xx: killed by signal xx; 107: SIGBUS); "
		     "stderr: %s", code, msg);
	char *m = strstr(msg, "was cut short");
	cr_assert_not_null(m, "stderr: %s", msg);
	cr_assert_null(strstr(m + 1, "was cut short"), "said more than once: %s", msg);
	free(msg);
	rt_rmtree(d);
}

/* ---- other users ---------------------------------------------------------- */


static int cut(const char *ring)
{
	return truncate(ring, 0) == 0 ? 1 : 0;
}

static int attach_as_nobody(const char *ring)
{
	struct gs_ring r;
	int ret = gs_ring_attach(&r, ring, 0, 0600, 0);

	gs_ring_detach(&r);
	return ret == -EPERM ? 0 : 1;
}

/* GOSHIM_RING_MODE=0666 used to give a ring anyone could truncate under
 * root's writers; now no mode lets another uid write it. */
Test(space, other_users_cannot_cut_the_ring)
{
	need_root();
	const char *d = rt_tmpdir();
	char p[256];
	struct gs_ring r;
	struct gs_ring_reader rd = { 0 };
	struct stat st;

	cr_assert_eq(chmod(d, 01777), 0);
	snprintf(p, sizeof(p), "%s/ring", d);
	cr_assert_eq(gs_ring_attach(&r, p, 64 << 10, 0666, 0), 0);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
	cr_assert_eq(rt_as_nobody(cut, p), 0, "uid %d truncated root's ring", RT_NOBODY);
	fill_ring(&r); /* root's writer goes on */
	gs_ring_detach(&r);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_size, GOSHIM_RING_HDR_SIZE + (64 << 10));
	cr_assert_eq(gs_ring_load(&rd, p), 0);
	cr_assert_gt(rd.nrecs, 100);
	gs_ring_unload(&rd);

	/* a ring its owner opened to others afterwards: nobody attaches */
	cr_assert_eq(chmod(p, 0666), 0);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), -EACCES, "root attached to a 0666 ring");
	cr_assert_eq(rt_as_nobody(attach_as_nobody, p), 0, "uid %d attached to root's ring",
		     RT_NOBODY);
	cr_assert_eq(chmod(p, 04600), 0);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), -EACCES, "a setuid ring");
	rt_rmtree(d);
}

/* ---- the owner truncating the ring while goshimctl reads it --------------- */

static char sp_cut_path[256];

/* The reader asks for the dictionary of the first DICT record: the moment
 * to cut the file under it. */
static const void *cut_on_lookup(uint32_t id, size_t *len)
{
	(void)id;
	*len = 0;
	cr_assert_eq(truncate(sp_cut_path, 0), 0);
	return NULL;
}

Test(space, ring_truncated_under_the_reader)
{
	const char *d = rt_tmpdir();
	struct gs_ring r;
	struct gs_ring_reader rd = { 0 };
	uint8_t junk[1000];

	snprintf(sp_cut_path, sizeof(sp_cut_path), "%s/ring", d);
	/* 1 MiB: the 200 records fit in the routine lane without wrapping */
	cr_assert_eq(gs_ring_attach(&r, sp_cut_path, 1 << 20, 0600, 0), 0);
	memset(junk, 'j', sizeof(junk));
	for (int i = 0; i < 200; i++) {
		cr_assert_geq(gs_ring_write(&r, GOSHIM_REC_EVENT, GOSHIM_CODEC_DICT, 1, junk,
					    sizeof(junk), 4000), 0);
	}
	gs_ring_detach(&r);
	rd.dict_lookup = cut_on_lookup;
	cr_assert_eq(gs_ring_load(&rd, sp_cut_path), 0);
	cr_assert_eq(rd.nrecs, 200, "every record read before the cut is reported");
	cr_assert(rt_has_issue(&rd, GS_RP_BAD_RECORD));
	gs_ring_unload(&rd);
	rt_rmtree(d);
}
