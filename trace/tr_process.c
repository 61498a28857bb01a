/* SPDX-License-Identifier: Apache-2.0 */
/* PROCESS records (identity, argv, cwd, Go-relevant environment, seccomp
 * state, rlimits, uname) and EXIT records.
 *
 * The EXIT record of a process that died non-zero carries EV_PATH +
 * EV_STATFS pairs for the filesystems it was writing to: its TMPDIR
 * (/tmp when unset), GOTMPDIR, GOCACHE (else $XDG_CACHE_HOME/go-build,
 * else $HOME/.cache/go-build) and cwd, one pair per filesystem (st_dev),
 * EV_PATH being the path or its nearest existing ancestor.  A reaped
 * process has no /proc entry left, so these paths are taken from the
 * environ and cwd read for its PROCESS record (at exec, or at its first
 * failure), and kept per pid (px_ below).  At exit they are resolved:
 *   - in the engine's own view when the process shared our mount
 *     namespace and root (no fd kept: the common case);
 *   - else through an O_PATH fd of its /proc/PID/root opened at the
 *     PROCESS record and shared by every process of that namespace and
 *     root (PX_ROOTS of them at most, least recently captured evicted).
 *     Such a namespace's mounts are seen only while a process keeps it
 *     alive (the fd does not: holding the namespace would keep its
 *     mounts busy after the tree is done with them).  When no other
 *     remembered process of it is alive, the paths could resolve on the
 *     wrong filesystem: no pairs are written.
 * A process that never had a PROCESS record of its own (a fork that did
 * not exec) takes its parent's paths.  Cost, measured: see tr_exit_record.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "goshim/record.h"
#include "container.h"
#include "procfacts.h"
#include "runid.h"
#include "tr.h"

#define PR_BUF_MAX (256 * 1024)

static int pr_env_wanted(const char *kv)
{
	for (size_t i = 0; i < gs_proc_env_n; i++) {
		size_t n = strlen(gs_proc_env[i]);

		if (strncmp(kv, gs_proc_env[i], n) == 0 && kv[n] == '=') {
			return 1;
		}
	}
	return 0;
}

void tr_put_seccomp(struct gs_tlv *t, const char *status)
{
	struct goshim_t_seccomp s = {
		.mode = (int32_t)tr_status_field(status, "\nSeccomp:", -1),
		.filters = (int32_t)tr_status_field(status, "\nSeccomp_filters:", -1),
		.no_new_privs = (int32_t)tr_status_field(status, "\nNoNewPrivs:", -1),
		.tracer_pid = (int32_t)tr_status_field(status, "\nTracerPid:", -1),
	};
	gs_tlv_put(t, GOSHIM_T_SECCOMP, &s, sizeof(s));
}

/* --- the filesystems an EXIT record reports on ---------------------------- */

#define PX_SLOTS 1024u  /* processes remembered, by pid modulo           */
#define PX_ROOTS 16     /* foreign roots kept open (O_PATH fds)          */

enum { PX_TMPDIR, PX_GOTMPDIR, PX_GOCACHE, PX_CWD, PX_PATHS };
enum { PX_OWN = -1, PX_UNKNOWN = -2 };

/* A mount namespace + root directory, as (ns inode, root dev, root ino). */
struct px_key {
	uint64_t ns, dev, ino;
};

struct px_root {
	struct px_key key;
	int fd;              /* O_PATH of /proc/PID/root                */
	uint64_t used;       /* capture clock of its last use; 0 = free */
};

struct px_proc {
	pid_t pid;           /* 0: free */
	int root;            /* px_roots index, PX_OWN or PX_UNKNOWN */
	struct px_key key;   /* the root it was captured with */
	char *path[PX_PATHS];
};

static struct px_proc px_tab[PX_SLOTS];
static struct px_root px_roots[PX_ROOTS];
static struct px_key px_self;
static int px_self_ok;
static uint64_t px_clock;

