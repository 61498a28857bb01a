/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: Go's build cache, module cache and work directory — do they
 * exist, can this user write there (access(2) and a real create-and-delete
 * probe), are they on a read-only or noexec mount, owned by someone else,
 * nearly full? */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "flags.h"
#include "fmt.h"
#include "perm.h"

#define DP_SPACE_MIN (1ull << 30) /* below this much free space: low-space */

struct dp_info {
	const char *var;         /* GOCACHE, GOMODCACHE, GOTMPDIR, TMPDIR ... */
	const char *role;        /* what go uses it for: cache, modcache, work
				  * (where $WORK is made), tmp (the linker's
				  * and cgo's TMPDIR besides GOTMPDIR) */
	char path[PATH_MAX];
	int exists, isdir;
	struct stat st;          /* of anc */
	char anc[PATH_MAX];      /* path, or its nearest existing ancestor */
	struct statvfs vfs;
	int vfs_ok;
	int werr;                /* 0: anc is writable by us, else errno */
};

/* Can we create (and delete) a file in dir?  0 or errno. */
static int dp_writable(const char *dir)
{
	char tmpl[PATH_MAX];
	int fd;

	if (access(dir, W_OK) < 0) {
		return errno;
	}
	if (snprintf(tmpl, sizeof(tmpl), "%s/.goshim-doctor-XXXXXX", dir) >= (int)sizeof(tmpl)) {
		return ENAMETOOLONG;
	}
	fd = mkstemp(tmpl);
	if (fd < 0) {
		return errno;
	}
	close(fd);
	unlink(tmpl);
	return 0;
}

static void dp_probe(const char *var, const char *role, const char *path, struct dp_info *i)
{
	memset(i, 0, sizeof(*i));
	i->var = var;
	i->role = role;
	snprintf(i->path, sizeof(i->path), "%s", path);
	snprintf(i->anc, sizeof(i->anc), "%s", path);
	while (stat(i->anc, &i->st) < 0) {
		char *s = strrchr(i->anc, '/');
		if (!s) {
			snprintf(i->anc, sizeof(i->anc), ".");
		} else if (s == i->anc) {
			s[1] = 0;
		} else {
			*s = 0;
		}
		if (strcmp(i->anc, "/") == 0 || strcmp(i->anc, ".") == 0) {
			stat(i->anc, &i->st);
			break;
		}
	}
	i->exists = strcmp(i->anc, path) == 0;
	i->isdir = S_ISDIR(i->st.st_mode);
	i->vfs_ok = statvfs(i->anc, &i->vfs) == 0;
	i->werr = i->isdir ? dp_writable(i->anc) : ENOTDIR;
}

/* Do owner, group and mode bits let us create in anc (w and x)?  "yes",
 * "no", or "unknown". */
static const char *dp_perm_allows(const struct dp_info *i)
{
	gid_t g[64];
	uint32_t groups[64];
	int n = getgroups(64, g);
	struct gs_perm_who w = { .euid = geteuid(), .egid = getegid(), .groups = groups };

	for (int k = 0; k < n; k++) {
		groups[k] = g[k];
	}
	w.ngroups = n > 0 ? (size_t)n : 0;
	w.partial = n < 0;
	switch (gs_perm_grants(i->st.st_mode, i->st.st_uid, i->st.st_gid, &w, 3)) {
	case 1:
		return "yes";
	case 0:
		return "no";
	default:
		return "unknown";
	}
}

static void dp_facts(const struct dp_info *i, struct gs_facts *f, int err)
{
	char buf[64];

	gs_facts_set(f, "var", "%s", i->var);
	gs_facts_set(f, "role", "%s", i->role);
	gs_facts_set(f, "path", "%s", i->path);
	gs_facts_set(f, "ev_path", "%s", i->anc);
	gs_facts_set(f, "owner", "%u", (unsigned)i->st.st_uid);
	gs_facts_set(f, "mode", "%04o", (unsigned)(i->st.st_mode & 07777));
	gs_facts_set(f, "euid", "%u", (unsigned)geteuid());
	gs_facts_set(f, "egid", "%u", (unsigned)getegid());
	gs_facts_set(f, "perm_allows", "%s", dp_perm_allows(i));
	gs_facts_set(f, "exists", "%s", i->exists ? "yes" : "no");
	gs_facts_set(f, "is_owner", "%s", i->st.st_uid == geteuid() ? "yes" : "no");
	if (err) {
		gs_facts_set(f, "errno", "%s", gs_errno_name(err) ? gs_errno_name(err) : "?");
		gs_facts_set(f, "errno_desc", "%s", strerror(err));
	}
	if (i->vfs_ok) {
		gs_facts_set(f, "avail", "%s", gs_fmt_size((unsigned long long)i->vfs.f_bavail *
			     i->vfs.f_frsize, buf, sizeof(buf)));
		gs_facts_set(f, "inodes_free", "%llu", (unsigned long long)i->vfs.f_favail);
	}
	gs_doc_mount_facts(i->anc, f);
}

