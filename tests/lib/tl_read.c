/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_read.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "ring_lock.h"

static void tl_copy(char *dst, const char *src)
{
	snprintf(dst, TL_STR, "%s", src ? src : "");
}

static void tl_modules(struct tl_rec *r, const struct gs_event *e)
{
	const struct gs_evt_module *m = gs_evt_modules(e);

	r->nmodules = (unsigned)e->modules.n;
	if (r->nmodules) {
		r->module0_bid_len = m[0].m.build_id_len;
		tl_copy(r->module0, m[0].path);
	}
	for (size_t i = 0; i < e->modules.n; i++) {
		size_t l = strlen(r->modules);

		snprintf(r->modules + l, sizeof(r->modules) - l, "%s%s", l ? "|" : "", m[i].path);
	}
}

/* The flat copy of what the decoder found. */
static void tl_from_event(struct tl_rec *r, const struct gs_event *e)
{
	r->pid = e->pid;
	r->tid = e->tid;
	r->ppid = e->ppid;
	r->call = e->call;
	r->arch = e->arch;
	r->sysnr = e->sysnr;
	r->err = e->err;
	r->has_err = gs_evt_has(e, GS_E_ERRNO);
	r->ret = e->ret;
	tl_copy(r->exe, e->exe);
	tl_copy(r->path, e->path);
	tl_copy(r->abspath, e->abspath);
	tl_copy(r->name, e->name);
	tl_copy(r->ev_path, e->ev_path);
	tl_copy(r->ev_mount, e->ev_mount);
	tl_copy(r->note, e->note);
	tl_copy(r->interp, e->ev_interp);
	tl_copy(r->cwd, e->cwd);
	tl_copy(r->argv0, e->argv.n ? gs_evt_strs(&e->argv)[0] : NULL);
	r->has_statfs = gs_evt_has(e, GS_E_EV_STATFS);
	r->statfs_flags = e->ev_statfs.flags;
	r->has_stat = gs_evt_has(e, GS_E_EV_STAT);
	r->stat_mode = e->ev_stat.mode;
	r->has_cred = gs_evt_has(e, GS_E_EV_CRED);
	r->has_seccomp = gs_evt_has(e, GS_E_SECCOMP);
	r->has_elf = gs_evt_has(e, GS_E_EV_ELF);
	r->elf_kind = e->ev_elf.kind;
	r->elf_class = e->ev_elf.ei_class;
	r->elf_machine = e->ev_elf.e_machine;
	r->missing = e->ev_missing;
	r->interp_err = e->ev_interp_err;
	r->status = e->status;
	r->has_status = gs_evt_has(e, GS_E_STATUS);
	r->child = e->child;
	r->fd = e->fd;
	r->has_fd = gs_evt_has(e, GS_E_FD);
	r->clockid = e->clockid;
	r->has_clockid = gs_evt_has(e, GS_E_CLOCKID);
	r->nframes = (unsigned)e->frames.n;
	r->frame0 = e->frames.n ? gs_evt_frames(e)[0] : 0;
	r->nenv = (unsigned)e->env.n;
	r->nrlimit = (unsigned)e->rlimits.n;
	tl_modules(r, e);
}

void tl_rec_read(const struct gs_rec *g, struct tl_rec *r)
{
	struct gs_event e;

	memset(r, 0, sizeof(*r));
	r->type = g->type;
	r->count = g->count;
	r->engine = g->engine;
	if (g->payload) {
		gs_event_parse(&e, g->payload, g->raw_len); /* a bad tail: what came before */
		tl_from_event(r, &e);
		gs_event_free(&e);
	}
}

void tl_walk(const char *ring, const struct tl_load_opts *o,
	     void (*fn)(const struct tl_rec *r, void *arg), void *arg,
	     struct tl_ring *counts)
{
	static struct tl_rec rec;
	struct gs_ring_reader rd;
	int rc;

	memset(&rd, 0, sizeof(rd));
	memset(counts, 0, sizeof(*counts));
	if (o->wait_engines_ms > 0) {
		gs_ring_engines_wait(ring, o->wait_engines_ms); /* a hand-over's engine may still write */
	}
	rc = gs_ring_load(&rd, ring);
	cr_assert(rc == 0, "cannot load ring %s: %s", ring, strerror(-rc));
	for (size_t i = 0; i < rd.nrecs; i++) {
		const struct gs_rec *g = &rd.recs[i];

		if (!g->payload && !o->keep_unreadable) {
			continue;
		}
		counts->engine_mismatch += g->engine != o->engine;
		tl_rec_read(g, &rec);
		fn(&rec, arg);
		counts->n++;
	}
	counts->lost = gs_ring_lost(&rd);
	counts->committed = rd.hdr_ok ? rd.hdr.committed : 0;
	counts->dropped = rd.hdr_ok ? rd.hdr.dropped : 0;
	gs_ring_unload(&rd);
}

