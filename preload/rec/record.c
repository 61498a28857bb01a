/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gs_fail(): one failed call into one EVENT record.  Order of the payload:
 * identity, the call, its decoded arguments, the evidence, the backtrace
 * and its modules.  A repeat of a failure already in the ring only bumps
 * that record's count (no payload, no backtrace).
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>

#include "evpolicy.h"

/* Decoded arguments, in payload order: a field is put when the call has
 * one of the GS_A_* bits `when` and none of `unless`, as an integer of its
 * own width (the TLV encoding of a signed value is that of its bits). */
#define RC_ARG(when, unless, tag, field) \
	{ when, unless, tag, offsetof(struct gs_call, field), sizeof(((struct gs_call *)0)->field) }
static const struct rc_arg {
	unsigned when, unless;
	uint16_t tag;
	uint16_t at;
	uint8_t size;   /* 4 or 8 */
} rc_args[] = {
	RC_ARG(GS_A_DIRFD, 0, GOSHIM_T_DIRFD, dirfd),
	RC_ARG(GS_A_FLAGS, 0, GOSHIM_T_FLAGS, flags),
	RC_ARG(GS_A_MODE, 0, GOSHIM_T_MODE, mode),
	RC_ARG(GS_A_FD | GS_A_MMAP, 0, GOSHIM_T_FD, fd),
	RC_ARG(GS_A_MMAP, 0, GOSHIM_T_ADDR, addr),
	RC_ARG(GS_A_MMAP, 0, GOSHIM_T_LENGTH, length),
	RC_ARG(GS_A_MMAP, 0, GOSHIM_T_PROT, prot),
	RC_ARG(GS_A_MMAP, GS_A_FLAGS, GOSHIM_T_FLAGS, flags),
	RC_ARG(GS_A_MMAP, 0, GOSHIM_T_OFFSET, offset),
	RC_ARG(GS_A_CLOCKID, 0, GOSHIM_T_CLOCKID, clockid),
	RC_ARG(GS_A_AMODE, 0, GOSHIM_T_AMODE, amode),
	RC_ARG(GS_A_MASK, 0, GOSHIM_T_MASK, mask),
};

static void rc_put_args(struct gs_tlv *t, const struct gs_call *c)
{
	unsigned a = c->present;

	gs_tlv_str(t, GOSHIM_T_PATH, c->path);
	gs_tlv_str(t, GOSHIM_T_NAME, c->name);
	gs_tlv_str(t, GOSHIM_T_FMODE, c->fmode);
	for (size_t i = 0; i < sizeof(rc_args) / sizeof(rc_args[0]); i++) {
		const struct rc_arg *g = &rc_args[i];
		uint64_t v64;
		uint32_t v32;

		if (!(a & g->when) || (a & g->unless)) {
			continue;
		}
		if (g->size == sizeof(v32)) {
			__builtin_memcpy(&v32, (const char *)c + g->at, sizeof(v32));
			gs_tlv_u32(t, g->tag, v32);
		} else {
			__builtin_memcpy(&v64, (const char *)c + g->at, sizeof(v64));
			gs_tlv_u64(t, g->tag, v64);
		}
	}
}

static void rc_put_argv(struct gs_tlv *t, char *const *argv)
{
	unsigned i = 0;

	for (; argv && argv[i]; i++) {
		if (i == GOSHIM_ARGV_MAX) {
			gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
			break;
		}
		gs_tlv_str(t, GOSHIM_T_ARGV, argv[i]);
	}
}

/* Calls whose flags are AT_* flags: with AT_EMPTY_PATH an empty path
 * names dirfd itself (the cwd for AT_FDCWD); any other empty path fails
 * with ENOENT before a lookup and names nothing. */
static const uint32_t rc_empty_calls[] = {
	GOSHIM_CALL_fstatat, GOSHIM_CALL_fstatat64, GOSHIM_CALL_statx,
	GOSHIM_CALL___fxstatat, GOSHIM_CALL___fxstatat64, GOSHIM_CALL_faccessat,
	GOSHIM_CALL_execveat,
};

static int rc_empty_names_dirfd(const struct gs_call *c)
{
	if (!(c->present & GS_A_FLAGS) || !(c->flags & AT_EMPTY_PATH)) {
		return 0;
	}
	for (size_t i = 0; i < sizeof(rc_empty_calls) / sizeof(rc_empty_calls[0]); i++) {
		if (rc_empty_calls[i] == c->call) {
			return 1;
		}
	}
	return 0;
}

/* The fd the call is about when it has no path (fstat, fexecve, mmap of a
 * file, execveat with AT_EMPTY_PATH), else -1. */
static int rc_subject_fd(const struct gs_call *c)
{
	if (c->path && c->path[0]) {
		return -1;
	}
	if (c->path && (c->present & GS_A_DIRFD)) {
		/* "" with AT_EMPTY_PATH: dirfd itself; without: nothing */
		return rc_empty_names_dirfd(c) && c->dirfd != AT_FDCWD ? c->dirfd : -1;
	}
	if ((c->present & (GS_A_FD | GS_A_MMAP)) && c->fd >= 0) {
		return c->fd;
	}
	return -1;
}

