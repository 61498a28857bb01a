/* SPDX-License-Identifier: Apache-2.0 */
/* The in-kernel watcher (trace/tr_ebpf.c): as root most x86_64 calls
 * are watched at their exit in the kernel instead of being notified; the
 * records are the same, only the tree's processes are watched, and
 * without privileges (or with GOSHIM_TRACE_EBPF=0, the -notify run of
 * this suite) every call is notified as before. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tt.h"

/* Run the shell command cmd, its output into out; the wait status. */
static int run_reading(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;

	cr_assert(p, "popen %s", cmd);
	while (n + 1 < cap && fgets(out + n, (int)(cap - n), p)) {
		n += strlen(out + n);
	}
	out[n] = 0;
	return pclose(p);
}

/* Run `[prefix] goshimctl run -vv --stats --ring ring -- argv` (a shell
 * word list); its stderr (the engine's diagnostics) into err. */
static int run_stats(const char *prefix, const char *ring, const char *args, char *err,
		     size_t cap)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "%s %s run -vv --stats --ring %s -- %s 2>&1 >/dev/null", prefix,
		 tt_build("ctl/goshimctl"), ring, args);
	return run_reading(cmd, err, cap);
}

static long stat_of(const char *err, const char *key)
{
	const char *s = strstr(err, key);

	cr_assert(s, "no %s in the engine's output:\n%s", key, err);
	return atol(s + strlen(key));
}

static void need(const struct tt_ring *r, uint32_t call, int err, const char *sub)
{
	if (!tt_find(r, call, err, sub)) {
		tt_dump(r);
		cr_assert_fail("no failure call=%u errno=%d path~%s in the ring", call, err, sub);
	}
}

/* The NOTE of a run without the watcher (NULL: the ring has none): why
 * (sub) and what it costs. */
static void need_watcher_note(const struct tt_ring *r, const char *sub)
{
	const char *note = NULL;

	for (size_t i = 0; i < r->n; i++) {
		if (r->recs[i].type == GOSHIM_REC_NOTE &&
		    strncmp(r->recs[i].note, "ebpf-watcher: not used (", 24) == 0) {
			note = r->recs[i].note;
		}
	}
	if (!sub) {
		cr_assert(!note, "the watcher was used, yet: %s", note);
		return;
	}
	cr_assert(note, "no NOTE ebpf-watcher: not used");
	cr_assert(strstr(note, sub), "why (%s) not in: %s", sub, note);
	cr_assert(strstr(note, "): every watched call is a notification round trip (~8 us "
			  "instead of ~0.1 us): a go test takes ~18% longer than bare instead of "
			  "~4%"), "the cost not in: %s", note);
}

/* The ring of `tp-fail-static fail` holds its lookups' failures. */
static void need_lookups(const char *ring)
{
	struct tt_ring r;

	tt_load(ring, &r);
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing");
	need(&r, GOSHIM_CALL_sys_newfstatat, ENOENT, "/nonexistent-dir/stat-missing");
	tt_free(&r);
}

