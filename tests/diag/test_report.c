/* SPDX-License-Identifier: Apache-2.0 */
/* report: rings holding the exact records each pattern produces must give
 * exactly that pattern; benign noise must give nothing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <elf.h>
#include <unistd.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>

#include "goshim/record.h"
#include "ringmake.h"
#include "tl_table.h"

#define TRACE GOSHIM_ENGINE_TRACE
#define PRELOAD GOSHIM_ENGINE_PRELOAD
#define GO "/usr/local/go/bin/go"

static const char *const env_ci[] = {
	"PATH=/usr/local/go/bin:/usr/bin:/bin", "HOME=/home/ci", NULL,
};

/* Run report --json on the ring; returns the parsed object. */
static json_t *report(struct rm_ring *r, int want_rc, const char *const *extra)
{
	return rm_report(r, want_rc, extra);
}

/* The only finding must be `id` (or none when id is NULL), with no
 * unclassified events. */
static json_t *expect_only(struct rm_ring *r, const char *id, int want_rc)
{
	size_t n;
	json_t *j = rm_expect(r, id, want_rc, &n);

	cr_expect_eq(n, id ? 1 : 0, "want only %s, got %zu findings", id ? id : "none", n);
	return j;
}

static json_t *finding0(json_t *j)
{
	return json_array_get(json_object_get(j, "findings"), 0);
}

static const char *fstr(json_t *f, const char *k)
{
	const char *s = json_string_value(json_object_get(f, k));

	return s ? s : "";
}

/* A trace-engine failure of one path call. */
static void ev_path(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		    const char *exe, const char *call, char kind, int err, const char *path,
		    uint32_t count)
{
	struct rm_rec b;

	rm_begin(&b, pid, ppid, exe);
	rm_call(&b, call, kind, err);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, path);
	rm_commit(r, &b, GOSHIM_REC_EVENT, engine, count);
}

/* mount: the EV_MOUNT text, NULL for none */
static void noexec_ring_at(struct rm_ring *r, const char *test, const char *mount)
{
	struct rm_rec b;
	struct goshim_t_elf elf = { .kind = 1, .ei_class = 2, .ei_data = 1, .e_type = ET_EXEC,
				    .e_machine = EM_X86_64 };

	rm_create(r);
	rm_process(r, TRACE, 100, 1, GO, env_ci, 0, 0);
	/* the forked child of go fails execve: Go's forkAndExecInChild */
	rm_begin(&b, 101, 100, GO);
	rm_call(&b, "execve", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, test);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, test);
	rm_stat(&b, test, 0100755, 0, 0);
	rm_statfs(&b, TMPFS_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC, mount);
	gs_tlv_put(&b.t, GOSHIM_T_EV_ELF, &elf, sizeof(elf));
	rm_cred(&b, 0);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	/* and the usual noise around it */
	ev_path(r, TRACE, 100, 1, GO, "newfstatat", 'S', ENOENT, "/home/ci/go", 3);
	ev_path(r, TRACE, 100, 1, GO, "newfstatat", 'S', ENOENT, "/src/go.work", 1);
	rm_exit(r, TRACE, 101, 253 << 8);
	rm_exit(r, TRACE, 100, 1 << 8);
}

static void noexec_ring(struct rm_ring *r, const char *test)
{
	noexec_ring_at(r, test, "/tmp tmpfs rw,nosuid,nodev,noexec,relatime");
}

static char *noexec_format(struct rm_ring *r, const char *fmt, const char *path);

/* noexec_ring with the test binary at path, and the text report of it
 * (which must exit 1); malloc'd. */
static char *noexec_text(struct rm_ring *r, const char *path)
{
	return noexec_format(r, "--format=text", path);
}

Test(report, tmpdir_noexec)
{
	struct rm_ring r;
	json_t *j, *f, *chain, *exits;

	noexec_ring(&r, "/tmp/go-build1/b001/x.test");
	j = expect_only(&r, "tmpdir-noexec", 1);
	f = finding0(j);
	cr_expect_str_eq(fstr(f, "severity"), "error");
	cr_expect(strstr(fstr(f, "summary"), "the test binary /tmp/go-build1/b001/x.test could not "
		  "be executed: /tmp is mounted noexec (tmpfs)"), "summary: %s", fstr(f, "summary"));
	cr_expect(strstr(fstr(f, "remedy"), "GOTMPDIR"), "remedy: %s", fstr(f, "remedy"));
	cr_expect(strstr(fstr(f, "remedy"), "mount -o remount,exec \"/tmp\""));
	chain = json_object_get(f, "chain");
	cr_expect_eq(json_array_size(chain), 3, "%s", json_dumps(chain, 0));
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(chain, 0), "pid")), 100);
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(chain, 1), "pid")), 101);
	cr_expect_str_eq(fstr(json_array_get(chain, 2), "exe"), "/tmp/go-build1/b001/x.test");
	exits = json_object_get(json_object_get(f, "evidence"), "exits");
	cr_expect_eq(json_array_size(exits), 2, "%s", json_dumps(exits, 0));
	cr_expect_str_eq(fstr(json_object_get(f, "evidence"), "fstype"), "tmpfs");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "suppressed"), "total")), 4);
	cr_expect_eq(json_array_size(json_object_get(j, "processes")), 2);
	json_decref(j);
	rm_close(&r);
}

/* EV_MOUNT escapes the mount point as mountinfo does: the facts, the
 * summary and the remedy name the real one, the remedy quotes it. */
Test(report, tmpdir_noexec_mount_point_with_space)
{
	struct rm_ring r;
	const char *args[] = { "report", NULL, NULL };
	char *out, *err;
	json_t *j, *f;

	noexec_ring_at(&r, "/srv/ci/my tmp/go-build1/b001/x.test",
		       "/srv/ci/my\\040tmp tmpfs rw,nosuid,nodev,noexec,relatime");
	j = expect_only(&r, "tmpdir-noexec", 1);
	f = finding0(j);
	cr_expect_str_eq(fstr(json_object_get(f, "evidence"), "mount"), "/srv/ci/my tmp");
	cr_expect_str_eq(fstr(json_object_get(f, "evidence"), "fstype"), "tmpfs");
	cr_expect(strstr(fstr(f, "summary"), ": /srv/ci/my tmp is mounted noexec (tmpfs)"),
		  "summary: %s", fstr(f, "summary"));
	cr_expect(strstr(fstr(f, "remedy"), "sudo mount -o remount,exec \"/srv/ci/my tmp\""),
		  "remedy: %s", fstr(f, "remedy"));
	json_decref(j);
	args[1] = r.path;
	cr_expect_eq(rm_run(args, &out, &err), 1, "%s", err);
	cr_expect(strstr(out, "facts:    mount=\"/srv/ci/my tmp\"  fstype=tmpfs"), "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* No mount line recorded: no mount is named, rather than the examined
 * path or "/". */
Test(report, no_mount_line_names_no_mount)
{
	struct rm_ring r;
	json_t *j, *f;

	noexec_ring_at(&r, "/tmp/go-build1/b001/x.test", NULL);
	j = expect_only(&r, "tmpdir-noexec", 1);
	f = finding0(j);
	cr_expect_null(json_object_get(json_object_get(f, "evidence"), "mount"), "mount=%s",
		       fstr(json_object_get(f, "evidence"), "mount"));
	cr_expect_str_eq(fstr(json_object_get(f, "evidence"), "fstype"), "tmpfs");
	cr_expect(strstr(fstr(f, "summary"), "its directory is mounted noexec (tmpfs)"),
		  "summary: %s", fstr(f, "summary"));
	json_decref(j);
	rm_close(&r);
}

Test(report, gocache_foreign_owner_is_a_warning)
{
	struct rm_ring r;
	struct rm_rec b;
	const char *p = "/home/ci/.cache/go-build/ab/abcd0123-d";
	json_t *j;

	rm_failed_call(&r, &b, PRELOAD, 200, "/usr/lib/go-1.19/bin/go", env_ci, 0, "openat", 'L',
		       EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, p);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, p);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_RDWR | O_CREAT | O_CLOEXEC);
	gs_tlv_u32(&b.t, GOSHIM_T_MODE, 0666);
	rm_stat(&b, p, 0100644, 0, 0);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, 1000);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, PRELOAD, 12);
	j = expect_only(&r, "gocache-foreign-owner", 0);
	cr_expect_str_eq(fstr(finding0(j), "severity"), "warning");
	cr_expect(strstr(fstr(finding0(j), "summary"), "uid 0"));
	cr_expect(strstr(fstr(finding0(j), "remedy"), "chown -R \"$(id -u):$(id -g)\" \"/home/ci/.cache/go-build\""),
		  "%s", fstr(finding0(j), "remedy"));
	cr_expect_eq(json_integer_value(json_object_get(finding0(j), "count")), 12);
	json_decref(j);
	rm_close(&r);
}

Test(report, gocache_init_denied_home_slash)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/", NULL };
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 0, 0);
	ev_path(&r, TRACE, 300, 1, GO, "newfstatat", 'S', ENOENT, "/.cache/go-build", 1);
	ev_path(&r, TRACE, 300, 1, GO, "newfstatat", 'S', ENOENT, "/.cache", 1);
	rm_begin(&b, 300, 1, GO);
	rm_call(&b, "mkdirat", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, "/.cache");
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/.cache");
	rm_stat(&b, "/", 040755, 0, 1);
	rm_cred(&b, 1000);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	j = expect_only(&r, "gocache-init-denied", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "/.cache/go-build"), "%s",
		  fstr(finding0(j), "summary"));
	json_decref(j);
	rm_close(&r);
}

/* One failed call of go (trace engine), count times. */
struct go_call_case {
	const char *name;
	uint32_t pid;
	const char *call;
	int err;
	const char *path;
	uint32_t count;
	const char *id;          /* the only finding (NULL: none) */
	int rc;                  /* report's exit status */
	const char *summary;     /* a substring of its summary (NULL: unchecked) */
};

static const struct go_call_case go_call_cases[] = {
	{ "gocache_readonly", 300, "mkdirat", EROFS, "/home/ci/.cache/go-build/00", 1,
	  "gocache-readonly", 1, NULL },
	{ "gcc_found_in_a_later_dir_is_benign", 500, "newfstatat", ENOENT, "/usr/local/go/bin/gcc", 1,
	  NULL, 0, NULL },
	{ "fd_limit", 900, "openat", EMFILE, "/src/proj/a.go", 40,
	  "fd-limit", 1, "hard limit is 1024" },
};

/* gocache_readonly, gcc_found_in_a_later_dir_is_benign and fd_limit, as rows. */
TL_TABLE_TEST(struct go_call_case, go_call_cases, report, go_call)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, c->pid, 1, GO, env_ci, 0, 0);
	ev_path(&r, TRACE, c->pid, 1, GO, c->call, 'S', c->err, c->path, c->count);
	json_t *j = expect_only(&r, c->id, c->rc);
	if (c->summary) {
		cr_expect(strstr(fstr(finding0(j), "summary"), c->summary), "%s: %s", c->name,
			  fstr(finding0(j), "summary"));
	}
	json_decref(j);
	rm_close(&r);
}

Test(report, gocache_undefined_from_env_alone)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 0, 0);
	json_decref(expect_only(&r, "gocache-undefined", 1));
	rm_close(&r);
}

/* One failed path call of a go with environment env that exited with
 * status: the only finding must be id. */
static void go_failure_is(const char *const *env, const char *call, int err, const char *path,
			  int status, const char *id)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 0, 0);
	ev_path(&r, TRACE, 300, 1, GO, call, 'S', err, path, 1);
	if (status >= 0) {
		rm_exit(&r, TRACE, 300, status);
	}
	json_decref(expect_only(&r, id, 1));
	rm_close(&r);
}

Test(report, gomodcache_denied)
{
	go_failure_is(env_ci, "mkdirat", EACCES, "/home/ci/go/pkg/mod/cache/download/golang.org",
		      -1, "gomodcache-denied");
}

/* A module cache root filled and uid 65534 only reads: go's side lock
 * (best effort) is refused, go goes on and succeeds. */
