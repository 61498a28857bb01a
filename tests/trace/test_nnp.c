/* SPDX-License-Identifier: Apache-2.0 */
/* Root without CAP_SYS_ADMIN (root in a container): the filter is loaded
 * with no_new_privs, which setuid programs of the tree inherit.  The ring
 * says so (NOTE "no-new-privs:"), names each setuid program that then
 * runs without its privilege (NOTE "setid-without-privilege:"), and
 * report points at no_new_privs when one of them fails. */
#include <criterion/criterion.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_suite.h"
#include "tt.h"

static char dir[256];
TL_SUITE_TMPDIR(trace_nnp, dir);

static const struct tt_rec *nnp_note(const struct tt_ring *r, const char *prefix)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->recs[i].type == GOSHIM_REC_NOTE &&
		    strncmp(r->recs[i].note, prefix, strlen(prefix)) == 0) {
			return &r->recs[i];
		}
	}
	return NULL;
}

/* goshimctl run -- ID ARG, CAP_SYS_ADMIN dropped from the bounding set
 * first (root's capabilities after the exec lack it); ID is a copy of
 * id(1) setuid to uid 1234.  The wait status. */
static int nnp_run(const char *ring, const char *id, const char *arg)
{
	pid_t pid = fork();
	int st;

	cr_assert(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) < 0) {
			_exit(100);
		}
		execl(tt_build("ctl/goshimctl"), "goshimctl", "run", "--ring", ring, "--", id, arg,
		      (char *)NULL);
		_exit(101);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* Skip (why) unless root; ring := dir/r.ring, id := dir/id, a copy of
 * id(1) setuid to uid 1234 (each buffer 512 bytes). */
static void setuid_id(const char *why, char *ring, char *id)
{
	if (geteuid() != 0) {
		cr_skip_test("%s", why);
	}
	snprintf(ring, 512, "%s/r.ring", dir);
	snprintf(id, 512, "%s/id", dir);
	tt_sh("chmod 0755 %s && cp /usr/bin/id %s && chown 1234:1234 %s && chmod 4755 %s",
	      dir, id, id, id);
}

Test(trace_nnp, root_without_cap_sys_admin)
{
	char ring[512], id[512], cmd[2048], line[1024];
	struct tt_ring r;
	int st, found = 0;
	FILE *p;

	setuid_id("needs root (a setuid file of another uid, dropping CAP_SYS_ADMIN)", ring, id);
	/* id fails (no such user) while it runs as root, not as uid 1234 */
	st = nnp_run(ring, id, "goshim-no-such-user");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %#x", st);
	tt_load(ring, &r);
	const struct tt_rec *n = nnp_note(&r, "no-new-privs:");
	const struct tt_rec *s = nnp_note(&r, "setid-without-privilege:");

	if (!n || !s) {
		tt_dump(&r);
	}
	cr_assert(n, "no NOTE no-new-privs");
	cr_assert(strstr(n->note, "root without CAP_SYS_ADMIN"), "%s", n->note);
	cr_assert(s, "no NOTE setid-without-privilege");
	cr_assert(strstr(s->note, id) && strstr(s->note, "setuid uid 1234") &&
		  strstr(s->note, "as uid 0"), "%s", s->note);
	tt_free(&r);

	snprintf(cmd, sizeof(cmd), "%s report %s", tt_build("ctl/goshimctl"), ring);
	p = popen(cmd, "r");
	cr_assert(p);
	while (fgets(line, sizeof(line), p)) {
		found |= strncmp(line, "error setid-no-new-privs:", 25) == 0 &&
			 strstr(line, id) != NULL;
	}
	st = pclose(p);
	cr_assert(found, "report names no error setid-no-new-privs for %s", id);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "report status %#x", st);
}

/* With CAP_SYS_ADMIN, root does not set no_new_privs: no note, and the
 * setuid program keeps its privilege. */
Test(trace_nnp, root_keeps_setuid)
{
	char ring[512], id[512];
	struct tt_ring r;
	int st;

	setuid_id("needs root", ring, id);
	char *argv[] = { id, "-u", NULL };

	st = tt_trace(ring, argv, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_load(ring, &r);
	cr_assert_null(nnp_note(&r, "no-new-privs:"));
	cr_assert_null(nnp_note(&r, "setid-without-privilege:"));
	tt_free(&r);
}
