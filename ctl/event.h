/* SPDX-License-Identifier: Apache-2.0 */
/* One decoded record payload (format: include/goshim/record.h) as a
 * struct.  Every field the format defines has a place here; which ones
 * the record carried is in `has` (one GS_E_* bit per tag). */
#ifndef GS_CTL_EVENT_H
#define GS_CTL_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"

/* Presence bits, one per singular field. */
enum gs_ev_bit {
	GS_E_TIME_REAL, GS_E_TIME_MONO, GS_E_PID, GS_E_TID, GS_E_PPID,
	GS_E_EXE, GS_E_TRUNCATED,
	GS_E_CALL, GS_E_ERRNO, GS_E_RET, GS_E_ARCH, GS_E_SYSNR,
	GS_E_PATH, GS_E_ABSPATH, GS_E_DIRFD, GS_E_FLAGS, GS_E_MODE, GS_E_PROT,
	GS_E_ADDR, GS_E_LENGTH, GS_E_FD, GS_E_OFFSET, GS_E_CLOCKID, GS_E_NAME,
	GS_E_FMODE, GS_E_AMODE, GS_E_MASK,
	GS_E_EV_PATH, GS_E_EV_STAT, GS_E_EV_STATFS, GS_E_EV_MOUNT, GS_E_EV_CRED,
	GS_E_EV_ELF, GS_E_EV_INTERP, GS_E_EV_INTERP_ERR, GS_E_EV_RESOLVED,
	GS_E_EV_MISSING,
	GS_E_CWD, GS_E_SECCOMP, GS_E_UNAME, GS_E_STATUS, GS_E_NOTE, GS_E_CHILD,
	GS_E_NBITS
};

_Static_assert(GS_E_NBITS <= 64, "presence bits fit a uint64_t");

/* A T_MODULE field: the fixed part plus its NUL-terminated path. */
struct gs_ev_module {
	struct goshim_t_module m;
	char *path;
};

/* A T_FRAME_SYM field: a frame named at capture time. */
struct gs_ev_frame_sym {
	struct goshim_t_frame_sym s;
	char *func;
	char *file;   /* "" when the writer knew none */
};

/* A growable array of fixed-size items. */
struct gs_ev_list {
	void *v;
	size_t n;
	size_t cap;
};

/* An examined path and the filesystem it is on. */
struct gs_ev_fs {
	char *path;
	struct goshim_t_statfs sf;
	int has_sf;
};

struct gs_event {
	uint64_t has; /* 1 << GS_E_* for each field present */

	/* identity */
	uint64_t time_real, time_mono;
	uint32_t pid, tid, ppid;
	char *exe;
	uint32_t truncated;

	/* the call */
	uint32_t call;
	int32_t err;
	int64_t ret;
	uint32_t arch, sysnr;

	/* arguments */
	char *path, *abspath, *name, *fmode;
	int32_t dirfd, fd, clockid, amode;
	uint64_t flags, addr, length;
	int64_t offset;
	uint32_t mode, prot, mask;
	struct gs_ev_list argv;    /* char *              */

	/* backtrace */
	struct gs_ev_list frames;  /* uint64_t            */
	struct gs_ev_list modules; /* struct gs_ev_module */
	struct gs_ev_list frame_syms; /* struct gs_ev_frame_sym, as recorded */
	struct gs_ev_list fs;      /* struct gs_ev_fs: every EV_PATH with the
	                            * EV_STATFS after it (EXIT records carry
	                            * one pair per filesystem)               */

	/* evidence */
	char *ev_path, *ev_mount, *ev_interp, *ev_resolved;
	struct goshim_t_stat ev_stat;
	struct goshim_t_statfs ev_statfs;
	struct goshim_t_cred ev_cred;
	struct goshim_t_elf ev_elf;
	int32_t ev_interp_err;
	uint32_t ev_missing;

	/* process facts */
	char *cwd, *uname, *note;
	struct gs_ev_list env;     /* char *                 */
	struct gs_ev_list rlimits; /* struct goshim_t_rlimit */
	struct goshim_t_seccomp seccomp;
	int32_t status;
	uint32_t child;

	/* first problem met while parsing (static or owned text), else NULL */
	char *error;
};

/* True when the field of bit b was present. */
static inline int gs_ev_has(const struct gs_event *e, enum gs_ev_bit b)
{
	return (e->has >> b) & 1;
}

/* Parse payload[0..len) into *e (zeroed first).  Unknown tags are skipped.
 * Returns 0 when the whole payload was well formed; -1 when it was not:
 * e->error then says where and why, and every field before that point
 * is kept.  Never reads outside the buffer.  Free with gs_event_free. */
int gs_event_parse(struct gs_event *e, const uint8_t *payload, size_t len);

/* Release what gs_event_parse allocated.  Safe on a zeroed struct. */
void gs_event_free(struct gs_event *e);

/* Typed views of the lists. */
static inline char **gs_ev_strs(const struct gs_ev_list *l)
{
	return l->v;
}

static inline uint64_t *gs_ev_frames(const struct gs_event *e)
{
	return e->frames.v;
}

static inline struct gs_ev_module *gs_ev_modules(const struct gs_event *e)
{
	return e->modules.v;
}

static inline struct gs_ev_fs *gs_ev_fss(const struct gs_event *e)
{
	return e->fs.v;
}

static inline struct gs_ev_frame_sym *gs_ev_frame_syms(const struct gs_event *e)
{
	return e->frame_syms.v;
}

static inline struct goshim_t_rlimit *gs_ev_rlimits(const struct gs_event *e)
{
	return e->rlimits.v;
}

#endif