Test(report, modcache_side_lock_denied_is_benign)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					   "GOMODCACHE=/srv/modcache", NULL };
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 2, 0);
	rm_begin(&b, 300, 1, GO);
	rm_call(&b, "openat", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, "/srv/modcache/cache/lock");
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/srv/modcache/cache/lock");
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_RDWR | O_CREAT | O_CLOEXEC);
	rm_stat(&b, "/srv/modcache/cache/lock", 0100644, 0, 0);
	rm_cred(&b, 65534);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(&r, TRACE, 300, 0);
	j = expect_only(&r, NULL, 0);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(j,
		     "suppressed"), "by_pattern"), "benign-modcache-side-lock")), 1);
	json_decref(j);
	rm_close(&r);
	/* a download into it is still the module cache's failure, and go's */
	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 2, 0);
	ev_path(&r, TRACE, 300, 1, GO, "mkdirat", 'S', EACCES,
		"/srv/modcache/cache/download/golang.org", 1);
	rm_exit(&r, TRACE, 300, 1 << 8);
	json_decref(expect_only(&r, "gomodcache-denied", 1));
	rm_close(&r);
}

/* GOCACHE below a regular file: go's MkdirAll stats it (ENOTDIR) and
 * fails, "failed to initialize build cache ... not a directory". */
Test(report, gocache_below_a_file)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					   "GOCACHE=/home/ci/file/go-build", NULL };

	go_failure_is(env, "newfstatat", ENOTDIR, "/home/ci/file/go-build", 1 << 8,
		      "gocache-init-denied");
}

Test(report, tmpdir_unusable_missing_tmpdir)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci", "TMPDIR=/x", NULL };
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, GO, env, 0, 0);
	ev_path(&r, TRACE, 300, 1, GO, "newfstatat", 'S', ENOENT, "/x", 1);
	j = expect_only(&r, "tmpdir-unusable", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "/x"));
	json_decref(j);
	rm_close(&r);
}

/* Go 1.26's newfstatat(AT_FDCWD, "") in /tmp (ENOENT) names no file: benign,
 * also from a ring that recorded the cwd as its absolute path. */
Test(report, empty_path_in_tmp_is_benign)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci", NULL };
	struct rm_ring r;
	struct rm_rec b;

	rm_failed_call(&r, &b, TRACE, 300, GO, env, 0, "newfstatat", 'S', ENOENT);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, "");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_begin(&b, 300, 1, GO);
	rm_call(&b, "newfstatat", 'S', ENOENT);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, "");
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/tmp");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	json_decref(expect_only(&r, NULL, 0));
	rm_close(&r);
}

static void exec_ev(struct rm_ring *r, int err, const char *path, const struct goshim_t_elf *elf,
		    const char *interp, int interp_err, uint64_t fsflags, uint32_t mode)
{
	struct rm_rec b;

	rm_process(r, PRELOAD, 400, 1, "/bin/bash", env_ci, 0, 0);
	rm_begin(&b, 400, 1, "/bin/bash");
	rm_call(&b, "execve", 'L', err);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ARGV, path);
	rm_stat(&b, path, mode, 0, 0);
	rm_statfs(&b, EXT4_SUPER_MAGIC, fsflags, "/ ext4 rw,relatime");
	if (elf) {
		gs_tlv_put(&b.t, GOSHIM_T_EV_ELF, elf, sizeof(*elf));
	}
	if (interp) {
		gs_tlv_str(&b.t, GOSHIM_T_EV_INTERP, interp);
		gs_tlv_i32(&b.t, GOSHIM_T_EV_INTERP_ERR, interp_err);
	}
	rm_cred(&b, 0);
	rm_commit(r, &b, GOSHIM_REC_EVENT, PRELOAD, 1);
	rm_exit(r, PRELOAD, 400, 127 << 8);
}

Test(report, elf_interpreter_missing)
{
	struct goshim_t_elf elf = { 1, 0, 2, 1, ET_EXEC, EM_X86_64, 1 };
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	exec_ev(&r, ENOENT, "/work/bin/app", &elf, "/lib/ld-musl-x86_64.so.1", ENOENT, 0, 0100755);
	j = expect_only(&r, "elf-interpreter-missing", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "/lib/ld-musl-x86_64.so.1"));
	json_decref(j);
	rm_close(&r);
}

Test(report, exec_format_foreign_machine)
{
	struct goshim_t_elf elf = { 1, 0, 2, 1, ET_EXEC, EM_AARCH64, 0 };
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	exec_ev(&r, ENOEXEC, "/work/bin/app-arm64", &elf, NULL, 0, 0, 0100755);
	j = expect_only(&r, "exec-format", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "aarch64"), "%s", fstr(finding0(j), "summary"));
	cr_expect(strstr(fstr(finding0(j), "summary"), "x86_64"));
	json_decref(j);
	rm_close(&r);
}

Test(report, exec_text_busy)
{
	struct rm_ring r;

	rm_create(&r);
	exec_ev(&r, ETXTBSY, "/tmp/go-build2/b001/x.test", NULL, NULL, 0, 0, 0100755);
	json_decref(expect_only(&r, "exec-text-busy", 1));
	rm_close(&r);
}

Test(report, exec_denied_lsm)
{
	struct rm_ring r;

	rm_create(&r);
	exec_ev(&r, EACCES, "/opt/tool/bin/run", NULL, NULL, 0, ST_NOSUID, 0100755);
	json_decref(expect_only(&r, "exec-denied-lsm", 1));
	rm_close(&r);
}

/* An EACCES of call on path by euid, with the stat evidence of statpath
 * (mode, owner, missing components) on an ext4 mount without noexec. */
static void denied_ev(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		      const char *exe, const char *call, const char *path, const char *statpath,
		      uint32_t mode, uint32_t owner, uint32_t missing, uint32_t euid)
{
	struct rm_rec b;

	rm_begin(&b, pid, ppid, exe);
	rm_call(&b, call, engine == TRACE ? 'S' : 'L', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, path);
	rm_stat(&b, statpath, mode, owner, missing);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, euid);
	rm_commit(r, &b, GOSHIM_REC_EVENT, engine, 1);
}

/* Owner and mode explain it: uid 1000 may not run root's 0700 program
 * (x bits, none for others: exec-not-executable), nor create in root's
 * 0755 directory (no pattern).  Never a security module. */
static void denied_as_1000(const char *call, const char *path, uint32_t mode, uint32_t missing,
			   const char *want)
{
	struct rm_ring r;
	json_t *j;
	char pats[256];

	rm_create(&r);
	rm_process(&r, PRELOAD, 400, 1, "/bin/bash", env_ci, 0, 0);
	denied_ev(&r, PRELOAD, 400, 1, "/bin/bash", call, path, path, mode, 0, missing, 1000);
	rm_exit(&r, PRELOAD, 400, 1 << 8);
	j = report(&r, want ? 1 : 3, NULL);
	cr_expect_eq(rm_patterns(j, pats, sizeof(pats)), want ? 1 : 0, "%s %s: [%s]", call, path,
		     pats);
	cr_expect_str_eq(pats, want ? want : "", "%s %s", call, path);
	json_decref(j);
	rm_close(&r);
}

Test(report, mode_explains_denial_not_lsm)
{
	denied_as_1000("execve", "/opt/tool/bin/run", 0100700, 0, "exec-not-executable");
	denied_as_1000("mkdir", "/srv/cache/00", 040755, 1, NULL);
}

/* The same as its owner, mode 0755: a security module said no. */
Test(report, owner_may_write_lsm_denied)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, PRELOAD, 400, 1, "/bin/mkdir", env_ci, 0, 0);
	denied_ev(&r, PRELOAD, 400, 1, "/bin/mkdir", "mkdir", "/srv/cache/00", "/srv/cache", 040755,
		  1000, 1, 1000);
	rm_exit(&r, PRELOAD, 400, 1 << 8);
	json_decref(expect_only(&r, "lsm-denied", 1));
	rm_close(&r);
}

/* A 0644 file: the mode explains the EACCES (not a security module); the
 * shell that could not run it failed. */
Test(report, exec_eacces_without_x_is_exec_not_executable)
{
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	exec_ev(&r, EACCES, "/opt/tool/bin/run", NULL, NULL, 0, 0, 0100644);
	j = expect_only(&r, "exec-not-executable", 1);
	cr_expect_str_eq(fstr(finding0(j), "severity"), "error");
	cr_expect(strstr(fstr(finding0(j), "summary"), "mode 0644"), "%s",
		  fstr(finding0(j), "summary"));
	json_decref(j);
	rm_close(&r);
}

/* A test binary (pid 401, under go 400) forks a child (402) whose execve
 * of a 0644 script gets EACCES and which dies unrecorded, as Go's fork
 * child does; the test binary and go then exit with status.  The child's
 * failure is its parent's: an error when they failed, a warning when the
 * test expected it and passed. */
static void nox_in_fork_child(int status, int want_rc, const char *sev)
{
	static const char mtest[] = "/tmp/go-build1/b001/m.test";
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 400, 1, GO, env_ci, 0, 0);
	rm_process(&r, TRACE, 401, 400, mtest, env_ci, 0, 0);
	denied_ev(&r, TRACE, 402, 401, mtest, "execve", "/tmp/x/tool.sh", "/tmp/x/tool.sh",
		  0100644, 1000, 0, 1000);
	rm_exit(&r, TRACE, 401, status);
	rm_exit(&r, TRACE, 400, status);
	j = expect_only(&r, "exec-not-executable", want_rc);
	cr_expect_str_eq(fstr(finding0(j), "severity"), sev);
	json_decref(j);
	rm_close(&r);
}

Test(report, exec_not_executable_survived_is_a_warning)
{
	nox_in_fork_child(0, 0, "warning");
}

Test(report, exec_not_executable_in_a_fork_child_fails_its_parent)
{
	nox_in_fork_child(1 << 8, 1, "error");
}

/* A test binary (401, under the command 400 at the top of the tree)
 * whose fork child (402) gets ENOEXEC from an exec of junk, as os/exec's
 * TestLookPath does on purpose; engine and EXIT records per row (-1: no
 * EXIT record).  Only a recorded exit 0 of the top, with no non-zero one
 * between, shows that the run passed: then the error is a warning that
 * says so, and report exits 0; no EXIT record (a ring made by hand, the
 * preload's top that nobody reaps) or a failed exit keeps it an error
 * (go killed: an error its exit does not link to, the run unexplained). */
struct passed_case {
	const char *name;
	uint32_t engine;
	const char *top;
	int top_status, mtest_status;
	int rc;
	const char *sev;
};

static const struct passed_case passed_cases[] = {
	{ "command exited 0", TRACE, GO, 0, -1, 0, "warning" },
	{ "command and test exited 0", TRACE, GO, 0, 0, 0, "warning" },
	{ "no exit recorded", TRACE, GO, -1, -1, 1, "error" },
	{ "the run failed", TRACE, GO, 1 << 8, 1 << 8, 1, "error" },
	{ "a failed exit below a passing top", TRACE, GO, 0, 1 << 8, 1, "error" },
	{ "killed", TRACE, GO, SIGKILL, -1, 3, "error" },
	{ "preload, top unreaped", PRELOAD, "/bin/bash", -1, -1, 1, "error" },
	{ "preload, top reaped with 0", PRELOAD, "/bin/bash", 0, -1, 0, "warning" },
};

/* passing_run_survived_an_error and the runs that do not show it, as
 * rows. */
TL_TABLE_TEST(struct passed_case, passed_cases, report, passing_run)
{
	static const char mtest[] = "/tmp/go-build1/b001/exec.test";
	static const char junk[] = "/tmp/TestLookPath1/001/testdir/execabs-test";
	struct rm_ring r;
	struct rm_rec b;

	rm_create(&r);
	rm_process(&r, c->engine, 400, 1, c->top, env_ci, 0, 0);
	rm_process(&r, c->engine, 401, 400, mtest, env_ci, 0, 0);
	rm_begin(&b, 402, 401, mtest);
	rm_call(&b, "execve", c->engine == TRACE ? 'S' : 'L', ENOEXEC);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, junk);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, junk);
	rm_stat(&b, junk, 0100755, 0, 0);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, 0);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, c->engine, 2);
	if (c->mtest_status >= 0) {
		rm_exit(&r, c->engine, 401, c->mtest_status);
	}
	if (c->top_status >= 0) {
		rm_exit(&r, c->engine, 400, c->top_status);
	}
	json_t *j = expect_only(&r, "exec-format", c->rc);
	json_t *f = finding0(j);
	int passed = strcmp(c->sev, "warning") == 0;

	cr_expect_str_eq(fstr(f, "severity"), c->sev, "%s", c->name);
	cr_expect_eq(json_is_true(json_object_get(f, "run_passed")), passed, "%s", c->name);
	cr_expect_eq(strstr(fstr(f, "summary"), "the run passed: ") != NULL, passed, "%s: %s",
		     c->name, fstr(f, "summary"));
	if (passed) {
		char want[64];
		snprintf(want, sizeof(want), "%s (pid 400) exited 0", strrchr(c->top, '/') + 1);
		cr_expect(strstr(fstr(f, "summary"), want), "%s: %s", c->name, fstr(f, "summary"));
	}
	json_decref(j);
	rm_close(&r);
}