static int px_key_of(const char *proc, struct px_key *k)
{
	char p[64];
	struct stat ns, root;

	snprintf(p, sizeof(p), "%s/ns/mnt", proc);
	if (stat(p, &ns) < 0) {
		return -1;
	}
	snprintf(p, sizeof(p), "%s/root", proc);
	if (stat(p, &root) < 0) {
		return -1;
	}
	k->ns = ns.st_ino;
	k->dev = root.st_dev;
	k->ino = root.st_ino;
	return 0;
}

static int px_key_eq(const struct px_key *a, const struct px_key *b)
{
	return a->ns == b->ns && a->dev == b->dev && a->ino == b->ino;
}

/* The px_roots slot for pid's root (opened when new), or PX_OWN/UNKNOWN. */
static int px_root_of(pid_t pid, struct px_key *k)
{
	char p[64];
	int lru = 0;

	snprintf(p, sizeof(p), "/proc/%d", (int)pid);
	if (!px_self_ok) {
		px_self_ok = px_key_of("/proc/self", &px_self) == 0;
	}
	if (!px_self_ok || px_key_of(p, k) < 0) {
		return PX_UNKNOWN;
	}
	if (px_key_eq(k, &px_self)) {
		return PX_OWN;
	}
	for (int i = 0; i < PX_ROOTS; i++) {
		if (px_roots[i].used && px_key_eq(&px_roots[i].key, k)) {
			px_roots[i].used = ++px_clock;
			return i;
		}
		if (px_roots[i].used < px_roots[lru].used) {
			lru = i;
		}
	}
	snprintf(p, sizeof(p), "/proc/%d/root", (int)pid);
	int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		return PX_UNKNOWN;
	}
	if (px_roots[lru].used) {
		close(px_roots[lru].fd);
	}
	px_roots[lru] = (struct px_root){ .key = *k, .fd = fd, .used = ++px_clock };
	return lru;
}

static void px_free(struct px_proc *p)
{
	for (int i = 0; i < PX_PATHS; i++) {
		free(p->path[i]);
	}
	memset(p, 0, sizeof(*p));
}

/* The value of NAME in environ text env[0..n), or NULL when unset/empty. */
static const char *px_getenv(const char *env, ssize_t n, const char *name)
{
	size_t nl = strlen(name);

	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(env + i) + 1) {
		if (strncmp(env + i, name, nl) == 0 && env[i + nl] == '=') {
			return env[i + nl + 1] ? env + i + nl + 1 : NULL;
		}
	}
	return NULL;
}

/* a + b as a malloc'd absolute path, or NULL. */
static char *px_abs(const char *a, const char *b)
{
	char *s = NULL;

	if (!a || a[0] != '/' || asprintf(&s, "%s%s", a, b) < 0) {
		return NULL;
	}
	return s;
}

/* Remember pid's TMPDIR, GOTMPDIR, GOCACHE and cwd, and its root. */
static void px_capture(pid_t pid, const char *env, ssize_t n, const char *cwd)
{
	struct px_proc *p = &px_tab[(uint32_t)pid % PX_SLOTS];
	const char *tmp = px_getenv(env, n, "TMPDIR");
	const char *gc = px_getenv(env, n, "GOCACHE");
	const char *xdg = px_getenv(env, n, "XDG_CACHE_HOME");
	const char *home = px_getenv(env, n, "HOME");

	px_free(p);
	p->pid = pid;
	p->root = px_root_of(pid, &p->key);
	p->path[PX_TMPDIR] = px_abs(tmp ? tmp : "/tmp", "");
	p->path[PX_GOTMPDIR] = px_abs(px_getenv(env, n, "GOTMPDIR"), "");
	if (gc && strcmp(gc, "off") != 0) {
		p->path[PX_GOCACHE] = px_abs(gc, "");
	} else if (!gc) {
		p->path[PX_GOCACHE] = xdg ? px_abs(xdg, "/go-build") :
				      px_abs(home, "/.cache/go-build");
	}
	p->path[PX_CWD] = px_abs(cwd[0] ? cwd : NULL, "");
}

/* The capture that describes pid at its death, or NULL: its own when it
 * had a PROCESS record this lifetime, else its parent's. */
static struct px_proc *px_lookup(pid_t pid)
{
	struct tr_task *t = tr_task_find(pid);

