/* SPDX-License-Identifier: Apache-2.0 */
/* The default ring (common/ringhome.h): a place no other user can squat,
 * and when the usual one is held by somebody else, a fallback of our own
 * that the preload, `goshimctl run` and `report` agree on and say. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringhome.h"
#include "tl_fs.h"
#include "tl_run.h"

/* Uids no test runs as, one per test (Criterion runs them in parallel):
 * /tmp/goshim-UID is that test's alone. */
#define HM_UID (4243u + hm_test_no)

static unsigned hm_test_no;
static char hm_tmp[256], hm_dir[64];

/* The test's uid and directory, the directory removed. */
static void hm_use(unsigned n)
{
	hm_test_no = n;
	snprintf(hm_dir, sizeof(hm_dir), "/tmp/goshim-%u", HM_UID);
	unlink(hm_dir);
	tl_rmtree(hm_dir);
}

static void hm_init(void)
{
	snprintf(hm_tmp, sizeof(hm_tmp), "%s", tl_tmpdir("ringhome"));
}

static void hm_fini(void)
{
	if (hm_dir[0]) {
		unlink(hm_dir);
		tl_rmtree(hm_dir);
	}
	tl_rmtree(hm_tmp);
}

TestSuite(ringhome, .init = hm_init, .fini = hm_fini);

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: makes directories owned by uid %u and %d", HM_UID,
			     TL_NOBODY);
	}
}

/* dir (made) owned by uid with mode. */
static void hm_mkdir(const char *dir, unsigned uid, unsigned mode)
{
	cr_assert(mkdir(dir, mode) == 0 || errno == EEXIST, "mkdir %s: %m", dir);
	cr_assert_eq(chown(dir, uid, uid), 0, "chown %s: %m", dir);
	cr_assert_eq(chmod(dir, mode), 0);
}

Test(ringhome, xdg_runtime_dir_of_our_own)
{
	struct gs_ringhome h;
	char xdg[300], want[320];

	snprintf(xdg, sizeof(xdg), "%s/xdg", hm_tmp);
	cr_assert_eq(mkdir(xdg, 0700), 0);
	gs_ringhome(&h, xdg, NULL, (unsigned)geteuid(), 1);
	snprintf(want, sizeof(want), "%s/goshim.ring", xdg);
	cr_assert_str_eq(h.path, want);
	cr_assert_str_empty(h.refused);
}

/* An XDG_RUNTIME_DIR open to others (or another user's, after su) is
 * passed over for /tmp/goshim-UID, made 0700; looking only makes nothing. */
Test(ringhome, tmp_directory_made_0700)
{
	hm_use(1);
	need_root();
	struct gs_ringhome h;
	char xdg[300], want[320];
	struct stat st;

	snprintf(xdg, sizeof(xdg), "%s/xdg-open", hm_tmp);
	hm_mkdir(xdg, HM_UID, 0755);
	snprintf(want, sizeof(want), "%s/goshim.ring", hm_dir);
	gs_ringhome(&h, xdg, NULL, HM_UID, 0);
	cr_assert_str_eq(h.path, want, "report looks where the writers would record");
	cr_assert_neq(access(hm_dir, F_OK), 0, "looking made %s", hm_dir);

	gs_ringhome(&h, xdg, NULL, 0, 1); /* as root: root's own directory */
	cr_assert_eq(lstat("/tmp/goshim-0", &st), 0);
	cr_assert(S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 077) == 0);
	cr_assert_str_eq(h.path, "/tmp/goshim-0/goshim.ring");
	cr_assert_str_empty(h.refused);
}