Test(report, cgo_compiler_missing)
{
	struct rm_ring r;
	static const char *const dirs[] = { "/usr/local/go/bin", "/usr/bin", "/bin" };
	char p[256];
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 500, 1, GO, env_ci, 0, 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/gccgo", dirs[i]);
		ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', ENOENT, p, 1);
		snprintf(p, sizeof(p), "%s/gcc", dirs[i]);
		ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', ENOENT, p, 1);
	}
	rm_exit(&r, TRACE, 500, 1 << 8); /* go build: cgo: C compiler "gcc" not found */
	j = expect_only(&r, "cgo-compiler-missing", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "\"gcc\""));
	cr_expect_eq(json_array_size(json_object_get(finding0(j), "events")), 3);
	json_decref(j);
	rm_close(&r);
}

/* make or a build script: execvp/posix_spawnp of $CC, a bare name, fails
 * with ENOENT; libc searched PATH itself, one record. */
Test(report, cgo_compiler_missing_libc_path_search)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci", "CC=clang",
					   NULL };
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, PRELOAD, 500, 1, "/usr/bin/make", env, 0, 0);
	ev_path(&r, PRELOAD, 500, 1, "/usr/bin/make", "posix_spawnp", 'L', ENOENT, "clang", 1);
	rm_exit(&r, PRELOAD, 500, 2 << 8);
	j = expect_only(&r, "cgo-compiler-missing", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "\"clang\""), "%s",
		  fstr(finding0(j), "summary"));
	json_decref(j);
	rm_close(&r);
	/* EACCES: some PATH directory refused, the name may be there: no finding */
	rm_create(&r);
	rm_process(&r, PRELOAD, 500, 1, "/usr/bin/make", env, 0, 0);
	ev_path(&r, PRELOAD, 500, 1, "/usr/bin/make", "execvp", 'L', EACCES, "clang", 1);
	rm_exit(&r, PRELOAD, 500, 2 << 8);
	j = report(&r, 3, NULL);
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0);
	json_decref(j);
	rm_close(&r);
}

/* go → cgo → gcc → cc1: cc1 finds foo.h nowhere and exits 1, gcc and cgo
 * fail; the go above them is go list -e (x/tools' go/packages tests),
 * which survives: a warning.  When that go fails too, an error. */
static json_t *header_chain(struct rm_ring *r, int go_status, int want_rc)
{
	static const char *const chain[][2] = {
		{ "/usr/local/go/pkg/tool/linux_amd64/cgo", "2" },
		{ "/usr/bin/x86_64-linux-gnu-gcc-12", "1" },
		{ "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "1" },
	};
	uint32_t pid = 601;

	rm_create(r);
	rm_process(r, TRACE, 600, 1, GO, env_ci, 0, 0);
	for (size_t i = 0; i < 3; i++, pid++) {
		rm_process(r, TRACE, pid, pid - 1, chain[i][0], env_ci, 0, 0);
	}
	ev_path(r, TRACE, 603, 602, chain[2][0], "openat", 'S', ENOENT, "/usr/include/foo.h", 1);
	for (size_t i = 3; i-- > 0;) {
		rm_exit(r, TRACE, 601 + (uint32_t)i, atoi(chain[i][1]) << 8);
	}
	if (go_status >= 0) {
		rm_exit(r, TRACE, 600, go_status);
	}
	return expect_only(r, "cgo-header-missing", want_rc);
}

Test(report, cgo_header_missing_survived_by_go_list_is_a_warning)
{
	struct rm_ring r;
	json_t *j = header_chain(&r, -1, 0); /* go list -e: no EXIT record, exited 0 */

	cr_expect_str_eq(fstr(finding0(j), "severity"), "warning");
	json_decref(j);
	rm_close(&r);
	j = header_chain(&r, 1 << 8, 1);
	cr_expect_str_eq(fstr(finding0(j), "severity"), "error");
	json_decref(j);
	rm_close(&r);
}

/* As uid 65534 with /root/bin first on PATH: LookPath meets EACCES there
 * (benign); gcc missing everywhere else is still the compiler pattern. */
Test(report, unsearchable_path_dir_is_benign_and_still_exhausts)
{
	static const char *const env[] = { "PATH=/root/bin:/usr/bin:/bin", "HOME=/home/ci", NULL };
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 500, 1, GO, env, 0, 0);
	ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', EACCES, "/root/bin/gccgo", 1);
	ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', EACCES, "/root/bin/gcc", 1);
	ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', ENOENT, "/usr/bin/gcc", 1);
	j = expect_only(&r, NULL, 0);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(j,
		     "suppressed"), "by_pattern"), "benign-path-search-denied")), 2);
	json_decref(j);
	ev_path(&r, TRACE, 500, 1, GO, "newfstatat", 'S', ENOENT, "/bin/gcc", 1);
	json_decref(expect_only(&r, "cgo-compiler-missing", 0)); /* go did not fail */
	rm_exit(&r, TRACE, 500, 1 << 8);
	json_decref(expect_only(&r, "cgo-compiler-missing", 1));
	rm_close(&r);
}

/* execvp's search that went on and found its program: goshimctl run as
 * uid 65534 with /root/go/bin first on PATH meets EACCES there, then runs
 * /usr/bin/env in the same process, which runs a go that fails.  The
 * EACCES is the search's noise whether or not the run then failed. */
Test(report, path_search_that_found_its_program_is_benign_in_a_failed_run)
{
	static const char *const env[] = { "PATH=/root/go/bin:/usr/bin:/bin", "HOME=/tmp/u",
					   NULL };
	static const char *const ctl = "/usr/bin/goshimctl";
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, ctl, env, 0, 0);
	ev_path(&r, TRACE, 700, 1, ctl, "execve", 'S', EACCES, "/root/go/bin/env", 1);
	rm_process(&r, TRACE, 700, 1, "/usr/bin/env", env, 0, 0);
	rm_process(&r, TRACE, 700, 1, GO, env, 0, 0);
	rm_exit(&r, TRACE, 700, 1 << 8);
	j = expect_only(&r, NULL, 3); /* the failed exit: unexplained, not the search */
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(j,
		     "suppressed"), "by_pattern"), "benign-path-search-denied")), 1);
	json_decref(j);
	rm_close(&r);
}

/* A missing C compiler is an error only when the failure reached whoever
 * ran the process that looked: `go list -e` (pid 510) survives its cgo
 * tool (pid 511) exiting 2; a go that exits 1 itself does not. */
Test(report, cgo_compiler_missing_is_an_error_only_when_the_exit_propagates)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci", NULL };
	static const char *const cgo = "/usr/local/go/pkg/tool/linux_amd64/cgo";
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 510, 1, GO, env, 0, 0);
	rm_process(&r, TRACE, 511, 510, cgo, env, 0, 0);
	ev_path(&r, TRACE, 511, 510, cgo, "newfstatat", 'S', ENOENT, "/usr/bin/gcc", 1);
	ev_path(&r, TRACE, 511, 510, cgo, "newfstatat", 'S', ENOENT, "/bin/gcc", 1);
	rm_exit(&r, TRACE, 511, 2 << 8);
	j = expect_only(&r, "cgo-compiler-missing", 0);
	cr_expect_str_eq(json_string_value(json_object_get(finding0(j), "severity")), "warning");
	json_decref(j);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0); /* the run passed */
	json_decref(j);
	rm_exit(&r, TRACE, 510, 1 << 8);
	j = expect_only(&r, "cgo-compiler-missing", 1);
	cr_expect_str_eq(json_string_value(json_object_get(finding0(j), "severity")), "error");
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0); /* explained */
	json_decref(j);
	rm_close(&r);
}

/* go exits 1 and no rule explains why: report says so and exits 3, with the
 * unclassified failure of its tree (a test binary's EACCES) as the nearest;
 * a warning does not explain a failed exit. */
/* x/tools' go/packages tests: the test binary runs `go list` that it
 * expects to fail (exit 1), and passes; go test exits 0.  Nothing failed
 * the run: nothing unexplained (before: "go exited 1", report exit 3). */
Test(report, go_failure_survived_by_a_test_is_not_unexplained)
{
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, GO, env_ci, 0, 0);
	rm_process(&r, TRACE, 701, 700, "/tmp/go-build1/b001/packages.test", env_ci, 0, 0);
	rm_process(&r, TRACE, 702, 701, GO, env_ci, 0, 0);
	rm_exit(&r, TRACE, 702, 1 << 8);
	j = expect_only(&r, NULL, 0);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0);
	json_decref(j);
	/* the test binary failed because of it, and so did go test */
	rm_exit(&r, TRACE, 701, 1 << 8);
	rm_exit(&r, TRACE, 700, 1 << 8);
	j = report(&r, 3, NULL);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	json_decref(j);
	rm_close(&r);
}

Test(report, failed_exit_without_error_finding_is_unexplained)
{
	static const char *const t = "/tmp/go-build1/b001/m.test";
	struct rm_ring r;
	json_t *j, *u;

	rm_create(&r);
	rm_process(&r, TRACE, 520, 1, GO, env_ci, 0, 0);
	rm_process(&r, TRACE, 521, 520, t, env_ci, 0, 0);
	ev_path(&r, TRACE, 521, 520, t, "openat", 'S', EACCES, "/srv/data/test.db", 1);
	ev_path(&r, TRACE, 520, 1, GO, "newfstatat", 'S', ENOENT, "/home/ci/go", 1);
	rm_exit(&r, TRACE, 521, 1 << 8);
	j = report(&r, 0, NULL);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0); /* go has not failed */
	json_decref(j);
	rm_exit(&r, TRACE, 520, 1 << 8);
	j = report(&r, 3, NULL);
	cr_assert_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	u = json_array_get(json_object_get(j, "unexplained"), 0);
	cr_expect_eq(json_integer_value(json_object_get(u, "pid")), 520);
	cr_expect_str_eq(fstr(json_array_get(json_object_get(u, "nearest"), 0), "path"),
			 "/srv/data/test.db");
	json_decref(j);
	rm_close(&r);
}

/* A test binary pid under a 4 GiB RLIMIT_AS whose race runtime failed to
 * map its shadow, and died with exit 66. */
static void race_shadow_ring(struct rm_ring *r, uint32_t pid, uint32_t ppid, const char *exe)
{
	struct rm_rec b;

	rm_process_go(r, TRACE, pid, ppid, exe, env_ci, 0, 4ull << 30, 1);
	rm_begin(&b, pid, ppid, exe);
	rm_call(&b, "mmap", 'S', ENOMEM);
	gs_tlv_u64(&b.t, GOSHIM_T_ADDR, 0x7b0000000000ull);
	gs_tlv_u64(&b.t, GOSHIM_T_LENGTH, 0x10000000000ull);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE);
	gs_tlv_u32(&b.t, GOSHIM_T_PROT, PROT_READ | PROT_WRITE);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, pid, 66 << 8);
}

/* go's build cache written by root, met by go itself (pid 820: its own
 * failed open of an entry, an error since go exited 1) */
static void foreign_cache_write(struct rm_ring *r, uint32_t pid)
{
	struct rm_rec b;
	const char *p = "/home/ci/.cache/go-build/ab/abcd0123-a";

	rm_begin(&b, pid, 1, GO);
	rm_call(&b, "openat", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, p);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, p);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_RDWR | O_CREAT | O_CLOEXEC);
	rm_stat(&b, p, 0100644, 0, 0);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, 65534);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
}

