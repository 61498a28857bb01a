/* SPDX-License-Identifier: Apache-2.0 */
/* A program under goshimctl run behaves as it does bare: exit codes, death
 * by signal, stdin, job control, forwarded signals; and when ptrace is
 * refused it still runs, untraced, with a NOTE saying so. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_trace.h"
#include "tt.h"

static char ring[512];
static char *dir;

static void setup(void)
{
	dir = tt_tmpdir("transp");
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
}

static void teardown(void)
{
	tt_sh("rm -rf %s", dir);
	free(dir);
}

TestSuite(trace_transparency, .init = setup, .fini = teardown);

static void same_status(const char *prog, const char *how)
{
	char *argv[] = { (char *)tt_build(prog), "fail", (char *)how, NULL };
	int bare = tt_bare(argv, NULL);
	int traced = tt_trace(ring, argv, NULL);

	cr_assert_eq(traced, bare, "%s %s: traced status %#x, bare %#x", prog, how,
		     traced, bare);
}

Test(trace_transparency, exit_codes)
{
	const char *progs[] = { "tests/trace/tp-fail", "tests/trace/tp-fail-static",
				"tests/trace/tp-fail-i386" };
	const char *hows[] = { "0", "3", "segv", "kill" };

	for (size_t p = 0; p < 3; p++) {
		for (size_t h = 0; h < 4; h++) {
			same_status(progs[p], hows[h]);
		}
	}
	/* the signal cases really died of the signal */
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail"), "fail", "segv", NULL };
	int st = tt_trace(ring, argv, NULL);

	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* a command that does not exist: 127, like a shell */
	char *none[] = { "/nonexistent/prog", NULL };

	st = tt_trace(ring, none, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 127, "status %#x", st);
}

Test(trace_transparency, stdin_stdout)
{
	char out[512];
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "printf 'hello\\nworld\\n' | %s run --ring %s -- %s cat > %s/out",
		 tt_build("ctl/goshimctl"), ring, tt_build("tests/trace/tp-fail"), dir);
	tt_sh("%s", cmd);
	snprintf(out, sizeof(out), "%s/out", dir);
	FILE *f = fopen(out, "r");
	char buf[64] = "";

	cr_assert(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);

	fclose(f);
	buf[n] = 0;
	cr_assert_str_eq(buf, "hello\nworld\n");
}

static void stop_and_continue(int stopsig)
{
	char file[600];

	snprintf(file, sizeof(file), "%s/tick", dir);
	tl_tick_stop_continue(ring, tt_build("tests/trace/tp-fail"), file, 60, stopsig, 300,
			      100000);
}

Test(trace_transparency, sigstop_sigcont)
{
	stop_and_continue(SIGSTOP);
}

Test(trace_transparency, sigtstp_sigcont)
{
	stop_and_continue(SIGTSTP);
}

/* SIGTERM sent to goshimctl run reaches the program; goshimctl then
 * dies of SIGTERM itself, as the program did. */
Test(trace_transparency, forwards_sigterm)
{
	char file[600];
	int pid = 0, st;

	snprintf(file, sizeof(file), "%s/tick", dir);
	pid_t drv = tl_tick_start(ring, tt_build("tests/trace/tp-fail"), file, "1000", 0);

	for (int i = 0; i < 300 && tl_tick_read(file, &pid) < 3; i++) {
		usleep(10000);
	}
	cr_assert(pid > 0);
	kill(drv, SIGTERM);
	cr_assert(waitpid(drv, &st, 0) == drv);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status %#x", st);
	cr_assert(kill(pid, 0) < 0, "the program outlived the tracer");
}

/* goshimctl run inside goshimctl run: a filter chain has one listener,
 * the outer engine's.  The inner run says so in its ring and runs the
 * program, whose failures the outer engine records; the program's status
 * comes through both. */
