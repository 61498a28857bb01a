/* SPDX-License-Identifier: Apache-2.0 */
#include "ringmake.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "calls.h"
#include "rules.h"
#include "goshim/record.h"
#include "tl_env.h"
#include "tl_fs.h"

void rm_create(struct rm_ring *r)
{
	snprintf(r->path, sizeof(r->path), "%s/ring", tl_tmpdir("diag-ring"));
	tl_ring_new(&r->ring, r->path, GOSHIM_RING_MIN_DATA);
}

void rm_close(struct rm_ring *r)
{
	char dir[sizeof(r->path)];
	char *slash;

	gs_ring_detach(&r->ring);
	snprintf(dir, sizeof(dir), "%s", r->path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		tl_rmtree(dir); /* rm_create's directory, the ring in it */
	}
}

void rm_begin(struct rm_rec *b, uint32_t pid, uint32_t ppid, const char *exe)
{
	struct tl_ident id = { .time_real = 1700000000000000000ull, .time_mono = -1,
			       .pid = pid, .tid = pid, .ppid = ppid, .exe = exe };

	tl_payload_begin(b, &id);
}

void rm_call(struct rm_rec *b, const char *name, char kind, int err)
{
	const struct gs_call_info *c = gs_call_by_name(name, kind);

	cr_assert_not_null(c, "no call %s of kind %c", name, kind);
	tl_payload_failed(b, c->id, err, NULL);
}

void rm_stat(struct rm_rec *b, const char *ev_path, uint32_t mode, uint32_t uid,
	     uint32_t missing)
{
	struct goshim_t_stat st = { .dev = 1, .ino = 2, .mode = mode, .uid = uid, .gid = uid,
				    .nlink = 1, .size = 4096 };

	gs_tlv_str(&b->t, GOSHIM_T_EV_PATH, ev_path);
	gs_tlv_put(&b->t, GOSHIM_T_EV_STAT, &st, sizeof(st));
	gs_tlv_u32(&b->t, GOSHIM_T_EV_MISSING, missing);
}

void rm_statfs(struct rm_rec *b, uint64_t fstype, uint64_t flags, const char *mount)
{
	struct goshim_t_statfs fs = { .type = fstype, .flags = flags, .bavail = 1000000,
				      .bsize = 4096, .favail = 100000 };

	gs_tlv_put(&b->t, GOSHIM_T_EV_STATFS, &fs, sizeof(fs));
	if (mount) {
		gs_tlv_str(&b->t, GOSHIM_T_EV_MOUNT, mount);
	}
}

void rm_cred(struct rm_rec *b, uint32_t euid)
{
	struct goshim_t_cred c = { .uid = euid, .euid = euid, .gid = euid, .egid = euid };

	gs_tlv_put(&b->t, GOSHIM_T_EV_CRED, &c, sizeof(c));
}

void rm_commit(struct rm_ring *r, struct rm_rec *b, uint16_t type, uint32_t engine,
	       uint32_t count)
{
	tl_payload_write(b, &r->ring, type, GOSHIM_CODEC_RAW, engine, count);
}

void rm_process(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		const char *exe, const char *const *env, int seccomp_mode, uint64_t as_limit)
{
	rm_process_go(r, engine, pid, ppid, exe, env, seccomp_mode, as_limit, -1);
}

void rm_process_go(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		   const char *exe, const char *const *env, int seccomp_mode, uint64_t as_limit,
		   int gorace)
{
	struct rm_rec b;

	rm_begin(&b, pid, ppid, exe);
	gs_tlv_str(&b.t, GOSHIM_T_ARGV, exe);
	gs_tlv_str(&b.t, GOSHIM_T_CWD, "/src/proj");
	for (size_t i = 0; env && env[i]; i++) {
		gs_tlv_str(&b.t, GOSHIM_T_ENV, env[i]);
	}
	if (seccomp_mode >= 0) {
		struct goshim_t_seccomp s = { seccomp_mode, seccomp_mode == 2 ? 1 : 0, 1, 0 };
		gs_tlv_put(&b.t, GOSHIM_T_SECCOMP, &s, sizeof(s));
	}
	struct goshim_t_rlimit nf = { RLIMIT_NOFILE, 0, 1024, 1024 };
	gs_tlv_put(&b.t, GOSHIM_T_RLIMIT, &nf, sizeof(nf));
	if (as_limit) {
		struct goshim_t_rlimit as = { RLIMIT_AS, 0, as_limit, as_limit };
		gs_tlv_put(&b.t, GOSHIM_T_RLIMIT, &as, sizeof(as));
	}
	if (gorace >= 0) {
		gs_tlv_u32(&b.t, GOSHIM_T_GORACE, (uint32_t)gorace);
	}
	gs_tlv_str(&b.t, GOSHIM_T_UNAME, "Linux 6.1.0 x86_64");
	rm_commit(r, &b, GOSHIM_REC_PROCESS, engine, 1);
}