/* A module directory uid 65534 cannot write and a root-written GOCACHE:
 * go's exit 1 is its test binary's (the last of its children to fail),
 * which failed creating its database;
 * go's own failed cache write (relay: go failed only after its child
 * had) stays a warning and explains nothing.
 * The exit is unexplained, named from where it began (exit 3), with the
 * test binary's EACCES nearest, and the cache finding comes after it. */
Test(report, error_not_linked_to_the_failed_exit_leaves_it_unexplained)
{
	static const char *const t = "/tmp/go-build1/b001/m.test";
	struct rm_ring r;
	char *out, *err;
	json_t *j, *u, *f;

	rm_create(&r);
	rm_process(&r, TRACE, 820, 1, GO, env_ci, 0, 0);
	foreign_cache_write(&r, 820);
	/* cgo's compiler probe, failed and survived long before */
	rm_process(&r, TRACE, 822, 820, "/usr/bin/gcc", env_ci, 0, 0);
	rm_exit(&r, TRACE, 822, 1 << 8);
	rm_process(&r, TRACE, 821, 820, t, env_ci, 0, 0);
	ev_path(&r, TRACE, 821, 820, t, "openat", 'S', EACCES, "/srv/m/test.db", 1);
	ev_path(&r, TRACE, 821, 820, t, "openat", 'S', EACCES, "/srv/m/test.idx", 1);
	rm_exit(&r, TRACE, 821, 1 << 8);
	rm_exit(&r, TRACE, 820, 1 << 8);
	j = report(&r, 3, NULL);
	f = finding0(j);
	cr_expect_str_eq(fstr(f, "pattern"), "gocache-foreign-owner");
	cr_expect_str_eq(fstr(f, "severity"), "warning");
	cr_expect_str_eq(fstr(f, "exit_link"), "relay");
	cr_assert_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	u = json_array_get(json_object_get(j, "unexplained"), 0);
	cr_expect_eq(json_integer_value(json_object_get(u, "pid")), 820);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(u, "origin"), "pid")), 821);
	cr_expect_str_eq(fstr(json_array_get(json_object_get(u, "nearest"), 0), "path"),
			 "/srv/m/test.idx");
	json_decref(j);
	const char *args[] = { "report", r.path, NULL };
	cr_expect_eq(rm_run(args, &out, &err), 3, "%s", err);
	const char *unx = strstr(out, "unexplained: m.test (pid 821) exit 1, then go (pid 820) "
				 "exit 1; no known pattern explains it");
	const char *cache = strstr(out, "warning gocache-foreign-owner");
	cr_expect(unx && cache && unx < cache, "the exit is not explained first: %s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* The same cache write in a go that failed with no child failing before
 * (Go 1.26's go test and go build -a fail on a foreign cache): the origin
 * of the exit, an error that explains it. */
Test(report, foreign_cache_at_the_origin_is_an_error)
{
	struct rm_ring r;

	rm_create(&r);
	rm_process(&r, TRACE, 820, 1, GO, env_ci, 0, 0);
	foreign_cache_write(&r, 820);
	rm_exit(&r, TRACE, 820, 1 << 8);
	json_t *j = expect_only(&r, "gocache-foreign-owner", 1);
	cr_expect_str_eq(fstr(finding0(j), "severity"), "error");
	cr_expect_str_eq(fstr(finding0(j), "exit_link"), "cause");
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0);
	json_decref(j);
	rm_close(&r);
}

/* Two errors: a full disk a compiler survived (pid 831, exit 0) and the
 * race runtime's failed mapping in the test binary whose exit 66 failed
 * go test.  The one at the origin of the failed exit is the headline, in
 * every format, whatever the order of the records. */
Test(report, headline_is_the_cause_of_the_exit)
{
	static const char *const cc = "/usr/local/go/pkg/tool/linux_amd64/compile";
	static const char *const t = "/tmp/go-build1/b001/x.test";
	static const char *const fmts[] = { "--format=github", "--format=markdown",
					    "--format=junit", "--format=text" };
	struct rm_ring r;
	struct rm_rec b;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 830, 1, GO, env_ci, 0, 0);
	rm_process(&r, TRACE, 831, 830, cc, env_ci, 0, 0);
	rm_begin(&b, 831, 830, cc);
	rm_call(&b, "openat", 'S', ENOSPC);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/tmp/go-build1/b164/_pkg_.a");
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_WRONLY | O_CREAT | O_TRUNC);
	rm_statfs(&b, TMPFS_MAGIC, 0, "/tmp tmpfs rw");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	race_shadow_ring(&r, 832, 830, t);
	rm_exit(&r, TRACE, 830, 1 << 8);
	j = report(&r, 1, NULL);
	json_t *fa = json_object_get(j, "findings");
	cr_assert_eq(json_array_size(fa), 2);
	cr_expect_str_eq(fstr(json_array_get(fa, 0), "pattern"), "race-shadow-mmap");
	cr_expect_str_eq(fstr(json_array_get(fa, 0), "exit_link"), "cause");
	cr_expect_str_eq(fstr(json_array_get(fa, 1), "pattern"), "disk-full");
	cr_expect_str_eq(fstr(json_array_get(fa, 1), "exit_link"), "survived");
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0);
	json_decref(j);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const char *args[] = { "report", fmts[i], r.path, NULL };
		char *out, *err;
		cr_expect_eq(rm_run(args, &out, &err), 1, "%s: %s", fmts[i], err);
		const char *race = strstr(out, "race-shadow-mmap"), *disk = strstr(out, "disk-full");
		cr_expect(race && disk && race < disk, "%s: disk-full first: %s", fmts[i], out);
		free(out);
		free(err);
	}
	rm_close(&r);
}

static void sc_ring(struct rm_ring *r, const char *exe, const char *call, char kind, int err,
		    int seccomp)
{
	struct rm_rec b;

	rm_create(r);
	rm_process(r, kind == 'S' ? TRACE : PRELOAD, 600, 1, exe, env_ci, seccomp, 0);
	rm_begin(&b, 600, 1, exe);
	rm_call(&b, call, kind, err);
	rm_commit(r, &b, GOSHIM_REC_EVENT, kind == 'S' ? TRACE : PRELOAD, 1);
}

/* One failed call of a process under a seccomp filter (mode 2). */
struct filtered_case {
	const char *name, *exe, *call;
	char kind;
	const char *id;          /* the only finding (NULL: none) */
	int rc;                  /* report's exit status */
};

static const struct filtered_case filtered_cases[] = {
	{ "seccomp_memfd_denied", "/usr/bin/runc", "memfd_create", 'L',
	  "seccomp-memfd-denied", 1 },
	{ "seccomp_time64_denied", "/bin/date", "clock_gettime64", 'S',
	  "seccomp-time64-denied", 1 },
	{ "seccomp_legacy_clone3", "/tmp/go-build1/b001/exe/main", "clone3", 'S',
	  "seccomp-legacy-profile", 1 },
	{ "seccomp_legacy_faccessat2_from_make", "/usr/bin/make", "faccessat2", 'S',
	  "seccomp-legacy-profile", 1 },
	{ "faccessat2_eperm_from_go_is_benign", GO, "faccessat2", 'S', NULL, 0 },
	{ "race_personality_denied", "/tmp/go-build1/b001/x.test", "personality", 'S',
	  "race-personality-denied", 1 },
};

/* seccomp_memfd_denied, seccomp_time64_denied, seccomp_legacy_clone3,
 * seccomp_legacy_faccessat2_from_make, faccessat2_eperm_from_go_is_benign
 * and race_personality_denied, as rows. */
TL_TABLE_TEST(struct filtered_case, filtered_cases, report, filtered)
{
	struct rm_ring r;
	char pats[1024];

	sc_ring(&r, c->exe, c->call, c->kind, EPERM, 2);
	json_t *j = expect_only(&r, c->id, c->rc);
	rm_patterns(j, pats, sizeof(pats));
	cr_expect_str_eq(pats, c->id ? c->id : "", "%s", c->name);
	json_decref(j);
	rm_close(&r);
}

Test(report, race_shadow_mmap)
{
	struct rm_ring r;
	const char *exe = "/tmp/go-build1/b001/x.test";

	rm_create(&r);
	race_shadow_ring(&r, 700, 1, exe);
	json_t *j = expect_only(&r, "race-shadow-mmap", 1);
	cr_expect(strstr(fstr(finding0(j), "summary"), "4.0 GiB"), "%s", fstr(finding0(j), "summary"));
	json_decref(j);
	rm_close(&r);
}

/* One unfixed mmap ENOMEM under ulimit -v, as the in-kernel watcher hands
 * them over: go's refused arena hint (it retries smaller: benign) in a go
 * that exits 1, a 128 KiB TSan trace part in the test binary that dies of
 * it (exit 66) — race-shadow-mmap about the test binary; with both
 * exiting 0, nothing (the test binary survived, as go and compile do). */
static void rs_small_mmap(struct rm_ring *r, uint32_t pid, uint32_t ppid, const char *exe,
			  uint64_t len, uint32_t prot, int exit_status, int gorace)
{
	struct rm_rec b;

	rm_process_go(r, TRACE, pid, ppid, exe, env_ci, 2, 2000000ull << 10, gorace);
	rm_begin(&b, pid, ppid, exe);
	rm_call(&b, "mmap", 'S', ENOMEM);
	gs_tlv_u64(&b.t, GOSHIM_T_ADDR, 0);
	gs_tlv_u64(&b.t, GOSHIM_T_LENGTH, len);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS);
	gs_tlv_u32(&b.t, GOSHIM_T_PROT, prot);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, pid, exit_status);
}

Test(report, race_out_of_address_space_small_mmap)
{
	const char *go = "/usr/local/go/bin/go", *exe = "/tmp/go-build1/b001/r.test";

	for (int died = 0; died < 2; died++) {
		struct rm_ring r;

		rm_create(&r);
		rs_small_mmap(&r, 700, 1, go, 64ull << 20, PROT_NONE, died ? 1 << 8 : 0, 0);
		rs_small_mmap(&r, 701, 700, exe, 128ull << 10, PROT_READ | PROT_WRITE,
			      died ? 66 << 8 : 0, 1);
		if (!died) {
			json_decref(rm_expect(&r, NULL, 0, NULL));
			rm_close(&r);
			continue;
		}
		json_t *j = expect_only(&r, "race-shadow-mmap", 1);
		json_t *f = finding0(j);
		cr_expect(strstr(fstr(f, "summary"), "r.test ran out of address space"), "%s",
			  fstr(f, "summary"));
		cr_expect(strstr(fstr(f, "summary"), "128 KiB"), "%s", fstr(f, "summary"));
		cr_expect_eq(json_array_size(json_object_get(f, "events")), 1, "go's retry is benign");
		json_decref(j);
		rm_close(&r);
	}
}

/* An mmap of len (MAP_FIXED at 0x7b0000000000 when fixed) failing ENOMEM
 * in pid, under the trace engine. */
static void as_mmap(struct rm_ring *r, uint32_t pid, uint32_t ppid, const char *exe, int fixed,
		    uint64_t len)
{
	struct rm_rec b;

	rm_begin(&b, pid, ppid, exe);
	rm_call(&b, "mmap", 'S', ENOMEM);
	gs_tlv_u64(&b.t, GOSHIM_T_ADDR, fixed ? 0x7b0000000000ull : 0);
	gs_tlv_u64(&b.t, GOSHIM_T_LENGTH, len);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS | (fixed ? MAP_FIXED : 0));
	gs_tlv_u32(&b.t, GOSHIM_T_PROT, PROT_READ | PROT_WRITE);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
}

/* A program not built with -race out of address space under ulimit -v
 * (a plain Go program's heap: "fatal error: out of memory", exit 2; the
 * same where nothing says what the program is, a C program): no race
 * finding but address-space-limit, an error (the origin of the failed
 * exit), both its mmaps in it; the remedy ulimit -v unlimited. */
