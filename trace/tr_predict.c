/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Skipping the exit stop of lookups that will succeed.
 *
 * Every watched call costs a seccomp stop at entry; seeing its result
 * costs a second stop at exit, and a stop is two context switches
 * (mostly cross-CPU wake-ups).  In a go build, ~98% of the watched calls
 * are stat/open/access lookups that succeed.  For those the tracer makes
 * the same lookup itself at the entry stop, through the tracee's view of
 * the file system (/proc/TID/cwd, /proc/TID/fd/N), and when it succeeds
 * resumes the tracee with PTRACE_CONT: no exit stop.  When the tracer's
 * lookup fails, the call is followed to its exit as usual, so every
 * failure is still recorded with the kernel's own errno.
 *
 * The tracer's answer equals the tracee's only when both have the same
 * credentials and the same root, so a thread qualifies only when its
 * uids, gids and groups equal the tracer's and its root is the tracer's
 * (checked once per thread; an exec, or any credential, root or
 * namespace change, which the filter stops on too, checks every thread
 * again: tr_predict_reset).  Only pure
 * lookups are predicted (no O_CREAT, O_TRUNC or write access; regular
 * files and directories only).  What remains is a race: a file removed
 * between the tracer's lookup and the tracee's own, whose failure would
 * then go unrecorded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"

/* The tracer's identity, read once. */
static struct {
	int ready;
	char uid[64], gid[64], groups[512], caps[64];
	struct stat root, mnt;
} pd_self;

/* The value of "key" in a /proc status text, up to the end of its line. */
static void pd_line(const char *status, const char *key, char *out, size_t cap)
{
	const char *p = strstr(status, key);
	size_t n = 0;

	out[0] = 0;
	if (!p) {
		return;
	}
	p += strlen(key);
	while (p[n] && p[n] != '\n' && n + 1 < cap) {
		n++;
	}
	memcpy(out, p, n);
	out[n] = 0;
}

/* uids, gids, groups and effective capabilities from /proc/pid/status */
static int pd_ids(pid_t pid, char *uid, char *gid, char *groups, char *caps)
{
	char status[4096];

	if (tr_proc_read(pid, "status", status, sizeof(status)) <= 0) {
		return -1;
	}
	pd_line(status, "\nUid:", uid, 64);
	pd_line(status, "\nGid:", gid, 64);
	pd_line(status, "\nGroups:", groups, 512);
	pd_line(status, "\nCapEff:", caps, 64);
	return uid[0] && gid[0] && caps[0] ? 0 : -1;
}

static int pd_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int pd_self_init(void)
{
	if (pd_self.ready) {
		return pd_self.ready > 0;
	}
	pd_self.ready = -1;
	if (pd_ids(getpid(), pd_self.uid, pd_self.gid, pd_self.groups, pd_self.caps) < 0 ||
	    stat("/", &pd_self.root) < 0 || stat("/proc/self/ns/mnt", &pd_self.mnt) < 0) {
		return 0;
	}
	pd_self.ready = 1;
	return 1;
}

/* Does tid see the file system with the tracer's eyes: same ids, groups
 * and capabilities, same root, same mount namespace? */
static int pd_same_view(pid_t tid)
{
	char uid[64], gid[64], groups[512], caps[64], path[64];
	struct stat root, mnt;

	if (!pd_self_init() || pd_ids(tid, uid, gid, groups, caps) < 0) {
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/root", (int)tid);
	if (stat(path, &root) < 0) {
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)tid);
	if (stat(path, &mnt) < 0) {
		return 0;
	}
	return strcmp(uid, pd_self.uid) == 0 && strcmp(gid, pd_self.gid) == 0 &&
	       strcmp(groups, pd_self.groups) == 0 && strcmp(caps, pd_self.caps) == 0 &&
	       pd_same_file(&root, &pd_self.root) && pd_same_file(&mnt, &pd_self.mnt);
}

/* Opens are predicted only when the process is far from its descriptor
 * limit: EMFILE comes from the count of open files, not from the path
 * (a low limit is the fd-limit pattern, whose failures must be seen). */
#define PD_NOFILE_MIN 65536u

static int pd_fds_plenty(pid_t tid)
{
	struct rlimit rl;

	return prlimit(tid, RLIMIT_NOFILE, NULL, &rl) == 0 && rl.rlim_cur >= PD_NOFILE_MIN;
}

/* The lookup to make, from the call's row and arguments. */
enum pd_kind { PD_NONE, PD_STAT, PD_ACCESS, PD_OPEN };