	for (int up = 0; t && up < 2; up++) {
		struct px_proc *p = &px_tab[(uint32_t)t->tid % PX_SLOTS];

		if (t->proc_written) {
			return p->pid == t->tid ? p : NULL;
		}
		t = t->ppid ? tr_task_find(t->ppid) : NULL;
	}
	return NULL;
}

/* Cut the last component of p (keeps "/").  0 when nothing was left. */
static int px_parent(char *p)
{
	char *sl = strrchr(p, '/');

	if (!sl || (sl == p && !p[1])) {
		return 0;
	}
	sl[sl == p] = 0;
	return 1;
}

static int px_open(const struct px_proc *p, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd;

	if (p->root == PX_OWN) {
		fd = open(path, O_PATH | O_CLOEXEC);
	} else {
		fd = (int)syscall(SYS_openat2, px_roots[p->root].fd, path, &how, sizeof(how));
	}
	return fd < 0 ? -errno : fd;
}

/* EV_PATH + EV_STATFS of path (or its nearest existing ancestor) unless
 * its filesystem is among devs[0..*nd). */
static void px_fs(struct gs_tlv *t, const struct px_proc *p, const char *path,
		  dev_t *devs, int *nd)
{
	char cur[4096];
	struct stat sb;
	struct statfs sf;
	int fd;

	snprintf(cur, sizeof(cur), "%s", path);
	while ((fd = px_open(p, cur)) == -ENOENT || fd == -ENOTDIR) {
		if (!px_parent(cur)) {
			return;
		}
	}
	if (fd < 0) {
		return;
	}
	if (fstat(fd, &sb) == 0 && fstatfs(fd, &sf) == 0) {
		int seen = 0;

		for (int i = 0; i < *nd; i++) {
			seen |= devs[i] == sb.st_dev;
		}
		if (!seen) {
			struct goshim_t_statfs f = {
				.type = (uint64_t)sf.f_type, .flags = (uint64_t)sf.f_flags,
				.bavail = sf.f_bavail, .bsize = (uint64_t)sf.f_bsize,
				.favail = sf.f_ffree,
			};
			devs[(*nd)++] = sb.st_dev;
			gs_tlv_str(t, GOSHIM_T_EV_PATH, cur);
			gs_tlv_put(t, GOSHIM_T_EV_STATFS, &f, sizeof(f));
		}
	}
	close(fd);
}

/* 1 when a remembered process other than p still lives in p's foreign
 * namespace: its mounts are still attached. */
static int px_ns_alive(const struct px_proc *p)
{
	for (uint32_t i = 0; i < PX_SLOTS; i++) {
		const struct px_proc *o = &px_tab[i];
		struct px_key k;
		char dir[32];

		if (o == p || !o->pid || o->root != p->root || !px_key_eq(&o->key, &p->key)) {
			continue;
		}
		snprintf(dir, sizeof(dir), "/proc/%d", (int)o->pid);
		if (px_key_of(dir, &k) == 0 && px_key_eq(&k, &p->key)) {
			return 1;
		}
	}
	return 0;
}

/* --- records ---------------------------------------------------------------- */

/* NUL-separated strings of buf[0..n), argv or wanted environment. */
static void pr_strings(struct gs_tlv *t, const char *buf, ssize_t n, int argv)
{
	unsigned count = 0;

	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
		if (!argv) {
			if (pr_env_wanted(buf + i)) {
				char kv[2 * GOSHIM_STR_MAX];

				gs_proc_env_redact(kv, sizeof(kv), buf + i);
				gs_tlv_str(t, GOSHIM_T_ENV, kv);
			}
		} else if (count++ < GOSHIM_ARGV_MAX) {
			gs_tlv_str(t, GOSHIM_T_ARGV, buf + i);
		} else {
			gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
			break;
		}
	}
}

/* The value of $container in the NUL-separated environment buf[0..n). */
static const char *pr_container_env(const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
		if (strncmp(buf + i, "container=", 10) == 0) {
			return buf + i + 10;
		}
	}
	return NULL;
}