/* Go >= 1.24 execs `go run` and `go tool` programs from their copy in
 * GOCACHE (cmd/go sets CacheExecutable); an unknown version says nothing. */
static int dp_go_runs_from_cache(const struct gs_doc *d)
{
	const char *v = gs_doc_go(d, "GOVERSION");
	unsigned major, minor;

	if (!v || sscanf(v, "go%u.%u", &major, &minor) != 2) {
		return 0;
	}
	return major > 1 || minor >= 24;
}

/* Report problem for i (check: the check's name) with Go's directories
 * and i's facts. */
static void dp_found(struct gs_doc *d, const char *check, const char *problem,
		     const struct dp_info *i, int err)
{
	struct gs_facts f = { 0 };
	static const char *const gov[] = { "GOCACHE", "GOMODCACHE", "WORK", "GOTMPDIR", "TMPDIR" };

	for (size_t k = 0; k < sizeof(gov) / sizeof(gov[0]); k++) {
		const char *v = gs_doc_go(d, gov[k]);
		char name[32];
		snprintf(name, sizeof(name), "%s", gov[k]);
		for (char *s = name; *s; s++) {
			*s = (char)(*s - 'A' + 'a');
		}
		gs_facts_set(&f, name, "%s", v && *v ? v : "(unset)");
	}
	dp_facts(i, &f, err);
	gs_doc_found(d, check, problem, &f);
}

static int dp_rdonly(const struct dp_info *i)
{
	return i->vfs_ok && (i->vfs.f_flag & ST_RDONLY);
}

/* The write probe failed for want of space (blocks, inodes or quota):
 * the directory is fine, its filesystem is full. */
static int dp_full(const struct dp_info *i)
{
	return !dp_rdonly(i) && (i->werr == ENOSPC || i->werr == EDQUOT);
}

/* Report a full filesystem for var. */
static void dp_full_found(struct gs_doc *d, const char *var, const struct dp_info *i)
{
	gs_doc_check(d, var, GS_CHK_PROBLEM, "%s: no space to create a file: %s", i->path,
		     strerror(i->werr));
	dp_found(d, var, "full", i, i->werr);
}

static void dp_space(struct gs_doc *d, const struct dp_info *i)
{
	char buf[64];
	unsigned long long avail;

	if (!i->vfs_ok || dp_rdonly(i)) {
		return;
	}
	avail = (unsigned long long)i->vfs.f_bavail * i->vfs.f_frsize;
	if (avail < DP_SPACE_MIN) {
		gs_doc_check(d, "free space", GS_CHK_PROBLEM, "%s: %s free", i->anc,
			     gs_fmt_size(avail, buf, sizeof(buf)));
		dp_found(d, "free space", "low-space", i, 0);
	} else {
		gs_doc_check(d, "free space", GS_CHK_OK, "%s: %s free", i->anc,
			     gs_fmt_size(avail, buf, sizeof(buf)));
	}
}

/* Is GOCACHE/00 (an initialised cache) there and not ours to write? */
static int dp_cache_sub_denied(const char *cache, struct dp_info *sub)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/00", cache);
	dp_probe("GOCACHE", "cache", p, sub);
	return sub->exists && sub->isdir && sub->werr;
}

static void dp_gocache(struct gs_doc *d)
{
	const char *v = gs_doc_go(d, "GOCACHE");
	const char *env = getenv("GOCACHE");
	struct dp_info i, sub;

	if (v && strcmp(v, "off") == 0 && env && strcmp(env, "off") == 0) {
		gs_doc_check(d, "GOCACHE", GS_CHK_NOTE, "GOCACHE=off: go >= 1.12 refuses to build "
			     "without a cache");
		return;
	}
	/* `go env` shows "off" when it could not locate a cache */
	if (!v || !*v || strcmp(v, "off") == 0) {
		struct gs_facts f = { 0 };
		gs_facts_set(&f, "home", "%s", getenv("HOME") ? getenv("HOME") : "(unset)");
		gs_facts_set(&f, "role", "cache");
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM,
			     "undefined: GOCACHE, XDG_CACHE_HOME and HOME are all unset");
		gs_doc_found(d, "GOCACHE", "undefined", &f);
		return;
	}
	if (v[0] != '/') {
		gs_doc_check(d, "GOCACHE", GS_CHK_NOTE, "%s: not an absolute path (go refuses it)", v);
		return;
	}
	dp_probe("GOCACHE", "cache", v, &i);
	if (dp_full(&i)) {
		dp_full_found(d, "GOCACHE", &i);
		return;
	}
	if (dp_rdonly(&i)) {
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM, "%s: read-only filesystem", v);
		dp_found(d, "GOCACHE", "read-only", &i, EROFS);
	} else if (i.werr && i.exists && i.isdir && dp_cache_sub_denied(v, &sub)) {
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM, "%s: written by uid %u, not writable by uid %u",
			     v, (unsigned)i.st.st_uid, (unsigned)geteuid());
		dp_found(d, "GOCACHE", "foreign-entries", &i, i.werr);
	} else if (i.werr) {
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM, "%s: cannot be created or written (%s: %s)",
			     v, i.anc, strerror(i.werr));
		dp_found(d, "GOCACHE", "not-writable", &i, i.werr);
	} else if (i.exists && dp_cache_sub_denied(v, &sub)) {
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM, "%s: entries owned by uid %u are not writable",
			     v, (unsigned)sub.st.st_uid);
		dp_found(d, "GOCACHE", "foreign-entries", &sub, sub.werr);
	} else if (i.vfs_ok && (i.vfs.f_flag & ST_NOEXEC) && dp_go_runs_from_cache(d)) {
		gs_doc_check(d, "GOCACHE", GS_CHK_PROBLEM, "%s: on a noexec mount (go run and go tool "
			     "exec cached programs from it)", v);
		dp_found(d, "GOCACHE", "noexec", &i, EACCES);
	} else {
		gs_doc_check(d, "GOCACHE", GS_CHK_OK, "%s: %s", v, i.exists ? "writable" :
			     "will be created (parent writable)");
	}
	dp_space(d, &i);
}

