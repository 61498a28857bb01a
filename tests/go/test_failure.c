/* SPDX-License-Identifier: Apache-2.0 */
/* The failure modes of the engine and the hand-over, for real: ptrace not
 * permitted (already traced; a sandbox that forbids it), no helper, the
 * engine killed, ptrace inside the tree, a setuid program. */
#include <criterion/criterion.h>
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "gt.h"
#include "tl_trace.h"
#include "tl_seccomp.h"

static char *dir;
static char ring[600];

static void setup(void)
{
	gt_need(GT_GO_DEBIAN);
	dir = gt_workdir("go-fail");
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	setenv("GOSHIM_RING", ring, 1);
}

static void teardown(void)
{
	tt_sh("rm -rf %s", dir);
	free(dir);
}

TestSuite(go_failure, .init = setup, .fini = teardown, .timeout = 120);

/* The NOTE containing sub, or NULL. */
static const struct tt_rec *find_note(const struct tt_ring *r, const char *sub)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->recs[i].type == GOSHIM_REC_NOTE && strstr(r->recs[i].note, sub)) {
			return &r->recs[i];
		}
	}
	return NULL;
}

/* Run sh -c cmd with output to <dir>/out.txt; the shell's status. */
static int sh(const char *fmt, const char *a, const char *b)
{
	char cmd[4096], inner[3000];

	snprintf(inner, sizeof(inner), fmt, a, b);
	snprintf(cmd, sizeof(cmd), "%s > %s/out.txt 2>&1", inner, dir);
	return system(cmd);
}

static char *out_text(void)
{
	char p[700];

	snprintf(p, sizeof(p), "%s/out.txt", dir);
	return gt_slurp(p);
}

static void expect_note(const char *sub)
{
	struct tt_ring r;

	tt_load(ring, &r);
	const struct tt_rec *n = find_note(&r, sub);

	if (!n) {
		tt_dump(&r);
	}
	cr_assert(n, "no NOTE '%s' in the ring", sub);
	tt_free(&r);
}

/* Already traced (strace -f above it): the hand-over needs no ptrace and
 * happens; calls that must be followed (the execve) cannot be, a NOTE
 * says so, and a missing file is still recorded.  The status is the
 * program's. */
Test(go_failure, already_traced_records_what_needs_no_ptrace)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "strace -f -qq -o /dev/null env LD_PRELOAD=%%s sh -c "
		 "\"cd %s && %s/tests/trace/tp-fail-static fail 3\"%%s", dir,
		 getenv("GOSHIM_BUILD_ROOT"));
	int st = sh(cmd, getenv("GOSHIM_PRELOAD"), "");
	char *o = out_text();
	struct tt_ring r;

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x: %s", st, o);
	free(o);
	expect_note("ptrace-refused: PTRACE_SEIZE");
	tt_load(ring, &r);
	cr_assert(tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing"),
		  "a missing file needs no ptrace to be recorded");
	tt_free(&r);
}

/* A sandbox whose seccomp policy forbids ptrace (the helper inherits it):
 * follows fail with EPERM, a NOTE says so; the programs run normally and
 * the static program's status comes through. */
