/* SPDX-License-Identifier: Apache-2.0 */
/* In a container: what a container engine gives a job, built here — a
 * mount, pid and cgroup namespace of its own with a fresh /proc, podman's
 * /run/.containerenv, CAP_SYS_ADMIN dropped from the bounding set — and
 * TMPDIR on a noexec tmpfs.  Both engines record the container in their
 * PROCESS records; report and doctor give the container's start option
 * first and no host command (a remount cannot be done from inside). */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <unistd.h>

#include "sc.h"

#define CT_ENGINE "podman-9.9.9"

static int ct_noexec = 1;

/* The container: in the scenario's private mount namespace, TMPDIR's
 * tmpfs, /run with podman's file, then a pid and cgroup namespace whose
 * pid 1 (this process's child) goes on with the scenario, with its own
 * /proc and without CAP_SYS_ADMIN in the bounding set. */
static int ct_enter(struct sc *s)
{
	unsigned long fl = MS_NOSUID | MS_NODEV | (ct_noexec ? MS_NOEXEC : 0);
	int st;
	pid_t pid;
	FILE *f;

	if (mount("tmpfs", s->mnt, "tmpfs", fl, "size=512m,mode=1777") < 0 ||
	    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		fprintf(stderr, "container: tmpfs: %s\n", strerror(errno));
		return -1;
	}
	if (!(f = fopen("/run/.containerenv", "w")) ||
	    fprintf(f, "engine=\"%s\"\nname=\"goshim-test\"\n", CT_ENGINE) < 0 || fclose(f)) {
		fprintf(stderr, "container: /run/.containerenv: %s\n", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWPID | CLONE_NEWCGROUP) < 0) {
		fprintf(stderr, "container: unshare: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		return -1;
	}
	if (pid > 0) {
		/* the scenario's child: its status is the namespace's */
		_exit(waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 203);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) < 0) {
		fprintf(stderr, "container: /proc, bounding set: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Every PROCESS record of the ring says "container", names podman and
 * the evidence the namespace gives. */
static void ct_records(const struct sc *s)
{
	const char *av[] = { tl_env("GOSHIMCTL"), "decode", "--json", "--type", "process",
			     s->ring, NULL };
	struct tl_cmd cmd = { .argv = av, .uid = -1, .capture = 1 };
	struct tl_res res;
	char *save = NULL;
	size_t n = 0;

	tl_spawn(&cmd, &res);
	cr_assert_eq(res.code, 0, "decode: %s", res.err);
	for (char *l = strtok_r(res.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_t *r = tl_json(l), *c = json_object_get(r, "container");
		char *ev;

		n++;
		cr_assert_not_null(c, "a process record without the container: %s",
				   json_dumps(r, 0));
		ev = json_dumps(json_object_get(c, "evidence"), 0);
		cr_expect(json_is_true(json_object_get(c, "is")), "%s", json_dumps(c, 0));
		cr_expect_str_eq(json_string_value(json_object_get(c, "engine")), CT_ENGINE);
		cr_expect(strstr(ev, "\"containerenv\"") && strstr(ev, "\"pidns\"") &&
			  strstr(ev, "\"cgroupns\"") && strstr(ev, "\"no-sys-admin\""),
			  "evidence %s", ev);
		free(ev);
		json_decref(r);
	}
	cr_expect_gt(n, 0, "no process record");
	tl_res_free(&res);
}

/* The remedy: podman's --tmpfs option for the mount first, no host
 * command. */
static void ct_remedy(const struct sc *s, json_t *f, const char *who)
{
	const char *rem = json_string_value(json_object_get(f, "remedy"));
	char want[256];

	snprintf(want, sizeof(want), "podman run --tmpfs %s:rw,exec", s->mnt);
	cr_assert_not_null(rem, "%s: no remedy", who);
	cr_expect(strstr(rem, want) && strstr(rem, want) < strchr(rem, '\n'),
		  "%s: the container's option first: %s", who, rem);
	cr_expect_null(strstr(rem, "sudo"), "%s: no host command: %s", who, rem);
	cr_expect_null(strstr(rem, "remount"), "%s: no remount: %s", who, rem);
}

static void ct_case(enum sc_engine engine, const char *tag)
{
	struct sc s;
	json_t *f, *rep, *doc;

	sc_need(1, engine == SC_TRACE);
	sc_init(&s, tag, engine, 0);
	ct_noexec = 1;
	s.mounts = ct_enter;
	s.doctor = 1;
	setenv("TMPDIR", s.mnt, 1);
	if (engine == SC_TRACE) {
		sc_module(&s, "m", s.mod, sizeof(s.mod), "main.go", sc_go_main, "main_test.go",
			  sc_go_test, NULL);
		s.cwd = s.mod;
	}
	/* go test's binary, or a C program running a test binary there */
	char script[1024];
	snprintf(script, sizeof(script), "printf '#!/bin/sh\\nexit 0\\n' > %s/x.test && "
		 "chmod 0755 %s/x.test && exec %s/x.test", s.mnt, s.mnt, s.mnt);
	char *go[] = { SC_GO, "test", "-count=1", ".", NULL };
	char *sh[] = { "/bin/sh", "-c", script, NULL };
	char *const *argv = engine == SC_TRACE ? go : sh;

	sc_run(&s, argv);
	cr_expect(!WIFEXITED(s.status) || WEXITSTATUS(s.status) != 0, "the exec worked");
	ct_records(&s);
	rep = sc_report(&s);
	f = sc_expect(&s, rep, "tmpdir-noexec", "error");
	cr_expect_str_eq(sc_fact(f, "container"), CT_ENGINE);
	cr_expect_str_eq(sc_fact(f, "mount"), s.mnt);
	ct_remedy(&s, f, "report");
	json_decref(rep);
	doc = sc_doctor(&s);
	ct_remedy(&s, sc_doctor_expect(&s, doc, "tmpdir-noexec"), "doctor");
	json_decref(doc);
	/* the remedy: the container started with exec allowed there */
	ct_noexec = 0;
	sc_rerun_clean(&s, argv, "--tmpfs TMPDIR:rw,exec");
	sc_done(&s);
}

Test(container, go_test_traced, .timeout = 300)
{
	ct_case(SC_TRACE, "ctr-trace");
}

Test(container, preloaded, .timeout = 120)
{
	ct_case(SC_PRELOAD, "ctr-preload");
}

/* explain --check in the container: the remedy of this place, podman's
 * option first and no host command. */
Test(container, explain_check, .timeout = 120)
{
	struct sc s;
	char log[256];
	json_t *j, *c;

	sc_need(1, 0);
	sc_init(&s, "ctr-explain", SC_PRELOAD, 0);
	ct_noexec = 1;
	s.mounts = ct_enter;
	setenv("TMPDIR", s.mnt, 1);
	snprintf(log, sizeof(log), "%s/job.log", s.dir);
	tl_write(log, "fork/exec /tmp/go-build1/b001/x.test: permission denied\n");
	char *argv[] = { (char *)tl_env("GOSHIMCTL"), "explain", "--check", "--format=json", log,
			 NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1, "explain: %#x %s", s.status,
		  out);
	j = tl_json(out);
	c = json_array_get(json_object_get(json_array_get(json_object_get(j, "findings"), 0),
					   "causes"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(c, "pattern")), "tmpdir-noexec");
	cr_expect(json_is_true(json_object_get(c, "confirmed")), "%s", sc_tail(out));
	ct_remedy(&s, c, "explain --check");
	json_decref(j);
	free(out);
	sc_done(&s);
}
