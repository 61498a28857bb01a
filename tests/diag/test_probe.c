/* SPDX-License-Identifier: Apache-2.0 */
/* report: what the engines record besides failed calls.  A probe NOTE
 * ("seccomp-denied: ...") is a seccomp finding — an error when the tree
 * failed or a related call failed, else a warning; an EXIT record's
 * filesystems make disk-full when the process died with one of them full;
 * fallocate/ftruncate ENOSPC, pthread_create EPERM; severity raised by
 * error-when; the newest process record of a pid; AT_EACCESS naming. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "ringmake.h"
#include "tl_table.h"
#include "rules.h"

#define TRACE GOSHIM_ENGINE_TRACE
#define PRELOAD GOSHIM_ENGINE_PRELOAD

static const char *const env_ci[] = {
	"PATH=/usr/local/go/bin:/usr/bin:/bin", "HOME=/home/ci", "TMPDIR=/tmp/small", NULL,
};

static json_t *report(struct rm_ring *r, int want_rc)
{
	return rm_report(r, want_rc, NULL);
}

/* The findings must be exactly `ids` (comma-joined, NULL: none) and
 * nothing unclassified. */
static json_t *expect(struct rm_ring *r, const char *ids, int want_rc)
{
	return rm_expect(r, ids, want_rc, NULL);
}