/* Our own /tmp/goshim-UID left open to others is closed again. */
Test(ringhome, own_directory_open_to_others_is_narrowed)
{
	hm_use(2);
	need_root();
	struct gs_ringhome h;
	struct stat st;

	hm_mkdir(hm_dir, HM_UID, 0777);
	gs_ringhome(&h, NULL, NULL, HM_UID, 1);
	cr_assert_str_empty(h.refused);
	cr_assert_eq(stat(hm_dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
}

/* Another user made /tmp/goshim-UID first: the ring goes to
 * ~/.cache/goshim, and the sentence says whose the directory is. */
Test(ringhome, squatted_directory_falls_back_to_home)
{
	hm_use(3);
	need_root();
	struct gs_ringhome h;
	char home[300], want[800], say[1024];

	hm_mkdir(hm_dir, TL_NOBODY, 0777);
	snprintf(home, sizeof(home), "%s/home", hm_tmp);
	hm_mkdir(home, HM_UID, 0755);
	snprintf(want, sizeof(want), "%s/.cache", home);
	hm_mkdir(want, HM_UID, 0700); /* what HM_UID itself would make */
	snprintf(want, sizeof(want), "%s/.cache/goshim", home);
	hm_mkdir(want, HM_UID, 0700);
	gs_ringhome(&h, NULL, home, HM_UID, 1);
	snprintf(want, sizeof(want), "%s/.cache/goshim/goshim.ring", home);
	cr_assert_str_eq(h.path, want);
	cr_assert_str_eq(h.refused, hm_dir);
	cr_assert_eq(h.owner, TL_NOBODY);
	snprintf(want, sizeof(want), "%s belongs to uid %d, not to you: recording to "
		 "%s/.cache/goshim/goshim.ring instead", hm_dir, TL_NOBODY, home);
	cr_assert_str_eq(gs_ringhome_say(&h, say, sizeof(say)), want);

	gs_ringhome(&h, NULL, NULL, HM_UID, 1); /* no HOME: nowhere */
	cr_assert_str_empty(h.path);
	snprintf(want, sizeof(want), "%s belongs to uid %d, not to you: nothing is recorded",
		 hm_dir, TL_NOBODY);
	cr_assert_str_eq(gs_ringhome_say(&h, say, sizeof(say)), want);
}

/* A symbolic link at /tmp/goshim-UID is never followed. */
Test(ringhome, symlink_is_not_followed)
{
	hm_use(4);
	struct gs_ringhome h;
	char target[300];

	snprintf(target, sizeof(target), "%s/elsewhere", hm_tmp);
	cr_assert_eq(mkdir(target, 0700), 0);
	cr_assert_eq(symlink(target, hm_dir), 0, "%s: %m", hm_dir);
	gs_ringhome(&h, NULL, NULL, HM_UID, 1);
	cr_assert_str_empty(h.path);
	cr_assert_str_eq(h.refused, hm_dir);
	cr_assert_str_eq(h.why, "is a symbolic link");
	cr_assert_eq(unlink(hm_dir), 0);
}

/* The whole chain as a user meets it: /tmp/goshim-UID squatted by
 * root, a program under the preload with GOSHIM_DEBUG=1 says where it
 * records instead and records there; `goshimctl report` says the same
 * and reads that ring. */
Test(ringhome, preload_and_report_agree_on_the_fallback)
{
	hm_use(5);
	need_root();
	const char *pre = getenv("GOSHIM_PRELOAD"), *ctl = getenv("GOSHIMCTL");
	char home[300], ring[400], line[800], env_pre[4200];
	struct stat st;
	struct tl_res r;

	cr_assert(pre && ctl, "run through meson test");
	hm_mkdir(hm_dir, 0, 0700); /* closed: the user cannot even look inside */
	snprintf(home, sizeof(home), "%s/home", hm_tmp);
	hm_mkdir(home, HM_UID, 0755);
	cr_assert_eq(chmod(hm_tmp, 0755), 0);
	snprintf(ring, sizeof(ring), "%s/.cache/goshim/goshim.ring", home);
	snprintf(line, sizeof(line), "%s belongs to uid 0, not to you: recording to %s instead",
		 hm_dir, ring);
	snprintf(env_pre, sizeof(env_pre), "LD_PRELOAD=%s", pre);

	const char *cat[] = { "/usr/bin/env", "-u", "GOSHIM_RING", "-u", "XDG_RUNTIME_DIR",
			      "GOSHIM_DEBUG=1", env_pre, "HOME", "/bin/cat",
			      "/nonexistent-goshim-home", NULL };
	char henv[320];
	snprintf(henv, sizeof(henv), "HOME=%s", home);
	cat[7] = henv;
	tl_spawn(&(struct tl_cmd){ .argv = cat, .uid = (int)HM_UID, .capture = 1 }, &r);
	cr_expect_eq(r.code, 1, "cat exits as without goshim: %d", r.code);
	cr_expect(strstr(r.err, line), "the preload does not say where it records: %s", r.err);
	tl_res_free(&r);
	cr_assert_eq(stat(ring, &st), 0, "no ring at %s", ring);
	cr_assert_eq(st.st_uid, HM_UID);

	const char *rep[] = { "/usr/bin/env", "-u", "GOSHIM_RING", "-u", "XDG_RUNTIME_DIR",
			      henv, ctl, "report", NULL };
	tl_spawn(&(struct tl_cmd){ .argv = rep, .uid = (int)HM_UID, .capture = 1 }, &r);
	cr_expect(strstr(r.err, line), "report does not say whose %s is: %s", hm_dir, r.err);
	snprintf(line, sizeof(line), "goshimctl report: reading %s (the default ring)", ring);
	cr_expect(strstr(r.err, line), "report reads another ring: %s", r.err);
	snprintf(line, sizeof(line), "goshim report %s: ", ring);
	cr_expect(strstr(r.out, line), "report: %s", r.out);
	tl_res_free(&r);
	const char *dec[] = { ctl, "decode", ring, NULL };
	tl_spawn(&(struct tl_cmd){ .argv = dec, .uid = -1, .capture = 1 }, &r);
	cr_expect(strstr(r.out, "/nonexistent-goshim-home"), "not in the ring: %s", r.out);
	tl_res_free(&r);
}
