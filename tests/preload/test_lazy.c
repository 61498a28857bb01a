// SPDX-License-Identifier: Apache-2.0
/*
 * The lazy set-up: a program under libgoshim.so that fails nothing holds
 * no ring (no file created, nothing mapped), none of the recorder's
 * tables, the descriptors of the bare program, and has never tried the
 * frame walker; a real function is looked up at its first call; its first failure is
 * still recorded whole (backtrace and modules) wherever it happens: an
 * ordinary call, a vfork child before its exec, a signal handler.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "harness.h"

TestSuite(lazy, .fini = fl_cleanup);

#define LZ_MAX 64
/* Anonymous memory libgoshim.so may have at start (a .bss beyond the
 * file's last page, an mmap of ld.so's): none.  The recorder's state and
 * the hand-over helper's path are zeros in the file (.gs_large), the
 * recorder's tables (~150 KiB) are mapped at the first failure. */
#define LZ_BSS_MAX 0

static struct tl_rec lz_recs[LZ_MAX];

/* The "lazy WHEN ring-mapped=M fds=N" line of a run's stderr. */
static void lz_state(const struct fl_run *run, const char *when, int *mapped, int *fds)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "lazy %s ", when);
	p = strstr(run->err, key);
	cr_assert_not_null(p, "no \"%s\" line in: %s", key, run->err);
	cr_assert_eq(sscanf(p + strlen(key), "ring-mapped=%d fds=%d", mapped, fds), 2,
		     "%s", p);
}

Test(lazy, no_failure_no_ring)
{
	static const char *const debug[] = { "GOSHIM_DEBUG=1", NULL };
	struct fl_run bare, with;
	int m0, f0, m1, f1;
	struct stat st;

	fl_run(&bare, "lazy_none", NULL, NULL);
	fl_run(&with, "lazy_none", fl_preload(), debug);
	cr_assert_eq(with.status, bare.status);
	lz_state(&bare, "end", &m0, &f0);
	lz_state(&with, "end", &m1, &f1);
	cr_expect_eq(m1, 0, "the ring is mapped in a process that failed nothing");
	cr_expect_eq(f1, f0, "descriptors: %d under the preload, %d bare", f1, f0);
	cr_expect_eq(stat(with.ring, &st), -1, "the ring %s was created", with.ring);
	cr_expect_null(strstr(with.err, "recording to"), "attached: %s", with.err);
	cr_expect_null(strstr(with.err, "backtrace:"), "frame walker tried: %s", with.err);
	/* the recorder's tables are mapped at the first failure, and ld.so
	 * maps no .bss beyond the file for the state a start writes into */
	const char *p = strstr(with.err, "lazy end ");
	long anon = -1;
	cr_assert(p && (p = strstr(p, "lib-anon=")) && sscanf(p, "lib-anon=%ld", &anon) == 1,
		  "%s", with.err);
	cr_expect_leq(anon, LZ_BSS_MAX, "%ld bytes of .bss mapped for libgoshim.so at start",
		      anon);
	fl_run_done(&bare);
	fl_run_done(&with);
}

/* The EVENT whose path ends with tail (exactly one), its backtrace whole. */
static const struct tl_rec *lz_event(const struct fl_run *run, const char *tail)
{
	size_t n = fl_ring_records(run->ring, lz_recs, LZ_MAX, NULL, NULL);
	const struct tl_rec *found = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct tl_rec *r = &lz_recs[i];
		size_t pl = strlen(r->path), tl = strlen(tail);

		if (r->type == GOSHIM_REC_EVENT && pl >= tl && !strcmp(r->path + pl - tl, tail)) {
			cr_assert_null(found, "%s recorded twice", tail);
			found = r;
		}
	}
	cr_assert_not_null(found, "%s: not recorded (%zu records)", tail, n);
	cr_expect(found->has_err && found->err == ENOENT, "%s: errno %d", tail, found->err);
	cr_expect_geq(found->nframes, 2, "%s: %u frames", tail, found->nframes);
	cr_expect_geq(found->nmodules, 1, "%s: no module", tail);
	cr_expect(strstr(found->modules, "failer") != NULL, "%s: modules %s", tail,
		  found->modules);
	return found;
}

/* Run scenario with the preload: not attached before, attached after. */
static void lz_run(struct fl_run *run, const char *scenario)
{
	int m, f0, f1;

	fl_run(run, scenario, fl_preload(), NULL);
	cr_assert(WIFEXITED(run->status) && WEXITSTATUS(run->status) == 0,
		  "%s: status %#x: %s", scenario, run->status, run->err);
	lz_state(run, "before", &m, &f0);
	cr_expect_eq(m, 0, "%s: ring mapped before the first failure", scenario);
	lz_state(run, "after", &m, &f1);
	cr_expect_eq(m, 1, "%s: ring not mapped after the first failure", scenario);
	cr_expect_eq(f1, f0, "%s: descriptors %d after, %d before", scenario, f1, f0);
}