static enum pd_kind pd_kind_of(uint32_t call)
{
	static const struct { uint32_t call; enum pd_kind kind; } map[] = {
		{ GOSHIM_CALL_sys_stat, PD_STAT },
		{ GOSHIM_CALL_sys_lstat, PD_STAT },
		{ GOSHIM_CALL_sys_newfstatat, PD_STAT },
		{ GOSHIM_CALL_sys_statx, PD_STAT },
		{ GOSHIM_CALL_sys_access, PD_ACCESS },
		{ GOSHIM_CALL_sys_faccessat, PD_ACCESS },
		{ GOSHIM_CALL_sys_faccessat2, PD_ACCESS },
		{ GOSHIM_CALL_sys_open, PD_OPEN },
		{ GOSHIM_CALL_sys_openat, PD_OPEN },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].call == call) {
			return map[i].kind;
		}
	}
	return PD_NONE;
}

static long pd_arg(const struct tr_task *task, const struct tr_sc *s, uint16_t tag,
		   long def)
{
	int i = tr_sc_arg(s, tag);

	return i < 0 ? def : (long)task->args[i];
}

/* The path as the tracer can use it: absolute ones as they are (same
 * root), others below the tracee's cwd or dirfd. */
static int pd_path(const struct tr_task *task, const struct tr_sc *s, char *out,
		   size_t cap)
{
	char path[4096];
	int cut;
	int pi = tr_sc_arg(s, GOSHIM_T_PATH);
	long dirfd = pd_arg(task, s, GOSHIM_T_DIRFD, AT_FDCWD);

	if (pi < 0 || tr_mem_str(task->tid, task->args[pi], path, sizeof(path), &cut) <= 0 ||
	    cut) {
		return -1; /* empty paths (AT_EMPTY_PATH) are not predicted */
	}
	int n = path[0] == '/' ? snprintf(out, cap, "%s", path)
	      : (int)dirfd == AT_FDCWD ? snprintf(out, cap, "/proc/%d/cwd/%s", (int)task->tid, path)
	      : snprintf(out, cap, "/proc/%d/fd/%d/%s", (int)task->tid, (int)dirfd, path);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int pd_lookup(enum pd_kind kind, const char *path, long flags, long amode,
		     int at_flags)
{
	struct stat st;

	switch (kind) {
	case PD_STAT:
		return fstatat(AT_FDCWD, path, &st, at_flags & AT_SYMLINK_NOFOLLOW) == 0;
	case PD_ACCESS:
		return faccessat(AT_FDCWD, path, (int)amode,
				 at_flags & (AT_EACCESS | AT_SYMLINK_NOFOLLOW)) == 0;
	case PD_OPEN:
		if (flags & (O_ACCMODE | O_CREAT | O_TRUNC | O_TMPFILE | O_APPEND | O_NOATIME)) {
			return 0;
		}
		if (fstatat(AT_FDCWD, path, &st, flags & O_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) < 0 ||
		    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ||
		    ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))) {
			return 0;
		}
		return (flags & O_PATH) || faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0;
	case PD_NONE:
		break;
	}
	return 0;
}

/* GOSHIM_TRACE_PREDICT=0 turns prediction off (every call is followed to
 * its exit): for comparing, and for the unconvinced. */
static int pd_enabled(void)
{
	static int on = -1;

	if (on < 0) {
		const char *v = getenv("GOSHIM_TRACE_PREDICT");
		on = !(v && strcmp(v, "0") == 0);
	}
	return on;
}

/* Bumped by every call that may change what a thread sees (credentials,
 * root, namespaces): each thread's view is then checked again. */
static uint32_t pd_generation = 1;

void tr_predict_reset(void)
{
	pd_generation++;
}

int tr_predict_ok(struct tr_task *task)
{
	const struct tr_sc *s = &tr_table[task->sc];
	enum pd_kind kind = pd_kind_of(s->call);
	char path[4200];

	if (kind == PD_NONE || s->arch != TR_X86_64 || !pd_enabled()) {
		return 0;
	}
	if (task->view == 0 || task->view_gen != pd_generation) {
		task->view = !pd_same_view(task->tid) ? -1 : pd_fds_plenty(task->tid) ? 2 : 1;
		task->view_gen = pd_generation;
	}
	if (task->view < 0 || (kind == PD_OPEN && task->view < 2) ||
	    pd_path(task, s, path, sizeof(path)) < 0) {
		return 0;
	}
	long flags = pd_arg(task, s, GOSHIM_T_FLAGS, 0);
	return pd_lookup(kind, path, flags, pd_arg(task, s, GOSHIM_T_AMODE, F_OK),
			 kind == PD_OPEN ? 0 : (int)flags);
}