Test(go_failure, sandbox_forbids_ptrace)
{
	pid_t pid = fork();
	int st;

	cr_assert(pid >= 0);
	if (pid == 0) {
		const struct tl_rule deny[] = { TL_EPERM(ptrace) };

		if (tl_seccomp_load(deny, 1, 0) < 0) {
			_exit(200);
		}
		execl("/bin/sh", "sh", "-c", "LD_PRELOAD=$GOSHIM_PRELOAD "
		      GT_GO_DEBIAN " version && LD_PRELOAD=$GOSHIM_PRELOAD "
		      "sh -c \"$GOSHIM_BUILD_ROOT/tests/trace/tp-fail-static fail 3\"",
		      (char *)NULL);
		_exit(201);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	/* the static program's own exit status came through */
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	expect_note("ptrace-refused: PTRACE_SEIZE");
}

/* No goshimctl to be found: NOTE, and go runs normally. */
Test(go_failure, no_helper)
{
	int st = sh("GOSHIMCTL=/nonexistent/goshimctl LD_PRELOAD=%s %s version",
		    getenv("GOSHIM_PRELOAD"), GT_GO_DEBIAN);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	expect_note("trace hand-over failed: goshimctl not found");
	/* a "goshimctl" that exits at once: the program must not get SIGPIPE */
	for (int i = 0; i < 3; i++) {
		st = sh("GOSHIMCTL=/bin/false LD_PRELOAD=%s %s version",
			getenv("GOSHIM_PRELOAD"), GT_GO_DEBIAN);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	}
	expect_note("trace hand-over failed: no answer from the helper");
}

static int tick_count(const char *file)
{
	FILE *f = fopen(file, "r");
	int pid, c = -1;

	if (f) {
		if (fscanf(f, "%d %d", &pid, &c) != 2) {
			c = -1;
		}
		fclose(f);
	}
	return c;
}

static void wait_ticks(const char *file, int n)
{
	for (int i = 0; i < 500 && tick_count(file) < n; i++) {
		usleep(10000);
	}
	cr_assert_geq(tick_count(file), n, "the program never ticked");
}

#define TICKS 150 /* 10 ms apart: 1.5 s */

/* The program ticked to the end: every fopen/rename of the tick loop,
 * a watched openat among them, kept working (with no answer to it, it
 * would wait, or fail with ENOSYS and the loop stop). */
static void ticks_to_the_end(const char *file)
{
	for (int i = 0; i < 1000 && tick_count(file) < TICKS; i++) {
		usleep(10000);
	}
	cr_assert_eq(tick_count(file), TICKS, "the program stopped ticking at %d",
		     tick_count(file));
}

/* kill -9 of goshimctl run: the keeper answers for it; the program runs
 * on to its end as if goshim had never been there. */
Test(go_failure, engine_killed_run)
{
	char file[700], n[16];
	pid_t drv;
	int st;

	snprintf(file, sizeof(file), "%s/tick", dir);
	snprintf(n, sizeof(n), "%d", TICKS);
	drv = tl_tick_start(ring, tt_build("tests/trace/tp-fail"), file, n, 0);
	wait_ticks(file, 3);
	cr_assert(kill(drv, SIGKILL) == 0);
	cr_assert(waitpid(drv, &st, 0) == drv);
	ticks_to_the_end(file);
}

/* The pid of the hand-over helper supervising pid, or 0. */
static pid_t helper_of(pid_t pid)
{
	char cmd[256], line[64] = "";

	snprintf(cmd, sizeof(cmd), "pgrep -f 'goshimctl run --attach %d '", (int)pid);
	FILE *f = popen(cmd, "r");

	if (!f) {
		return 0;
	}
	if (!fgets(line, sizeof(line), f)) {
		line[0] = 0;
	}
	pclose(f);
	return (pid_t)atoi(line);
}

/* kill -9 of the hand-over helper: the keeper answers for it; the
 * handed-over program (our child here: bash exec'd it) runs to its end
 * and exits 0. */
Test(go_failure, engine_killed_handover)
{
	char file[700], n[16];
	pid_t pid, helper = 0;
	int st;

	snprintf(file, sizeof(file), "%s/tick", dir);
	snprintf(n, sizeof(n), "%d", TICKS);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		setenv("LD_PRELOAD", getenv("GOSHIM_PRELOAD"), 1);
		execl("/bin/bash", "bash", "-c", "exec \"$0\" tick \"$1\" \"$2\"",
		      tt_build("tests/trace/tp-fail-static"), file, n, (char *)NULL);
		_exit(126);
	}
	wait_ticks(file, 3);
	for (int i = 0; i < 100 && !(helper = helper_of(pid)); i++) {
		usleep(10000);
	}
	cr_assert(helper > 0, "the static program was not handed over");
	cr_assert(kill(helper, SIGKILL) == 0);
	ticks_to_the_end(file);
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}

/* ptrace inside the tree: the engine does not trace the tree (it follows
 * single calls, then detaches), so a debugger or strace inside works. */
Test(go_failure, nested_ptrace_works)
{
	int st = sh("%s run --ring $GOSHIM_RING -- strace -f -o /dev/null %s",
		    tt_build("ctl/goshimctl"), "/bin/true");
	char *o = out_text();

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "strace failed inside: %s", o);
	free(o);
}

/* A setuid program run by a non-root user: bare it gets euid 0; traced
 * (no_new_privs, required for an unprivileged filter) it does not. */
Test(go_failure, setuid_without_privilege)
{
	char id[700], cmd[2048];

	snprintf(id, sizeof(id), "%s/id-suid", dir);
	tt_sh("chmod 0777 %s && cp /usr/bin/id %s && chown root:root %s && chmod 4755 %s",
	      dir, id, id, id);
	const char *as = "setpriv --reuid=65534 --regid=65534 --clear-groups";

	snprintf(cmd, sizeof(cmd), "%s %s -u", as, id);
	int st = sh("%s%s", cmd, "");
	char *o = out_text();

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_str_eq(o, "0\n", "the setuid copy does not work bare (nosuid /tmp?)");
	free(o);
	snprintf(cmd, sizeof(cmd), "%s %s run --ring %s/nobody.ring -- %s -u", as,
		 tt_build("ctl/goshimctl"), dir, id);
	st = sh("%s%s", cmd, "");
	o = out_text();
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", o);
	cr_assert_str_eq(o, "65534\n", "setuid took effect under no_new_privs");
	free(o);
}

