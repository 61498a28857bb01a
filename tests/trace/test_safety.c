/* SPDX-License-Identifier: Apache-2.0 */
/* The engine opens the traced program's files safely: a FIFO never hangs
 * it, evidence never holds what the process could not read, an empty path
 * names nothing, and nothing is held open in a filesystem the process
 * unmounts next.  Every run is bounded: a hang fails the test, never the
 * suite. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tt.h"

#define TS_LIMIT_S 120 /* a run that takes longer has hung */

/* Run argv in its own process group with cwd (NULL: ours); its wait
 * status, or -1 when it was still running after TS_LIMIT_S seconds (the
 * group is then killed). */
static int ts_run(char *const argv[], const char *cwd)
{
	int status;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		if ((cwd && chdir(cwd) < 0) || !freopen("/dev/null", "r", stdin)) {
			_exit(125);
		}
		execv(argv[0], argv);
		_exit(126);
	}
	setpgid(pid, pid);
	for (int i = 0; i < TS_LIMIT_S * 10; i++) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			return status;
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* goshimctl run --ring ring -- argv..., bounded. */
static int ts_trace(const char *ring, const char *cwd, char *const argv[])
{
	char *av[32];

	tt_run_argv(av, 32, ring, argv);
	return ts_run(av, cwd);
}

static void ts_need_root(const char *why)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: %s", why);
	}
}

Test(trace_safety, empty_path_names_nothing)
{
	char *dir = tt_tmpdir("empty"), ring[512];
	char *argv[] = { (char *)tt_build("tests/trace/tp-safety"), "emptypath", NULL };
	struct tt_ring r;
	int n = 0;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	int st = ts_trace(ring, dir, argv);

	cr_assert(st >= 0, "goshimctl run hung");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *e = &r.recs[i];

		if (e->type != GOSHIM_REC_EVENT || e->call != GOSHIM_CALL_sys_newfstatat ||
		    e->err != ENOENT || e->path[0]) {
			continue;
		}
		n++;
		/* the kernel looked nothing up: no cwd, no dirfd, no evidence */
		if (e->abspath[0] || e->ev_path[0]) {
			tt_dump(&r);
		}
		cr_expect_str_empty(e->abspath, "empty path recorded as %s", e->abspath);
		cr_expect_str_empty(e->ev_path, "evidence about %s", e->ev_path);
	}
	cr_assert(n >= 1, "no newfstatat(\"\") record");
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

Test(trace_safety, go_version_in_tmp_reports_nothing, .timeout = 300)
{
	const char *go = "/usr/local/go/bin/go";
	char *dir = tt_tmpdir("gover"), ring[512];
	char *argv[] = { (char *)go, "version", NULL };

	if (access(go, X_OK) != 0) {
		cr_skip_test("no Go toolchain at %s", go);
	}
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	int st = ts_trace(ring, "/tmp", argv);

	cr_assert(st >= 0, "goshimctl run hung");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	char *rep[] = { (char *)tt_build("ctl/goshimctl"), "report", ring, NULL };

	st = ts_run(rep, "/tmp");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "report found an error in a clean `go version` (status %#x)", st);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* An exec of a FIFO fails with EACCES at once, bare and traced: the
 * engine's evidence never opens it for reading. */
