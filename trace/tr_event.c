/* SPDX-License-Identifier: Apache-2.0 */
/* The EVENT record of a failed call: identity, arguments decoded as the
 * table row says, the path made absolute, backtrace and evidence. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "evpolicy.h"
#include "goshim/record.h"
#include "mmclass.h"
#include "tags.h"
#include "tr.h"

#define EV_PATH_MAX 4096

/* An integer argument, stored at the width of its tag (record.h); a signed
 * one of a 32-bit tracee is sign-extended first. */
static void ev_int(struct gs_tlv *t, uint16_t tag, uint64_t v, int is32)
{
	const struct gs_tag_info *i = gs_tag_info(tag);

	if (!i || i->kind != GS_TK_INT) {
		return;
	}
	if (is32 && i->is_signed) {
		v = (uint64_t)(int64_t)(int32_t)v;
	}
	if (i->width == 4) {
		gs_tlv_u32(t, tag, (uint32_t)v);
	} else {
		gs_tlv_u64(t, tag, v);
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

/* Calls whose flags are AT_* flags: with AT_EMPTY_PATH, an empty path
 * names the dirfd (or the cwd) itself.  Any other empty path fails with
 * ENOENT before a lookup is made: it names nothing. */
static const uint32_t ev_empty_calls[] = {
	GOSHIM_CALL_sys_newfstatat, GOSHIM_CALL_sys_fstatat64, GOSHIM_CALL_sys_statx,
	GOSHIM_CALL_sys_faccessat2, GOSHIM_CALL_sys_execveat,
};

static int ev_empty_names_base(const struct tr_sc *s, const uint64_t *args)
{
	int fi = tr_sc_arg(s, GOSHIM_T_FLAGS);

	for (size_t i = 0; fi >= 0 && i < sizeof(ev_empty_calls) / sizeof(uint32_t); i++) {
		if (ev_empty_calls[i] == s->call) {
			return (args[fi] & AT_EMPTY_PATH) != 0;
		}
	}
	return 0;
}

/* base (the text of pid's /proc/PID/<what> link) is the path of that
 * directory inside pid's root: absolute, and the same inode (not
 * "pipe:[N]", not a deleted directory's "... (deleted)", not a directory
 * outside the root). */
static int ev_base_ok(pid_t pid, const char *what, const char *base)
{
	char p[64], in_root[EV_PATH_MAX + 64];
	struct stat a, b;

	if (base[0] != '/') {
		return 0;
	}
	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, what);
	snprintf(in_root, sizeof(in_root), "/proc/%d/root%s", (int)pid, base);
	return stat(p, &a) == 0 && stat(in_root, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* abs := path made absolute against dirfd (or the cwd) of pid, as the
 * kernel resolved it; "" when it named nothing or its base is unknown. */
static void ev_abspath(pid_t pid, const char *path, const struct tr_sc *s,
		       const uint64_t *args, char *abs, size_t cap)
{
	char base[EV_PATH_MAX], what[32];

	abs[0] = 0;
	if (path[0] == '/') {
		snprintf(abs, cap, "%s", path);
		return;
	}
	if (!path[0] && !ev_empty_names_base(s, args)) {
		return;
	}
	tr_sc_base(s, args, what, sizeof(what));
	tr_proc_link(pid, what, base, sizeof(base));
	size_t bl = strlen(base), pl = strlen(path);

	if (!ev_base_ok(pid, what, base) || bl + 1 + pl + 1 > cap) {
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

int tr_sc_fd_names_file(const struct tr_sc *s)
{
	for (size_t i = 0; i < sizeof(ev_fd_calls) / sizeof(ev_fd_calls[0]); i++) {
		if (ev_fd_calls[i] == s->call) {
			return tr_sc_arg(s, GOSHIM_T_FD) >= 0;
		}
	}
	return 0;
}

/* abs := the file behind pid's fd argument, when the call is one of
 * ev_fd_calls and the fd is a path ("/..."; not a pipe or socket). */
static void ev_fdpath(pid_t pid, const struct tr_sc *s, const uint64_t *args,
		      char *abs, size_t cap)
{
	char fdp[32];

	if (tr_sc_fd_names_file(s)) {
		snprintf(fdp, sizeof(fdp), "fd/%d", (int)(int32_t)args[tr_sc_arg(s, GOSHIM_T_FD)]);
		if (tr_proc_link(pid, fdp, abs, cap) < 0 || abs[0] != '/') {
			abs[0] = 0;
		}
	}
}

/* What makes two failures one record: process, call, errno, pc, path,
 * and an mmap's class (common/mmclass.h). */
static uint64_t ev_key(const struct tr_task *task, const struct tr_sc *s,
		       int err, const char *path)
{
	uint64_t h = tr_hash(0, &task->tgid, sizeof(task->tgid));

	h = tr_hash(h, &s->call, sizeof(s->call));
	h = tr_hash(h, &err, sizeof(err));
	h = tr_hash(h, &task->ip, sizeof(task->ip));
	if (tr_sc_arg(s, GOSHIM_T_ADDR) >= 0) {
		int fi = tr_sc_arg(s, GOSHIM_T_FLAGS);
		uint32_t mc = gs_mmap_class(task->args[tr_sc_arg(s, GOSHIM_T_LENGTH)],
					    fi >= 0 ? task->args[fi] : 0);
		h = tr_hash(h, &mc, sizeof(mc));
	}
	return tr_hash(h, path, strlen(path));
}

/* The record of the failure being captured, built whole while the thread
 * still waits at the call (its memory, its cwd, its stack, the files it
 * names): every file the evidence needs is opened and closed before the
 * call is answered, so the engine holds nothing in the process's
 * filesystems once it goes on (it may unmount one next).  Only the write
 * into the ring comes after.  The engine is single-threaded: one capture
 * at a time. */
static struct {
	struct gs_tlv t;
	uint8_t buf[GOSHIM_REC_RAW_MAX];
	int64_t rval;
	uint64_t key;
	int have_path, cut;
	char path[EV_PATH_MAX], abs[EV_PATH_MAX], exe[EV_PATH_MAX];
	uint64_t pcs[GOSHIM_FRAMES_MAX];
	unsigned npcs;
	int own_view;        /* the thread shares the engine's view: its
	                      * evidence is read without /proc/TID       */
} ev_cap;

static void ev_build(struct tr_task *task);

static int ev_capture(struct tr_task *task, int64_t rval)
{
	const struct tr_sc *s = &tr_table[task->sc];
	int pi = tr_sc_arg(s, GOSHIM_T_PATH);

	ev_cap.rval = rval;
	ev_cap.path[0] = ev_cap.abs[0] = 0;
	ev_cap.cut = ev_cap.have_path = 0;
	if (pi >= 0) {
		ev_cap.have_path = tr_mem_str(task->tid, task->args[pi], ev_cap.path,
					      sizeof(ev_cap.path), &ev_cap.cut) >= 0;
	}
	ev_cap.key = ev_key(task, s, (int)-rval, ev_cap.path);
	if (tr.st) {
		tr.st->events++;
	}
	if (tr_agg_bump(ev_cap.key)) {
		return 0;
	}
	if (ev_cap.have_path) {
		ev_abspath(task->tid, ev_cap.path, s, task->args, ev_cap.abs, sizeof(ev_cap.abs));
	} else {
		ev_fdpath(task->tid, s, task->args, ev_cap.abs, sizeof(ev_cap.abs));
	}
	ev_cap.npcs = tr_backtrace_walk(task, rval, ev_cap.pcs);
	if (tr_proc_link(task->tid, "exe", ev_cap.exe, sizeof(ev_cap.exe)) < 0) {
		ev_cap.exe[0] = 0;
	}
	ev_cap.own_view = task->view > 0;
	ev_build(task);
	return 1;
}

static void ev_build(struct tr_task *task)
{
	const struct tr_sc *s = &tr_table[task->sc];
	int is32 = task->arch == AUDIT_ARCH_I386;
	int64_t rval = ev_cap.rval;
	int err = (int)-rval, cut;
	unsigned what = gs_evp_of(err, s->exec);
	const char *abs = ev_cap.abs;
	char str[EV_PATH_MAX];
	struct gs_tlv *t = &ev_cap.t;

	tr_rec_begin_exe(t, ev_cap.buf, sizeof(ev_cap.buf), task->tgid, task->tid, task->ppid,
			 ev_cap.exe);
	gs_tlv_u32(t, GOSHIM_T_CALL, s->call);
	gs_tlv_i32(t, GOSHIM_T_ERRNO, err);
	gs_tlv_i64(t, GOSHIM_T_RET, rval);
	gs_tlv_u32(t, GOSHIM_T_ARCH, task->arch);
	gs_tlv_u32(t, GOSHIM_T_SYSNR, task->nr);
	for (int i = 0; i < 6; i++) {
		uint16_t tag = s->arg[i];

		if (tag == GOSHIM_T_PATH) {
			if (ev_cap.have_path) {
				gs_tlv_str(t, tag, ev_cap.path);
			}
			if (ev_cap.cut) {
				gs_tlv_mark_truncated(t, tag);
			}
		} else if (tag == GOSHIM_T_NAME) {
			if (tr_mem_str(task->tid, task->args[i], str, sizeof(str), &cut) >= 0) {
				gs_tlv_str(t, tag, str);
			}
		} else if (tag == GOSHIM_T_ARGV) {
			ev_argv(t, task->tid, task->args[i], is32);
		} else if (tag) {
			ev_int(t, tag, task->args[i], is32);
		}
	}
	if (abs[0]) {
		gs_tlv_str(t, GOSHIM_T_ABSPATH, abs);
	}
	tr_backtrace_put(t, task, ev_cap.pcs, ev_cap.npcs);
	if (abs[0]) {
		/* the engine's own view serves unless the tracee's mountinfo is read */
		tr_ev_path(t, ev_cap.own_view && !(what & GS_EVP_MOUNT) ? 0 : task->tid, abs,
			   what);
		if (s->exec) {
			tr_ev_exec(t, task->tid, abs);
		}
	}
	if (what & GS_EVP_CRED) {
		tr_ev_cred(t, task->tid);
	}
}

static void ev_emit(void)
{
	tr_agg_store(ev_cap.key, tr_rec_emit_event(&ev_cap.t));
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

/* The PROCESS record of task's process, before its first event. */
static void ev_process_first(struct tr_task *task)
{
	struct tr_task *leader = tr_task_get(task->tgid);

	if (leader && !leader->proc_written &&
	    !(tr_table[task->sc].exec && ev_forked(task->tgid, task->ppid))) {
		leader->proc_written = 1;
		tr_process_record(task->tgid);
		tr_exits_watch(task->tgid);
	}
}

int tr_fail_known(const struct tr_task *task, int64_t rval, const char *path, uint64_t *key)
{
	*key = ev_key(task, &tr_table[task->sc], (int)-rval, path);
	return tr_agg_known(*key);
}

int tr_fail_capture(struct tr_task *task, int64_t rval)
{
	tr_task_refresh(task);
	ev_process_first(task);
	return ev_capture(task, rval);
}

void tr_fail_emit(struct tr_task *task)
{
	(void)task;
	ev_emit();
}

uint64_t tr_fail(struct tr_task *task, int64_t rval)
{
	if (tr_fail_capture(task, rval)) {
		ev_emit();
	}
	return ev_cap.key;
}