/* need_lookups, then the test's directory goes. */
static void need_lookups_and_clean(const char *ring, char *dir)
{
	need_lookups(ring);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* The watched calls of a static program: from the kernel as root (all
 * but execve and the fd calls, still notified), notified otherwise; the
 * same records either way. */
Test(ebpf, calls_are_watched_in_the_kernel)
{
	char *dir = tt_tmpdir("ebpf"), ring[512], args[1024], err[65536];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(args, sizeof(args), "%s fail", tt_build("tests/trace/tp-fail-static"));
	int st = run_stats("", ring, args, err, sizeof(err));

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x:\n%s", st, err);
	long kernel = stat_of(err, "kernel_events=");

	if (tt_ebpf_expected()) {
		cr_assert_geq(kernel, 5, "the watcher handed over %ld failures:\n%s", kernel, err);
		cr_assert(!strstr(err, "notifications openat"), "openat still notified:\n%s", err);
		cr_assert(!strstr(err, "notifications mmap"), "mmap still notified:\n%s", err);
		cr_assert(strstr(err, "notifications execve"), "execve not notified:\n%s", err);
		cr_assert(strstr(err, "notifications exit_group"), "no exit sync point:\n%s", err);
	} else {
		cr_assert_eq(kernel, 0, "kernel events without the watcher:\n%s", err);
		cr_assert(strstr(err, "notifications openat"), "openat not notified:\n%s", err);
		cr_assert(!strstr(err, "notifications exit_group"), "exit_group notified:\n%s",
			  err);
	}
	tt_load(ring, &r);
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing");
	need(&r, GOSHIM_CALL_sys_open, ENOENT, "/nonexistent-dir/open-missing");
	need(&r, GOSHIM_CALL_sys_newfstatat, ENOENT, "/nonexistent-dir/stat-missing");
	need(&r, GOSHIM_CALL_sys_mkdirat, EEXIST, "/");
	need(&r, GOSHIM_CALL_sys_faccessat, ENOENT, "/nonexistent-dir/access-missing");
	need(&r, GOSHIM_CALL_sys_execve, EACCES, "/etc/passwd");
	need(&r, GOSHIM_CALL_sys_memfd_create, EINVAL, NULL);
	need(&r, GOSHIM_CALL_sys_clock_gettime, EINVAL, NULL);
	need(&r, GOSHIM_CALL_sys_mmap, EEXIST, NULL);
	need_watcher_note(&r, tt_ebpf_expected() ? NULL :
			  getenv("GOSHIM_TRACE_EBPF") ? "(GOSHIM_TRACE_EBPF=0" : "");
	/* the relative path made absolute against the (live) cwd, the
	 * program and its frames named: the process was still there */
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "openat-missing");
	char want[1024];

	snprintf(want, sizeof(want), "%s/nope/openat-missing", getcwd(args, sizeof(args)));
	cr_assert_str_eq(e->abspath, want);
	cr_assert(strstr(e->exe, "tp-fail-static"), "exe %s", e->exe);
	cr_assert_geq(e->nframes, 2, "frames %u", e->nframes);
	cr_assert_eq(tt_count(&r, GOSHIM_REC_PROCESS) >= 1, 1);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* A process outside the traced tree fails the same calls all along: none
 * of its failures is recorded, all of the tree's are. */
Test(ebpf, only_the_tree_is_watched)
{
	char *dir = tt_tmpdir("ebpfout"), ring[512], ring2[512], tick[600];
	struct tt_ring r;
	pid_t out = fork();

	cr_assert_geq(out, 0);
	if (out == 0) {
		for (;;) {
			fopen("/nonexistent-dir/outsider-missing", "r");
			usleep(100);
		}
	}
	/* two runs, two rings: each `goshimctl run` starts a fresh one */
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(ring2, sizeof(ring2), "%s/r2.ring", dir);
	snprintf(tick, sizeof(tick), "%s/tick", dir);
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail-static"), "chain", "2", NULL };
	char *targv[] = { (char *)tt_build("tests/trace/tp-fail"), "tick", tick, "20", NULL };
	int st = tt_trace(ring, argv, NULL);
	int st2 = tt_trace(ring2, targv, NULL);

	kill(out, SIGKILL);
	waitpid(out, NULL, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
	cr_assert_eq(st2, 0);
	tt_load(ring, &r);
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "chain-level-2");
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "chain-level-1");
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "chain-level-0");
	for (int i = 0; i < 2; i++) {
		if (i) {
			tt_free(&r);
			tt_load(ring2, &r);
		}
		if (tt_find(&r, 0, -1, "outsider")) {
			tt_dump(&r);
			cr_assert_fail("a failure of a process outside the tree was recorded");
		}
	}
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* A process of the tree in a pid namespace of its own: its failures are
 * recorded under the pid the engine sees (not 1), with its program. */
Test(ebpf, nested_pid_namespace)
{
	char *dir = tt_tmpdir("ebpfns"), ring[512];
	struct tt_ring r;

	if (geteuid() != 0) {
		cr_skip_test("needs root: unshare --pid");
	}
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *argv[] = { "/usr/bin/unshare", "--pid", "--fork",
			 (char *)tt_build("tests/trace/tp-fail-static"), "chain", "0", NULL };
	int st = tt_trace(ring, argv, NULL);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
	tt_load(ring, &r);
	need(&r, GOSHIM_CALL_sys_openat, ENOENT, "chain-level-0");
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "chain-level-0");

	cr_assert_neq(e->pid, 1, "the pid inside the namespace, not the engine's");
	cr_assert(strstr(e->exe, "tp-fail-static"), "exe '%s'", e->exe);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* Without privileges the watcher cannot be loaded: every call is
 * notified, nothing is lost. */