Test(report, plain_program_out_of_address_space)
{
	const char *exe = "/src/big/big";

	for (int gorace = 0; gorace > -2; gorace--) {
		struct rm_ring r;

		rm_create(&r);
		rm_process_go(&r, TRACE, 710, 1, exe, env_ci, 2, 2000000ull << 10, gorace);
		as_mmap(&r, 710, 1, exe, 0, 128ull << 20);
		as_mmap(&r, 710, 1, exe, 1, 2ull << 30);
		rm_exit(&r, TRACE, 710, 2 << 8);
		json_t *j = expect_only(&r, "address-space-limit", 1);
		json_t *f = finding0(j);
		cr_expect_str_eq(fstr(f, "severity"), "error", "gorace %d", gorace);
		cr_expect_eq(json_array_size(json_object_get(f, "events")), 2, "gorace %d", gorace);
		cr_expect(strstr(fstr(f, "summary"), "big ran out of address space"), "%s",
			  fstr(f, "summary"));
		cr_expect(strstr(fstr(f, "summary"), "1.9 GiB"), "%s", fstr(f, "summary"));
		cr_expect(strstr(fstr(f, "remedy"), "ulimit -v unlimited"), "remedy %s",
			  fstr(f, "remedy"));
		cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0);
		json_decref(j);
		rm_close(&r);
	}
}

/* The remedy is for where the job ran: on a host, ulimit -v and where a
 * host sets the limit (a systemd unit, limits.conf); in a container
 * without CAP_SYS_ADMIN, what started it, and no host line. */
Test(report, address_space_limit_remedy_by_place)
{
	static const struct goshim_t_container in_ctr = {
		.evidence = GOSHIM_CTR_DOCKERENV | GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN |
			    GOSHIM_CTR_NS_READ,
		.engine = "docker",
	};
	const char *exe = "/src/cmal";

	for (int ctr = 0; ctr < 2; ctr++) {
		struct rm_ring r;
		struct rm_rec b;
		struct goshim_t_rlimit as = { RLIMIT_AS, 0, 2000000ull << 10, 2000000ull << 10 };

		rm_create(&r);
		rm_begin(&b, 740, 1, exe);
		gs_tlv_str(&b.t, GOSHIM_T_ARGV, exe);
		gs_tlv_put(&b.t, GOSHIM_T_RLIMIT, &as, sizeof(as));
		if (ctr) {
			gs_tlv_put(&b.t, GOSHIM_T_CONTAINER, &in_ctr, sizeof(in_ctr));
		}
		rm_commit(&r, &b, GOSHIM_REC_PROCESS, TRACE, 1);
		as_mmap(&r, 740, 1, exe, 0, 100ull << 20);
		rm_exit(&r, TRACE, 740, 1 << 8);
		json_t *j = expect_only(&r, "address-space-limit", 1);
		const char *rem = fstr(finding0(j), "remedy");
		cr_expect(strstr(rem, "ulimit -v unlimited"), "%s", rem);
		cr_expect_eq(strstr(rem, "in a container the limit comes from what started it") != NULL,
			     ctr, "%s", rem);
		cr_expect_eq(strstr(rem, "systemctl edit") != NULL, !ctr, "%s", rem);
		json_decref(j);
		rm_close(&r);
	}
}

/* Not address-space-limit: the same mmaps without a finite RLIMIT_AS
 * (overcommit refused them: nothing says why), or in a program that then
 * exited 0; and in a go that only relays its test binary's exit 1 (go
 * retries smaller arenas: benign-go-arena-retry).  go itself dying of it
 * ("fatal error: failed to reserve page summary memory", exit 2) is. */
Test(report, address_space_limit_needs_the_limit_and_the_failed_exit)
{
	const char *exe = "/src/big/big", *t = "/tmp/go-build1/b001/m.test";

	for (int k = 0; k < 4; k++) {
		struct rm_ring r;

		rm_create(&r);
		if (k < 2) {
			rm_process_go(&r, TRACE, 720, 1, exe, env_ci, 2, k ? 2000000ull << 10 : 0, 0);
			as_mmap(&r, 720, 1, exe, 0, 128ull << 20);
			rm_exit(&r, TRACE, 720, k ? 0 : 2 << 8);
		} else {
			rm_process_go(&r, TRACE, 720, 1, GO, env_ci, 2, 975000ull << 10, 0);
			as_mmap(&r, 720, 1, GO, 0, 64ull << 20);
			if (k == 2) {
				rm_process_go(&r, TRACE, 721, 720, t, env_ci, 2, 975000ull << 10, 0);
				rm_exit(&r, TRACE, 721, 1 << 8);
			}
			rm_exit(&r, TRACE, 720, k == 2 ? 1 << 8 : 2 << 8);
		}
		static const int rc[] = { 3, 0, 3, 1 };
		json_t *j = report(&r, rc[k], NULL);
		json_t *f = finding0(j);
		cr_expect_eq(strcmp(fstr(f, "pattern"), "address-space-limit") == 0, k == 3,
			     "case %d: %s", k, fstr(f, "pattern"));
		if (k == 3) {
			cr_expect(strstr(fstr(f, "summary"), "go ran out of address space"), "%s",
				  fstr(f, "summary"));
			cr_expect_str_eq(fstr(f, "severity"), "error");
		}
		json_decref(j);
		rm_close(&r);
	}
}

/* A Go test binary under ulimit -v whose arena hints were refused at
 * start (it retried smaller, as go does) and whose test then failed
 * (status 1, not Go's fatal 2): no address-space-limit; its refused
 * mmaps are benign and the failed test unexplained. */
Test(report, go_test_failing_under_rlimit_as_is_not_address_space)
{
	const char *t = "/tmp/go-build1/b001/ft.test";
	struct rm_ring r;

	rm_create(&r);
	rm_process_go(&r, TRACE, 750, 1, GO, env_ci, 2, 975000ull << 10, 0);
	rm_process_go(&r, TRACE, 751, 750, t, env_ci, 2, 975000ull << 10, 0);
	as_mmap(&r, 751, 750, t, 0, 64ull << 20);
	rm_exit(&r, TRACE, 751, 1 << 8);
	rm_exit(&r, TRACE, 750, 1 << 8);
	json_t *j = report(&r, 3, NULL);
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0, "%s",
		     fstr(finding0(j), "pattern"));
	cr_expect_eq(json_array_size(json_object_get(j, "unclassified")), 0);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	json_decref(j);
	rm_close(&r);
}

/* A C program under the preload: pthread_create failed EAGAIN with
 * ENOMEM in errno (the thread's stack not mapped under RLIMIT_AS,
 * preload/thread.c records ENOMEM) and the program exited 1 in its shell:
 * address-space-limit.  EAGAIN in errno, a refused clone, stays
 * pids-limit. */
Test(report, pthread_create_stack_under_rlimit_as)
{
	const char *exe = "/src/cthr";

	for (int nomem = 0; nomem < 2; nomem++) {
		struct rm_ring r;
		struct rm_rec b;

		rm_create(&r);
		rm_process(&r, PRELOAD, 730, 1, "/usr/bin/dash", env_ci, 0, 300000ull << 10);
		rm_process(&r, PRELOAD, 731, 730, exe, env_ci, 0, 300000ull << 10);
		rm_begin(&b, 731, 730, exe);
		rm_call(&b, "pthread_create", 'L', nomem ? ENOMEM : EAGAIN);
		rm_commit(&r, &b, GOSHIM_REC_EVENT, PRELOAD, 1);
		rm_exit(&r, PRELOAD, 731, 1 << 8);
		json_t *j = expect_only(&r, nomem ? "address-space-limit" : "pids-limit", 1);
		cr_expect_str_eq(fstr(finding0(j), "severity"), "error");
		json_decref(j);
		rm_close(&r);
	}
}

Test(report, disk_full)
{
	struct rm_ring r;
	struct rm_rec b;
	const char *p = "/tmp/go-build1/b164/_pkg_.a";

	rm_failed_call(&r, &b, TRACE, 800, "/usr/local/go/pkg/tool/linux_amd64/compile", env_ci,
		       0, "openat", 'S', ENOSPC);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, p);
	gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, O_WRONLY | O_CREAT | O_TRUNC);
	rm_stat(&b, "/tmp/go-build1/b164", 040755, 0, 1);
	rm_statfs(&b, TMPFS_MAGIC, 0, "/tmp tmpfs rw");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	json_decref(expect_only(&r, "disk-full", 1));
	rm_close(&r);
}

/* What a clean `go test` of a few std packages fails with: ~350 failed
 * newfstatat and a few openat, none of them a problem. */
Test(report, benign_noise_gives_no_finding)
{
	struct rm_ring r;
	struct rm_rec b;
	static const char *const paths[] = {
		"/home/ci/go", "/src/proj/go.work", "/src/go.work", "/go.work",
		"/src/proj/sub/go.mod", "/src/proj/vendor", "/src/proj/vendor/modules.txt",
		"/usr/local/go/bin/gccgo", "/usr/bin/gccgo", "/bin/gccgo",
		"/src/proj/testdata/fuzz/FuzzParse", "/home/ci/.cache/go-build/testexpire.txt",
		"/tmp/go-build42/b001/", "/tmp/go-build42/b017/importcfg",
		"/home/ci/.config/go/env", "/home/ci/go/pkg/mod/cache/download/x/@v/list",
		"/usr/share/zoneinfo/Local",
	};
	json_t *j, *by;

	rm_create(&r);
	rm_process(&r, TRACE, 100, 1, GO, env_ci, 0, 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ev_path(&r, TRACE, 100, 1, GO, "newfstatat", 'S', ENOENT, paths[i], 20);
	}
	ev_path(&r, TRACE, 100, 1, GO, "openat", 'S', ENOENT,
		"/home/ci/.cache/go-build/3f/3f2a9c-a", 7);
	ev_path(&r, TRACE, 100, 1, GO, "newfstatat", 'S', ENOTDIR, "/src/proj/main.go/go.mod", 1);
	rm_begin(&b, 100, 1, GO);
	gs_tlv_u32(&b.t, GOSHIM_T_ARCH, AUDIT_ARCH_X86_64);
	gs_tlv_u32(&b.t, GOSHIM_T_SYSNR, 434);
	gs_tlv_i32(&b.t, GOSHIM_T_ERRNO, ENOSYS);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_begin(&b, 100, 1, GO);
	rm_call(&b, "faccessat2", 'S', EPERM);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, "/usr/bin/gcc");
	rm_commit(&r, &b, GOSHIM_REC_EVENT, TRACE, 2);
	j = expect_only(&r, NULL, 0);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "suppressed"), "total")),
		     17 * 20 + 7 + 1 + 1 + 2);
	by = json_object_get(json_object_get(j, "suppressed"), "by_pattern");
	cr_expect_eq(json_integer_value(json_object_get(by, "benign-cache-miss")), 7);
	cr_expect_eq(json_integer_value(json_object_get(by, "benign-gccgo-lookup")), 60);
	cr_expect_eq(json_integer_value(json_object_get(by, "benign-pidfd-probe")), 1);
	cr_expect_eq(json_integer_value(json_object_get(by, "benign-faccessat2-go")), 2);
	cr_expect_eq(json_integer_value(json_object_get(by, "unmatched-enoent")), 20);
	json_decref(j);

	/* --all lists them */
	static const char *const all[] = { "--all", NULL };
	j = report(&r, 0, all);
	cr_expect_geq(json_array_size(json_object_get(j, "benign")), 10);
	json_decref(j);
	rm_close(&r);
}

Test(report, significant_unmatched_is_unclassified)
{
	struct rm_ring r;
	json_t *j, *u;

	rm_create(&r);
	rm_process(&r, PRELOAD, 100, 1, "/usr/bin/cat", env_ci, 0, 0);
	ev_path(&r, PRELOAD, 100, 1, "/usr/bin/cat", "openat", 'L', EACCES, "/etc/shadow", 1);
	ev_path(&r, PRELOAD, 100, 1, "/usr/bin/cat", "openat", 'L', EEXIST, "/tmp/lock", 1);
	j = report(&r, 0, NULL);
	u = json_object_get(j, "unclassified");
	cr_expect_eq(json_array_size(u), 1);
	cr_expect_str_eq(fstr(json_array_get(u, 0), "path"), "/etc/shadow");
	cr_expect_str_eq(fstr(json_array_get(u, 0), "errno"), "EACCES");
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0);
	json_decref(j);
	rm_close(&r);
}