static void dp_gomodcache(struct gs_doc *d)
{
	const char *v = gs_doc_go(d, "GOMODCACHE");
	struct dp_info i;

	if (!v || !*v) {
		gs_doc_check(d, "GOMODCACHE", GS_CHK_NOTE, "undefined (no GOPATH and no HOME)");
		return;
	}
	dp_probe("GOMODCACHE", "modcache", v, &i);
	if (dp_full(&i)) {
		dp_full_found(d, "GOMODCACHE", &i);
		return;
	}
	if (dp_rdonly(&i) || i.werr) {
		int err = dp_rdonly(&i) ? EROFS : i.werr;
		gs_doc_check(d, "GOMODCACHE", GS_CHK_PROBLEM, "%s: not writable (%s: %s)", v, i.anc,
			     strerror(err));
		dp_found(d, "GOMODCACHE", dp_rdonly(&i) ? "read-only" : "not-writable", &i, err);
	} else {
		gs_doc_check(d, "GOMODCACHE", GS_CHK_OK, "%s: %s", v, i.exists ? "writable" :
			     "will be created (parent writable)");
	}
}

/* One temporary directory Go uses; `main` is $WORK's own base. */
static void dp_tmp(struct gs_doc *d, const char *var, const char *v, int main)
{
	struct dp_info i;

	dp_probe(var, main ? "work" : "tmp", v, &i);
	if (!i.exists || !i.isdir) {
		if (main) {
			gs_doc_check(d, var, GS_CHK_PROBLEM, "%s: %s", v,
				     i.exists ? "not a directory" : "does not exist");
			dp_found(d, var, i.exists ? "not-a-directory" : "missing", &i,
				 i.exists ? ENOTDIR : ENOENT);
		}
		return;
	}
	if (dp_full(&i)) {
		/* ENOSPC/EDQUOT: writable, but full (blocks or inodes) */
		dp_full_found(d, var, &i);
		return;
	}
	if (dp_rdonly(&i) || i.werr) {
		int err = dp_rdonly(&i) ? EROFS : i.werr;
		gs_doc_check(d, var, GS_CHK_PROBLEM, "%s: not writable: %s", v, strerror(err));
		dp_found(d, var, dp_rdonly(&i) ? "read-only" : "not-writable", &i, err);
	} else if (i.vfs_ok && (i.vfs.f_flag & ST_NOEXEC)) {
		gs_doc_check(d, var, GS_CHK_PROBLEM, "%s: on a noexec mount", v);
		dp_found(d, var, "noexec", &i, EACCES);
	} else {
		gs_doc_check(d, var, GS_CHK_OK, "%s: writable, exec allowed", v);
	}
	if (main) {
		dp_space(d, &i);
	}
}

void gs_doctor_paths(struct gs_doc *d)
{
	const char *gotmp = gs_doc_go(d, "GOTMPDIR");
	const char *tmp = getenv("TMPDIR");

	dp_gocache(d);
	dp_gomodcache(d);
	if (gotmp && *gotmp) {
		dp_tmp(d, "GOTMPDIR", gotmp, 1);
		/* the linker and cgo ignore GOTMPDIR (golang/go#59636) */
		dp_tmp(d, tmp && *tmp ? "TMPDIR" : "/tmp", tmp && *tmp ? tmp : "/tmp", 0);
	} else {
		dp_tmp(d, tmp && *tmp ? "TMPDIR" : "/tmp", tmp && *tmp ? tmp : "/tmp", 1);
	}
}
