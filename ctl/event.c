/* SPDX-License-Identifier: Apache-2.0 */
#include "event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlv.h"

enum ev_kind {
	EK_INT,     /* fixed-size integer, size bytes            */
	EK_STR,     /* string, stored NUL-terminated             */
	EK_STRUCT,  /* fixed struct of exactly size bytes        */
	EK_STRS,    /* string appended to a gs_ev_list           */
	EK_ITEMS,   /* fixed item of size bytes appended to list */
	EK_MODULE,  /* struct goshim_t_module + path             */
	EK_FRAME_SYM, /* struct goshim_t_frame_sym + func + file */
};

struct ev_field {
	uint16_t tag;
	uint8_t kind;
	int8_t bit;    /* GS_E_*, or -1 for lists */
	size_t off;    /* offsetof(struct gs_event, member) */
	size_t size;
};

#define EV_INT(tag, b, m) \
	{ GOSHIM_T_##tag, EK_INT, GS_E_##b, offsetof(struct gs_event, m), \
	  sizeof(((struct gs_event *)0)->m) }
#define EV_STR(tag, b, m) \
	{ GOSHIM_T_##tag, EK_STR, GS_E_##b, offsetof(struct gs_event, m), 0 }
#define EV_STRUCT(tag, b, m) \
	{ GOSHIM_T_##tag, EK_STRUCT, GS_E_##b, offsetof(struct gs_event, m), \
	  sizeof(((struct gs_event *)0)->m) }
#define EV_LIST(tag, k, m, sz) \
	{ GOSHIM_T_##tag, k, -1, offsetof(struct gs_event, m), sz }

static const struct ev_field ev_fields[] = {
	EV_INT(TIME_REAL, TIME_REAL, time_real),
	EV_INT(TIME_MONO, TIME_MONO, time_mono),
	EV_INT(PID, PID, pid),
	EV_INT(TID, TID, tid),
	EV_INT(PPID, PPID, ppid),
	EV_STR(EXE, EXE, exe),
	EV_INT(TRUNCATED, TRUNCATED, truncated),
	EV_INT(CALL, CALL, call),
	EV_INT(ERRNO, ERRNO, err),
	EV_INT(RET, RET, ret),
	EV_INT(ARCH, ARCH, arch),
	EV_INT(SYSNR, SYSNR, sysnr),
	EV_STR(PATH, PATH, path),
	EV_STR(ABSPATH, ABSPATH, abspath),
	EV_INT(DIRFD, DIRFD, dirfd),
	EV_INT(FLAGS, FLAGS, flags),
	EV_INT(MODE, MODE, mode),
	EV_INT(PROT, PROT, prot),
	EV_INT(ADDR, ADDR, addr),
	EV_INT(LENGTH, LENGTH, length),
	EV_INT(FD, FD, fd),
	EV_INT(OFFSET, OFFSET, offset),
	EV_INT(CLOCKID, CLOCKID, clockid),
	EV_LIST(ARGV, EK_STRS, argv, sizeof(char *)),
	EV_STR(NAME, NAME, name),
	EV_STR(FMODE, FMODE, fmode),
	EV_INT(AMODE, AMODE, amode),
	EV_INT(MASK, MASK, mask),
	EV_LIST(FRAME, EK_ITEMS, frames, sizeof(uint64_t)),
	EV_LIST(MODULE, EK_MODULE, modules, sizeof(struct gs_ev_module)),
	EV_LIST(FRAME_SYM, EK_FRAME_SYM, frame_syms, sizeof(struct gs_ev_frame_sym)),
	EV_STR(EV_PATH, EV_PATH, ev_path),
	EV_STRUCT(EV_STAT, EV_STAT, ev_stat),
	EV_STRUCT(EV_STATFS, EV_STATFS, ev_statfs),
	EV_STR(EV_MOUNT, EV_MOUNT, ev_mount),
	EV_STRUCT(EV_CRED, EV_CRED, ev_cred),
	EV_STRUCT(EV_ELF, EV_ELF, ev_elf),
	EV_STR(EV_INTERP, EV_INTERP, ev_interp),
	EV_INT(EV_INTERP_ERR, EV_INTERP_ERR, ev_interp_err),
	EV_STR(EV_RESOLVED, EV_RESOLVED, ev_resolved),
	EV_INT(EV_MISSING, EV_MISSING, ev_missing),
	EV_STR(CWD, CWD, cwd),
	EV_LIST(ENV, EK_STRS, env, sizeof(char *)),
	EV_LIST(RLIMIT, EK_ITEMS, rlimits, sizeof(struct goshim_t_rlimit)),
	EV_STRUCT(SECCOMP, SECCOMP, seccomp),
	EV_STR(UNAME, UNAME, uname),
	EV_INT(STATUS, STATUS, status),
	EV_STR(NOTE, NOTE, note),
	EV_INT(CHILD, CHILD, child),
};

#define EV_NFIELDS (sizeof(ev_fields) / sizeof(ev_fields[0]))

static const struct ev_field *ev_lookup(uint16_t tag)
{
	for (size_t i = 0; i < EV_NFIELDS; i++) {
		if (ev_fields[i].tag == tag) {
			return &ev_fields[i];
		}
	}
	return NULL;
}

static char *ev_strdup(const uint8_t *v, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, v, n);
		s[n] = '\0';
	}
	return s;
}

