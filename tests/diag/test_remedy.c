/* SPDX-License-Identifier: Apache-2.0 */
/* Remedy lines for the case they fix (`remedy-if`): a pattern that
 * matches several errnos or sources shows only the lines that can help
 * with what was recorded — never a chown for a cache below a regular
 * file or not created yet, never TMPDIR where GOTMPDIR decides. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/magic.h>
#include <string.h>

#include "goshim/record.h"
#include "ringmake.h"

#define TRACE GOSHIM_ENGINE_TRACE
#define GO "/usr/local/go/bin/go"

/* A container without CAP_SYS_ADMIN (podman's mark and a pid namespace). */
static const struct goshim_t_container in_ctr = {
	.evidence = GOSHIM_CTR_CONTAINERENV | GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN |
		    GOSHIM_CTR_NS_READ,
	.engine = "podman",
};

/* One failed call of go (pid 300, uid euid) on path, evidence ev_path
 * (mode, owner, missing components); go exits 1.  ctr: the PROCESS
 * record's container evidence (NULL: a host). */
struct rc_case {
	const char *const *env;
	const char *call;
	int err;
	uint64_t flags;          /* open flags, 0: none */
	const char *path, *ev_path;
	uint32_t mode, owner, missing, euid;
};

static void rc_ring(struct rm_ring *r, const struct rc_case *c,
		    const struct goshim_t_container *ctr)
{
	struct rm_rec b;

	rm_create(r);
	rm_begin(&b, 300, 1, GO);
	gs_tlv_str(&b.t, GOSHIM_T_CWD, "/src/proj");
	for (size_t i = 0; c->env[i]; i++) {
		gs_tlv_str(&b.t, GOSHIM_T_ENV, c->env[i]);
	}
	if (ctr) {
		gs_tlv_put(&b.t, GOSHIM_T_CONTAINER, ctr, sizeof(*ctr));
	}
	rm_commit(r, &b, GOSHIM_REC_PROCESS, TRACE, 1);
	rm_begin(&b, 300, 1, GO);
	rm_call(&b, c->call, 'S', c->err);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, c->path);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, c->path);
	if (c->flags) {
		gs_tlv_u64(&b.t, GOSHIM_T_FLAGS, c->flags);
	}
	rm_stat(&b, c->ev_path, c->mode, c->owner, c->missing);
	rm_statfs(&b, EXT4_SUPER_MAGIC, 0, "/ ext4 rw,relatime");
	rm_cred(&b, c->euid);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, 300, 1 << 8);
}

/* The only finding must be id; its remedy, malloc'd. */
static char *rc_remedy(const struct rc_case *c, const struct goshim_t_container *ctr,
		       const char *id)
{
	struct rm_ring r;
	size_t n;

	rc_ring(&r, c, ctr);
	json_t *j = rm_expect(&r, id, 1, &n);
	cr_assert_eq(n, 1);
	json_t *f = json_array_get(json_object_get(j, "findings"), 0);
	char *rem = strdup(json_string_value(json_object_get(f, "remedy")));
	json_decref(j);
	rm_close(&r);
	return rem;
}

static const char *const env_file[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					"GOCACHE=/home/ci/file/go-build", NULL };
static const char *const env_root[] = { "PATH=/usr/bin:/bin", "HOME=/", NULL };
static const char *const env_cache[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					 "GOCACHE=/srv/cache", NULL };

/* GOCACHE below a regular file: go's MkdirAll gets ENOTDIR.  Neither a
 * chown nor a cache volume (mounted below a file: refused) can help;
 * moving the file away can (and another GOCACHE). */
Test(remedy, gocache_below_a_file_gets_no_chown)
{
	struct rc_case c = { env_file, "newfstatat", ENOTDIR, 0, "/home/ci/file/go-build",
			     "/home/ci/file", 0100644, 1000, 1, 1000 };

	for (int ctr = 0; ctr < 2; ctr++) {
		char *rem = rc_remedy(&c, ctr ? &in_ctr : NULL, "gocache-init-denied");
		cr_expect(!strstr(rem, "chown"), "%s", rem);
		cr_expect(!strstr(rem, "--user"), "%s", rem);
		cr_expect(strstr(rem, "export GOCACHE="), "%s", rem);
		cr_expect(strstr(rem, "mv \"/home/ci/file\" \"/home/ci/file.bak\""), "%s", rem);
		free(rem);
	}
}

/* HOME=/ (docker run -u UID): mkdir /.cache EACCES.  The cache does not
 * exist: `chown -R UID /.cache/go-build` fails, "--user 0" is no
 * remedy; a volume the uid owns and another GOCACHE are. */
Test(remedy, cache_not_created_yet_gets_no_chown)
{
	struct rc_case c = { env_root, "mkdirat", EACCES, 0, "/.cache", "/", 040755, 0, 1,
			     65534 };

	char *rem = rc_remedy(&c, NULL, "gocache-init-denied");
	cr_expect(!strstr(rem, "chown"), "%s", rem);
	cr_expect(strstr(rem, "export GOCACHE="), "%s", rem);
	cr_expect(!strstr(rem, "mv "), "%s", rem);
	free(rem);
	rem = rc_remedy(&c, &in_ctr, "gocache-init-denied");
	cr_expect(strstr(rem, "podman run -v \"$HOME/.cache/go-build:/.cache/go-build\""), "%s",
		  rem);
	cr_expect(!strstr(rem, "--user 0"), "%s", rem);
	free(rem);
}