Test(report, user_rules_come_first)
{
	struct rm_ring r;
	char path[256], arg[300];
	json_t *j;

	rm_tmpfile("[site-allow-noexec]\nseverity benign\nmatch call execve\nmatch mount-flag noexec\n",
		   path, sizeof(path));
	noexec_ring(&r, "/tmp/go-build1/b001/x.test");
	snprintf(arg, sizeof(arg), "--rules=%s", path);
	const char *const extra[] = { arg, NULL };
	j = report(&r, 3, extra); /* go still failed: unexplained once the site rule silences it */
	cr_expect_eq(json_array_size(json_object_get(j, "findings")), 0);
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(j,
		     "suppressed"), "by_pattern"), "site-allow-noexec")), 1);
	json_decref(j);
	unlink(path);
	rm_close(&r);
}

/* noexec_ring with the test binary at path, and its report in format fmt
 * (which must exit 1); malloc'd. */
static char *noexec_format(struct rm_ring *r, const char *fmt, const char *path)
{
	const char *args[] = { "report", fmt, NULL, NULL };
	char *out, *err;

	noexec_ring(r, path);
	args[2] = r->path;
	cr_assert_eq(rm_run(args, &out, &err), 1, "%s", err);
	free(err);
	return out;
}

Test(report, github_format_escapes)
{
	struct rm_ring r;
	char *out = noexec_format(&r, "--format=github", "/tmp/go-build1/b001/100%\r\nx.test");

	cr_expect_eq(strncmp(out, "::error title=goshim tmpdir-noexec::", 36), 0, "%s", out);
	/* control characters of a fact are escaped where it fills a template
	 * (as decode writes them), '%' by the workflow-command syntax */
	cr_expect(strstr(out, "/tmp/go-build1/b001/100%25\\x0d\\nx.test could not be executed"),
		  "%s", out);
	cr_expect(strstr(out, " — mkdir -p"), "%s", out);
	cr_expect(strstr(out, "%0Athe linker and cgo ignore GOTMPDIR"), "%s", out);
	/* one line per finding: the only newline is the last character */
	cr_expect_eq(strchr(out, '\n'), out + strlen(out) - 1, "%s", out);
	free(out);
	rm_close(&r);
}

/* --format=markdown, the job summary: the verdict as a heading, the
 * finding's summary and remedy, the text report in a collapsed block;
 * what comes from the ring cannot inject markup. */
Test(report, markdown_summary_names_finding_and_remedy)
{
	struct rm_ring r;
	char *out = noexec_format(&r, "--format=markdown", "/tmp/go-build1/b001/<b>x`|.test");

	cr_expect_eq(strncmp(out, "## goshim: 1 error, 0 warnings", 30), 0, "%s", out);
	cr_expect(strstr(out, "### error `tmpdir-noexec`\n\nthe test binary /tmp/go-build1"),
		  "%s", out);
	cr_expect(strstr(out, "/tmp/go-build1/b001/&lt;b&gt;x&#96;&#124;.test could not be "
		  "executed"), "%s", out);
	cr_expect(!strstr(out, "<b>"), "markup from the ring: %s", out);
	cr_expect(strstr(out, "**Remedy**\n\n<pre>\nmkdir -p"), "%s", out);
	cr_expect(strstr(out, "<details><summary>goshimctl report "), "%s", out);
	cr_expect(strstr(out, "remedy:   mkdir -p"), "the text report: %s", out);
	free(out);
	rm_close(&r);
}

/* --format=junit for GitLab: an error finding is a failed test case
 * whose message is the summary and text the remedy, XML-escaped. */
Test(report, junit_error_is_a_failure_with_its_remedy)
{
	struct rm_ring r;
	char *out = noexec_format(&r, "--format=junit", "/tmp/go-build1/b001/a&\"<x\x01.test");

	cr_expect(strstr(out, "<testsuite name=\"goshim\" tests=\"2\" failures=\"1\">"), "%s", out);
	cr_expect(strstr(out, "<testcase classname=\"goshim\" name=\"error tmpdir-noexec\">\n"
		  "    <failure message=\"the test binary /tmp/go-build1/b001/a&amp;&quot;&lt;x"),
		  "%s", out);
	cr_expect(strstr(out, "\">mkdir -p"), "the remedy as the failure's text: %s", out);
	cr_expect(!strchr(out, '\x01'), "a control character in XML: %s", out);
	free(out);
	rm_close(&r);
}

/* A ring with only benign failures: both CI formats say "no failure
 * found", and report exits 0. */
Test(report, ci_formats_say_no_failure_found)
{
	struct rm_ring r;
	const char *args[] = { "report", NULL, NULL, NULL };
	char *out, *err;

	rm_create(&r);
	rm_process(&r, TRACE, 100, 1, GO, env_ci, 0, 0);
	ev_path(&r, TRACE, 100, 1, GO, "newfstatat", 'S', ENOENT, "/src/go.work", 3);
	args[2] = r.path;
	args[1] = "--format=github";
	cr_assert_eq(rm_run(args, &out, &err), 0, "%s", err);
	cr_expect_str_eq(out, "::notice title=goshim::no failure found: 3 benign failed calls, "
			 "none that explains a failure\n");
	free(out);
	free(err);
	args[1] = "--format=markdown";
	cr_assert_eq(rm_run(args, &out, &err), 0, "%s", err);
	cr_expect_eq(strncmp(out, "## goshim: no failure found\n", 28), 0, "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* A PROCESS record of run `run` at time t (ns after the rings' usual
 * time), and its pid's failures after it. */
static void run_process(struct rm_ring *r, uint32_t pid, const char *run, uint64_t t)
{
	struct rm_rec b;
	struct tl_ident id = { .time_real = 1700000000000000000ull + t, .time_mono = 1000 + t,
			       .pid = pid, .tid = pid, .ppid = 1, .exe = GO };

	tl_payload_begin(&b, &id);
	gs_tlv_str(&b.t, GOSHIM_T_ARGV, GO);
	for (size_t i = 0; env_ci[i]; i++) {
		gs_tlv_str(&b.t, GOSHIM_T_ENV, env_ci[i]);
	}
	if (run) {
		gs_tlv_str(&b.t, GOSHIM_T_RUN, run);
	}
	rm_commit(r, &b, GOSHIM_REC_PROCESS, TRACE, 1);
}

static void run_event(struct rm_ring *r, uint32_t pid, uint32_t ppid, int err, const char *path,
		      uint64_t t, int status)
{
	struct rm_rec b;
	struct tl_ident id = { .time_real = 1700000000000000000ull + t, .time_mono = 1000 + t,
			       .pid = pid, .tid = pid, .ppid = ppid, .exe = GO };

	tl_payload_begin(&b, &id);
	rm_call(&b, err == EACCES ? "execve" : "newfstatat", 'S', err);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, path);
	if (err == EACCES) {
		rm_stat(&b, path, 0100755, 0, 0);
		rm_statfs(&b, TMPFS_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC,
			  "/tmp tmpfs rw,nosuid,nodev,noexec,relatime");
		rm_cred(&b, 0);
	}
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	if (status) {
		tl_payload_begin(&b, &id);
		gs_tlv_i32(&b.t, GOSHIM_T_STATUS, status);
		rm_commit(r, &b, GOSHIM_REC_EXIT, TRACE, 1);
	}
}

/* Two runs in one ring (GOSHIM_RUN in the PROCESS records), the same
 * pid in both: report speaks of the last, a green one, and says what it
 * left out; --all-runs shows the old error. */
