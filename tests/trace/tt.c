/* SPDX-License-Identifier: Apache-2.0 */
#include "ring_lock.h"
#include "tt.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "ring_read.h"
#include "tlv.h"

const char *tt_build(const char *rel)
{
	static char buf[8][4096];
	static int k;
	const char *root = getenv("GOSHIM_BUILD_ROOT");
	char *b = buf[k++ % 8];

	cr_assert(root, "GOSHIM_BUILD_ROOT is not set (run through meson test)");
	snprintf(b, 4096, "%s/%s", root, rel);
	return b;
}

char *tt_tmpdir(const char *tag)
{
	char *d = malloc(256);

	snprintf(d, 256, "/tmp/gstrace-%s-XXXXXX", tag);
	cr_assert(mkdtemp(d), "mkdtemp: %s", strerror(errno));
	return d;
}

static int tt_spawn(char *const argv[], const char *stdin_data)
{
	int p[2] = { -1, -1 }, status;
	pid_t pid;

	if (stdin_data) {
		cr_assert(pipe(p) == 0);
	}
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		if (stdin_data) {
			dup2(p[0], 0);
			close(p[0]);
			close(p[1]);
		}
		execv(argv[0], argv);
		_exit(126);
	}
	if (stdin_data) {
		close(p[0]);
		cr_assert(write(p[1], stdin_data, strlen(stdin_data)) ==
			  (ssize_t)strlen(stdin_data));
		close(p[1]);
	}
	while (waitpid(pid, &status, 0) < 0) {
		cr_assert(errno == EINTR);
	}
	return status;
}

void tt_run_argv(char **av, size_t cap, const char *ring, char *const argv[])
{
	size_t n = 0;

	av[n++] = (char *)tt_build("ctl/goshimctl");
	av[n++] = "run";
	av[n++] = "--ring";
	av[n++] = (char *)ring;
	av[n++] = "--";
	for (size_t i = 0; argv[i] && n < cap - 1; i++) {
		av[n++] = argv[i];
	}
	av[n] = NULL;
}

int tt_trace(const char *ring, char *const argv[], const char *stdin_data)
{
	char *av[64];

	tt_run_argv(av, 64, ring, argv);
	return tt_spawn(av, stdin_data);
}

int tt_bare(char *const argv[], const char *stdin_data)
{
	return tt_spawn(argv, stdin_data);
}

static void tt_str(char *dst, const struct gs_tlv_field *f)
{
	size_t n = f->len < TT_STR - 1 ? f->len : TT_STR - 1;

	memcpy(dst, f->val, n);
	dst[n] = 0;
}

static void tt_field(struct tt_rec *e, const struct gs_tlv_field *f)
{
	switch (f->tag) {
	case GOSHIM_T_PID: gs_tlv_get_u32(f, &e->pid); break;
	case GOSHIM_T_TID: gs_tlv_get_u32(f, &e->tid); break;
	case GOSHIM_T_PPID: gs_tlv_get_u32(f, &e->ppid); break;
	case GOSHIM_T_EXE: tt_str(e->exe, f); break;
	case GOSHIM_T_CALL: gs_tlv_get_u32(f, &e->call); break;
	case GOSHIM_T_ERRNO: gs_tlv_get_i32(f, &e->err); break;
	case GOSHIM_T_RET: gs_tlv_get_i64(f, &e->ret); break;
	case GOSHIM_T_ARCH: gs_tlv_get_u32(f, &e->arch); break;
	case GOSHIM_T_SYSNR: gs_tlv_get_u32(f, &e->sysnr); break;
	case GOSHIM_T_PATH: tt_str(e->path, f); break;
	case GOSHIM_T_ABSPATH: tt_str(e->abspath, f); break;
	case GOSHIM_T_ARGV:
		if (!e->argv0[0]) {
			tt_str(e->argv0, f);
		}
		break;
	case GOSHIM_T_FRAME:
		if (e->nframes++ == 0) {
			gs_tlv_get_u64(f, &e->frame0);
		}
		break;
	case GOSHIM_T_MODULE:
		if (f->len >= sizeof(struct goshim_t_module)) {
			struct goshim_t_module m;
			struct gs_tlv_field p = *f;
			char path[TT_STR];
			size_t l = strlen(e->modules);

			memcpy(&m, f->val, sizeof(m));
			p.val += sizeof(m);
			p.len -= sizeof(m);
			tt_str(path, &p);
			if (e->nmodules++ == 0) {
				e->module0_bid_len = m.build_id_len;
				strcpy(e->module0, path);
			}
			snprintf(e->modules + l, sizeof(e->modules) - l, "%s%s",
				 l ? "|" : "", path);
		}
		break;
	case GOSHIM_T_EV_PATH: tt_str(e->ev_path, f); break;
	case GOSHIM_T_EV_MISSING: gs_tlv_get_u32(f, &e->missing); break;
	case GOSHIM_T_EV_STAT:
		if (f->len == sizeof(struct goshim_t_stat)) {
			struct goshim_t_stat s;

			memcpy(&s, f->val, sizeof(s));
			e->stat_mode = s.mode;
			e->has_stat = 1;
		}
		break;
	case GOSHIM_T_EV_STATFS:
		if (f->len == sizeof(struct goshim_t_statfs)) {
			struct goshim_t_statfs s;

			memcpy(&s, f->val, sizeof(s));
			e->statfs_flags = s.flags;
			e->has_statfs = 1;
		}
		break;
	case GOSHIM_T_EV_MOUNT: tt_str(e->ev_mount, f); break;
	case GOSHIM_T_EV_CRED: e->has_cred = 1; break;
	case GOSHIM_T_EV_ELF:
		if (f->len == sizeof(struct goshim_t_elf)) {
			struct goshim_t_elf s;

			memcpy(&s, f->val, sizeof(s));
			e->has_elf = 1;
			e->elf_kind = s.kind;
			e->elf_class = s.ei_class;
			e->elf_machine = s.e_machine;
		}
		break;
	case GOSHIM_T_EV_INTERP: tt_str(e->interp, f); break;
	case GOSHIM_T_EV_INTERP_ERR: gs_tlv_get_i32(f, &e->interp_err); break;
	case GOSHIM_T_CWD: tt_str(e->cwd, f); break;
	case GOSHIM_T_ENV: e->nenv++; break;
	case GOSHIM_T_RLIMIT: e->nrlimit++; break;
	case GOSHIM_T_SECCOMP: e->has_seccomp = 1; break;
	case GOSHIM_T_STATUS: gs_tlv_get_i32(f, &e->status); break;
	case GOSHIM_T_CHILD: gs_tlv_get_u32(f, &e->child); break;
	case GOSHIM_T_NOTE:
		if (!e->note[0]) {
			tt_str(e->note, f);
		}
		break;
	default: break;
	}
}

