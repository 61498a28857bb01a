/* SPDX-License-Identifier: Apache-2.0 */
/* The EVENT record of a failed call: identity, arguments decoded as the
 * table row says, the path made absolute, backtrace and evidence. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "goshim/record.h"
#include "tr.h"

#define EV_PATH_MAX 4096

/* Integer argument tags: stored width and signedness. */
static const struct {
	uint16_t tag;
	uint8_t size;
	uint8_t sign;
} ev_ints[] = {
	{ GOSHIM_T_DIRFD, 4, 1 },   { GOSHIM_T_FLAGS, 8, 0 },
	{ GOSHIM_T_MODE, 4, 0 },    { GOSHIM_T_PROT, 4, 0 },
	{ GOSHIM_T_ADDR, 8, 0 },    { GOSHIM_T_LENGTH, 8, 0 },
	{ GOSHIM_T_FD, 4, 1 },      { GOSHIM_T_OFFSET, 8, 1 },
	{ GOSHIM_T_CLOCKID, 4, 1 }, { GOSHIM_T_AMODE, 4, 1 },
	{ GOSHIM_T_MASK, 4, 0 },
};

/* errnos whose explanation may lie in the mount and the caller's ids */
static const int ev_mount_errnos[] = {
	EACCES, EPERM, EROFS, ENOSPC, ENOEXEC, ETXTBSY,
};

static int ev_wants_mount(int err)
{
	for (size_t i = 0; i < sizeof(ev_mount_errnos) / sizeof(int); i++) {
		if (ev_mount_errnos[i] == err) {
			return 1;
		}
	}
	return 0;
}

static void ev_int(struct gs_tlv *t, uint16_t tag, uint64_t v, int is32)
{
	for (size_t i = 0; i < sizeof(ev_ints) / sizeof(ev_ints[0]); i++) {
		if (ev_ints[i].tag != tag) {
			continue;
		}
		if (is32 && ev_ints[i].sign) {
			v = (uint64_t)(int64_t)(int32_t)v;
		}
		if (ev_ints[i].size == 4) {
			gs_tlv_u32(t, tag, (uint32_t)v);
		} else {
			gs_tlv_u64(t, tag, v);
		}
		return;
	}
}

static void ev_argv(struct gs_tlv *t, pid_t pid, uint64_t addr, int is32)
{
	size_t w = is32 ? 4 : 8;
	char s[GOSHIM_STR_MAX + 1];

	for (unsigned i = 0; addr; i++) {
		uint64_t p = 0;
		int cut;

		if (i == GOSHIM_ARGV_MAX) {
			gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
			return;
		}
		if (tr_mem_read(pid, addr + i * w, &p, w) != (ssize_t)w || !p) {
			return;
		}
		if (tr_mem_str(pid, p, s, sizeof(s), &cut) < 0) {
			return;
		}
		gs_tlv_str(t, GOSHIM_T_ARGV, s);
	}
}

/* abs := path made absolute against dirfd (or the cwd) of pid. */
static void ev_abspath(pid_t pid, const char *path, const struct tr_sc *s,
		       const uint64_t *args, char *abs, size_t cap)
{
	char base[EV_PATH_MAX];
	int di = tr_sc_arg(s, GOSHIM_T_DIRFD);
	int dirfd = di >= 0 ? (int)(int32_t)args[di] : AT_FDCWD;

	if (path[0] == '/') {
		snprintf(abs, cap, "%s", path);
		return;
	}
	if (dirfd == AT_FDCWD) {
		tr_proc_link(pid, "cwd", base, sizeof(base));
	} else {
		char fdp[32];

		snprintf(fdp, sizeof(fdp), "fd/%d", dirfd);
		tr_proc_link(pid, fdp, base, sizeof(base));
	}
	size_t bl = strlen(base), pl = strlen(path);

	abs[0] = 0;
	if (!base[0] || bl + 1 + pl + 1 > cap) {
		return; /* unknown base, or too long to be useful */
	}
	if (bl == 1) {
		bl = 0; /* base "/": no doubled slash */
	}
	memcpy(abs, base, bl);
	if (pl) {
		abs[bl++] = '/';
		memcpy(abs + bl, path, pl);
	}
	abs[bl + pl] = 0;
	if (!abs[0]) {
		strcpy(abs, "/");
	}
}

/* Calls whose fd argument names the file the failure is about. */
static const uint32_t ev_fd_calls[] = {
	GOSHIM_CALL_sys_fallocate, GOSHIM_CALL_sys_ftruncate,
};

/* abs := the file behind pid's fd argument, when the call is one of
 * ev_fd_calls and the fd is a path ("/..."; not a pipe or socket). */
