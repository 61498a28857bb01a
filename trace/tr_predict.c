/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What to do with a watched call, decided at its notification while the
 * calling thread waits at the call's entry.
 *
 * Every notification costs a round trip to the engine; following a call
 * to its result with ptrace costs several more.  In a go build ~98% of
 * the watched calls are lookups (stat, open, access) and directory or
 * file creations that succeed.  The engine makes the same lookup itself,
 * through the thread's view of the file system (/proc/TID/cwd,
 * /proc/TID/fd/N), and
 *   - when it succeeds, or a creation's preconditions hold (the parent is
 *     a searchable, writable directory on a filesystem with room), lets
 *     the call run (TR_V_GO): nothing to record;
 *   - when a pure lookup fails with ENOENT or ENOTDIR and the same path,
 *     resolved again with RESOLVE_NO_SYMLINKS from the thread's own cwd
 *     or dirfd, fails the same way (so no symbolic link, /proc/self or
 *     /dev/fd among them, made the engine's resolution differ from the
 *     thread's), the call fails with that errno without running: the
 *     engine's lookup happened while the call was in progress, so it is
 *     the answer the kernel would have given (TR_V_FAIL);
 *   - anything else is followed to its result (TR_V_FOLLOW): execve,
 *     memfd_create, fallocate, a failure other than a missing path, a
 *     prediction that cannot be made.
 *
 * The engine's answer equals the thread's only when both have the same
 * credentials, capabilities, user and mount namespaces, root and LSM
 * context, so a thread qualifies only when these equal the engine's
 * (checked once per thread; any credential, root or namespace change,
 * which the filter notifies too, makes every thread be checked again:
 * tr_predict_reset; an exec, its own thread: tr_predict_exec).  An open
 * allocates its descriptor before looking up its path: opens are
 * predicted only while the process is far from its descriptor limit
 * (pd_fd_take), and a low limit (EMFILE, a pattern of the rules) makes every open be
 * followed.  What remains is a race: a file removed between the engine's
 * lookup and the thread's own, whose failure would then go unrecorded;
 * never a different result for the program.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"

/* The engine's identity, read once. */
static struct {
	int ready;
	char uid[64], gid[64], groups[512], caps[64], lsm[256];
	struct stat root, mnt, user;
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

/* The LSM context ("" without one). */
static void pd_lsm(pid_t pid, char *out, size_t cap)
{
	if (tr_proc_read(pid, "attr/current", out, cap) < 0) {
		out[0] = 0;
	}
}

static int pd_self_init(void)
{
	if (pd_self.ready) {
		return pd_self.ready > 0;
	}
	pd_self.ready = -1;
	if (pd_ids(getpid(), pd_self.uid, pd_self.gid, pd_self.groups, pd_self.caps) < 0 ||
	    stat("/", &pd_self.root) < 0 || stat("/proc/self/ns/mnt", &pd_self.mnt) < 0 ||
	    stat("/proc/self/ns/user", &pd_self.user) < 0) {
		return 0;
	}
	pd_lsm(getpid(), pd_self.lsm, sizeof(pd_self.lsm));
	pd_self.ready = 1;
	return 1;
}

/* Does tid see the file system with the engine's eyes: same ids, groups
 * and capabilities, same root, same mount and user namespaces, same LSM
 * context? */
static int pd_same_view(pid_t tid)
{
	char uid[64], gid[64], groups[512], caps[64], path[64], lsm[256];
	struct stat root, mnt, user;

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
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	if (stat(path, &user) < 0) {
		return 0;
	}
	pd_lsm(tid, lsm, sizeof(lsm));
	return strcmp(uid, pd_self.uid) == 0 && strcmp(gid, pd_self.gid) == 0 &&
	       strcmp(groups, pd_self.groups) == 0 && strcmp(caps, pd_self.caps) == 0 &&
	       strcmp(lsm, pd_self.lsm) == 0 && pd_same_file(&root, &pd_self.root) &&
	       pd_same_file(&mnt, &pd_self.mnt) && pd_same_file(&user, &pd_self.user);
}

/* An open allocates a descriptor before it looks its path up: EMFILE
 * comes from the count of open files, not from the path (a low limit is
 * a pattern of the rules, whose failures must be seen).  Opens are
 * predicted only while the process is far from its limit: its open
 * descriptors are counted against RLIMIT_NOFILE, and that many opens
 * minus PD_FD_MARGIN are predicted before the next count (closes are not
 * seen, so the budget only errs low).  A limit change (setrlimit,
 * prlimit64: view rows) or an exec makes a recount. */
#define PD_FD_MARGIN 64

static int32_t pd_fd_count(pid_t tid, rlim_t limit)
{
	char dir[64];
	DIR *d;
	rlim_t n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)tid);
	d = opendir(dir);
	if (!d) {
		return 0;
	}
	while (readdir(d) && n < limit) {
		n++;
	}
	closedir(d);
	n = n >= 2 ? n - 2 : 0; /* "." and ".." */
	return limit > n + PD_FD_MARGIN ? (int32_t)(limit - n - PD_FD_MARGIN > 1u << 30 ? 1u << 30
							: limit - n - PD_FD_MARGIN) : 0;
}