Test(ebpf, unprivileged_runs_are_notified)
{
	char *dir = tt_tmpdir("ebpfuser"), ring[600], args[1024], err[65536];

	if (geteuid() != 0) {
		cr_skip_test("needs root to switch to uid 65534");
	}
	tt_sh("chmod 0777 %s", dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(args, sizeof(args), "%s fail", tt_build("tests/trace/tp-fail-static"));
	int st = run_stats("setpriv --reuid 65534 --regid 65534 --clear-groups", ring, args, err,
			   sizeof(err));

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x:\n%s", st, err);
	cr_assert_eq(stat_of(err, "kernel_events="), 0, "%s", err);
	cr_assert(strstr(err, "notifications openat"), "openat not notified:\n%s", err);
	struct tt_ring r;

	tt_load(ring, &r);
	need_watcher_note(&r, "not root without CAP_BPF and CAP_PERFMON "
			  "(kernel.unprivileged_bpf_disabled=");
	tt_free(&r);
	need_lookups_and_clean(ring, dir);
}

/* A burst of failures from one call site: every one is counted (the
 * engine keeps up with the ring buffer, or a NOTE says what was lost). */
Test(ebpf, a_burst_is_counted_whole)
{
	char *dir = tt_tmpdir("ebpfburst"), ring[512];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail-static"), "repeat", "20000", NULL };

	cr_assert_eq(tt_trace(ring, argv, NULL), 0);
	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "repeat-missing");
	uint64_t total = 0;

	cr_assert(e, "no repeat-missing record");
	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_EVENT && strstr(r.recs[i].path, "repeat-missing")) {
			total += r.recs[i].count;
		}
	}
	if (total != 20000) {
		tt_dump(&r);
	}
	cr_assert_eq(total, 20000, "counted %llu of 20000 failures", (unsigned long long)total);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* The hand-over: a shell with libgoshim.so preloaded execs a static
 * program; the helper engine attaches the watcher too, and the program's
 * failures come from it. */
Test(ebpf, handover_uses_the_watcher)
{
	char *dir = tt_tmpdir("ebpfho"), cmd[4096], err[65536], ring[512];

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(cmd, sizeof(cmd),
		 "GOSHIM_DEBUG=1 GOSHIM_RING=%s GOSHIMCTL=%s LD_PRELOAD=%s "
		 "/bin/sh -c 'exec %s fail' 2>&1 >/dev/null",
		 ring, tt_build("ctl/goshimctl"), tt_build("preload/libgoshim.so"),
		 tt_build("tests/trace/tp-fail-static"));
	int st = run_reading(cmd, err, sizeof(err));

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x:\n%s", st, err);
	if (tt_ebpf_expected()) {
		cr_assert(strstr(err, "in-kernel watcher attached"), "no watcher:\n%s", err);
		cr_assert(!strstr(err, "notifications openat"), "openat notified:\n%s", err);
	} else {
		cr_assert(!strstr(err, "in-kernel watcher attached"), "a watcher:\n%s", err);
	}
	need_lookups_and_clean(ring, dir);
}

/* A watched call that blocks (an open of a FIFO), interrupted by a signal
 * whose handler has SA_RESTART: the kernel leaves it with -ERESTARTSYS,
 * which the program never sees (the call comes round and succeeds).
 * Nothing failed: no record of it. */