static json_t *f0(json_t *j)
{
	return json_array_get(json_object_get(j, "findings"), 0);
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const char *fact(json_t *f, const char *k)
{
	return str(json_object_get(f, "evidence"), k);
}

static json_t *ev(json_t *f, size_t i)
{
	return json_array_get(json_object_get(f, "events"), i);
}

/* The probe's NOTE record as the trace engine writes it (tr_probe.c):
 * the denied list, a second T_NOTE, the prober's seccomp state. */
static void probe_note(struct rm_ring *r, uint32_t pid, const char *denied)
{
	struct rm_rec b;
	struct goshim_t_seccomp s = { 2, 1, 1, 0 };

	rm_begin(&b, pid, 1, "/usr/bin/goshimctl");
	gs_tlv_str(&b.t, GOSHIM_T_NOTE, denied);
	gs_tlv_str(&b.t, GOSHIM_T_NOTE, "seccomp-probe: i386 calls probed with int 0x80");
	gs_tlv_put(&b.t, GOSHIM_T_SECCOMP, &s, sizeof(s));
	rm_commit(r, &b, GOSHIM_REC_NOTE, TRACE, 1);
}

/* The workload: a process record (seccomp filter) and its exit. */
static void workload(struct rm_ring *r, uint32_t pid, const char *exe, int status)
{
	rm_process(r, TRACE, pid, 1, exe, env_ci, 2, 0);
	if (status >= 0) {
		rm_exit(r, TRACE, pid, status);
	}
}

/* The policy probe's note, then the workload's process and exit. */
struct note_case {
	const char *name;
	const char *note;        /* the probe's T_NOTE */
	const char *exe;
	int status;              /* the workload's wait status */
	const char *ids;         /* exactly these findings (NULL: none) */
	int rc;                  /* report's exit status */
	const char *sev;         /* the first finding's severity (NULL: unchecked) */
	struct { const char *k, *v; } ev0[4]; /* members of its first event */
	const char *seccomp;     /* its fact seccomp */
	const char *summary, *remedy; /* substrings of its summary and remedy */
	size_t nevents, nunexplained, nnotes; /* array sizes; 0: unchecked */
};

#define NOTE(n, text, prog, st, want, code) \
	.name = n, .note = text, .exe = prog, .status = st, .ids = want, .rc = code

static const struct note_case note_cases[] = {
	{ NOTE("clone3_denied_and_the_tree_failed_is_an_error", "seccomp-denied: clone3=EPERM",
	       "/tmp/cgo-tool", 2 << 8, "seccomp-legacy-profile", 1),
	  .sev = "error",
	  .ev0 = { { "call", "clone3" }, { "errno", "EPERM" }, { "source", "probe" } },
	  .seccomp = "2", .summary = "clone3", .remedy = "upgrade the container runtime" },
	{ NOTE("a_denial_in_a_clean_tree_is_a_warning", "seccomp-denied: statx=EPERM clone3=EPERM",
	       "/usr/local/go/bin/go", 0, "seccomp-legacy-profile", 0),
	  .sev = "warning", .summary = "statx, clone3", .nevents = 2 },
	/* make failed and nothing explains it; every T_NOTE of the record is kept */
	{ NOTE("nothing_denied_is_no_finding", "seccomp-denied: none", "/usr/bin/make", 2 << 8,
	       NULL, 3),
	  .nunexplained = 1, .nnotes = 2 },
	{ NOTE("an_unknown_denial_is_no_finding", "seccomp-denied: openat=EACCES mmap(huge)=EPERM",
	       "/usr/bin/make", 0, NULL, 0) },
	{ NOTE("memfd_denied_clean_tree_warning", "seccomp-denied: memfd_create=EPERM",
	       "/usr/local/go/bin/go", 0, "seccomp-memfd-denied", 0),
	  .sev = "warning", .ev0 = { { "call", "memfd_create" } } },
	{ NOTE("memfd_denied_killed_tree_error", "seccomp-denied: memfd_create=EPERM",
	       "/usr/bin/runc", SIGABRT, "seccomp-memfd-denied", 1),
	  .sev = "error" },
	{ NOTE("i386_time64_denied",
	       "seccomp-denied: i386:clock_gettime64=EPERM i386:utimensat_time64=EPERM",
	       "/tmp/prog-i386", 1 << 8, "seccomp-time64-denied", 1),
	  .ev0 = { { "call", "clock_gettime64" }, { "denied", "i386:clock_gettime64" },
		   { "errno", "EPERM" } },
	  .nevents = 2 },
	{ NOTE("native_time_calls_are_not_time64", "seccomp-denied: clock_gettime=EPERM",
	       "/usr/bin/date", 0, NULL, 0) },
	{ NOTE("personality_denied_is_the_race_pattern", "seccomp-denied: personality=EPERM",
	       "/usr/local/go/bin/go", 0, "race-personality-denied", 0),
	  .sev = "warning" },
};

static void expect_size(json_t *a, size_t want, const char *what, const char *name)
{
	if (want) {
		cr_expect_eq(json_array_size(a), want, "%s: %s", name, what);
	}
}

/* The nine cases named in note_cases, as rows. */
TL_TABLE_TEST(struct note_case, note_cases, probe, note)
{
	struct rm_ring r;
	json_t *j, *f;

	rm_create(&r);
	probe_note(&r, 500, c->note);
	workload(&r, 500, c->exe, c->status);
	j = expect(&r, c->ids, c->rc);
	f = f0(j);
	if (c->sev) {
		cr_expect_str_eq(str(f, "severity"), c->sev, "%s", c->name);
	}
	for (size_t i = 0; i < 4 && c->ev0[i].k; i++) {
		cr_expect_str_eq(str(ev(f, 0), c->ev0[i].k), c->ev0[i].v, "%s", c->name);
	}
	if (c->seccomp) {
		cr_expect_str_eq(fact(f, "seccomp"), c->seccomp, "%s", c->name);
	}
	if (c->summary) {
		cr_expect(strstr(str(f, "summary"), c->summary), "%s: %s", c->name, str(f, "summary"));
	}
	if (c->remedy) {
		cr_expect(strstr(str(f, "remedy"), c->remedy), "%s: %s", c->name, str(f, "remedy"));
	}
	expect_size(json_object_get(f, "events"), c->nevents, "events", c->name);
	expect_size(json_object_get(j, "unexplained"), c->nunexplained, "unexplained", c->name);
	expect_size(json_object_get(json_object_get(j, "ring"), "notes"), c->nnotes, "notes",
		    c->name);
	json_decref(j);
	rm_close(&r);
}

/* The probe's denial and the preload's failed pthread_create: one
 * finding, the probe's call first, an error without any exit record. */
Test(probe, probe_and_pthread_create_make_one_finding)
{
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_create(&r);
	probe_note(&r, 500, "seccomp-denied: clone3=EPERM");
	rm_process(&r, PRELOAD, 600, 1, "/tmp/cgo-tool", env_ci, 2, 0);
	rm_begin(&b, 600, 1, "/tmp/cgo-tool");
	rm_call(&b, "pthread_create", 'L', EPERM);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, PRELOAD, 1);
	j = expect(&r, "seccomp-legacy-profile", 1);
	cr_expect_str_eq(str(f0(j), "severity"), "error");
	cr_expect_str_eq(str(ev(f0(j), 0), "call"), "clone3");
	cr_expect_str_eq(str(ev(f0(j), 1), "call"), "pthread_create");
	cr_expect_str_eq(str(ev(f0(j), 1), "engine"), "preload");
	json_decref(j);
	rm_close(&r);
}