static uint32_t pd_generation = 1;

/* One descriptor may be allocated by task's open without EMFILE. */
static int pd_fd_take(struct tr_task *task)
{
	struct tr_task *lead = task->tgid == task->tid ? task : tr_task_get(task->tgid);
	struct rlimit rl;

	if (!lead) {
		return 0;
	}
	if (lead->fd_gen != pd_generation || lead->fd_budget <= 0) {
		lead->fd_gen = pd_generation;
		lead->fd_budget = prlimit(task->tid, RLIMIT_NOFILE, NULL, &rl) == 0
				  ? pd_fd_count(task->tid, rl.rlim_cur) : 0;
	}
	if (lead->fd_budget <= 0) {
		return 0;
	}
	lead->fd_budget--;
	return 1;
}

/* The lookup to make, from the call's row. */
enum pd_kind { PD_NONE, PD_STAT, PD_LSTAT, PD_ACCESS, PD_OPEN, PD_MKDIR, PD_MMAP, PD_TRUNC };

static enum pd_kind pd_kind_of(uint32_t call)
{
	static const struct { uint32_t call; enum pd_kind kind; } map[] = {
		{ GOSHIM_CALL_sys_stat, PD_STAT },
		{ GOSHIM_CALL_sys_stat64, PD_STAT },
		{ GOSHIM_CALL_sys_lstat, PD_LSTAT },
		{ GOSHIM_CALL_sys_lstat64, PD_LSTAT },
		{ GOSHIM_CALL_sys_newfstatat, PD_STAT },
		{ GOSHIM_CALL_sys_fstatat64, PD_STAT },
		{ GOSHIM_CALL_sys_statx, PD_STAT },
		{ GOSHIM_CALL_sys_access, PD_ACCESS },
		{ GOSHIM_CALL_sys_faccessat, PD_ACCESS },
		{ GOSHIM_CALL_sys_faccessat2, PD_ACCESS },
		{ GOSHIM_CALL_sys_open, PD_OPEN },
		{ GOSHIM_CALL_sys_openat, PD_OPEN },
		{ GOSHIM_CALL_sys_mkdir, PD_MKDIR },
		{ GOSHIM_CALL_sys_mkdirat, PD_MKDIR },
		{ GOSHIM_CALL_sys_mmap, PD_MMAP },
		{ GOSHIM_CALL_sys_mmap2, PD_MMAP },
		{ GOSHIM_CALL_sys_ftruncate, PD_TRUNC },
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

	return i < 0 ? def : (long)(int32_t)task->args[i];
}

/* The call's path as the thread passed it (raw) and as the engine can use
 * it (out): absolute ones as they are (same root), others below the
 * thread's cwd or dirfd. */
static int pd_path(const struct tr_task *task, const struct tr_sc *s, char *raw,
		   size_t rcap, char *out, size_t cap)
{
	int cut;
	int pi = tr_sc_arg(s, GOSHIM_T_PATH);
	char what[32];

	raw[0] = 1;
	if (pi < 0 || tr_mem_str(task->tid, task->args[pi], raw, rcap, &cut) <= 0 || cut) {
		return -1; /* empty paths (AT_EMPTY_PATH) are not predicted */
	}
	tr_sc_base(s, task->args, what, sizeof(what));
	int n = raw[0] == '/' ? snprintf(out, cap, "%s", raw)
			      : snprintf(out, cap, "/proc/%d/%s/%s", (int)task->tid, what, raw);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* The failed lookup of raw, resolved again from the thread's own cwd or
 * dirfd with no symbolic link allowed: does it fail with err too? */
static int pd_same_failure(const struct tr_task *task, const struct tr_sc *s,
			   const char *raw, int nofollow, int err)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0),
				.resolve = RESOLVE_NO_SYMLINKS };
	int base = AT_FDCWD;
	long fd;

	if (raw[0] != '/') {
		char what[32], p[64];

		tr_sc_base(s, task->args, what, sizeof(what));
		snprintf(p, sizeof(p), "/proc/%d/%s", (int)task->tid, what);
		base = open(p, O_PATH | O_CLOEXEC);
		if (base < 0) {
			return 0;
		}
	}
	fd = syscall(SYS_openat2, base, raw, &how, sizeof(how));
	int e = fd < 0 ? errno : 0;

	if (fd >= 0) {
		close((int)fd);
	}
	if (base >= 0) {
		close(base);
	}
	return e == err;
}