/* The PATH masquerade inside a tree goshimctl already traces runs the real
 * go directly: no second tracer, no message, go's own output. */
Test(go_failure, masquerade_inside_traced_tree)
{
	char shims[700], link[800];

	snprintf(shims, sizeof(shims), "%s/shims", dir);
	snprintf(link, sizeof(link), "%s/go", shims);
	cr_assert(mkdir(shims, 0755) == 0);
	cr_assert(symlink(tt_build("ctl/goshimctl"), link) == 0);
	int st = sh("%s run --ring $GOSHIM_RING -- env PATH=%s:/usr/local/go/bin:/usr/bin:/bin "
		    "go version", tt_build("ctl/goshimctl"), shims);
	char *o = out_text();

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x: %s", st, o);
	/* exactly go's one line */
	cr_assert(strncmp(o, "go version go", 13) == 0, "output: %s", o);
	cr_assert(strchr(o, '\n') == o + strlen(o) - 1, "more than go's line: %s", o);
	free(o);
}

/* posix_spawnp of a static program by a process with the preload: handed
 * over first; the static program's raw failing calls are recorded once,
 * by the tracer, and its exit status comes through. */
/* gt-spawn under the preload spawning tp-fail-static, which fails its
 * calls and exits with status; the shell's status. */
static int spawn_static(const char *status)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd %s && PATH=%s:$PATH LD_PRELOAD=$GOSHIM_PRELOAD %s",
		 dir, tt_build("tests/trace"), tt_build("tests/go/gt-spawn"));
	return sh("%s tp-fail-static fail %s", cmd, status);
}

Test(go_failure, spawn_static_handed_over)
{
	int st = spawn_static("3");
	struct tt_ring r;
	unsigned n = 0;

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *x = &r.recs[i];

		if (x->type == GOSHIM_REC_EVENT && strstr(x->path, "nope/openat-missing")) {
			n += x->count ? x->count : 1;
			cr_assert(strstr(x->exe, "tp-fail-static"), "exe %s", x->exe);
		}
	}
	if (n != 1) {
		tt_dump(&r);
	}
	cr_assert_eq(n, 1, "the static program's openat failure recorded %u times", n);
	tt_free(&r);
}

/* The process handed over (here the preloaded spawner, under which the
 * engine traces the static program) has its exit recorded by the engine
 * whatever its status, 0 too (a preloaded parent records non-zero ones
 * only, and nothing records the top's): report reads a passed run from
 * that record. */
Test(go_failure, handed_over_exit_0_is_recorded)
{
	int st = spawn_static("0");
	struct tt_ring r;
	uint32_t host = 0;
	unsigned exits = 0;

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_EVENT &&
		    strstr(r.recs[i].path, "nope/openat-missing")) {
			host = r.recs[i].ppid;
		}
	}
	for (size_t i = 0; host && i < r.n; i++) {
		const struct tt_rec *x = &r.recs[i];
		exits += x->type == GOSHIM_REC_EXIT && x->child == host && x->has_status &&
			 x->status == 0;
	}
	if (exits != 1) {
		tt_dump(&r);
	}
	cr_assert(host, "the static program's failure is not in the ring");
	cr_assert_eq(exits, 1, "EXIT records with status 0 of pid %u: %u", host, exits);
	tt_free(&r);
}

/* A container policy that denies a watched call with an error hides it
 * from the tracer: the hand-over's helper, under the same policy, probes
 * and names it.  (The helper itself needs no call such a policy denies.) */
Test(go_failure, handover_probes_denied_calls)
{
	pid_t pid = fork();
	int st;

	cr_assert(pid >= 0);
	if (pid == 0) {
		const struct tl_rule deny[] = { TL_EPERM(memfd_create) };

		if (tl_seccomp_load(deny, 1, 0) < 0) {
			_exit(200);
		}
		setenv("LD_PRELOAD", getenv("GOSHIM_PRELOAD"), 1);
		execl(GT_GO_DEBIAN, "go", "version", (char *)NULL);
		_exit(201);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	struct tt_ring r;

	tt_load(ring, &r);
	cr_assert(!find_note(&r, "hand-over failed"), "the hand-over failed");
	const struct tt_rec *n = find_note(&r, "seccomp-denied:");

	if (!n) {
		tt_dump(&r);
	}
	cr_assert(n && strstr(n->note, "memfd_create=EPERM"), "%s", n ? n->note : "no probe");
	tt_free(&r);
}
