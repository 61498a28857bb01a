/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evidence about a path and the caller, read at the time of the failure
 * with raw system calls, as common/evpolicy.h says: stat of the path or
 * its nearest reachable ancestor, statfs of it, the mount that holds it,
 * the caller's credentials.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "evpolicy.h"
#include "sys.h"

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
			  const char *abspath, const char *statpath, unsigned what)
{
	struct stat st;
	uint32_t missing = 0;
	char *ev = s->evpath;
	const char *target;
	long r;

	gs_strlcpy(ev, abspath, sizeof(s->evpath));
	target = statpath ? statpath : ev;
	while ((r = gs_sys4(SYS_newfstatat, AT_FDCWD, target, &st, 0)) < 0) {
		if (!gs_evp_climbs((int)-r) || !gs_evp_parent(ev)) {
			return;
		}
		missing++;
		target = ev;
	}
	gs_tlv_str(t, GOSHIM_T_EV_PATH, ev);
	gs_tlv_u32(t, GOSHIM_T_EV_MISSING, missing);
	ev_put_stat(t, &st);
	if (what & GS_EVP_STATFS) {
		ev_put_statfs(t, target);
	}
	if ((what & GS_EVP_MOUNT) && ev[0] == '/' &&
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
