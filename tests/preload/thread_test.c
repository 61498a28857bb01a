// SPDX-License-Identifier: Apache-2.0
/*
 * pthread_create under libgoshim.so, for real: a child loads a seccomp
 * filter answering EPERM for clone3 and clone (an old container profile;
 * glibc >= 2.34 tries clone3 and falls back to clone only on ENOSYS), then
 * calls pthread_create.  It returns EPERM, and the preload must change
 * nothing: same return value, same errno afterwards (glibc's failed clone3
 * leaves errno set to EPERM, the wrapper must keep exactly that), and the
 * ring holds one pthread_create event with err EPERM.  A working pthread_create is untouched, through
 * the default symbol version and through the GLIBC_2.2.5 compat one.
 *
 * The child is this program itself, re-executed with TT_CHILD=<mode>: a
 * constructor runs the mode before Criterion's main.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls.h"
#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"
#include "tl_seccomp.h"

#define TT_ERRNO_SENTINEL 4242

/* The same function, bound to the version programs linked before glibc
 * 2.34 (libpthread's) use. */
int tt_create_compat(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
__asm__(".symver tt_create_compat, pthread_create@GLIBC_2.2.5");

static int tt_token;

static void *tt_thread(void *arg)
{
	return arg;
}

static void tt_deny_clone(void)
{
	const struct tl_rule deny[] = { TL_EPERM(clone3), TL_EPERM(clone) };

	if (tl_seccomp_load(deny, 2, 0) < 0) {
		printf("filter failed\n");
		exit(FL_SKIP);
	}
}

/* Child: "deny", "ok" or "compat".  Prints "ret=R errno=E joined=J". */
__attribute__((constructor)) static void tt_child(void)
{
	const char *mode = getenv("TT_CHILD");
	pthread_t t;
	void *res = NULL;
	int r, e, joined = 0;

	if (!mode) {
		return;
	}
	if (strcmp(mode, "deny") == 0) {
		tt_deny_clone();
	}
	errno = TT_ERRNO_SENTINEL;
	if (strcmp(mode, "compat") == 0) {
		r = tt_create_compat(&t, NULL, tt_thread, &tt_token);
	} else {
		r = pthread_create(&t, NULL, tt_thread, &tt_token);
	}
	e = errno;
	if (r == 0) {
		joined = pthread_join(t, &res) == 0 && res == &tt_token;
	}
	printf("ret=%d errno=%d joined=%d\n", r, e, joined);
	fflush(stdout);
	_exit(0);
}

struct tt_run {
	char dir[64];
	char ring[128];
	char out[256];
	int status;
};

/* Run this program as child `mode`, preloaded or not. */
static void tt_run(struct tt_run *run, const char *mode, int preload)
{
	int p[2];
	pid_t pid;
	ssize_t n;

	snprintf(run->dir, sizeof(run->dir), "/tmp/gs-thread-XXXXXX");
	cr_assert(mkdtemp(run->dir), "mkdtemp: %s", strerror(errno));
	snprintf(run->ring, sizeof(run->ring), "%s/r.ring", run->dir);
	cr_assert(pipe(p) == 0);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		setenv("TT_CHILD", mode, 1);
		unsetenv("LD_PRELOAD");
		if (preload) {
			setenv("LD_PRELOAD", fl_preload(), 1);
			setenv("GOSHIM_RING", run->ring, 1);
			/* a C program: no hand-over to the trace engine */
			setenv("GOSHIM_HANDOVER", "0", 1);
		}
		execl("/proc/self/exe", "thread_test", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], run->out, sizeof(run->out) - 1);
	run->out[n > 0 ? n : 0] = 0;
	close(p[0]);
	cr_assert(waitpid(pid, &run->status, 0) == pid);
	if (WIFEXITED(run->status) && WEXITSTATUS(run->status) == FL_SKIP) {
		cr_skip_test("cannot load a seccomp filter: %s", run->out);
	}
	cr_assert(WIFEXITED(run->status) && WEXITSTATUS(run->status) == 0,
		  "child %s (preload %d) ended with %#x: %s", mode, preload, run->status, run->out);
}

static void tt_done(struct tt_run *run)
{
	unlink(run->ring);
	rmdir(run->dir);
}

static struct fl_rec tt_recs[64];

/* pthread_create events in the run's ring. */
static size_t tt_events(const struct tt_run *run, int *err)
{
	uint32_t id = gs_call_by_name("pthread_create", 'L')->id;
	size_t n = fl_ring_records(run->ring, tt_recs, 64, NULL, NULL), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (tt_recs[i].type == GOSHIM_REC_EVENT && tt_recs[i].call == id) {
			*err = tt_recs[i].has_err ? tt_recs[i].err : -1;
			k += tt_recs[i].count;
		}
	}
	return k;
}

Test(thread, denied_clone3_is_recorded_and_unchanged, .timeout = 60)
{
	struct tt_run without, with;
	char want[64];
	int err = 0;

	snprintf(want, sizeof(want), "ret=%d ", EPERM);
	tt_run(&without, "deny", 0);
	cr_assert(strncmp(without.out, want, strlen(want)) == 0 && strstr(without.out, "joined=0"),
		  "without the preload: %s", without.out);
	tt_run(&with, "deny", 1);
	cr_expect_str_eq(with.out, without.out, "return value and errno differ with the preload");
	cr_expect_eq(tt_events(&with, &err), 1, "one pthread_create event");
	cr_expect_eq(err, EPERM, "recorded err %d", err);
	tt_done(&without);
	tt_done(&with);
}

static void tt_works(const char *mode)
{
	struct tt_run with;
	int err = 0;

	tt_run(&with, mode, 1);
	cr_expect_str_eq(with.out, "ret=0 errno=4242 joined=1\n", "%s: %s", mode, with.out);
	/* nothing failed at all: the ring is not even created (lazy set-up) */
	cr_expect_eq(access(with.ring, F_OK) == 0 ? tt_events(&with, &err) : 0, 0,
		     "a working call is not recorded");
	tt_done(&with);
}

Test(thread, working_default_version_untouched, .timeout = 60)
{
	tt_works("ok");
}

Test(thread, working_compat_version_untouched, .timeout = 60)
{
	tt_works("compat");
}