struct tl_kept {
	struct tl_rec *recs;
	size_t n, cap;
};

static void tl_keep(const struct tl_rec *r, void *arg)
{
	struct tl_kept *k = arg;

	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->recs = realloc(k->recs, k->cap * sizeof(*k->recs));
		cr_assert_not_null(k->recs);
	}
	k->recs[k->n++] = *r;
}

void tl_load(const char *ring, struct tl_ring *out, const struct tl_load_opts *o)
{
	struct tl_kept k = { 0 };

	tl_walk(ring, o, tl_keep, &k, out);
	out->recs = k.recs;
}

void tl_free(struct tl_ring *r)
{
	free(r->recs);
	r->recs = NULL;
	r->n = 0;
}

const struct tl_rec *tl_find(const struct tl_ring *r, uint32_t call, int err,
			     const char *sub)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct tl_rec *e = &r->recs[i];

		if (e->type == GOSHIM_REC_EVENT && (!call || e->call == call) &&
		    (err < 0 || e->err == err) && (!sub || strstr(e->path, sub))) {
			return e;
		}
	}
	return NULL;
}

size_t tl_count(const struct tl_ring *r, uint16_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		n += r->recs[i].type == type;
	}
	return n;
}

void tl_dump(const struct tl_ring *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct tl_rec *e = &r->recs[i];

		fprintf(stderr, "[%zu] type=%u x%u engine=%u pid=%u tid=%u ppid=%u exe=%s "
			"call=%u err=%d arch=%#x nr=%u path=%s abs=%s name=%s fd=%d "
			"frames=%u f0=%#llx mod0=%s bid=%u mods=%s ev=%s missing=%u "
			"statfs=%#llx mount='%s' elf=%u/%u/%u interp=%s(%d) argv0=%s cwd=%s "
			"env=%u rl=%u status=%d child=%u note=%s\n",
			i, e->type, e->count, e->engine, e->pid, e->tid, e->ppid, e->exe,
			e->call, e->err, e->arch, e->sysnr, e->path, e->abspath, e->name, e->fd,
			e->nframes, (unsigned long long)e->frame0, e->module0, e->module0_bid_len,
			e->modules, e->ev_path, e->missing, (unsigned long long)e->statfs_flags,
			e->ev_mount, e->elf_kind, e->elf_class, e->elf_machine, e->interp,
			e->interp_err, e->argv0, e->cwd, e->nenv, e->nrlimit, e->status,
			e->child, e->note);
	}
}

int tl_field(const struct gs_rec *rec, uint16_t tag, unsigned n, struct gs_tlv_field *f)
{
	size_t off = 0;

	while (rec->payload && gs_tlv_next(rec->payload, rec->raw_len, &off, f) == 1) {
		if (f->tag == tag && n-- == 0) {
			return 1;
		}
	}
	return 0;
}

static void tl_get(const struct gs_rec *rec, uint16_t tag, void *v, size_t len)
{
	struct gs_tlv_field f;

	cr_assert(tl_field(rec, tag, 0, &f), "tag %u missing", tag);
	cr_assert_eq(f.len, len, "tag %u has length %u, want %zu", tag, f.len, len);
	memcpy(v, f.val, len);
}

uint32_t tl_u32(const struct gs_rec *rec, uint16_t tag)
{
	uint32_t v;

	tl_get(rec, tag, &v, sizeof(v));
	return v;
}

uint64_t tl_u64(const struct gs_rec *rec, uint16_t tag)
{
	uint64_t v;

	tl_get(rec, tag, &v, sizeof(v));
	return v;
}

int32_t tl_i32(const struct gs_rec *rec, uint16_t tag)
{
	int32_t v;

	tl_get(rec, tag, &v, sizeof(v));
	return v;
}

const char *tl_str(const struct gs_rec *rec, uint16_t tag, unsigned n)
{
	static char buf[4][GOSHIM_REC_RAW_MAX + 1];
	static unsigned next;
	struct gs_tlv_field f;
	char *b = buf[next++ % 4];

	b[0] = 0;
	if (tl_field(rec, tag, n, &f)) {
		memcpy(b, f.val, f.len);
		b[f.len] = 0;
	}
	return b;
}

unsigned tl_nfields(const struct gs_rec *rec, uint16_t tag)
{
	struct gs_tlv_field f;
	unsigned n = 0;

	while (tl_field(rec, tag, n, &f)) {
		n++;
	}
	return n;
}

int tl_has_issue(const struct gs_ring_reader *r, enum gs_ring_problem what)
{
	for (size_t i = 0; i < r->nissues; i++) {
		if (r->issues[i].what == what) {
			return 1;
		}
	}
	return 0;
}
