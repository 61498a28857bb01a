/* SPDX-License-Identifier: Apache-2.0 */
#include "ringmake.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls.h"
#include "goshim/record.h"

void rm_create(struct rm_ring *r)
{
	char dir[] = "/tmp/gs-diag-ringXXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(r->path, sizeof(r->path), "%s/ring", dir);
	cr_assert_eq(gs_ring_attach(&r->ring, r->path, GOSHIM_RING_MIN_DATA, 0600, 0), 0,
		     "cannot create ring %s", r->path);
}

void rm_close(struct rm_ring *r)
{
	gs_ring_detach(&r->ring);
}

void rm_begin(struct rm_rec *b, uint32_t pid, uint32_t ppid, const char *exe)
{
	gs_tlv_init(&b->t, b->buf, sizeof(b->buf));
	gs_tlv_u64(&b->t, GOSHIM_T_TIME_REAL, 1700000000000000000ull);
	gs_tlv_u32(&b->t, GOSHIM_T_PID, pid);
	gs_tlv_u32(&b->t, GOSHIM_T_TID, pid);
	if (ppid) {
		gs_tlv_u32(&b->t, GOSHIM_T_PPID, ppid);
	}
	gs_tlv_str(&b->t, GOSHIM_T_EXE, exe);
}

void rm_call(struct rm_rec *b, const char *name, char kind, int err)
{
	const struct gs_call_info *c = gs_call_by_name(name, kind);

	cr_assert_not_null(c, "no call %s of kind %c", name, kind);
	gs_tlv_u32(&b->t, GOSHIM_T_CALL, c->id);
	gs_tlv_i32(&b->t, GOSHIM_T_ERRNO, err);
	gs_tlv_i64(&b->t, GOSHIM_T_RET, -1);
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
	int64_t pos;

	gs_tlv_finish(&b->t);
	cr_assert_eq(b->t.full, 0, "record too big");
	pos = gs_ring_write(&r->ring, type, GOSHIM_CODEC_RAW, engine, b->buf,
			    (uint32_t)b->t.len, (uint32_t)b->t.len);
	cr_assert_geq(pos, 0);
	for (uint32_t i = 1; i < count; i++) {
		cr_assert_eq(gs_ring_agg_bump(&r->ring, (uint64_t)pos), 0);
	}
}

void rm_process(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		const char *exe, const char *const *env, int seccomp_mode, uint64_t as_limit)
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
	gs_tlv_str(&b.t, GOSHIM_T_UNAME, "Linux 6.1.0 x86_64");
	rm_commit(r, &b, GOSHIM_REC_PROCESS, engine, 1);
}

void rm_exit(struct rm_ring *r, uint32_t engine, uint32_t pid, int status)
{
	struct rm_rec b;

	rm_begin(&b, pid, 0, NULL);
	gs_tlv_i32(&b.t, GOSHIM_T_STATUS, status);
	rm_commit(r, &b, GOSHIM_REC_EXIT, engine, 1);
}

static char *rm_slurp(int fd)
{
	char *s = NULL;
	size_t len = 0;
	char buf[8192];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		s = realloc(s, len + (size_t)n + 1);
		memcpy(s + len, buf, (size_t)n);
		len += (size_t)n;
	}
	if (!s) {
		s = calloc(1, 1);
	}
	s[len] = 0;
	return s;
}

int rm_run(const char *const *args, char **out, char **err)
{
	const char *exe = getenv("DIAGCTL");
	const char *argv[64] = { exe };

	cr_assert_not_null(exe, "DIAGCTL is not set (run through meson test)");
	for (size_t i = 0; args[i] && i < 62; i++) {
		argv[i + 1] = args[i];
	}
	return rm_run_cmd(argv, NULL, out, err);
}

int rm_run_cmd(const char *const *argv, void (*pre)(void), char **out, char **err)
{
	char ofile[] = "/tmp/gs-diag-outXXXXXX", efile[] = "/tmp/gs-diag-errXXXXXX";
	int ofd = mkstemp(ofile), efd = mkstemp(efile);
	int status;
	pid_t pid;

	cr_assert(ofd >= 0 && efd >= 0);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(ofd, 1);
		dup2(efd, 2);
		if (pre) {
			pre();
		}
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	*out = rm_slurp(ofd);
	*err = rm_slurp(efd);
	close(ofd);
	close(efd);
	unlink(ofile);
	unlink(efile);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

json_t *rm_json(const char *out)
{
	json_error_t je;
	json_t *j = json_loads(out, 0, &je);

	cr_assert_not_null(j, "output is not JSON (%s): %s", je.text, out);
	return j;
}

size_t rm_patterns(json_t *root, char *buf, size_t size)
{
	json_t *fa = json_object_get(root, "findings");
	size_t i, n = 0;
	json_t *f;

	buf[0] = 0;
	cr_assert(json_is_array(fa), "no findings array");
	json_array_foreach(fa, i, f) {
		const char *p = json_string_value(json_object_get(f, "pattern"));
		size_t l = strlen(buf);
		snprintf(buf + l, size - l, "%s%s", n ? "," : "", p ? p : "?");
		n++;
	}
	return n;
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
