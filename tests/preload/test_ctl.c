// SPDX-License-Identifier: Apache-2.0
/*
 * End to end through the decoder: `goshimctl decode --json RING` (JSON
 * Lines) shows, for every wrapped entry point, the failed call with its
 * symbolic errno and path, evidence, and a backtrace whose frames name
 * failer's fail_<scenario> function (symbolised from the build id and the
 * debug info of failer).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "scenarios.h"

TestSuite(ctl, .fini = fl_cleanup);

static char ct_out[1 << 20];

/* Run goshimctl decode --json --type types ring into ct_out; assert it
 * succeeded. */
static void ct_decode_types(const char *ring, const char *types)
{
	const char *ctl = getenv("GOSHIMCTL");
	int p[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	cr_assert(ctl && *ctl, "GOSHIMCTL is not set");
	cr_assert(pipe(p) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		unsetenv("LD_PRELOAD");
		execl(ctl, "goshimctl", "decode", "--json", "--type", types, ring, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (n < sizeof(ct_out) - 1 &&
	       (r = read(p[0], ct_out + n, sizeof(ct_out) - 1 - n)) > 0) {
		n += (size_t)r;
	}
	ct_out[n] = '\0';
	close(p[0]);
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "goshimctl decode --json %s: status %#x", ring, st);
}

/* The failed calls of ring into ct_out. */
static void ct_decode(const char *ring)
{
	ct_decode_types(ring, "event");
}

static int ct_has_frame(json_t *rec, const char *fn)
{
	json_t *bt = json_object_get(rec, "backtrace"), *fr;
	size_t i;

	json_array_foreach(bt, i, fr) {
		const char *f = json_string_value(json_object_get(fr, "function"));

		if (f && strcmp(f, fn) == 0) {
			return 1;
		}
	}
	return 0;
}

static int ct_nonempty(json_t *v)
{
	return (json_is_object(v) && json_object_size(v) > 0) ||
	       (json_is_array(v) && json_array_size(v) > 0);
}

static void ct_check(const char *scen, const char *call, int err,
		     const char *path, const char *name)
{
	char fn[128];
	struct fl_run run;
	size_t found = 0;
	char *line, *save = NULL;

	snprintf(fn, sizeof(fn), "fail_%s", scen);
	fl_run(&run, scen, fl_preload(), NULL);
	fl_skip_if_needed(&run);
	ct_decode(run.ring);
	for (line = strtok_r(ct_out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *rec = json_loads(line, 0, &je);
		const char *sc, *en, *p;

		cr_assert(rec, "bad JSON line from goshimctl: %s (%s)", line, je.text);
		sc = json_string_value(json_object_get(rec, "syscall"));
		en = json_string_value(json_object_get(rec, "errno"));
		if (!sc || strcmp(sc, call) != 0) {
			json_decref(rec);
			continue;
		}
		found++;
		cr_expect(en && strcmp(en, strerrorname_np(err)) == 0,
			  "%s: errno %s, want %s", scen, en ? en : "(none)",
			  strerrorname_np(err));
		p = json_string_value(json_object_get(rec, "path"));
		if (path && path[0] == '@') {
			cr_expect(p && strncmp(p, run.dir, strlen(run.dir)) == 0 &&
				  strcmp(p + strlen(run.dir), path + 1) == 0,
				  "%s: path %s", scen, p ? p : "(none)");
		}
		cr_expect(ct_has_frame(rec, fn), "%s: no backtrace frame in %s: %s",
			  scen, fn, line);
		if (path || strncmp(call, "exec", 4) == 0 ||
		    strncmp(call, "posix_spawn", 11) == 0) {
			cr_expect(ct_nonempty(json_object_get(rec, "evidence")),
				  "%s: no evidence: %s", scen, line);
		}
		json_decref(rec);
	}
	cr_expect_eq(found, 1, "%s: %zu %s records decoded", scen, found, call);
	fl_run_done(&run);
}

#define CT_FAIL(scen, call, err, path, name)                              \
	Test(ctl, scen, .timeout = 60)                                    \
	{                                                                 \
		ct_check(#scen, #call, err, path, name);                  \
	}
FL_FAILURES(CT_FAIL)

/* A root job's program drops to uid 65534 and execs /bin/true, which
 * cannot open the root-owned ring: before the exec, the dropping process
 * (the ring still mapped) says so in a NOTE, once, naming the program,
 * the uid and the ring's owner and mode; nothing is lost silently. */
Test(ctl, exec_after_dropping_root_is_noted, .timeout = 60)
{
	struct fl_run run;
	char want[512];

	fl_run(&run, "exec_dropped", fl_preload(), NULL);
	fl_skip_if_needed(&run);
	cr_assert(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0, "status %#x: %s",
		  run.status, run.err);
	ct_decode_types(run.ring, "note");
	/* the harness's ring directory is root's, 0700 */
	snprintf(want, sizeof(want), "ring-unreachable: /bin/true runs as uid 65534, which "
		 "cannot open the ring %s (its directory cannot be searched): its failures and "
		 "its children's are not recorded here", run.ring);
	cr_expect(strstr(ct_out, want), "no note %s in: %s", want, ct_out);
	size_t notes = 0;
	for (const char *p = ct_out; (p = strstr(p, "ring-unreachable:")); p++) {
		notes++;
	}
	cr_expect_eq(notes, 1, "%zu notes: %s", notes, ct_out);
	fl_run_done(&run);
}