/* Append one item to a list; returns the new slot or NULL. */
static void *ev_push(struct gs_ev_list *l, size_t size)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		void *v = realloc(l->v, cap * size);

		if (!v) {
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	return (char *)l->v + size * l->n++;
}

static void ev_set_error(struct gs_event *e, const char *fmt, unsigned a, unsigned b,
			 unsigned c)
{
	if (e->error) {
		return;
	}
	if (asprintf(&e->error, fmt, a, b, c) < 0) {
		e->error = NULL;
	}
}

/* Integer of 1..8 bytes, little-endian, into a host field of the same size. */
static void ev_store_int(void *dst, const uint8_t *v, size_t n)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n; i++) {
		x |= (uint64_t)v[i] << (8 * i);
	}
	if (n == 8) {
		memcpy(dst, &x, 8);
	} else {
		uint32_t y = (uint32_t)x;
		memcpy(dst, &y, 4);
	}
}

/* Store one known field; returns 0, or -1 when its length is wrong. */
static int ev_store(struct gs_event *e, const struct ev_field *d,
		    const struct gs_tlv_field *f)
{
	char *base = (char *)e + d->off;

	switch (d->kind) {
	case EK_INT:
	case EK_STRUCT:
		if (f->len != d->size) {
			return -1;
		}
		if (d->kind == EK_INT) {
			ev_store_int(base, f->val, d->size);
		} else {
			memcpy(base, f->val, d->size);
		}
		break;
	case EK_STR: {
		char **sp = (char **)base;
		free(*sp);
		*sp = ev_strdup(f->val, f->len);
		break;
	}
	case EK_STRS: {
		char **slot = ev_push((struct gs_ev_list *)base, sizeof(char *));
		if (slot) {
			*slot = ev_strdup(f->val, f->len);
		}
		return 0;
	}
	case EK_ITEMS: {
		if (f->len != d->size) {
			return -1;
		}
		void *slot = ev_push((struct gs_ev_list *)base, d->size);
		if (slot) {
			memcpy(slot, f->val, d->size);
		}
		return 0;
	}
	case EK_MODULE: {
		struct goshim_t_module m;
		if (f->len < sizeof(m)) {
			return -1;
		}
		memcpy(&m, f->val, sizeof(m));
		if (m.build_id_len > sizeof(m.build_id) || m.end < m.start) {
			return -1;
		}
		struct gs_ev_module *slot = ev_push((struct gs_ev_list *)base, sizeof(*slot));
		if (slot) {
			slot->m = m;
			slot->path = ev_strdup(f->val + sizeof(m), f->len - sizeof(m));
		}
		return 0;
	}
	case EK_FRAME_SYM: {
		struct goshim_t_frame_sym fs;
		if (f->len < sizeof(fs)) {
			return -1;
		}
		memcpy(&fs, f->val, sizeof(fs));
		if (fs.func_len > f->len - sizeof(fs)) {
			return -1;
		}
		struct gs_ev_frame_sym *slot = ev_push((struct gs_ev_list *)base, sizeof(*slot));
		if (slot) {
			const uint8_t *name = f->val + sizeof(fs);

			slot->s = fs;
			slot->func = ev_strdup(name, fs.func_len);
			slot->file = ev_strdup(name + fs.func_len,
					       f->len - sizeof(fs) - fs.func_len);
		}
		return 0;
	}
	}
	if (d->bit >= 0) {
		e->has |= 1ull << d->bit;
	}
	return 0;
}