static void ev_fdpath(pid_t pid, const struct tr_sc *s, const uint64_t *args,
		      char *abs, size_t cap)
{
	int fi = tr_sc_arg(s, GOSHIM_T_FD);
	char fdp[32];

	for (size_t i = 0; fi >= 0 && i < sizeof(ev_fd_calls) / sizeof(ev_fd_calls[0]); i++) {
		if (ev_fd_calls[i] == s->call) {
			snprintf(fdp, sizeof(fdp), "fd/%d", (int)(int32_t)args[fi]);
			if (tr_proc_link(pid, fdp, abs, cap) < 0 || abs[0] != '/') {
				abs[0] = 0;
			}
			return;
		}
	}
}

static uint64_t ev_key(const struct tr_task *task, const struct tr_sc *s,
		       int err, const char *path)
{
	uint64_t h = tr_hash(0, &task->tgid, sizeof(task->tgid));

	h = tr_hash(h, &s->call, sizeof(s->call));
	h = tr_hash(h, &err, sizeof(err));
	h = tr_hash(h, &task->ip, sizeof(task->ip));
	return tr_hash(h, path, strlen(path));
}

void tr_event(struct tr_task *task, int64_t rval)
{
	static uint8_t buf[GOSHIM_REC_RAW_MAX];
	const struct tr_sc *s = &tr_table[task->sc];
	int is32 = task->arch == AUDIT_ARCH_I386;
	int err = (int)-rval;
	int pi = tr_sc_arg(s, GOSHIM_T_PATH);
	char path[EV_PATH_MAX] = "", abs[EV_PATH_MAX] = "", str[EV_PATH_MAX];
	int cut = 0, have_path = 0;
	struct gs_tlv t;

	if (pi >= 0) {
		have_path = tr_mem_str(task->tid, task->args[pi], path,
				       sizeof(path), &cut) >= 0;
	}
	uint64_t key = ev_key(task, s, err, path);

	if (tr.st) {
		tr.st->events++;
	}
	if (tr_agg_bump(key)) {
		return;
	}
	tr_rec_begin(&t, buf, sizeof(buf), task->tgid, task->tid, task->ppid);
	gs_tlv_u32(&t, GOSHIM_T_CALL, s->call);
	gs_tlv_i32(&t, GOSHIM_T_ERRNO, err);
	gs_tlv_i64(&t, GOSHIM_T_RET, rval);
	gs_tlv_u32(&t, GOSHIM_T_ARCH, task->arch);
	gs_tlv_u32(&t, GOSHIM_T_SYSNR, task->nr);
	for (int i = 0; i < 6; i++) {
		uint16_t tag = s->arg[i];

		if (tag == GOSHIM_T_PATH) {
			if (have_path) {
				gs_tlv_str(&t, tag, path);
			}
			if (cut) {
				gs_tlv_mark_truncated(&t, tag);
			}
		} else if (tag == GOSHIM_T_NAME) {
			if (tr_mem_str(task->tid, task->args[i], str, sizeof(str), &cut) >= 0) {
				gs_tlv_str(&t, tag, str);
			}
		} else if (tag == GOSHIM_T_ARGV) {
			ev_argv(&t, task->tid, task->args[i], is32);
		} else if (tag) {
			ev_int(&t, tag, task->args[i], is32);
		}
	}
	if (have_path) {
		ev_abspath(task->tid, path, s, task->args, abs, sizeof(abs));
	} else {
		ev_fdpath(task->tid, s, task->args, abs, sizeof(abs));
	}
	if (abs[0]) {
		gs_tlv_str(&t, GOSHIM_T_ABSPATH, abs);
	}
	tr_backtrace(&t, task, rval);
	if (abs[0]) {
		tr_ev_path(&t, task->tid, abs, ev_wants_mount(err));
		if (s->exec) {
			tr_ev_exec(&t, task->tid, abs);
		}
	}
	if (ev_wants_mount(err)) {
		tr_ev_cred(&t, task->tid);
	}
	tr_agg_store(key, tr_rec_emit(&t, GOSHIM_REC_EVENT));
}

/* Same executable as its parent: a fork (or vfork) child that has not
 * exec'd yet, whose parent's PROCESS record describes it. */
static int ev_forked(pid_t pid, pid_t ppid)
{
	char a[64], b[64];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "/proc/%d/exe", (int)pid);
	snprintf(b, sizeof(b), "/proc/%d/exe", (int)ppid);
	return ppid > 0 && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

void tr_fail(struct tr_task *task, int64_t rval)
{
	struct tr_task *leader;

	tr_task_refresh(task);
	leader = tr_task_get(task->tgid);
	if (leader && !leader->proc_written &&
	    !(tr_table[task->sc].exec && ev_forked(task->tgid, task->ppid))) {
		leader->proc_written = 1;
		tr_process_record(task->tgid);
		tr_exits_watch(task->tgid);
	}
	tr_event(task, rval);
}