void tt_load(const char *ring, struct tt_ring *out)
{
	struct gs_ring_reader r;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	gs_ring_engines_wait(ring, 5000); /* a hand-over's engine may still write */
	cr_assert(gs_ring_load(&r, ring) == 0, "cannot load ring %s", ring);
	out->recs = calloc(r.nrecs + 1, sizeof(*out->recs));
	for (size_t i = 0; i < r.nrecs; i++) {
		const struct gs_rec *g = &r.recs[i];
		struct tt_rec *e = &out->recs[out->n];
		struct gs_tlv_field f;
		size_t off = 0;

		if (!g->payload) {
			continue;
		}
		if (g->engine != GOSHIM_ENGINE_TRACE) {
			out->engine_mismatch++;
		}
		e->type = g->type;
		e->count = g->count;
		while (gs_tlv_next(g->payload, g->raw_len, &off, &f) == 1) {
			tt_field(e, &f);
		}
		out->n++;
	}
	gs_ring_unload(&r);
}

void tt_free(struct tt_ring *r)
{
	free(r->recs);
	r->recs = NULL;
	r->n = 0;
}

const struct tt_rec *tt_find(const struct tt_ring *r, uint32_t call, int err,
			     const char *sub)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct tt_rec *e = &r->recs[i];

		if (e->type == GOSHIM_REC_EVENT && (!call || e->call == call) &&
		    (err < 0 || e->err == err) && (!sub || strstr(e->path, sub))) {
			return e;
		}
	}
	return NULL;
}

size_t tt_count(const struct tt_ring *r, uint16_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		n += r->recs[i].type == type;
	}
	return n;
}

void tt_dump(const struct tt_ring *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct tt_rec *e = &r->recs[i];

		fprintf(stderr, "[%zu] type=%u x%u pid=%u tid=%u ppid=%u exe=%s call=%u "
			"err=%d arch=%#x nr=%u path=%s abs=%s frames=%u f0=%#llx mod0=%s "
			"bid=%u mods=%s ev=%s missing=%u statfs=%#llx mount='%s' elf=%u/%u/%u "
			"interp=%s(%d) argv0=%s cwd=%s env=%u rl=%u status=%d child=%u "
			"note=%s\n", i, e->type, e->count, e->pid, e->tid, e->ppid, e->exe,
			e->call, e->err, e->arch, e->sysnr, e->path, e->abspath, e->nframes,
			(unsigned long long)e->frame0, e->module0, e->module0_bid_len, e->modules,
			e->ev_path, e->missing, (unsigned long long)e->statfs_flags,
			e->ev_mount, e->elf_kind, e->elf_class, e->elf_machine, e->interp,
			e->interp_err, e->argv0, e->cwd, e->nenv, e->nrlimit, e->status,
			e->child, e->note);
	}
}

void tt_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	cr_assert(rc == 0, "command failed (%d): %s", rc, cmd);
}

int tt_ebpf_expected(void)
{
	const char *v = getenv("GOSHIM_TRACE_EBPF");

	return geteuid() == 0 && !(v && strcmp(v, "0") == 0);
}