Test(trace_transparency, nested_run_leaves_the_tree_to_the_outer_engine)
{
	char inner[600];
	struct tt_ring r;
	int st, found = 0;

	snprintf(inner, sizeof(inner), "%s/inner.ring", dir);
	char *argv[] = { (char *)tt_build("ctl/goshimctl"), "run", "--ring", inner, "--",
			 (char *)tt_build("tests/trace/tp-fail"), "fail", "3", NULL };

	st = tt_trace(ring, argv, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	tt_load(inner, &r);
	for (size_t i = 0; i < r.n; i++) {
		found |= r.recs[i].type == GOSHIM_REC_NOTE &&
			 strstr(r.recs[i].note, "already-supervised") != NULL;
	}
	cr_assert(found, "no already-supervised NOTE in the inner ring");
	cr_assert_eq(tt_count(&r, GOSHIM_REC_EVENT), 0);
	tt_free(&r);
	tt_load(ring, &r);
	cr_assert(tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing"),
		  "the outer engine did not record the program's failure");
	cr_assert(tt_find(&r, GOSHIM_CALL_sys_execve, EACCES, "/etc/passwd"),
		  "the outer engine did not follow the program's execve");
	tt_free(&r);
}

/* ptrace refused: the whole tree is already traced (by strace -f), so no
 * call can be followed to its result.  The program runs with its status;
 * a NOTE says what is not recorded; failures answered at their
 * notification (a missing file) are still recorded. */
Test(trace_transparency, ptrace_refused_still_answers_lookups)
{
	struct tt_ring r;
	char cmd[2048];
	int st;

	if (system("strace -V >/dev/null 2>&1") != 0) {
		cr_skip_test("strace is not installed (.ci/install-deps installs it)");
	}
	snprintf(cmd, sizeof(cmd), "cd %s && strace -f -qq -o /dev/null %s run --ring %s -- %s "
		 "fail 3", dir, tt_build("ctl/goshimctl"), ring, tt_build("tests/trace/tp-fail"));
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	tt_load(ring, &r);
	int found = 0;

	for (size_t i = 0; i < r.n; i++) {
		found |= r.recs[i].type == GOSHIM_REC_NOTE &&
			 strstr(r.recs[i].note, "ptrace-refused") != NULL;
	}
	if (!found) {
		tt_dump(&r);
	}
	cr_assert(found, "no ptrace-refused NOTE");
	cr_assert(tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing"),
		  "a missing file needs no ptrace to be recorded");
	tt_free(&r);
}

/* As an unprivileged user (no_new_privs is then set for the filter): the
 * program is traced and its status returned. */
Test(trace_transparency, unprivileged)
{
	struct tt_ring r;
	char cmd[2048];
	int rc;

	if (geteuid() != 0) {
		cr_skip_test("needs root to switch to an unprivileged uid");
	}
	tt_sh("chmod 0777 %s", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "%s run --ring %s -- %s fail 3", dir, tt_build("ctl/goshimctl"), ring,
		 tt_build("tests/trace/tp-fail-static"));
	rc = system(cmd);
	cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 3, "status %#x", rc);
	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_execve, EACCES, "/etc/passwd");

	cr_assert(e, "not traced as uid 65534");
	cr_assert(e->has_cred);
	tt_free(&r);
}

/* The se.slice of /proc/PID/sched (ns), -1 when it cannot be read. */
static long sched_slice(const char *pid)
{
	char p[64], *text, *s;
	long v = -1;

	snprintf(p, sizeof(p), "/proc/%s/sched", pid);
	FILE *f = fopen(p, "r");

	if (!f) {
		return -1;
	}
	text = calloc(1, 65536);
	cr_assert(text);
	fread(text, 1, 65535, f);
	fclose(f);
	s = strstr(text, "se.slice");
	if (s && (s = strchr(s, ':'))) {
		v = atol(s + 1);
	}
	free(text);
	return v;
}

/* The engine asks for a short time slice (EEVDF, Linux 6.12): a thread
 * waiting for its answer waits less behind other tasks.  The command's
 * own scheduling is left as it was. */
Test(trace_transparency, engine_short_slice_command_untouched)
{
	char out[600], cmd[2400];
	long own = sched_slice("self");

	if (own < 0) {
		cr_skip_test("no se.slice in /proc/self/sched (CONFIG_SCHED_DEBUG)");
	}
	if (own <= 100000) {
		cr_skip_test("the default slice (%ld ns) is not above the engine's", own);
	}
	snprintf(out, sizeof(out), "%s/slices", dir);
	snprintf(cmd, sizeof(cmd),
		 "%s run --ring %s -- sh -c 'grep se.slice /proc/$PPID/sched /proc/$$/sched' >%s",
		 tt_build("ctl/goshimctl"), ring, out);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	char *text = NULL;
	size_t cap = 0;
	FILE *f = fopen(out, "r");
	long engine = -1, command = -1;

	cr_assert(f);
	while (getline(&text, &cap, f) > 0) {
		const char *c = strrchr(text, ':');
		long v = c ? atol(c + 1) : -1;

		if (engine < 0) {
			engine = v;
		} else {
			command = v;
		}
	}
	free(text);
	fclose(f);
	cr_expect_eq(engine, 100000, "the engine's slice: %ld ns", engine);
	cr_expect_eq(command, own, "the command's slice: %ld ns, not %ld", command, own);
}