Test(report, last_run_only_unless_all_runs)
{
	struct rm_ring r;
	const char *args[] = { "report", NULL, NULL, NULL };
	char *out, *err;

	rm_create(&r);
	run_process(&r, 100, "0123456789abcdef", 0);
	run_event(&r, 101, 100, EACCES, "/tmp/go-build1/b001/x.test", 10, 253 << 8);
	run_event(&r, 100, 1, ENOENT, "/home/ci/go", 20, 1 << 8);
	run_process(&r, 100, "fedcba9876543210", 1000);
	run_event(&r, 100, 1, ENOENT, "/src/go.work", 1010, 0);
	args[1] = r.path;
	cr_expect_eq(rm_run(args, &out, &err), 0, "the last run is green: %s %s", out, err);
	cr_expect(strstr(out, "run fedcba9876543210, the last of 2 runs in the ring: 2 failures "
		  "(2 calls) of older runs left out (--all-runs shows them)"), "%s", out);
	cr_expect(!strstr(out, "tmpdir-noexec"), "%s", out);
	free(out);
	free(err);
	args[1] = "--all-runs";
	args[2] = r.path;
	cr_expect_eq(rm_run(args, &out, &err), 1, "%s %s", out, err);
	cr_expect(strstr(out, "error tmpdir-noexec"), "%s", out);
	free(out);
	free(err);
	args[1] = "--format=github";
	cr_expect_eq(rm_run(args, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "::notice title=goshim run::run fedcba9876543210, the last of 2 in "
		  "the ring: 2 failures of older runs left out"), "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* Under the preload the ring is attached at a process's first failure: a
 * fork child of the shell may fail (and write its event) before its parent
 * writes the PROCESS record that names the run.  Its failure belongs to
 * that run, the last one, not to the older run before it. */
Test(report, child_failing_before_its_parent_is_in_the_parents_run)
{
	struct rm_ring r;

	rm_create(&r);
	run_process(&r, 100, "0123456789abcdef", 0);
	run_event(&r, 100, 1, ENOENT, "/src/go.work", 10, 0);
	run_event(&r, 301, 300, EACCES, "/tmp/go-build1/b001/x.test", 1000, 0);
	run_process(&r, 300, "fedcba9876543210", 1010);
	rm_exit(&r, TRACE, 301, 126 << 8);
	json_decref(rm_expect(&r, "tmpdir-noexec", 1, NULL));
	rm_close(&r);
}

/* A ring without run ids (older writers) is one run: nothing left out. */
Test(report, ring_without_runs_is_one_run)
{
	struct rm_ring r;
	json_t *j, *run;

	noexec_ring(&r, "/tmp/go-build1/b001/x.test");
	j = expect_only(&r, "tmpdir-noexec", 1);
	run = json_object_get(j, "run");
	cr_expect(json_is_null(json_object_get(run, "id")), "%s", json_dumps(run, 0));
	cr_expect_eq(json_integer_value(json_object_get(run, "skipped")), 0);
	json_decref(j);
	rm_close(&r);
}

Test(report, text_format_no_color_when_piped)
{
	struct rm_ring r;
	char *out = noexec_text(&r, "/tmp/go-build1/b001/x.test");

	cr_expect(strstr(out, "error tmpdir-noexec: the test binary"), "%s", out);
	cr_expect(strstr(out, "go[100] → go[101] → x.test (not started)"), "%s", out);
	cr_expect(strstr(out, "go[100] exit 1"), "%s", out);
	cr_expect_null(strchr(out, '\033'), "colour codes in a pipe");
	free(out);
	rm_close(&r);
}

Test(report, unusable_input_exits_2)
{
	char path[256], *out, *err;
	const char *a1[] = { "report", "/nonexistent/ring", NULL };
	const char *a2[] = { "report", NULL, NULL };
	const char *a3[] = { "report", NULL };
	const char *a4[] = { "report", "--format=xml", "/x", NULL };

	cr_expect_eq(rm_run(a1, &out, &err), 2);
	cr_expect(strstr(err, "/nonexistent/ring"), "%s", err);
	free(out);
	free(err);
	rm_tmpfile("this is not a ring file, just text\n", path, sizeof(path));
	a2[1] = path;
	cr_expect_eq(rm_run(a2, &out, &err), 2);
	cr_expect(strstr(err, "not a usable goshim ring"), "%s", err);
	free(out);
	free(err);
	unlink(path);
	/* no ring named: $GOSHIM_RING, here one that does not exist (the
	 * default ring may exist on this machine) */
	setenv("GOSHIM_RING", "/nonexistent/goshim-default.ring", 1);
	cr_expect_eq(rm_run(a3, &out, &err), 2);
	cr_expect(strstr(err, "/nonexistent/goshim-default.ring"), "%s", err);
	unsetenv("GOSHIM_RING");
	free(out);
	free(err);
	cr_expect_eq(rm_run(a4, &out, &err), 2);
	cr_expect(strstr(err, "--format: expected text, json, github, markdown or junit"), "%s", err);
	free(out);
	free(err);
}

/* An empty ring is said so, and is no error: a clean run under the
 * preload leaves one. */
/* A zstd frame of raw bytes that names dictionary 7, which no goshimctl
 * knows: a record written with a dictionary of another build. */
static void unknown_dict_record(struct rm_ring *r, uint16_t type)
{
	static const uint8_t raw[] = "a payload compressed with another dictionary";
	uint8_t z[128] = { 0x28, 0xb5, 0x2f, 0xfd, 0x21, 7, sizeof(raw) };
	size_t n = 7;
	uint32_t bh = (uint32_t)sizeof(raw) << 3 | 1; /* last block, raw */

	z[n++] = (uint8_t)bh;
	z[n++] = (uint8_t)(bh >> 8);
	z[n++] = (uint8_t)(bh >> 16);
	memcpy(z + n, raw, sizeof(raw));
	n += sizeof(raw);
	cr_assert_geq(gs_ring_write(&r->ring, type, GOSHIM_CODEC_DICT, TRACE, z, (uint32_t)n,
				    sizeof(raw)), 0);
}

/* Records of which not one decodes say nothing of the run: report must not
 * read "0 errors" and exit 0, but say so and exit 2 (unusable input), in
 * every format; one record that decodes is enough to report on. */
Test(report, ring_of_undecodable_records_is_unusable)
{
	static const char *const fmts[] = { "--format=text", "--format=json", "--format=github",
					    "--format=markdown", "--format=junit" };
	struct rm_ring r;
	char *out, *err;

	rm_create(&r);
	unknown_dict_record(&r, GOSHIM_REC_PROCESS);
	unknown_dict_record(&r, GOSHIM_REC_EVENT);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const char *args[] = { "report", fmts[i], r.path, NULL };
		cr_expect_eq(rm_run(args, &out, &err), 2, "%s: %s%s", fmts[i], out, err);
		cr_expect(strstr(err, "none of its 2 records could be decoded") &&
			  strstr(err, "zstd dictionary 7 not known"), "%s: %s", fmts[i], err);
		cr_expect(!strstr(out, "0 errors"), "%s: %s", fmts[i], out);
		free(out);
		free(err);
	}
	rm_process(&r, TRACE, 900, 1, GO, env_ci, 0, 0);
	json_decref(report(&r, 0, NULL));
	rm_close(&r);
}

Test(report, empty_ring_says_so_and_exits_0)
{
	struct rm_ring r;
	json_t *j, *ring;

	rm_create(&r);
	j = expect_only(&r, NULL, 0);
	ring = json_object_get(j, "ring");
	cr_expect(json_is_true(json_object_get(ring, "empty")));
	cr_expect_str_eq(json_string_value(json_object_get(ring, "message")),
			 "the ring holds no records: no call failed under goshim, or nothing "
			 "ran under it (a shell that exports LD_PRELOAD does not load it itself)");
	json_decref(j);
	rm_close(&r);
}

/* Records with valid checksums but arbitrary fields (wrong sizes, absurd
 * values, cut strings, missing identity) must never crash the report. */
Test(report, garbage_fields_never_crash)
{
	static const uint16_t tags[] = {
		GOSHIM_T_PID, GOSHIM_T_PPID, GOSHIM_T_EXE, GOSHIM_T_CALL, GOSHIM_T_ERRNO,
		GOSHIM_T_PATH, GOSHIM_T_ABSPATH, GOSHIM_T_FLAGS, GOSHIM_T_LENGTH,
		GOSHIM_T_EV_PATH, GOSHIM_T_EV_STAT, GOSHIM_T_EV_STATFS, GOSHIM_T_EV_MOUNT,
		GOSHIM_T_EV_CRED, GOSHIM_T_EV_ELF, GOSHIM_T_EV_INTERP, GOSHIM_T_EV_INTERP_ERR,
		GOSHIM_T_EV_MISSING, GOSHIM_T_ENV, GOSHIM_T_RLIMIT, GOSHIM_T_SECCOMP,
		GOSHIM_T_STATUS, GOSHIM_T_CHILD, GOSHIM_T_UNAME, GOSHIM_T_NAME, GOSHIM_T_FMODE,
		GOSHIM_T_ARCH, GOSHIM_T_SYSNR, GOSHIM_T_NOTE, 9999,
	};
	static const char *const strs[] = {
		"", "/", "//", "PATH=", "=", "GOCACHE", "HOME=/", "PATH=:::", "/tmp/go-build",
		"x y z", "{path}", "%s%n", "/.cache/go-build/00", "TMPDIR=/tmp",
	};
	struct rm_ring r;
	uint8_t val[64];

	srand(42);
	rm_create(&r);
	for (int i = 0; i < 3000; i++) {
		struct rm_rec b;
		gs_tlv_init(&b.t, b.buf, sizeof(b.buf));
		if (rand() % 8) {
			gs_tlv_u32(&b.t, GOSHIM_T_PID, (uint32_t)(rand() % 6));
		}
		int nf = rand() % 12;
		for (int k = 0; k < nf; k++) {
			uint16_t tag = tags[rand() % (sizeof(tags) / sizeof(tags[0]))];
			if (rand() % 3 == 0) {
				gs_tlv_str(&b.t, tag, strs[rand() % (sizeof(strs) / sizeof(strs[0]))]);
			} else {
				size_t len = (size_t)(rand() % 60);
				for (size_t q = 0; q < len; q++) {
					val[q] = (uint8_t)(rand() % 3 ? rand() : 0xff);
				}
				if (tag == GOSHIM_T_CALL && len == 4) {
					uint32_t c = (uint32_t)(rand() % 140);
					memcpy(val, &c, 4);
				}
				gs_tlv_put(&b.t, tag, val, len);
			}
		}
		rm_commit(&r, &b, (uint16_t)(1 + rand() % 5), (uint32_t)(rand() % 3), 1);
	}
	const char *args[] = { "report", "--all", NULL, NULL };
	char *out, *err;
	args[2] = r.path;
	int rc = rm_run(args, &out, &err);
	cr_expect(rc == 0 || rc == 1, "exit %d: %s", rc, err);
	free(out);
	free(err);
	const char *jargs[] = { "report", "--json", "--all", NULL, NULL };
	jargs[3] = r.path;
	rc = rm_run(jargs, &out, &err);
	cr_expect(rc == 0 || rc == 1, "exit %d: %s", rc, err);
	json_decref(rm_json(out));
	free(out);
	free(err);
	rm_close(&r);
}

/* Colour only on a terminal whose TERM is not "dumb", and never with
 * NO_COLOR set, unless --color says otherwise.  term NULL: TERM unset;
 * opt: an extra option or NULL. */
static char *run_on_pty(const char *ring, const char *term, int no_color, const char *opt)
{
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	char *out = NULL;
	size_t len = 0;
	char buf[4096];
	ssize_t n;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (no_color) {
			setenv("NO_COLOR", "1", 1);
		} else {
			unsetenv("NO_COLOR");
		}
		if (term) {
			setenv("TERM", term, 1);
		} else {
			unsetenv("TERM");
		}
		execl(getenv("DIAGCTL"), "diagctl", "report", opt ? opt : ring, opt ? ring : NULL,
		      (char *)NULL);
		_exit(127);
	}
	while ((n = read(master, buf, sizeof(buf))) > 0) {
		out = realloc(out, len + (size_t)n + 1);
		memcpy(out + len, buf, (size_t)n);
		len += (size_t)n;
		out[len] = 0;
	}
	waitpid(pid, NULL, 0);
	close(master);
	return out ? out : calloc(1, 1);
}

static void expect_colour(const char *ring, const char *term, int no_color, const char *opt,
			  int colour)
{
	char *out = run_on_pty(ring, term, no_color, opt);

	cr_expect(strstr(out, "error tmpdir-noexec") || strstr(out, "\033[1;31merror\033[0m"),
		  "no finding: %s", out);
	if (colour) {
		cr_expect(strstr(out, "\033[1;31merror\033[0m"), "TERM=%s NO_COLOR=%d %s: no colour: %s",
			  term, no_color, opt, out);
	} else {
		cr_expect_null(strchr(out, '\033'), "TERM=%s NO_COLOR=%d %s: colour: %s", term,
			       no_color, opt, out);
	}
	free(out);
}

Test(report, colour_on_a_terminal_unless_no_color)
{
	struct rm_ring r;

	noexec_ring(&r, "/tmp/go-build1/b001/x.test");
	expect_colour(r.path, "xterm", 0, NULL, 1);
	expect_colour(r.path, NULL, 0, NULL, 1);
	expect_colour(r.path, "xterm", 1, NULL, 0);
	expect_colour(r.path, "dumb", 0, NULL, 0);
	expect_colour(r.path, "dumb", 0, "--color=always", 1);
	expect_colour(r.path, "xterm", 1, "--color=always", 1);
	expect_colour(r.path, "xterm", 0, "--color=never", 0);
	expect_colour(r.path, "xterm", 0, "--color=auto", 1);
	rm_close(&r);
}

