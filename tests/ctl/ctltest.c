/* SPDX-License-Identifier: Apache-2.0 */
#include "ctltest.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

const char *ct_tmpdir(void)
{
	static char dir[64];

	strcpy(dir, "/tmp/gs-ctl-test.XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %m");
	return dir;
}

static int ct_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	remove(p);
	return 0;
}

void ct_rmtree(const char *dir)
{
	nftw(dir, ct_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *ct_path(const char *dir, const char *name)
{
	static char bufs[8][512];
	static unsigned next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

void ct_ring_new(struct gs_ring *r, const char *path, uint64_t data_size)
{
	int rc = gs_ring_attach(r, path, data_size, 0600, 0);

	cr_assert_eq(rc, 0, "gs_ring_attach(%s): %s", path, strerror(-rc));
}

void ct_rec_begin(struct ct_rec *c, uint64_t time_ns, uint32_t pid, uint32_t tid,
		  const char *exe)
{
	gs_tlv_init(&c->t, c->buf, sizeof(c->buf));
	gs_tlv_u64(&c->t, GOSHIM_T_TIME_REAL, time_ns);
	gs_tlv_u64(&c->t, GOSHIM_T_TIME_MONO, time_ns / 1000);
	gs_tlv_u32(&c->t, GOSHIM_T_PID, pid);
	gs_tlv_u32(&c->t, GOSHIM_T_TID, tid);
	gs_tlv_str(&c->t, GOSHIM_T_EXE, exe);
}

void ct_rec_module(struct ct_rec *c, uint64_t start, uint64_t end, uint64_t bias,
		   const uint8_t *build_id, unsigned build_id_len, const char *path)
{
	uint8_t b[sizeof(struct goshim_t_module) + 1024];
	struct goshim_t_module m = { .start = start, .end = end, .bias = bias };
	size_t pl = strlen(path);

	cr_assert_leq(pl, 1024);
	m.build_id_len = (uint8_t)build_id_len;
	if (build_id_len) { /* build_id may be NULL then */
		memcpy(m.build_id, build_id, build_id_len);
	}
	memcpy(b, &m, sizeof(m));
	memcpy(b + sizeof(m), path, pl);
	cr_assert_eq(gs_tlv_put(&c->t, GOSHIM_T_MODULE, b, sizeof(m) + pl), 0);
}

int64_t ct_rec_write(struct ct_rec *c, struct gs_ring *r, uint16_t type, uint16_t codec)
{
	int64_t pos;

	gs_tlv_finish(&c->t);
	cr_assert_eq(c->t.full, 0, "test payload did not fit");
	if (codec == GOSHIM_CODEC_ZSTD) {
		uint8_t z[GOSHIM_REC_MAX];
		size_t zl = ZSTD_compress(z, sizeof(z), c->buf, c->t.len, 3);

		cr_assert(!ZSTD_isError(zl), "ZSTD_compress: %s", ZSTD_getErrorName(zl));
		pos = gs_ring_write(r, type, codec, GOSHIM_ENGINE_PRELOAD, z, (uint32_t)zl,
				    (uint32_t)c->t.len);
	} else {
		pos = gs_ring_write(r, type, codec, GOSHIM_ENGINE_PRELOAD, c->buf,
				    (uint32_t)c->t.len, (uint32_t)c->t.len);
	}
	cr_assert_geq(pos, 0, "gs_ring_write failed");
	return pos;
}

static char *ct_slurp_fd(int fd)
{
	struct stat st;
	char *b;

	cr_assert_eq(fstat(fd, &st), 0);
	b = malloc((size_t)st.st_size + 1);
	cr_assert_not_null(b);
	cr_assert_eq(pread(fd, b, (size_t)st.st_size, 0), st.st_size);
	b[st.st_size] = '\0';
	return b;
}

#define CT_LIMIT_S 300

void ct_run_as(struct ct_run *res, const char *const args[], int uid)
{
	const char *ctl = getenv("GOSHIMCTL");
	char *argv[64];
	size_t n = 0;
	FILE *o = tmpfile(), *e = tmpfile();
	pid_t pid;
	int st;

	cr_assert_not_null(ctl, "GOSHIMCTL is not set (run through meson test)");
	cr_assert(o && e);
	argv[n++] = (char *)ctl;
	for (size_t i = 0; args[i] && n < 63; i++) {
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %m");
	if (pid == 0) {
		dup2(fileno(o), 1);
		dup2(fileno(e), 2);
		if (uid >= 0 && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
				 setresuid(uid, uid, uid) < 0)) {
			_exit(126);
		}
		alarm(CT_LIMIT_S); /* kept across exec: a hung run ends (128 + SIGALRM) */
		execv(ctl, argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	res->out = ct_slurp_fd(fileno(o));
	res->err = ct_slurp_fd(fileno(e));
	fclose(o);
	fclose(e);
	cr_assert_neq(res->status, 127, "cannot run %s", ctl);
	cr_assert_neq(res->status, 126, "cannot switch to uid %d", uid);
}

void ct_run(struct ct_run *res, const char *const args[])
{
	ct_run_as(res, args, -1);
}

void ct_run_free(struct ct_run *res)
{
	free(res->out);
	free(res->err);
}

json_t *ct_json_lines(const char *out)
{
	json_t *arr = json_array();
	const char *p = out;
	size_t line = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_error_t err;
		json_t *o;

		line++;
		o = json_loadb(p, len, 0, &err);
		cr_assert_not_null(o, "line %zu is not JSON: %s: %.*s", line, err.text,
				   (int)(len > 200 ? 200 : len), p);
		cr_assert(json_is_object(o), "line %zu is not an object", line);
		json_array_append_new(arr, o);
		p += len + (nl ? 1 : 0);
	}
	return arr;
}

const char *ct_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

long long ct_jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "member %s missing or not an integer", key);
	return json_integer_value(v);
}

size_t ct_count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		n += *s == '\n';
	}
	return n;
}