void rm_failed_call(struct rm_ring *r, struct rm_rec *b, uint32_t engine, uint32_t pid,
		    const char *exe, const char *const *env, int seccomp_mode, const char *call,
		    char kind, int err)
{
	rm_create(r);
	rm_process(r, engine, pid, 1, exe, env, seccomp_mode, 0);
	rm_begin(b, pid, 1, exe);
	rm_call(b, call, kind, err);
}

void rm_exit(struct rm_ring *r, uint32_t engine, uint32_t pid, int status)
{
	struct rm_rec b;

	rm_begin(&b, pid, 0, NULL);
	gs_tlv_i32(&b.t, GOSHIM_T_STATUS, status);
	rm_commit(r, &b, GOSHIM_REC_EXIT, engine, 1);
}

int rm_run(const char *const *args, char **out, char **err)
{
	const char *argv[64] = { tl_env("DIAGCTL") };

	for (size_t i = 0; args[i] && i < 62; i++) {
		argv[i + 1] = args[i];
	}
	return rm_run_cmd(argv, NULL, out, err);
}

int rm_run_cmd(const char *const *argv, void (*pre)(void), char **out, char **err)
{
	struct tl_cmd c = { .argv = argv, .uid = -1, .pre = pre, .capture = 1 };
	struct tl_res res;

	tl_spawn(&c, &res);
	*out = res.out;
	*err = res.err;
	return res.code;
}

json_t *rm_report(const struct rm_ring *r, int want_rc, const char *const *extra)
{
	const char *args[16] = { "report", "--json" };
	size_t n = 2;
	char *out, *err;
	int rc;

	for (size_t i = 0; extra && extra[i] && n < 14; i++) {
		args[n++] = extra[i];
	}
	args[n++] = r->path;
	args[n] = NULL;
	rc = rm_run(args, &out, &err);
	cr_assert_eq(rc, want_rc, "exit %d, want %d; stderr: %s\nstdout: %s", rc, want_rc, err, out);
	json_t *j = tl_json(out);
	free(out);
	free(err);
	return j;
}

json_t *rm_expect(const struct rm_ring *r, const char *ids, int want_rc, size_t *n)
{
	json_t *j = rm_report(r, want_rc, NULL);
	char pats[1024];
	size_t found = tl_patterns(j, NULL, pats, sizeof(pats));

	cr_expect_str_eq(pats, ids ? ids : "", "findings [%s], want [%s]", pats, ids ? ids : "");
	cr_expect_eq(json_array_size(json_object_get(j, "unclassified")), 0, "unclassified: %s",
		     json_dumps(json_object_get(j, "unclassified"), 0));
	if (n) {
		*n = found;
	}
	return j;
}

void rm_expect_bad_rules(const struct rm_bad_rules *cases, size_t n, int none_loaded)
{
	for (size_t i = 0; i < n; i++) {
		struct gs_rules rs = { 0 };
		char err[512] = "";

		cr_expect_eq(gs_rules_load_text(&rs, "t", cases[i].text, err, sizeof(err)), -1,
			     "case %zu loaded", i);
		cr_expect(strstr(err, cases[i].want) == err, "case %zu: got \"%s\", want \"%s\"", i,
			  err, cases[i].want);
		if (none_loaded) {
			cr_expect_eq(rs.n, 0, "case %zu", i);
		}
		gs_rules_free(&rs);
	}
}

void rm_tmpfile(const char *text, char *path, size_t size)
{
	char tmpl[] = "/tmp/gs-diag-rulesXXXXXX";
	int fd = mkstemp(tmpl);
	size_t len = strlen(text);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	snprintf(path, size, "%s", tmpl);
}