/* An empty cache directory root made: mkdir GOCACHE/00 EACCES for uid
 * 65534.  Here the chown (host) and the owner's uid (container) fit. */
Test(remedy, root_owned_cache_gets_the_chown)
{
	struct rc_case c = { env_cache, "mkdirat", EACCES, 0, "/srv/cache/00", "/srv/cache",
			     040755, 0, 1, 65534 };

	char *rem = rc_remedy(&c, NULL, "gocache-init-denied");
	cr_expect(strstr(rem, "sudo chown -R \"$(id -u)\" \"/srv/cache\""), "%s", rem);
	cr_expect(!strstr(rem, "chmod"), "%s", rem);
	free(rem);
	rem = rc_remedy(&c, &in_ctr, "gocache-init-denied");
	cr_expect(strstr(rem, "--user 0"), "%s", rem);
	cr_expect(!strstr(rem, "sudo"), "%s", rem);
	free(rem);
	/* the job's own cache, read-only by mode: chmod, not chown */
	c.owner = 65534;
	c.mode = 040555;
	rem = rc_remedy(&c, NULL, "gocache-init-denied");
	cr_expect(!strstr(rem, "chown"), "%s", rem);
	cr_expect(strstr(rem, "chmod -R u+w \"/srv/cache\""), "%s", rem);
	free(rem);
}

/* The work directory base is missing.  With GOTMPDIR set, go makes $WORK
 * there whatever TMPDIR says: "export TMPDIR=…" (applied: the same
 * "go: creating work dir") is no remedy; without it, it is. */
Test(remedy, missing_gotmpdir_gets_no_tmpdir_remedy)
{
	static const char *const env_got[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					       "GOTMPDIR=/x/gotmp", NULL };
	static const char *const env_tmp[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci",
					       "TMPDIR=/x/tmp", NULL };
	struct rc_case c = { env_got, "newfstatat", ENOENT, 0, "/x/gotmp", "/", 040755, 0, 2,
			     1000 };

	for (int ctr = 0; ctr < 2; ctr++) {
		char *rem = rc_remedy(&c, ctr ? &in_ctr : NULL, "tmpdir-unusable");
		cr_expect(!strstr(rem, "export TMPDIR=") && !strstr(rem, "-e TMPDIR="), "%s", rem);
		cr_expect(strstr(rem, "export GOTMPDIR="), "%s", rem);
		cr_expect(!ctr || strstr(rem, "-e GOTMPDIR=/go-tmp"), "%s", rem);
		free(rem);
	}
	c.env = env_tmp;
	c.path = "/x/tmp";
	for (int ctr = 0; ctr < 2; ctr++) {
		char *rem = rc_remedy(&c, ctr ? &in_ctr : NULL, "tmpdir-unusable");
		cr_expect(strstr(rem, ctr ? "-e TMPDIR=/tmp" : "export TMPDIR="), "%s", rem);
		free(rem);
	}
}

/* EMFILE is the process's limit, ENFILE the system's: each its remedy. */
Test(remedy, fd_limit_remedy_fits_its_errno)
{
	struct rc_case c = { env_cache, "openat", EMFILE, O_RDONLY | O_CLOEXEC, "/src/proj/a.go",
			     "/src/proj/a.go", 0100644, 1000, 0, 1000 };

	for (int ctr = 0; ctr < 2; ctr++) {
		c.err = EMFILE;
		char *rem = rc_remedy(&c, ctr ? &in_ctr : NULL, "fd-limit");
		cr_expect(strstr(rem, ctr ? "--ulimit nofile" : "ulimit -Hn"), "%s", rem);
		cr_expect(!strstr(rem, "file-max"), "%s", rem);
		free(rem);
		c.err = ENFILE;
		rem = rc_remedy(&c, ctr ? &in_ctr : NULL, "fd-limit");
		cr_expect(strstr(rem, "sysctl -w fs.file-max"), "%s", rem);
		cr_expect(!strstr(rem, "ulimit"), "%s", rem);
		free(rem);
	}
}

/* An exec EACCES of another uid's 0700 program: a chmod by the job's uid
 * fails (EPERM); the owner's or root's works.  The job's own 0644 file:
 * its chmod +x works. */
Test(remedy, exec_not_executable_chmod_by_whom_may)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin", "HOME=/home/ci", NULL };
	struct rc_case c = { env, "execve", EACCES, 0, "/srv/tools/gen", "/srv/tools/gen",
			     0100700, 0, 0, 1000 };

	char *rem = rc_remedy(&c, NULL, "exec-not-executable");
	cr_expect(strstr(rem, "sudo chmod a+rx \"/srv/tools/gen\""), "%s", rem);
	cr_expect(!strstr(rem, "\nchmod +x") && strncmp(rem, "chmod +x", 8) != 0, "%s", rem);
	free(rem);
	c.owner = 1000;
	c.mode = 0100644;
	rem = rc_remedy(&c, NULL, "exec-not-executable");
	cr_expect(strncmp(rem, "chmod +x \"/srv/tools/gen\"", 25) == 0, "%s", rem);
	cr_expect(!strstr(rem, "sudo"), "%s", rem);
	free(rem);
}