/* The parent directory of path (the text before its last component,
 * trailing slashes aside) is
 * searchable and writable by the thread's credentials (so not on a
 * read-only mount), on a filesystem with a free inode and a free block. */
static int pd_parent_room(const char *path)
{
	char dir[4200];
	size_t n = strlen(path);
	struct statfs fs;
	struct stat st;

	if (n == 0 || n >= sizeof(dir)) {
		return 0;
	}
	memcpy(dir, path, n + 1);
	while (n > 1 && dir[n - 1] == '/') {
		n--; /* mkdir("dir/") */
	}
	while (n > 0 && dir[n - 1] != '/') {
		n--;
	}
	if (n == 0) {
		return 0;
	}
	dir[n] = 0;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0 &&
	       statfs(dir, &fs) == 0 && (fs.f_files == 0 || fs.f_ffree > 0) && fs.f_bavail > 0;
}

#define PD_WRITE (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

/* An open for writing or creating will succeed. */
static int pd_open_write(const char *path, long flags)
{
	struct stat st;
	int amode = 0;

	if (flags & (O_TMPFILE | O_PATH)) {
		return 0;
	}
	if (fstatat(AT_FDCWD, path, &st, flags & O_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) < 0) {
		return errno == ENOENT && (flags & O_CREAT) && pd_parent_room(path);
	}
	if (((flags & O_CREAT) && (flags & O_EXCL)) ||
	    !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
		return 0;
	}
	amode |= (flags & O_ACCMODE) != O_WRONLY ? R_OK : 0;
	amode |= (flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_APPEND)) ? W_OK : 0;
	return faccessat(AT_FDCWD, path, amode, AT_EACCESS) == 0;
}

/* A read-only open: 1 will succeed, 0 fails with errno, -1 unsure. */
static int pd_open_read(const char *path, long flags)
{
	struct stat st;

	if (fstatat(AT_FDCWD, path, &st, flags & O_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) < 0) {
		return 0;
	}
	if (!(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISCHR(st.st_mode)) ||
	    ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))) {
		return -1;
	}
	/* the mode bits grant it (one system call less; an ACL entry that
	 * denies what they grant is missed: a lost record, nothing more) */
	if ((flags & O_PATH) || (st.st_mode & S_IROTH) ||
	    (st.st_uid == geteuid() && (st.st_mode & S_IRUSR))) {
		return 1;
	}
	return faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0 ? 1 : -1;
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* A huge or fixed mapping will succeed: not MAP_FIXED_NOREPLACE (which
 * fails over an existing mapping), no address-space limit, and
 * either nothing committed (PROT_NONE, MAP_NORESERVE, overcommit always)
 * or less than the heuristic overcommit could refuse. */
static int pd_mmap(const struct tr_task *task)
{
	static long overcommit = -1;
	struct rlimit rl;
	uint64_t len = task->args[1], prot = task->args[2], flags = task->args[3];

	if (overcommit < 0) {
		char b[16] = "";
		FILE *f = fopen("/proc/sys/vm/overcommit_memory", "re");

		overcommit = f && fgets(b, sizeof(b), f) ? atol(b) : 2;
		if (f) {
			fclose(f);
		}
	}
	if ((flags & MAP_FIXED_NOREPLACE) || /* EEXIST over a mapping */
	    prlimit(task->tid, RLIMIT_AS, NULL, &rl) < 0 || rl.rlim_cur != RLIM_INFINITY ||
	    overcommit == 2) {
		return 0;
	}
	return prot == PROT_NONE || (flags & MAP_NORESERVE) || overcommit == 1 ||
	       len < (1ull << 30);
}