Test(lazy, first_failure_an_ordinary_call)
{
	struct fl_run run;

	lz_run(&run, "lazy_call");
	lz_event(&run, "/nonexistent");
	fl_run_done(&run);
}

Test(lazy, first_failure_in_a_vfork_child)
{
	struct fl_run run;

	lz_run(&run, "lazy_vfork");
	const struct tl_rec *child = lz_event(&run, "nonexistent-in-vfork-child");
	uint32_t child_pid = child->pid;
	const struct tl_rec *parent = lz_event(&run, "/nonexistent");
	cr_expect_neq(parent->pid, child_pid, "the child's record has the child's pid");
	fl_run_done(&run);
}

Test(lazy, first_failure_in_a_signal_handler)
{
	struct fl_run run;

	lz_run(&run, "lazy_signal");
	lz_event(&run, "nonexistent-in-handler");
	fl_run_done(&run);
}

/* The offset of gs_real (the real functions' table) in libgoshim.so,
 * from its symbol table, as "FL_GS_REAL=HEX" into buf. */
static void lz_gs_real(char *buf, size_t len)
{
	char cmd[1200], line[256], addr[32] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm %s", fl_preload());
	p = popen(cmd, "r");
	cr_assert_not_null(p, "%s", cmd);
	while (fgets(line, sizeof(line), p)) {
		char a[32], type[4], name[64];

		if (sscanf(line, "%31s %3s %63s", a, type, name) == 3 &&
		    strcmp(name, "gs_real") == 0) {
			snprintf(addr, sizeof(addr), "%s", a);
		}
	}
	cr_assert_eq(pclose(p), 0, "%s", cmd);
	cr_assert(addr[0], "no gs_real in %s's symbol table", fl_preload());
	snprintf(buf, len, "FL_GS_REAL=%s", addr);
}

/* The start resolves no real function: each is looked up at its first
 * call, wherever that is (an ordinary call, a signal handler, a vfork
 * child), and gets libc's; before a fork the parent resolves the rest. */
Test(lazy, real_functions_resolved_at_their_first_call)
{
	char env[64];
	const char *envp[] = { env, NULL };
	struct fl_run run;

	lz_gs_real(env, sizeof(env));
	fl_run(&run, "lazy_resolve", fl_preload(), envp);
	cr_assert(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0, "status %#x: %s",
		  run.status, run.err);
	cr_expect_not_null(strstr(run.err, "resolve before euidaccess=libgoshim.so "
					   "eaccess=libgoshim.so faccessat=libgoshim.so\n"),
			   "resolved at start: %s", run.err);
	cr_expect_not_null(strstr(run.err, "resolve after euidaccess=libc.so.6 "
					   "eaccess=libc.so.6 faccessat=libc.so.6\n"),
			   "not libc's after the first call: %s", run.err);
	/* a fork child inherits them resolved: it writes none of its own */
	cr_expect_not_null(strstr(run.err, "resolve fork-child mkdirat=libc.so.6\n"),
			   "not resolved before the fork: %s", run.err);
	fl_run_done(&run);
}

/* With no GOSHIM_RING, the default ring's place (common/ringhome.h: a
 * directory it may create) is looked up at the first failure too: a
 * program that fails nothing makes no call about it, under any uid. */
Test(lazy, no_failure_no_default_ring_lookup)
{
	char dir[] = "/tmp/gs-lazy-home.XXXXXX", trace[300], cmd[1024], line[1024];
	FILE *f;
	int seen = 0, lookups = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(trace, sizeof(trace), "%s/strace.out", dir);
	/* strace itself runs bare: -E gives the preload to the traced program only */
	snprintf(cmd, sizeof(cmd),
		 "env -u GOSHIM_RING -u XDG_RUNTIME_DIR HOME=%s strace -f -qq -o %s "
		 "-e trace=%%file -E LD_PRELOAD=%s /bin/true",
		 dir, trace, fl_preload());
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	f = fopen(trace, "r");
	cr_assert_not_null(f, "%s", trace);
	while (fgets(line, sizeof(line), f)) {
		seen++;
		if (strstr(line, "goshim-") || strstr(line, "goshim.ring") ||
		    strstr(line, "/.cache/")) {
			lookups++;
			cr_log_error("default ring looked up at start: %s", line);
		}
	}
	fclose(f);
	cr_expect_gt(seen, 0, "strace saw no file call at all");
	cr_expect_eq(lookups, 0, "%d calls about the default ring in a run that failed nothing",
		     lookups);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}