static void pthread_ring(struct rm_ring *r, int seccomp, int err)
{
	struct rm_rec b;

	rm_create(r);
	rm_process(r, PRELOAD, 600, 1, "/tmp/cgo-tool", env_ci, seccomp, 0);
	rm_begin(&b, 600, 1, "/tmp/cgo-tool");
	rm_call(&b, "pthread_create", 'L', err);
	rm_commit(r, &b, GOSHIM_REC_EVENT, PRELOAD, 1);
}

/* The probe's note is recorded under the pid of the top of the tree (go),
 * whose exit 1 is its test binary's exit 2; the test binary's own denied
 * clone3 went with the wrap-around.  The probe speaks of the policy of the
 * whole tree, not of go: its finding's link to the exit cannot be judged,
 * and it still explains the failed run (exit 1, nothing unexplained). */
Test(probe, probe_of_the_tree_explains_a_failed_child)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 40, 1, "/usr/local/go/bin/go", env_ci, 2, 0);
	probe_note(&r, 40, "seccomp-denied: clone3=EPERM");
	rm_process(&r, TRACE, 41, 40, "/tmp/go-build1/b001/c.test", env_ci, 2, 0);
	rm_exit(&r, TRACE, 41, 2 << 8);
	rm_exit(&r, TRACE, 40, 1 << 8);
	json_t *j = expect(&r, "seccomp-legacy-profile", 1);
	cr_expect_str_eq(str(f0(j), "exit_link"), "unknown");
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0, "%s",
		     json_dumps(json_object_get(j, "unexplained"), 0));
	json_decref(j);
	rm_close(&r);
}

Test(probe, pthread_create_eperm_under_a_filter)
{
	struct rm_ring r;
	json_t *j;

	pthread_ring(&r, 2, EPERM);
	j = expect(&r, "seccomp-legacy-profile", 1);
	cr_expect_str_eq(str(f0(j), "severity"), "error");
	cr_expect_str_eq(str(ev(f0(j), 0), "call"), "pthread_create");
	json_decref(j);
	rm_close(&r);
}

Test(probe, pthread_create_eperm_without_a_filter_is_unclassified)
{
	struct rm_ring r;
	json_t *j;

	pthread_ring(&r, 0, EPERM);
	j = report(&r, 0);
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0);
	cr_expect_eq(json_array_size(json_object_get(j, "unclassified")), 1);
	json_decref(j);
	rm_close(&r);
}

/* An EXIT record with the filesystems the process was writing to. */
static void exit_fs(struct rm_ring *r, uint32_t pid, int status, uint64_t tmp_bavail,
		    uint64_t tmp_favail)
{
	struct rm_rec b;
	struct goshim_t_statfs cache = { TMPFS_MAGIC, 0, 1000000, 4096, 100000 };
	struct goshim_t_statfs tmp = { TMPFS_MAGIC, 0, tmp_bavail, 4096, tmp_favail };

	rm_begin(&b, pid, 0, NULL);
	gs_tlv_u32(&b.t, GOSHIM_T_CHILD, pid);
	gs_tlv_i32(&b.t, GOSHIM_T_STATUS, status);
	gs_tlv_str(&b.t, GOSHIM_T_EV_PATH, "/tmp/small");
	gs_tlv_put(&b.t, GOSHIM_T_EV_STATFS, &tmp, sizeof(tmp));
	gs_tlv_str(&b.t, GOSHIM_T_EV_PATH, "/home/ci/.cache/go-build");
	gs_tlv_put(&b.t, GOSHIM_T_EV_STATFS, &cache, sizeof(cache));
	rm_commit(r, &b, GOSHIM_REC_EXIT, TRACE, 1);
}

Test(probe, died_on_a_full_filesystem_is_disk_full)
{
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	rm_process(&r, TRACE, 701, 700, "/usr/local/go/pkg/tool/linux_amd64/compile", env_ci, 0, 0);
	exit_fs(&r, 701, 1 << 8, 0, 5000);
	exit_fs(&r, 700, 1 << 8, 0, 5000);
	j = expect(&r, "disk-full", 1);
	/* an EXIT record names the path written to, not its mount point, and
	 * no other record has a mount line for it: no mount fact at all */
	cr_expect_null(json_object_get(json_object_get(f0(j), "evidence"), "mount"),
		       "mount %s", fact(f0(j), "mount"));
	cr_expect_str_eq(fact(f0(j), "avail"), "0 B");
	cr_expect(strstr(str(f0(j), "summary"), "/tmp/small"), "%s", str(f0(j), "summary"));
	cr_expect_str_eq(str(ev(f0(j), 0), "source"), "exit");
	cr_expect_eq(json_integer_value(json_object_get(f0(j), "count")), 2);
	json_decref(j);
	rm_close(&r);
}

