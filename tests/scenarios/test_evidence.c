/* SPDX-License-Identifier: Apache-2.0 */
/* The evidence policy (common/evpolicy.h): the same failures, as uid
 * 65534, give the same evidence under the trace engine and the preload. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"

/* What each failure is, relative to the scenario dir. */
static const struct {
	const char *rel, *err;
} ev_cases[] = {
	{ "deep/a/b/c", "ENOENT" }, /* four components missing             */
	{ "closed/x", "EACCES" },   /* under a 0700 directory of root's    */
	{ "mnt/x", "EROFS" },       /* on a read-only tmpfs                */
	{ "full/x", "ENOSPC" },     /* on a tmpfs without a free inode     */
};

/* mnt: a read-only tmpfs; full: a tmpfs whose inodes are all used. */
static int ev_mounts(struct sc *s)
{
	char full[256];

	snprintf(full, sizeof(full), "%s/full", s->dir);
	if (mount("tmpfs", s->mnt, "tmpfs", MS_RDONLY, "mode=1777") < 0 ||
	    mount("tmpfs", full, "tmpfs", 0, "size=1m,nr_inodes=2,mode=1777") < 0) {
		fprintf(stderr, "mount tmpfs: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0;; i++) {
		char p[300];
		snprintf(p, sizeof(p), "%s/fill%d", full, i);
		int fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			return errno == ENOSPC ? 0 : -1;
		}
		close(fd);
	}
}

/* The preload's run as uid 65534 and no groups, as setpriv --clear-groups
 * makes the trace engine's: dropped in the workload's process, not by
 * setpriv (which would record as root first, into a ring the workload
 * could not write). */
static void ev_nobody(void)
{
	gid_t g = SC_NOBODY;

	if (setgroups(0, NULL) < 0 || setresgid(g, g, g) < 0 ||
	    setresuid(SC_NOBODY, SC_NOBODY, SC_NOBODY) < 0) {
		_exit(125);
	}
}

/* The evidence of the event about path, without what differs between two
 * runs of the same failure: device and inode numbers (a fresh tmpfs each
 * time) and free space (other writers). */
static json_t *ev_of(json_t *recs, const char *path, const char *err, const char *engine)
{
	size_t i;
	json_t *r;

	json_array_foreach(recs, i, r) {
		const char *ap = json_string_value(json_object_get(r, "abspath"));
		if (!ap || strcmp(ap, path) != 0) {
			continue;
		}
		cr_expect_str_eq(json_string_value(json_object_get(r, "errno")), err, "%s %s",
				 engine, path);
		json_t *e = json_deep_copy(json_object_get(r, "evidence"));
		json_t *st = json_object_get(e, "stat"), *fs = json_object_get(e, "statfs");
		json_object_del(st, "dev");
		json_object_del(st, "ino");
		json_object_del(fs, "bavail");
		json_object_del(fs, "favail");
		return e;
	}
	cr_assert_fail("%s: no event about %s", engine, path);
	return NULL;
}

Test(evidence, same_in_both_engines, .timeout = 120)
{
	static const enum sc_engine engines[] = { SC_TRACE, SC_PRELOAD };
	static const char *const names[] = { "trace", "preload" };
	json_t *ev[2][4];
	char paths[4][256], closed[256], full[256];
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, "evidence", SC_TRACE, 1);
	snprintf(closed, sizeof(closed), "%s/closed", s.dir);
	snprintf(full, sizeof(full), "%s/full", s.dir);
	cr_assert(mkdir(closed, 0700) == 0 && mkdir(full, 0755) == 0);
	s.mounts = ev_mounts;
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog"), "open", paths[0], paths[1],
			 paths[2], paths[3], NULL };
	for (size_t c = 0; c < 4; c++) {
		snprintf(paths[c], sizeof(paths[c]), "%s/%s", s.dir, ev_cases[c].rel);
	}
	for (size_t k = 0; k < 2; k++) {
		s.engine = engines[k];
		if (s.engine == SC_PRELOAD) {
			s.nobody = 0;
			s.pre = ev_nobody;
			snprintf(s.ring, sizeof(s.ring), "%.180s/r.ring", s.tmp);
		}
		sc_run(&s, argv);
		char *out = sc_output(&s);
		cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0 &&
			  strstr(out, "No such file") && strstr(out, "Permission denied") &&
			  strstr(out, "Read-only") && strstr(out, "No space"),
			  "%s: sc-prog open: %s", names[k], sc_tail(out));
		free(out);
		json_t *recs = sc_decode(&s);
		for (size_t c = 0; c < 4; c++) {
			ev[k][c] = ev_of(recs, paths[c], ev_cases[c].err, names[k]);
		}
		json_decref(recs);
	}
	for (size_t c = 0; c < 4; c++) {
		char *a = json_dumps(ev[0][c], JSON_SORT_KEYS), *b = json_dumps(ev[1][c], JSON_SORT_KEYS);
		cr_expect(json_equal(ev[0][c], ev[1][c]), "%s %s:\n trace   %s\n preload %s",
			  ev_cases[c].err, ev_cases[c].rel, a, b);
		free(a);
		free(b);
	}
	/* and it is the evidence the policy asks for */
	json_t *e = ev[1][0];
	cr_expect_str_eq(json_string_value(json_object_get(e, "path")), s.dir);
	cr_expect_eq(json_integer_value(json_object_get(e, "missing")), 4);
	cr_expect(!json_object_get(e, "statfs") && !json_object_get(e, "mount") &&
		  !json_object_get(e, "cred"), "ENOENT: the walk only");
	e = ev[1][1];
	cr_expect_str_eq(json_string_value(json_object_get(e, "path")), closed);
	cr_expect_eq(json_integer_value(json_object_get(e, "missing")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(e, "stat"), "mode")),
			 "0700");
	cr_expect(json_object_get(e, "statfs") && json_object_get(e, "mount") &&
		  json_object_get(e, "cred"), "EACCES: statfs, mount, cred");
	e = ev[1][2];
	cr_expect_str_eq(json_string_value(json_object_get(e, "path")), s.mnt);
	cr_expect(strstr(json_string_value(json_object_get(e, "mount")) ?: "", " tmpfs ro"),
		  "EROFS: the read-only mount");
	e = ev[1][3];
	cr_expect_str_eq(json_string_value(json_object_get(e, "path")), full);
	cr_expect(json_string_value(json_object_get(e, "mount")) &&
		  !strncmp(json_string_value(json_object_get(e, "mount")), full, strlen(full)),
		  "ENOSPC: the full mount");
	for (size_t k = 0; k < 2; k++) {
		for (size_t c = 0; c < 4; c++) {
			json_decref(ev[k][c]);
		}
	}
	sc_done(&s);
}