Test(trace_safety, exec_of_fifo_does_not_hang, .timeout = 300)
{
	char *dir = tt_tmpdir("fifo"), ring[512], fifo[512], link[512];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	cr_assert(mkfifo(fifo, 0755) == 0);
	cr_assert(chmod(fifo, 0755) == 0);
	cr_assert(symlink(fifo, link) == 0);
	for (int i = 0; i < 2; i++) {
		char *argv[] = { (char *)tt_build("tests/trace/tp-safety"), "exec",
				 i ? link : fifo, "13", NULL };
		int st = ts_trace(ring, dir, argv);

		cr_assert(st >= 0, "goshimctl run hung on an exec of %s", argv[2]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	}
	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_execve, EACCES, "fifo");

	if (!e) {
		tt_dump(&r);
	}
	cr_assert(e, "no execve EACCES record for the FIFO");
	cr_assert(S_ISFIFO(e->stat_mode), "mode %o", e->stat_mode);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* A C program removes its executable and puts a FIFO where /proc/PID/maps
 * now names it ("PROG (deleted)"), then fails a call the engine unwinds
 * with libunwind: the engine never opens the FIFO. */
Test(trace_safety, fifo_in_place_of_deleted_exe_does_not_hang, .timeout = 300)
{
	char *dir = tt_tmpdir("fifoexe"), ring[512], prog[512];
	struct tt_ring r;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(prog, sizeof(prog), "%s/prog", dir);
	tt_sh("cp %s %s", tt_build("tests/trace/tp-safety"), prog);
	char *argv[] = { prog, "fifoexe", NULL };
	int st = ts_trace(ring, dir, argv);

	cr_assert(st >= 0, "goshimctl run hung");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_load(ring, &r);
	cr_assert(tt_find(&r, 0, EISDIR, NULL), "no EISDIR record");
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* A uid-1234 process execs a symbolic link to a script only root may read:
 * it gets EACCES, and the root engine's evidence says nothing of what the
 * script holds. */
Test(trace_safety, evidence_only_what_the_process_could_read, .timeout = 300)
{
	char *dir, ring[512], secret[512], link[512], prog[512], out[600];
	struct tt_ring r;

	ts_need_root("the process runs as uid 1234 under a root engine");
	if (access("/usr/bin/setpriv", X_OK) != 0) {
		cr_skip_test("no setpriv(1)");
	}
	dir = tt_tmpdir("deputy");
	cr_assert(chmod(dir, 0755) == 0);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(prog, sizeof(prog), "%s/tp-safety", dir);
	tt_sh("printf '#!/SECRET-TOKEN-goshim\\n' > %s && chmod 0600 %s && ln -s %s %s && "
	      "cp %s %s && chmod 0755 %s",
	      secret, secret, secret, link, tt_build("tests/trace/tp-safety"), prog, prog);
	/* and a script it may read, whose interpreter is missing: read */
	char open_script[600], script[2400];

	snprintf(open_script, sizeof(open_script), "%s/readable", dir);
	tt_sh("printf '#!/nonexistent-goshim-interp\\n' > %s && chmod 0755 %s", open_script,
	      open_script);
	snprintf(script, sizeof(script), "%s exec %s 13 && %s exec %s 2", prog, link, prog,
		 open_script);
	char *argv[] = { "/usr/bin/setpriv", "--reuid=1234", "--regid=1234", "--clear-groups",
			 "/bin/sh", "-c", script, NULL };
	int st = ts_trace(ring, dir, argv);

	cr_assert(st >= 0, "goshimctl run hung");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the exec did not fail with EACCES: %#x",
		  st);
	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_execve, EACCES, "link");

	if (!e) {
		tt_dump(&r);
	}
	cr_assert(e, "no execve EACCES record");
	for (size_t i = 0; i < r.n; i++) {
		cr_assert(!strstr(r.recs[i].interp, "SECRET"), "the ring holds %s",
			  r.recs[i].interp);
	}
	cr_assert(e->elf_kind != 2, "the script was read (elf kind %u)", e->elf_kind);
	e = tt_find(&r, GOSHIM_CALL_sys_execve, ENOENT, "readable");
	cr_assert(e, "no execve ENOENT record");
	cr_assert(e->elf_kind == 2 && strcmp(e->interp, "/nonexistent-goshim-interp") == 0,
		  "a script uid 1234 may read: kind %u, interpreter %s", e->elf_kind, e->interp);
	tt_free(&r);
	/* nor does anything decode shows */
	snprintf(out, sizeof(out), "%s/decoded", dir);
	tt_sh("%s decode %s > %s", tt_build("ctl/goshimctl"), ring, out);
	tt_sh("! grep -q SECRET %s", out);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* The sequence of Go's TestFindExecutableVsNoexec, each time in a new
 * process: mount a tmpfs, remount it noexec, fail an exec and X_OK checks
 * on it, unmount it at once.  The unmount never fails with EBUSY, and the
 * evidence of the failures was read before it (on the tmpfs, not on what
 * is left of the path once it is gone). */
Test(trace_safety, unmount_after_failures_is_never_busy, .timeout = 600)
{
	char *dir, ring[512], script[1024];
	struct tt_ring r;
	int n = 0, late = 0;

	ts_need_root("mounts a tmpfs");
	dir = tt_tmpdir("umount");
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(script, sizeof(script),
		 "busy=0; for i in $(seq 50); do %s umount 1 >/dev/null; "
		 "case $? in 0) ;; 1) busy=$((busy+1));; *) exit 2;; esac; done; "
		 "echo \"EBUSY $busy of 50\"; [ $busy = 0 ]",
		 tt_build("tests/trace/tp-safety"));
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	int st = ts_trace(ring, dir, argv);

	cr_assert(st >= 0, "goshimctl run hung");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		cr_skip_test("cannot mount a tmpfs here");
	}
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "an unmount failed with EBUSY: %#x",
		  st);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *e = &r.recs[i];

		if (e->type != GOSHIM_REC_EVENT || e->call != GOSHIM_CALL_sys_faccessat2 ||
		    e->err != EACCES || !strstr(e->path, "goshim-um-")) {
			continue;
		}
		n++;
		late += !e->has_statfs || !(e->statfs_flags & ST_NOEXEC);
	}
	cr_assert(n >= 50, "%d faccessat2 records", n);
	cr_assert(late == 0, "%d of %d records read their evidence after the unmount", late, n);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}