Test(probe, died_with_no_inodes_left_is_disk_full)
{
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	exit_fs(&r, 700, 1 << 8, 2000000, 0);
	j = expect(&r, "disk-full", 1);
	cr_expect_str_eq(fact(f0(j), "inodes_free"), "0");
	json_decref(j);
	rm_close(&r);
}

Test(probe, full_filesystem_but_exit_0_is_nothing)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	exit_fs(&r, 700, 0, 0, 0);
	json_decref(expect(&r, NULL, 0));
	rm_close(&r);
}

Test(probe, died_with_space_left_is_nothing)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	exit_fs(&r, 700, 1 << 8, 100, 100);
	json_t *j = expect(&r, NULL, 3); /* no disk-full finding: go's exit is unexplained */
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	json_decref(j);
	rm_close(&r);
}

static void space_call(const char *call)
{
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_failed_call(&r, &b, TRACE, 700, "/usr/local/go/pkg/tool/linux_amd64/link", env_ci, 0,
		       call, 'S', ENOSPC);
	gs_tlv_i32(&b.t, GOSHIM_T_FD, 7);
	gs_tlv_str(&b.t, GOSHIM_T_EV_PATH, "/tmp/small/go-build1/b001/exe/a.out");
	rm_statfs(&b, TMPFS_MAGIC, 0, "/tmp/small tmpfs rw,size=1024k");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	j = expect(&r, "disk-full", 1);
	cr_expect_str_eq(fact(f0(j), "mount"), "/tmp/small");
	cr_expect_str_eq(str(ev(f0(j), 0), "call"), call);
	json_decref(j);
	rm_close(&r);
}

Test(probe, fallocate_enospc_is_disk_full)
{
	space_call("fallocate");
}

Test(probe, ftruncate_enospc_is_disk_full)
{
	space_call("ftruncate");
}

/* gocache-foreign-owner: fatal when the go that hit it failed. */
static json_t *foreign(struct rm_ring *r, int status, int want_rc)
{
	struct rm_rec b;
	const char *p = "/home/ci/.cache/go-build/ab/abcd0123-d";

	rm_create(r);
	rm_process(r, TRACE, 200, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	rm_begin(&b, 200, 1, "/usr/local/go/bin/go");
	rm_call(&b, "openat", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, p);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_RDWR | O_CREAT | O_CLOEXEC);
	rm_stat(&b, p, 0100644, 0, 0);
	rm_cred(&b, 65534);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, 200, status);
	return expect(r, "gocache-foreign-owner", want_rc);
}

Test(probe, foreign_cache_fatal_for_a_failed_go_is_an_error)
{
	struct rm_ring r;
	json_t *j = foreign(&r, 1 << 8, 1);

	cr_expect_str_eq(str(f0(j), "severity"), "error");
	json_decref(j);
	rm_close(&r);
}

Test(probe, foreign_cache_with_go_exit_0_stays_a_warning)
{
	struct rm_ring r;
	json_t *j = foreign(&r, 0, 0);

	cr_expect_str_eq(str(f0(j), "severity"), "warning");
	json_decref(j);
	rm_close(&r);
}

/* env execs go in the same pid: the newest record is the identity. */
Test(probe, newest_process_record_wins)
{
	struct rm_ring r;
	struct rm_rec b;
	json_t *j, *chain;
	const char *p = "/ro/cache/00";

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, "/usr/bin/env", env_ci, 0, 0);
	rm_process(&r, TRACE, 300, 1, "/usr/local/go/bin/go", env_ci, 0, 0);
	rm_begin(&b, 300, 1, "/usr/local/go/bin/go");
	rm_call(&b, "mkdirat", 'S', EROFS);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, p);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(&r, TRACE, 300, 1 << 8); /* go failed: its EROFS is unclassified, the exit unexplained */
	j = report(&r, 3);
	chain = json_object_get(json_array_get(json_object_get(j, "unclassified"), 0), "chain");
	cr_expect_str_eq(str(json_array_get(chain, json_array_size(chain) - 1), "exe"),
			 "/usr/local/go/bin/go");
	cr_expect_str_eq(str(json_array_get(json_object_get(j, "processes"), 0), "exe"),
			 "/usr/local/go/bin/go");
	json_decref(j);
	rm_close(&r);
}

