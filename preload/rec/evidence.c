/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evidence about a path and the caller, read at the time of the failure
 * with raw system calls: stat of the path or its nearest existing
 * ancestor, statfs of it, the mount that holds it (for the errnos where
 * mount options explain a failure), and the caller's credentials.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "sys.h"

/* errnos for which the mount line is worth reading */
static const int ev_mount_errnos[] = {
	EACCES, EPERM, EROFS, ENOSPC, ENOEXEC, ETXTBSY, EDQUOT,
};

/* errnos that say only "not there": the stat walk explains them, statfs
 * and credentials do not (and they are the flood of a healthy build). */
static const int ev_light_errnos[] = {
	ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EEXIST,
};

static int ev_in(const int *tab, size_t n, int err)
{
	for (size_t i = 0; i < n; i++) {
		if (tab[i] == err) {
			return 1;
		}
	}
	return 0;
}

static int ev_wants_mount(int err)
{
	return ev_in(ev_mount_errnos, sizeof(ev_mount_errnos) / sizeof(ev_mount_errnos[0]), err);
}

int gs_ev_light(int err)
{
	return ev_in(ev_light_errnos, sizeof(ev_light_errnos) / sizeof(ev_light_errnos[0]), err);
}

/* Cut the last component of an absolute path; 0 at "/". */
static int ev_parent(char *p)
{
	size_t n = gs_strlen(p);

	if (n <= 1) {
		return 0;
	}
	while (n > 1 && p[n - 1] != '/') {
		n--;
	}
	p[n > 1 ? n - 1 : 1] = 0;
	return 1;
}

static void ev_put_stat(struct gs_tlv *t, const struct stat *st)
{
	struct goshim_t_stat v = {
		.dev = st->st_dev, .ino = st->st_ino, .mode = st->st_mode,
		.uid = st->st_uid, .gid = st->st_gid, .nlink = (uint32_t)st->st_nlink,
		.size = (uint64_t)st->st_size,
	};
	gs_tlv_put(t, GOSHIM_T_EV_STAT, &v, sizeof(v));
}

static void ev_put_statfs(struct gs_tlv *t, const char *path)
{
	struct statfs sf;

	if (gs_sys2(SYS_statfs, path, &sf) < 0) {
		return;
	}
	struct goshim_t_statfs v = {
		.type = (uint64_t)sf.f_type, .flags = (uint64_t)sf.f_flags,
		.bavail = sf.f_bavail, .bsize = (uint64_t)sf.f_bsize,
		.favail = sf.f_ffree,
	};
	gs_tlv_put(t, GOSHIM_T_EV_STATFS, &v, sizeof(v));
}

void gs_put_path_evidence(struct gs_tlv *t, struct gs_slot *s,
			  const char *abspath, const char *statpath, int err,
			  int known_missing)
{
	struct stat st;
	uint32_t missing = 0;
	char *ev = s->evpath;
	const char *target;

	gs_strlcpy(ev, abspath, sizeof(s->evpath));
	target = statpath ? statpath : ev;
	/* ENOENT from a path lookup already says the path is not there: start
	 * the walk at its parent and save a system call on the common case. */
	if (known_missing && !statpath) {
		if (!ev_parent(ev)) {
			return;
		}
		missing = 1;
	}
	while (gs_sys4(SYS_newfstatat, AT_FDCWD, target, &st, 0) < 0) {
		if (!ev[0] || !ev_parent(ev)) {
			return;
		}
		missing++;
		target = ev;
	}
	gs_tlv_str(t, GOSHIM_T_EV_PATH, ev);
	gs_tlv_u32(t, GOSHIM_T_EV_MISSING, missing);
	ev_put_stat(t, &st);
	if (!gs_ev_light(err)) {
		ev_put_statfs(t, target);
	}
	if (ev_wants_mount(err) && ev[0] == '/' &&
	    gs_mount_of(ev, s->tmp, sizeof(s->tmp), s->work, sizeof(s->work)) > 0) {
		gs_tlv_str(t, GOSHIM_T_EV_MOUNT, s->tmp);
	}
}

void gs_put_cred(struct gs_tlv *t, struct gs_slot *s)
{
	struct goshim_t_cred c = { 0 };
	uint32_t r, e, sv;
	uint32_t *all = (uint32_t *)(void *)s->work;
	long n;

	if (gs_sys3(SYS_getresuid, &r, &e, &sv) == 0) {
		c.uid = r;
		c.euid = e;
	}
	if (gs_sys3(SYS_getresgid, &r, &e, &sv) == 0) {
		c.gid = r;
		c.egid = e;
	}
	n = gs_sys2(SYS_getgroups, sizeof(s->work) / sizeof(uint32_t), all);
	if (n < 0) {
		n = gs_sys2(SYS_getgroups, 0, NULL); /* count only */
		all = NULL;
	}
	c.ngroups = n > 0 ? (uint32_t)n : 0;
	for (long i = 0; all && i < n && i < 16; i++) {
		c.groups[i] = all[i];
	}
	gs_tlv_put(t, GOSHIM_T_EV_CRED, &c, sizeof(c));
}