/* An x86_64 ftruncate will succeed (the go command sizes each file it
 * puts in its cache: followed, each cost a ptrace round of its own).  The
 * descriptor is open for writing on a regular file that is not a memfd
 * (seals) and neither append-only nor immutable; the length is within
 * RLIMIT_FSIZE and any filesystem's bound; the filesystem has room for
 * the whole growth, as if none were sparse.  Anything else (ENOSPC,
 * EFBIG and SIGXFSZ, EPERM, EINVAL, EBADF) is followed. */
#define PD_TRUNC_MAX (1ll << 40)

static int pd_trunc(const struct tr_task *task)
{
	char p[64], info[256], link[16];
	const char *f;
	struct statx sx;
	struct statfs fs;
	struct rlimit rl;
	int64_t len = (int64_t)task->args[1];
	int fd = (int)task->args[0];
	unsigned long flags;

	if (task->arch != AUDIT_ARCH_X86_64 || fd < 0 || len < 0 || len >= PD_TRUNC_MAX) {
		return 0;
	}
	snprintf(p, sizeof(p), "fdinfo/%d", fd);
	if (tr_proc_read(task->tid, p, info, sizeof(info)) <= 0 ||
	    !(f = strstr(info, "flags:")) || sscanf(f + 6, "%lo", &flags) != 1 ||
	    (flags & O_ACCMODE) == O_RDONLY || (flags & O_PATH)) {
		return 0;
	}
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)task->tid, fd);
	ssize_t n = readlink(p, link, sizeof(link));

	if (n < 0 || (n >= 7 && memcmp(link, "/memfd:", 7) == 0) ||
	    statx(AT_FDCWD, p, 0, STATX_TYPE | STATX_SIZE, &sx) < 0 || !S_ISREG(sx.stx_mode) ||
	    (sx.stx_attributes & (STATX_ATTR_APPEND | STATX_ATTR_IMMUTABLE)) ||
	    statfs(p, &fs) < 0 || prlimit(task->tid, RLIMIT_FSIZE, NULL, &rl) < 0 ||
	    (rl.rlim_cur != RLIM_INFINITY && (uint64_t)len > rl.rlim_cur)) {
		return 0;
	}
	uint64_t grow = (uint64_t)len > sx.stx_size ? (uint64_t)len - sx.stx_size : 0;

	return fs.f_bavail > 0 && fs.f_bsize > 0 && grow / (uint64_t)fs.f_bsize < fs.f_bavail;
}

/* GOSHIM_TRACE_PREDICT=0 turns prediction off (every call is followed to
 * its result): for comparing, and for the unconvinced. */
static int pd_enabled(void)
{
	static int on = -1;

	if (on < 0) {
		const char *v = getenv("GOSHIM_TRACE_PREDICT");
		on = !(v && strcmp(v, "0") == 0);
	}
	return on;
}

/* pd_generation is bumped by every call that may change what a thread
 * sees (credentials, root, namespaces, limits): views and descriptor
 * budgets are then checked again. */

void tr_predict_reset(void)
{
	pd_generation++;
}

/* The leader's state of task's process, NULL when unknown. */
static struct tr_task *pd_leader(const struct tr_task *task)
{
	return task->tgid == task->tid ? (struct tr_task *)task : tr_task_find(task->tgid);
}

void tr_predict_view_change(pid_t tid)
{
	struct tr_task *t = tr_task_get(tid), *lead = t ? tr_task_get(t->tgid) : NULL;

	tr_predict_reset();
	if (lead) {
		lead->view_mixed = 1;
	}
}

void tr_predict_exec(struct tr_task *task)
{
	task->view = 0;
	task->view_mixed = 0;
	task->fd_gen = 0; /* the leader now: its budget is counted again */
}

/* A thread's view, checked once per generation (pd_same_view: its
 * status, root, namespaces and LSM context, ~0.5 ms on a loaded machine
 * at a new thread's first call, long enough for Go to start another
 * thread).  A new thread of a process born under the filter (run) takes
 * its leader's view of this generation instead, unless a thread of the
 * process changed its credentials, root or namespaces (a view row) or a
 * thread other than the leader exec'd since the process's own exec: its
 * credentials and namespaces then came from a thread that saw as the
 * leader sees. */
