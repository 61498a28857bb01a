/* SPDX-License-Identifier: Apache-2.0 */
/* Path and credential evidence as common/evpolicy.h says, read from the
 * tracee's side: its root (/proc/PID/root, symlinks resolved inside it),
 * its mountinfo, its ids. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "evpolicy.h"
#include "goshim/record.h"
#include "mountinfo.h"
#include "tr.h"

#define EVP_MAX 4096
#define EVP_MOUNTINFO (64 * 1024)

/* EV_MOUNT of the mount holding fd (a descriptor of path) in pid's view:
 * its mount id from statx against /proc/PID/mountinfo (common/mountinfo.h). */
static void evp_mount(struct gs_tlv *t, pid_t pid, int fd, const char *path)
{
	static char work[EVP_MOUNTINFO]; /* single-threaded engine */
	char out[EVP_MAX + 512 + 64 + 8], p[64];
	struct statx sx;
	uint64_t id = 0;
	int mi;

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID, &sx) == 0 &&
	    (sx.stx_mask & STATX_MNT_ID)) {
		id = sx.stx_mnt_id;
	}
	snprintf(p, sizeof(p), "/proc/%d/mountinfo", (int)pid);
	mi = open(p, O_RDONLY | O_CLOEXEC);
	if (mi < 0) {
		return;
	}
	if (gs_mount_find(gs_mi_read_fd, &mi, path, id, out, sizeof(out), work, sizeof(work)) > 0) {
		gs_tlv_str(t, GOSHIM_T_EV_MOUNT, out);
	}
	close(mi);
}

void tr_ev_path(struct gs_tlv *t, pid_t pid, const char *abspath, unsigned what)
{
	char cur[EVP_MAX];
	uint32_t missing = 0;
	struct stat sb;
	struct statfs sf;
	int fd;

	snprintf(cur, sizeof(cur), "%s", abspath);
	for (;;) {
		fd = tr_root_open(pid, cur, O_PATH);
		if (fd >= 0 || !gs_evp_climbs(-fd) || !gs_evp_parent(cur)) {
			break;
		}
		missing++;
	}
	if (fd < 0) {
		return;
	}
	gs_tlv_str(t, GOSHIM_T_EV_PATH, cur);
	gs_tlv_u32(t, GOSHIM_T_EV_MISSING, missing);
	if (fstat(fd, &sb) == 0) {
		struct goshim_t_stat s = {
			.dev = sb.st_dev, .ino = sb.st_ino, .mode = sb.st_mode,
			.uid = sb.st_uid, .gid = sb.st_gid,
			.nlink = (uint32_t)sb.st_nlink, .size = (uint64_t)sb.st_size,
		};
		gs_tlv_put(t, GOSHIM_T_EV_STAT, &s, sizeof(s));
	}
	if ((what & GS_EVP_STATFS) && fstatfs(fd, &sf) == 0) {
		struct goshim_t_statfs f = {
			.type = (uint64_t)sf.f_type, .flags = (uint64_t)sf.f_flags,
			.bavail = sf.f_bavail, .bsize = (uint64_t)sf.f_bsize,
			.favail = sf.f_ffree,
		};
		gs_tlv_put(t, GOSHIM_T_EV_STATFS, &f, sizeof(f));
	}
	if (what & GS_EVP_MOUNT) {
		evp_mount(t, pid, fd, cur);
	}
	close(fd);
}

/* The numbers after "key" in status text, at most max. */
static unsigned evp_ids(const char *status, const char *key, uint32_t *out,
			unsigned max)
{
	const char *l = strstr(status, key);
	unsigned n = 0;

	if (!l) {
		return 0;
	}
	l += strlen(key);
	while (*l && *l != '\n') {
		char *end;
		unsigned long v = strtoul(l, &end, 10);

		if (end == l) {
			l++;
			continue;
		}
		if (n < max) {
			out[n] = (uint32_t)v;
		}
		n++;
		l = end;
	}
	return n;
}

void tr_ev_cred(struct gs_tlv *t, pid_t pid)
{
	char status[4096];
	uint32_t u[4] = { 0 }, g[4] = { 0 };
	struct goshim_t_cred c = { 0 };

	if (tr_proc_read(pid, "status", status, sizeof(status)) <= 0) {
		return;
	}
	evp_ids(status, "\nUid:", u, 4);
	evp_ids(status, "\nGid:", g, 4);
	c.uid = u[0];
	c.euid = u[1];
	c.gid = g[0];
	c.egid = g[1];
	c.ngroups = evp_ids(status, "\nGroups:", c.groups, 16);
	gs_tlv_put(t, GOSHIM_T_EV_CRED, &c, sizeof(c));
}