/* Keep every EV_PATH with the EV_STATFS that follows it: the singular
 * fields hold only the last pair, and an EXIT record carries several. */
static void ev_pair_fs(struct gs_event *e, const struct gs_tlv_field *f)
{
	struct gs_ev_fs *last = e->fs.n ? &gs_ev_fss(e)[e->fs.n - 1] : NULL;

	if (f->tag == GOSHIM_T_EV_PATH) {
		struct gs_ev_fs *slot = ev_push(&e->fs, sizeof(*slot));
		if (slot) {
			memset(slot, 0, sizeof(*slot));
			slot->path = ev_strdup(f->val, f->len);
		}
	} else if (f->tag == GOSHIM_T_EV_STATFS && last && !last->has_sf) {
		memcpy(&last->sf, f->val, sizeof(last->sf));
		last->has_sf = 1;
	}
}

int gs_event_parse(struct gs_event *e, const uint8_t *payload, size_t len)
{
	struct gs_tlv_field f;
	size_t off = 0;
	int rc;

	memset(e, 0, sizeof(*e));
	if (!payload) {
		len = 0;
	}
	while ((rc = gs_tlv_next(payload, len, &off, &f)) == 1) {
		const struct ev_field *d = ev_lookup(f.tag);

		if (d && ev_store(e, d, &f) < 0) {
			ev_set_error(e, "field with tag %u has a bad length (%u bytes) at byte %u",
				     f.tag, f.len, (unsigned)(off - 4 - f.len));
		} else if (d) {
			ev_pair_fs(e, &f);
		}
	}
	if (rc < 0) {
		ev_set_error(e, "payload is malformed from byte %u of %u (tag %u)",
			     (unsigned)off, (unsigned)len,
			     len - off >= 2 ? payload[off] | payload[off + 1] << 8 : 0);
	}
	return e->error ? -1 : 0;
}

static void ev_free_strs(struct gs_ev_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(gs_ev_strs(l)[i]);
	}
	free(l->v);
}

void gs_event_free(struct gs_event *e)
{
	for (size_t i = 0; i < EV_NFIELDS; i++) {
		const struct ev_field *d = &ev_fields[i];
		char *base = (char *)e + d->off;

		if (d->kind == EK_STR) {
			free(*(char **)base);
		} else if (d->kind == EK_STRS) {
			ev_free_strs((struct gs_ev_list *)base);
		} else if (d->kind == EK_ITEMS) {
			free(((struct gs_ev_list *)base)->v);
		}
	}
	for (size_t i = 0; i < e->modules.n; i++) {
		free(gs_ev_modules(e)[i].path);
	}
	free(e->modules.v);
	for (size_t i = 0; i < e->frame_syms.n; i++) {
		free(gs_ev_frame_syms(e)[i].func);
		free(gs_ev_frame_syms(e)[i].file);
	}
	free(e->frame_syms.v);
	for (size_t i = 0; i < e->fs.n; i++) {
		free(gs_ev_fss(e)[i].path);
	}
	free(e->fs.v);
	free(e->error);
	memset(e, 0, sizeof(*e));
}