static int8_t pd_view(const struct tr_task *task)
{
	const struct tr_task *lead;

	if (task->view == 0 && tr.root_child && task->tgid != task->tid &&
	    (lead = pd_leader(task)) && lead->view != 0 && lead->view_gen == pd_generation &&
	    !lead->view_mixed) {
		return lead->view;
	}
	return pd_same_view(task->tid) ? 1 : -1;
}

/* A lookup failed with e: answer it, or follow it when unsure.  EEXIST
 * is mkdir's: the engine found the name, and the same resolution with no
 * symbolic link finds it too (e == 0 there). */
static enum tr_verdict pd_failed(const struct tr_task *task, const struct tr_sc *s,
				 const char *raw, int nofollow, int e, int *err)
{
	if ((e != ENOENT && e != ENOTDIR && e != EEXIST) ||
	    !pd_same_failure(task, s, raw, nofollow, e == EEXIST ? 0 : e)) {
		return TR_V_FOLLOW;
	}
	*err = e;
	return TR_V_FAIL;
}

/* The path of the call tr_predict looked at last, as the thread passed it. */
static char pd_raw[4096];

const char *tr_predict_path(void)
{
	return pd_raw;
}

enum tr_verdict tr_predict(struct tr_task *task, int *err)
{
	const struct tr_sc *s = &tr_table[task->sc];
	enum pd_kind kind = pd_kind_of(s->call);
	char *raw = pd_raw, path[4200];
	struct stat st;

	pd_raw[0] = 0;
	if (s->exec && task->tgid != task->tid && pd_leader(task)) {
		pd_leader(task)->view_mixed = 1; /* the leader's state is the exec'd program's */
	}
	if (kind == PD_NONE || !pd_enabled()) {
		return TR_V_FOLLOW;
	}
	if (kind == PD_MMAP) {
		return pd_mmap(task) ? TR_V_GO : TR_V_FOLLOW;
	}
	if (task->view == 0 || task->view_gen != pd_generation) {
		task->view = pd_view(task);
		task->view_gen = pd_generation;
	}
	long flags = pd_arg(task, s, GOSHIM_T_FLAGS, 0);

	if (task->view < 0) {
		return TR_V_FOLLOW;
	}
	if (kind == PD_TRUNC) {
		return pd_trunc(task) ? TR_V_GO : TR_V_FOLLOW;
	}
	if (pd_path(task, s, raw, sizeof(pd_raw), path, sizeof(path)) < 0) {
		/* fstat by another name: fails only for a bad descriptor */
		return kind == PD_STAT && raw[0] == 0 && (flags & AT_EMPTY_PATH) ? TR_V_GO
										 : TR_V_FOLLOW;
	}
	int nofollow = kind == PD_LSTAT || (kind != PD_OPEN && (flags & AT_SYMLINK_NOFOLLOW));

	switch (kind) {
	case PD_STAT:
	case PD_LSTAT:
		if (fstatat(AT_FDCWD, path, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) == 0) {
			return TR_V_GO;
		}
		return pd_failed(task, s, raw, nofollow, errno, err);
	case PD_ACCESS:
		if (faccessat(AT_FDCWD, path, (int)pd_arg(task, s, GOSHIM_T_AMODE, F_OK),
			      (int)flags & (AT_EACCESS | AT_SYMLINK_NOFOLLOW)) == 0) {
			return TR_V_GO;
		}
		return pd_failed(task, s, raw, nofollow, errno, err);
	case PD_OPEN:
		if (!pd_fd_take(task)) {
			return TR_V_FOLLOW;
		}
		if (flags & PD_WRITE) {
			return pd_open_write(path, flags) ? TR_V_GO : TR_V_FOLLOW;
		}
		switch (pd_open_read(path, flags)) {
		case 1:
			return TR_V_GO;
		case 0:
			return pd_failed(task, s, raw, (flags & O_NOFOLLOW) != 0, errno, err);
		default:
			return TR_V_FOLLOW;
		}
	case PD_MKDIR:
		if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			/* the name exists: EEXIST comes before any other check */
			return pd_failed(task, s, raw, 1, EEXIST, err);
		}
		if (errno == ENOENT && pd_parent_room(path)) {
			return TR_V_GO;
		}
		return TR_V_FOLLOW;
	default:
		return TR_V_FOLLOW;
	}
}
