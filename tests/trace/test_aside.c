/* SPDX-License-Identifier: Apache-2.0 */
/* When the engine cannot start (too few descriptors for it), goshim steps
 * aside: the command runs, untraced, exactly as it would bare, and
 * goshimctl says once why nothing is recorded. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl_suite.h"
#include "tt.h"

static char dir[256];
TL_SUITE_TMPDIR(trace_aside, dir);

/* [goshimctl run --] sh -c "ls /proc/self/fd; exit 3" with RLIMIT_NOFILE
 * nofile, descriptors 0-2 only (a job's, not the test runner's), its
 * stdout and stderr in files; the wait status */
static int aside_run(int nofile, int traced, const char *out, const char *err)
{
	char ring[512];
	char *bare[] = { "/bin/sh", "-c", "ls /proc/self/fd; exit 3", NULL };
	char *run[] = { (char *)tt_build("ctl/goshimctl"), "run", "--ring", ring, "--",
			"/bin/sh", "-c", "ls /proc/self/fd; exit 3", NULL };
	struct rlimit rl = { (rlim_t)nofile, (rlim_t)nofile };
	int st;
	pid_t pid;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) {
			_exit(100);
		}
		syscall(SYS_close_range, 3, ~0u, 0);
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			_exit(101);
		}
		execv(traced ? run[0] : bare[0], traced ? run : bare);
		_exit(102);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static char *aside_slurp(const char *path)
{
	static char buf[3][8192];
	static int k;
	FILE *f = fopen(path, "r");
	size_t n = 0;
	char *b = buf[k++ % 3];

	if (f) {
		n = fread(b, 1, sizeof(buf[0]) - 1, f);
		fclose(f);
	}
	b[n] = 0;
	return b;
}

static size_t aside_count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
		n++;
	}
	return n;
}

/* ulimit -n 5 (no room for the engine's socket pair) up to the limit
 * below which the engine cannot receive the listener: the command runs
 * with its own status and the fds a bare run has; one line says why. */
Test(trace_aside, too_few_descriptors)
{
	char bo[512], be[512], to[512], te[512];
	const int limits[] = { 5, 6, 8, 10 };

	snprintf(bo, sizeof(bo), "%s/bare.out", dir);
	snprintf(be, sizeof(be), "%s/bare.err", dir);
	snprintf(to, sizeof(to), "%s/run.out", dir);
	snprintf(te, sizeof(te), "%s/run.err", dir);
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		int n = limits[i], b = aside_run(n, 0, bo, be), t = aside_run(n, 1, to, te);
		const char *err = aside_slurp(te);

		cr_assert(WIFEXITED(b) && WEXITSTATUS(b) == 3, "bare, ulimit -n %d: %#x", n, b);
		cr_assert(WIFEXITED(t) && WEXITSTATUS(t) == 3,
			  "ulimit -n %d: status %#x, stderr: %s", n, t, err);
		cr_assert_str_eq(aside_slurp(to), aside_slurp(bo), "ulimit -n %d: fds differ", n);
		cr_assert_eq(aside_count(err, "untraced, nothing is recorded"), 1,
			     "ulimit -n %d: said once why: %s", n, err);
		cr_assert_eq(aside_count(err, "\n"), 1, "ulimit -n %d: one line: %s", n, err);
	}
}

/* With enough descriptors for the engine, the same command is traced. */
Test(trace_aside, enough_descriptors_traced)
{
	char to[512], te[512];

	snprintf(to, sizeof(to), "%s/run.out", dir);
	snprintf(te, sizeof(te), "%s/run.err", dir);
	int t = aside_run(64, 1, to, te);

	cr_assert(WIFEXITED(t) && WEXITSTATUS(t) == 3, "status %#x", t);
	cr_assert_str_eq(aside_slurp(te), "", "nothing said: %s", aside_slurp(te));
}