Test(ebpf, an_interrupted_and_restarted_call_is_no_failure)
{
	char *dir = tt_tmpdir("ebpfrestart"), ring[512], fifo[512];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail-static"), "fifo-intr", fifo, NULL };

	cr_assert_eq(tt_trace(ring, argv, NULL), 0);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_EVENT && strstr(r.recs[i].path, "/fifo")) {
			tt_dump(&r);
			cr_assert_fail("a record of the FIFO's open: errno %d", r.recs[i].err);
		}
	}
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* `tp-fail-static fail` under the engine, the default ring's directory
 * (where the watcher keeps the kernel's types) dir/xdg: its -v output
 * into err; the lookups were watched in the kernel (notified: -notify)
 * and recorded. */
static void run_kept(const char *dir, char *err, size_t cap)
{
	char prefix[600], ring[600], args[1024];

	snprintf(prefix, sizeof(prefix), "XDG_RUNTIME_DIR=%s/xdg", dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(args, sizeof(args), "%s fail", tt_build("tests/trace/tp-fail-static"));
	int st = run_stats(prefix, ring, args, err, cap);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x:\n%s", st, err);
	long kernel = stat_of(err, "kernel_events=");

	if (tt_ebpf_expected()) {
		cr_assert_geq(kernel, 5, "the watcher handed over %ld failures:\n%s", kernel, err);
	} else {
		cr_assert_eq(kernel, 0, "kernel events without the watcher:\n%s", err);
	}
	need_lookups(ring);
	unlink(ring);
}

/* The kernel types kept in dir/xdg: how many files, the first one's path. */
static size_t kept(const char *dir, char *path, size_t cap)
{
	char pat[600];
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/xdg/kernel-*.btf", dir);
	if (glob(pat, 0, NULL, &g) != 0) {
		return 0;
	}
	snprintf(path, cap, "%s", g.gl_pathv[0]);
	size_t n = g.gl_pathc;

	globfree(&g);
	return n;
}

/* path is a regular file of ours, closed to others (not a link). */
static void need_ours(const char *path)
{
	struct stat st;

	cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
	cr_assert(S_ISREG(st.st_mode), "%s is no regular file (%o)", path, st.st_mode);
	cr_assert_eq(st.st_uid, geteuid(), "%s owned by %u", path, st.st_uid);
	cr_assert_eq(st.st_mode & 0777, 0600, "%s mode %o", path, st.st_mode & 0777);
}

/* The watcher's kernel types: made from the kernel's BTF at the first run
 * on a kernel, into the default ring's directory, and read from there by
 * the next run (not the kernel's 5.5 MB BTF); nothing without it. */
Test(ebpf, kernel_types_are_kept_per_kernel)
{
	char *dir = tt_tmpdir("ebpfbtf"), err[65536], path[1024];

	tt_sh("mkdir -m 0700 %s/xdg", dir);
	run_kept(dir, err, sizeof(err));
	if (!tt_ebpf_expected()) {
		cr_assert(!strstr(err, "kernel types"), "kernel types without the watcher:\n%s", err);
		cr_assert_eq(kept(dir, path, sizeof(path)), 0, "kept without the watcher: %s", path);
	} else {
		cr_assert(strstr(err, "kernel types written to "), "none made:\n%s", err);
		cr_assert_eq(kept(dir, path, sizeof(path)), 1);
		need_ours(path);
		run_kept(dir, err, sizeof(err));
		cr_assert(strstr(err, "kernel types from "), "not read from %s:\n%s", path, err);
		cr_assert_eq(kept(dir, path, sizeof(path)), 1);
	}
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* A kept file that is not ours alone, or not a file, is never read: made
 * again; one that is ours but does not load the program is removed, the
 * kernel's BTF serves, and the next run makes it again.  The watcher is
 * used every time. */
static const struct {
	const char *how; /* sh, $0 the file */
	const char *said;
	int trusted;     /* read (then found wrong) */
} eb_spoilt[] = {
	{ "chown 65534 \"$0\"", "written to ", 0 },
	{ "chmod 0666 \"$0\"", "written to ", 0 },
	{ "cp \"$0\" \"$0.real\" && ln -sf \"$0.real\" \"$0\"", "written to ", 0 },
	{ "echo not-btf > \"$0\"", "did not serve; removed", 1 },
};

Test(ebpf, kernel_types_not_ours_alone_are_never_read)
{
	char *dir = tt_tmpdir("ebpfbtfbad"), err[65536], path[1024];

	tt_sh("mkdir -m 0700 %s/xdg", dir);
	if (!tt_ebpf_expected()) { /* nothing kept, nothing to spoil */
		run_kept(dir, err, sizeof(err));
		cr_assert_eq(kept(dir, path, sizeof(path)), 0, "kept without the watcher: %s", path);
	}
	for (size_t i = 0; tt_ebpf_expected() && i < sizeof(eb_spoilt) / sizeof(eb_spoilt[0]); i++) {
		run_kept(dir, err, sizeof(err));
		cr_assert_eq(kept(dir, path, sizeof(path)), 1, "%s", err);
		tt_sh("sh -c '%s' %s", eb_spoilt[i].how, path);
		run_kept(dir, err, sizeof(err));
		cr_assert(strstr(err, eb_spoilt[i].said), "%s: not %s:\n%s", eb_spoilt[i].how,
			  eb_spoilt[i].said, err);
		cr_assert(eb_spoilt[i].trusted || !strstr(err, "kernel types from "), "%s: read:\n%s",
			  eb_spoilt[i].how, err);
		if (kept(dir, path, sizeof(path))) {
			need_ours(path);
		}
		tt_sh("rm -f %s/xdg/*", dir);
	}
	tt_sh("rm -rf %s", dir);
	free(dir);
}