/* --color=always colours a pipe too; the default does not. */
Test(report, colour_always_on_a_pipe)
{
	struct rm_ring r;
	const char *args[] = { "report", "--color=always", NULL, NULL };
	char *out, *err;

	noexec_ring(&r, "/tmp/go-build1/b001/x.test");
	unsetenv("NO_COLOR");
	args[2] = r.path;
	cr_expect_eq(rm_run(args, &out, &err), 1, "%s", err);
	cr_expect(strstr(out, "\033[1;31merror\033[0m"), "%s", out);
	free(out);
	free(err);
	args[1] = r.path;
	args[2] = NULL;
	cr_expect_eq(rm_run(args, &out, &err), 1, "%s", err);
	cr_expect(strstr(out, "error tmpdir-noexec"), "%s", out);
	cr_expect_null(strchr(out, '\033'), "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* --format=github within GitHub's limits: 25 unclassified failures make 9
 * notices and a tenth that counts the rest; an engine note and an empty
 * ring are warnings, never dropped. */
Test(report, github_format_stays_within_ten_per_level)
{
	struct rm_ring r;
	struct rm_rec b;
	const char *args[] = { "report", "--format=github", NULL, NULL };
	char *out, *err, p[64];
	size_t notices = 0;

	rm_create(&r);
	args[2] = r.path;
	cr_assert_eq(rm_run(args, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "::notice title=goshim ring::the ring holds no records"), "%s", out);
	free(out);
	free(err);

	rm_process(&r, PRELOAD, 530, 1, "/usr/bin/make", env_ci, 0, 0);
	for (int i = 0; i < 25; i++) {
		snprintf(p, sizeof(p), "/srv/out/%d.o", i);
		ev_path(&r, PRELOAD, 530, 1, "/usr/bin/make", "openat", 'L', EACCES, p, 1);
	}
	rm_begin(&b, 530, 1, "/usr/bin/make");
	gs_tlv_str(&b.t, GOSHIM_T_NOTE, "trace hand-over failed: goshimctl not found");
	rm_commit(&r, &b, GOSHIM_REC_NOTE, PRELOAD, 1);
	cr_assert_eq(rm_run(args, &out, &err), 0, "%s", err);
	cr_expect(strstr(out, "::warning title=goshim engine::trace hand-over failed: goshimctl not "
			 "found\n"), "%s", out);
	for (const char *s = out; (s = strstr(s, "::notice ")); s++) {
		notices++;
	}
	cr_expect_eq(notices, 10, "%s", out);
	cr_expect(strstr(out, "::notice title=goshim::and 16 more: goshimctl report shows them all\n"),
		  "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* A path a traced program made up may not forge a line of the text report
 * or send an escape sequence to a terminal: the summary, the calls and the
 * facts escape it as decode does. */
Test(report, text_escapes_control_characters)
{
	struct rm_ring r;
	char *out = noexec_text(&r, "/tmp/go-build1/b001/x\n::error::forged\033[2J.test");

	cr_expect(!strstr(out, "\n::error::forged"), "%s", out);
	cr_expect(!strchr(out, '\033'), "%s", out);
	cr_expect(strstr(out, "x\\n::error::forged\\x1b[2J.test"), "%s", out);
	free(out);
	rm_close(&r);
}

/* report --json keeps a recorded path that is not UTF-8 (U+FFFD for the
 * bad byte, as decode does) instead of dropping the field or the whole
 * process entry. */
Test(report, json_keeps_names_that_are_not_utf8)
{
	struct rm_ring r;
	json_t *j, *f;

	noexec_ring(&r, "/tmp/go-build1/b001/x\xff.test");
	j = report(&r, 1, NULL);
	f = finding0(j);
	cr_expect(strstr(fstr(f, "summary"), "x\xef\xbf\xbd.test"), "summary: %s",
		  fstr(f, "summary"));
	cr_expect_str_eq(fstr(json_object_get(f, "evidence"), "path"),
			 "/tmp/go-build1/b001/x\xef\xbf\xbd.test");
	json_decref(j);
	rm_close(&r);
}

/* A wrapped process lane: go list's process record (pid 540) is gone, its
 * cgo tool (pid 541) exited 2 and go list went on.  A parent missing from
 * a ring that lost process records is not known to be outside the tree:
 * the cgo tool is no top of a failed run, and nothing is unexplained. */
Test(report, lost_parent_record_is_not_the_top_of_the_tree)
{
	static const char *const cgo = "/usr/local/go/pkg/tool/linux_amd64/cgo";
	struct rm_ring r;
	json_t *j;

	rm_create(&r);
	rm_process(&r, TRACE, 540, 1, GO, env_ci, 0, 0);
	for (uint32_t pid = 2000; pid < 2400; pid++) {
		rm_process(&r, TRACE, pid, 540, "/usr/bin/true", env_ci, 0, 0);
	}
	rm_process(&r, TRACE, 541, 540, cgo, env_ci, 0, 0);
	rm_exit(&r, TRACE, 541, 2 << 8);
	j = report(&r, 0, NULL);
	cr_expect_gt(json_integer_value(json_object_get(json_object_get(j, "ring"), "lost")), 0,
		     "the process lane did not wrap");
	cr_expect_eq(json_array_size(json_object_get(j, "unexplained")), 0, "%s",
		     json_dumps(json_object_get(j, "unexplained"), 0));
	json_decref(j);
	rm_close(&r);
}

/* go-toolchain-unavailable orders Go versions as cmd/go does: "1.21" <
 * "1.21rc1" < "1.21.0"; a toolchain line counts only where GOTOOLCHAIN
 * lets go switch; Go < 1.21 never refused a newer go line. */
Test(report, toolchain_versions_in_cmd_go_order)
{
	static const struct {
		const char *running, *go, *toolchain, *gotoolchain;
		int finding;
	} rows[] = {
		{ "go1.26.8", "1.99", NULL, "GOTOOLCHAIN=local", 1 },
		{ "go1.26.8", "1.26", NULL, "GOTOOLCHAIN=local", 0 },
		{ "go1.26.8", "1.26.8", NULL, "GOTOOLCHAIN=local", 0 },
		{ "go1.21.0", "1.21rc1", NULL, "GOTOOLCHAIN=local", 0 },
		{ "go1.21rc2", "1.21.0", NULL, "GOTOOLCHAIN=local", 1 },
		{ "go1.21rc2", "1.21rc3", NULL, "GOTOOLCHAIN=local", 1 },
		{ "go1.22.0", "1.21", "go1.22.1", "GOTOOLCHAIN=local", 0 },
		{ "go1.22.0", "1.21", "go1.22.1", "GOTOOLCHAIN=go1.22.0", 0 },
		{ "go1.22.0", "1.21", "go1.22.1", "GOTOOLCHAIN=auto", 1 },
		{ "go1.22.0", "1.21", "go1.22.1", "GOPATH=/g", 1 },
		{ "go1.19.13", "1.99", NULL, "GOTOOLCHAIN=local", 0 },
		{ "go1.26.8", "1.99", NULL, "GOTOOLCHAIN=local", 1 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rm_ring r;
		struct rm_rec b;
		const char *env[] = { "PATH=/usr/bin", "HOME=/h", rows[i].gotoolchain, NULL };

		rm_create(&r);
		rm_begin(&b, 100, 1, "/usr/local/go/bin/go");
		gs_tlv_str(&b.t, GOSHIM_T_CWD, "/src/proj");
		for (size_t k = 0; env[k]; k++) {
			gs_tlv_str(&b.t, GOSHIM_T_ENV, env[k]);
		}
		gs_tlv_str(&b.t, GOSHIM_T_GOVERSION, rows[i].running);
		gs_tlv_str(&b.t, GOSHIM_T_GOMOD, "/src/proj/go.mod");
		gs_tlv_str(&b.t, GOSHIM_T_GOMOD_GO, rows[i].go);
		if (rows[i].toolchain) {
			gs_tlv_str(&b.t, GOSHIM_T_GOMOD_TOOLCHAIN, rows[i].toolchain);
		}
		rm_commit(&r, &b, GOSHIM_REC_PROCESS, TRACE, 1);
		rm_exit(&r, TRACE, 100, 1 << 8);
		/* a finding: exit 1; none: the failed go is unexplained, exit 3 */
		json_t *j = rm_report(&r, rows[i].finding ? 1 : 3, NULL);
		char pats[256];
		rm_patterns(j, pats, sizeof(pats));
		cr_expect_str_eq(pats, rows[i].finding ? "go-toolchain-unavailable" : "",
				 "row %zu: %s running, go %s, toolchain %s, %s", i, rows[i].running,
				 rows[i].go, rows[i].toolchain ? rows[i].toolchain : "-",
				 rows[i].gotoolchain);
		json_decref(j);
		rm_close(&r);
	}
}

/* No ring file in a directory that exists is an empty ring: the preload
 * creates its ring at the first failure, so a clean run leaves none;
 * report says on stderr that there was no file. */
Test(report, no_ring_file_is_an_empty_ring)
{
	char dir[] = "/tmp/gs-report-noring.XXXXXX", ring[64], *out, *err;
	const char *a[] = { "report", "--json", ring, NULL };
	json_t *j;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	cr_expect_eq(rm_run(a, &out, &err), 0, "%s", err);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_expect(json_is_true(json_object_get(json_object_get(j, "ring"), "empty")), "%s", out);
	/* but a mistyped name does not pass for that without a word */
	cr_expect(strstr(err, "no ring file at /tmp/gs-report-noring."), "%s", err);
	json_decref(j);
	free(out);
	free(err);
	/* and a path whose directory does not exist is no ring at all */
	snprintf(ring, sizeof(ring), "%s/not-made/r.ring", dir);
	cr_expect_eq(rm_run(a, &out, &err), 2, "%s", out);
	free(out);
	free(err);
	rmdir(dir);
}

/* An engine NOTE is text from the ring too: shown among a finding's
 * calls, it is escaped like a path (a hostile ring may hold anything). */
Test(report, text_escapes_note_labels)
{
	struct rm_ring r;
	struct rm_rec b;
	const char *args[] = { "report", "--format=text", NULL, NULL };
	char *out, *err;

	rm_create(&r);
	rm_process(&r, TRACE, 700, 1, "/usr/bin/su", NULL, 2, 0);
	rm_begin(&b, 700, 1, "/usr/bin/su");
	gs_tlv_str(&b.t, GOSHIM_T_NOTE,
		   "setid-without-privilege: /usr/bin/su\n::error::forged\033[2J");
	rm_commit(&r, &b, GOSHIM_REC_NOTE, TRACE, 1);
	rm_exit(&r, TRACE, 700, 1 << 8);
	args[2] = r.path;
	rm_run(args, &out, &err);
	cr_expect(strstr(out, "setid-no-new-privs"), "%s", out);
	cr_expect(!strstr(out, "\n::error::forged"), "%s", out);
	cr_expect(!strchr(out, '\033'), "%s", out);
	cr_expect(strstr(out, "su\\n::error::forged\\x1b[2J"), "%s", out);
	free(out);
	free(err);
	rm_close(&r);
}

/* Two programs a root job started after dropping root could not open its
 * ring (the preload's NOTE ring-unreachable): one warning that counts
 * them and says what to run instead, not a clean report. */
Test(report, programs_that_could_not_record_are_counted)
{
	struct rm_ring r;
	struct rm_rec b;
	char note[256];

	rm_create(&r);
	for (uint32_t pid = 540; pid < 542; pid++) {
		rm_process(&r, PRELOAD, pid, 1, "/usr/bin/setpriv", env_ci, 0, 0);
		rm_begin(&b, pid, 1, "/usr/bin/setpriv");
		snprintf(note, sizeof(note), "ring-unreachable: /usr/bin/make runs as uid 65534, "
			 "which cannot open the ring /r.ring (uid 0, mode 0600): its failures and "
			 "its children's are not recorded here");
		gs_tlv_str(&b.t, GOSHIM_T_NOTE, note);
		rm_commit(&r, &b, GOSHIM_REC_NOTE, PRELOAD, 1);
	}
	json_t *j = expect_only(&r, "goshim-ring-unreachable", 0);
	json_t *f = finding0(j);
	cr_expect_str_eq(fstr(f, "severity"), "warning");
	cr_expect(strstr(fstr(f, "summary"), "2 program(s) started after dropping root could not "
		  "record"), "%s", fstr(f, "summary"));
	cr_expect(strstr(fstr(f, "remedy"), "goshimctl run -- COMMAND"), "%s", fstr(f, "remedy"));
	json_decref(j);
	rm_close(&r);
}

/* A test binary (pid 200, under go 100) whose forked child 201 fails to
 * exec path with err, on ext4, mode 0755; the test then exits status. */
static void expected_exec_ring(struct rm_ring *r, const char *path, int err, int status)
{
	struct rm_rec b;

	rm_create(r);
	rm_process(r, TRACE, 100, 1, GO, env_ci, 0, 0);
	rm_process(r, TRACE, 200, 100, "/tmp/go-build1/b001/exec.test", env_ci, 0, 0);
	rm_begin(&b, 201, 200, "/tmp/go-build1/b001/exec.test");
	rm_call(&b, "execve", 'S', err);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, path);
	rm_stat(&b, path, 0100755, 0, 0);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, 0);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, 201, 253 << 8);
	if (status) {
		rm_exit(r, TRACE, 200, status << 8);
		rm_exit(r, TRACE, 100, 1 << 8);
	}
}

/* syscall's own tests exec "/" (EACCES, a mode and mount that allow it)
 * and pass: a passing run reads clean, the finding is a warning; when the
 * failure fails the test, it is an error. */
Test(report, exec_failures_a_passing_test_expects_are_warnings)
{
	static const struct {
		const char *path, *id;
		int err;
	} cases[] = {
		{ "/tmp/TestExecDir1/prog", "exec-denied-lsm", EACCES },
	};

	static const char *const sev[] = { "warning", "error" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int failed = 0; failed < 2; failed++) {
			struct rm_ring r;
			json_t *j;

			expected_exec_ring(&r, cases[i].path, cases[i].err, failed);
			j = expect_only(&r, cases[i].id, failed);
			cr_expect_str_eq(json_string_value(json_object_get(finding0(j),
									   "severity")),
					 sev[failed], "%s, test exit %d", cases[i].id, failed);
			json_decref(j);
			rm_close(&r);
		}
	}
}

/* A configure probe's conftest.c includes a header of another system in a
 * subdirectory: the remedy searches for the path the compiler looked for
 * (apt-file search of the bare name under /usr/include finds nothing), and
 * the summary does not say only cgo prints it. */
Test(report, missing_header_in_a_subdirectory_is_searched_by_its_path)
{
	const char *h = "/usr/include/CoreFoundation/CFLocale.h";
	struct rm_ring r;
	json_t *j, *f;

	rm_create(&r);
	rm_process(&r, TRACE, 300, 1, "/usr/bin/x86_64-linux-gnu-gcc-12", env_ci, 0, 0);
	rm_process(&r, TRACE, 301, 300, "/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", env_ci, 0,
		   0);
	ev_path(&r, TRACE, 301, 300, "/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", "openat", 'S',
		ENOENT, h, 1);
	rm_exit(&r, TRACE, 301, 1 << 8);
	rm_exit(&r, TRACE, 300, 1 << 8);
	j = expect_only(&r, "cgo-header-missing", 1);
	f = finding0(j);
	cr_expect(strstr(fstr(f, "remedy"), "apt-file search /usr/include/CoreFoundation/CFLocale.h"),
		  "remedy: %s", fstr(f, "remedy"));
	cr_expect(strstr(fstr(f, "summary"), "a C build"), "summary: %s", fstr(f, "summary"));
	json_decref(j);
	rm_close(&r);
}