/* The container evidence as pid sees it: its /proc, its root. */
static void pr_container(struct gs_tlv *t, pid_t pid, const char *env, const char *status)
{
	struct goshim_t_container c;
	char proc[32], root[48], scratch[2048];

	snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	gs_container_read(&c, proc, root, env, status, scratch, sizeof(scratch));
	gs_tlv_put(t, GOSHIM_T_CONTAINER, &c, sizeof(c));
}

void tr_process_record(pid_t pid)
{
	static uint8_t rec[GOSHIM_REC_RAW_MAX];
	static char buf[PR_BUF_MAX]; /* single-threaded engine */
	char status[4096], cwd[4096] = "";
	struct utsname u;
	struct gs_tlv t;
	ssize_t n;

	tr_proc_read(pid, "status", status, sizeof(status));
	tr_rec_begin(&t, rec, sizeof(rec), pid, pid,
		     (pid_t)tr_status_field(status, "\nPPid:", 0));
	n = tr_proc_read(pid, "cmdline", buf, PR_BUF_MAX);
	pr_strings(&t, buf, n, 1);
	if (tr_proc_link(pid, "cwd", cwd, sizeof(cwd)) == 0) {
		gs_tlv_str(&t, GOSHIM_T_CWD, cwd);
	} else {
		cwd[0] = 0;
	}
	n = tr_proc_read(pid, "environ", buf, PR_BUF_MAX);
	pr_strings(&t, buf, n, 0);
	pr_container(&t, pid, pr_container_env(buf, n), status);
	px_capture(pid, buf, n, cwd);
	tr_go_facts(&t, pid, cwd);
	tr_put_seccomp(&t, status);
	for (size_t i = 0; i < gs_proc_rlimits_n; i++) {
		struct rlimit rl;

		if (prlimit(pid, gs_proc_rlimits[i], NULL, &rl) == 0) {
			struct goshim_t_rlimit r = {
				.resource = (uint32_t)gs_proc_rlimits[i],
				.cur = rl.rlim_cur, .max = rl.rlim_max,
			};
			gs_tlv_put(&t, GOSHIM_T_RLIMIT, &r, sizeof(r));
			if (gs_proc_rlimits[i] == RLIMIT_AS && rl.rlim_cur != RLIM_INFINITY) {
				tr_go_race(&t, pid);
			}
		}
	}
	if (uname(&u) == 0) {
		char s[sizeof(u.sysname) + sizeof(u.release) + sizeof(u.machine) + 3];

		snprintf(s, sizeof(s), "%s %s %s", u.sysname, u.release, u.machine);
		gs_tlv_str(&t, GOSHIM_T_UNAME, s);
	}
	/* the engine's run: goshimctl run made it, or inherited it from the
	 * tree it was started in (the hand-over, a CI job) */
	const char *run = getenv("GOSHIM_RUN");
	if (run && gs_runid_ok(run)) {
		gs_tlv_str(&t, GOSHIM_T_RUN, run);
	}
	tr_rec_emit(&t, GOSHIM_REC_PROCESS);
}

void tr_exit_record(pid_t pid, int status)
{
	static uint8_t rec[PX_PATHS * (GOSHIM_STR_MAX + 64) + 512];
	struct px_proc *p = px_lookup(pid);
	dev_t devs[PX_PATHS];
	int nd = 0;
	struct gs_tlv t;

	/* the process is gone: no /proc facts, identity by number only */
	tr_rec_begin(&t, rec, sizeof(rec), 0, 0, 0);
	gs_tlv_u32(&t, GOSHIM_T_PID, (uint32_t)pid);
	gs_tlv_u32(&t, GOSHIM_T_CHILD, (uint32_t)pid);
	gs_tlv_i32(&t, GOSHIM_T_STATUS, status);
	/* the filesystems written to are evidence of a failed exit only */
	if (status != 0 && p && (p->root == PX_OWN ||
		  (p->root >= 0 && px_key_eq(&px_roots[p->root].key, &p->key) &&
		   px_ns_alive(p)))) {
		for (int i = 0; i < PX_PATHS; i++) {
			if (p->path[i]) {
				px_fs(&t, p, p->path[i], devs, &nd);
			}
		}
	}
	tr_rec_emit(&t, GOSHIM_REC_EXIT);
	if (p && p->pid == pid) {
		px_free(p);
	}
}