/* faccessat's 0x200 is AT_EACCESS (AT_REMOVEDIR for unlinkat). */
Test(probe, access_flags_name_at_eaccess)
{
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_failed_call(&r, &b, PRELOAD, 400, "/bin/bash", env_ci, 0, "faccessat", 'L', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/opt/tool");
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, 0x200);
	gs_tlv_i32(&b.t, GOSHIM_T_AMODE, 1);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, PRELOAD, 1);
	j = report(&r, 0);
	cr_expect_str_eq(str(json_array_get(json_object_get(j, "unclassified"), 0), "flags"),
			 "AT_EACCESS");
	json_decref(j);
	rm_close(&r);
}

/* compile/asm/link read go's telemetry counters under $HOME/.config. */
Test(probe, telemetry_from_the_tools_is_benign)
{
	static const char *const tools[] = { "compile", "asm", "link" };

	for (size_t i = 0; i < 3; i++) {
		struct rm_ring r;
		struct rm_rec b;
		char exe[128];

		snprintf(exe, sizeof(exe), "/usr/local/go/pkg/tool/linux_amd64/%s", tools[i]);
		rm_create(&r);
		rm_process(&r, TRACE, 800, 1, exe, env_ci, 0, 0);
		rm_begin(&b, 800, 1, exe);
		rm_call(&b, "openat", 'S', EACCES);
		gs_tlv_str(&b.t, GOSHIM_T_ABSPATH,
			   "/home/ci/.config/go/telemetry/local/compile-go1.26.8-linux-amd64-2026-11-23.v1.count");
		gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_RDWR | O_CREAT | O_CLOEXEC);
		rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
		json_decref(expect(&r, NULL, 0));
		rm_close(&r);
	}
}

static const struct rm_bad_rules bad[] = {
	{ "[a]\nseverity warning\nsummary s\nremedy r\nmatch errno EPERM\nsubject note\n",
	  "t:6: subject must come before the match lines" },
	{ "[a]\nseverity warning\nsummary s\nremedy r\nsubject note\nmatch flags-has O_CREAT\n",
	  "t:6: predicate \"flags-has\" cannot be used on note rules" },
	{ "[a]\nseverity warning\nsummary s\nremedy r\nmatch note-denies clone3\n",
	  "t:5: predicate \"note-denies\" cannot be used on event rules" },
	{ "[a]\nseverity warning\nsummary s\nremedy r\nerror-when ring-failed-call nosuch\nmatch errno EPERM\n",
	  "t:5: ring-failed-call: unknown call" },
	{ "[a]\nseverity warning\nsummary s\nremedy r\nerror-when ring-failed-call openat ENOPE\nmatch errno EPERM\n",
	  "t:5: ring-failed-call: unknown errno" },
	{ "[a]\nseverity warning\nsummary s\nremedy r\nerror-when note-denies x\nmatch errno EPERM\n",
	  "t:5: error-when: predicate \"note-denies\" fits none" },
	{ "[a]\nseverity benign\nerror-when tree-failed\nmatch errno EPERM\n",
	  "t:1: [a]: error-when makes no sense on a benign rule" },
	{ "[a]\nseverity benign\nsubject thread\n", "t:3: subject must be event, process, note, exit or doctor" },
};

Test(probe, new_keys_bad_files_name_the_line)
{
	rm_expect_bad_rules(bad, sizeof(bad) / sizeof(bad[0]), 0);
}

Test(probe, per_set_subjects_load)
{
	struct gs_rules rs = { 0 };
	char err[512] = "";
	const char *text = "[a]\nseverity warning\nsummary s\nremedy r\nerror-when tree-failed\n"
			   "match errno EPERM\nor\nsubject note\nmatch note-denies x|y*\n"
			   "or\nsubject exit\nmatch fs-full\n";

	cr_assert_eq(gs_rules_load_text(&rs, "t", text, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(rs.r[0].subjects, GS_SUBJ_EVENT | GS_SUBJ_NOTE | GS_SUBJ_EXIT);
	cr_expect_eq(rs.r[0].alt[1].subject, GS_SUBJ_NOTE);
	cr_expect_eq(rs.r[0].nesc, 1);
	gs_rules_free(&rs);
}