/* ABSPATH, then evidence about it; exec evidence for exec calls. */
static void rc_put_evidence(struct gs_tlv *t, struct gs_slot *s, const struct gs_call *c)
{
	char link[32];
	const char *statpath = NULL;
	const char *target = NULL;
	int fd = rc_subject_fd(c);
	unsigned what = gs_evp_of(c->err, !!(c->present & GS_A_EXEC));

	s->abspath[0] = 0;
	if (fd >= 0) {
		gs_fd_link(fd, link);
		statpath = link;
		gs_fd_path(fd, s->abspath, sizeof(s->abspath));
		target = link;
	} else if (c->path && (c->path[0] || (rc_empty_names_dirfd(c) && c->dirfd == AT_FDCWD))) {
		gs_abspath(s->abspath, sizeof(s->abspath), !!(c->present & GS_A_DIRFD),
			   c->dirfd, c->path);
		target = s->abspath;
	}
	if (s->abspath[0]) {
		gs_tlv_str(t, GOSHIM_T_ABSPATH, s->abspath);
	}
	if ((c->present & GS_A_SEARCH) && c->name && !target) {
		int has_slash = 0;
		for (const char *p = c->name; *p; p++) {
			has_slash |= *p == '/';
		}
		if (has_slash) {
			gs_abspath(s->abspath, sizeof(s->abspath), 0, AT_FDCWD, c->name);
		} else if (gs_path_search(c->name, s->tmp, sizeof(s->tmp), 0) == 0) {
			gs_tlv_str(t, GOSHIM_T_EV_RESOLVED, s->tmp);
			gs_abspath(s->abspath, sizeof(s->abspath), 0, AT_FDCWD, s->tmp);
		}
		target = s->abspath[0] ? s->abspath : NULL;
	}
	if (target && (s->abspath[0] || statpath)) {
		gs_put_path_evidence(t, s, s->abspath[0] ? s->abspath : statpath,
				     statpath, what);
	}
	if (what & GS_EVP_CRED) {
		gs_put_cred(t, s);
	}
	if ((c->present & GS_A_EXEC) && target) {
		gs_put_exec_evidence(t, s, target);
	}
}

static void rc_put_backtrace(struct gs_tlv *t, struct gs_slot *s, uint32_t pid,
			     const void *caller)
{
	int cut;
	unsigned n = gs_rec.conf.backtrace ? gs_bt_take(s, caller, &cut) : 0;

	for (unsigned i = 0; i < n; i++) {
		gs_tlv_u64(t, GOSHIM_T_FRAME, (uint64_t)(uintptr_t)s->frames[i]);
	}
	if (n && cut) {
		gs_tlv_mark_truncated(t, GOSHIM_T_FRAME);
	}
	gs_put_modules(t, s, pid, s->frames, n);
}

static int64_t rc_event(struct gs_slot *s, const struct gs_call *c, uint32_t pid)
{
	struct gs_tlv t;

	gs_tlv_init(&t, s->raw, sizeof(s->raw));
	gs_put_ident(&t, s, pid);
	gs_tlv_u32(&t, GOSHIM_T_CALL, c->call);
	gs_tlv_i32(&t, GOSHIM_T_ERRNO, c->err);
	gs_tlv_i64(&t, GOSHIM_T_RET, c->ret);
	rc_put_args(&t, c);
	rc_put_argv(&t, c->argv);
	rc_put_evidence(&t, s, c);
	rc_put_backtrace(&t, s, pid, c->caller);
	return gs_event_emit(s, &t);
}

static int rc_enter(void)
{
	if (gs_rec_nest || !gs_rec_ready()) {
		return 0;
	}
	gs_rec_nest++;
	return 1;
}

void gs_fail(const struct gs_call *c)
{
	int saved = errno;

	if (!rc_enter()) {
		errno = saved;
		return;
	}
	uint32_t pid = gs_pid();
	uint64_t key = gs_agg_key(c, pid);
	if (!gs_agg_hit(key)) {
		struct gs_slot *s = gs_slot_claim();
		if (s) {
			gs_process_ensure(s, pid);
			int64_t pos = rc_event(s, c, pid);
			if (pos >= 0) {
				gs_agg_store(key, (uint64_t)pos);
			}
			gs_slot_release(s);
		} else {
			gs_ring_count_drop(&gs_rec.ring);
		}
	}
	gs_rec_nest--;
	errno = saved;
}

/* A record of `type` that carries only the identity fields and what fill
 * adds: exits and notes.  Same guards as gs_fail; errno preserved. */
static void rc_small(uint16_t type, void (*fill)(struct gs_tlv *, const void *),
		     const void *arg)
{
	int saved = errno;

	if (!rc_enter()) {
		errno = saved;
		return;
	}
	struct gs_slot *s = gs_slot_claim();
	if (s) {
		uint32_t pid = gs_pid();
		struct gs_tlv t;
		gs_process_ensure(s, pid);
		gs_tlv_init(&t, s->raw, sizeof(s->raw));
		gs_put_ident(&t, s, pid);
		fill(&t, arg);
		gs_rec_emit(s, type, &t);
		gs_slot_release(s);
	} else {
		gs_ring_count_drop(&gs_rec.ring);
	}
	gs_rec_nest--;
	errno = saved;
}

struct rc_exit {
	pid_t child;
	int status;
};

static void rc_fill_exit(struct gs_tlv *t, const void *arg)
{
	const struct rc_exit *x = arg;

	gs_tlv_u32(t, GOSHIM_T_CHILD, (uint32_t)x->child);
	gs_tlv_i32(t, GOSHIM_T_STATUS, x->status);
}

void gs_note_exit(pid_t child, int status)
{
	struct rc_exit x = { child, status };

	rc_small(GOSHIM_REC_EXIT, rc_fill_exit, &x);
}

static void rc_fill_note(struct gs_tlv *t, const void *arg)
{
	gs_tlv_str(t, GOSHIM_T_NOTE, arg);
}

void gs_note(const char *text)
{
	rc_small(GOSHIM_REC_NOTE, rc_fill_note, text);
}
