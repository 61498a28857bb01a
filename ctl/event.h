/* SPDX-License-Identifier: Apache-2.0 */
/* One decoded record payload (format: include/goshim/record.h) as a
 * struct.  Every field the format defines has a place here; which ones
 * the record carried is in `has` (one GS_E_* bit per singular tag).
 * Names: `evt` is a decoded record (gs_evt_*), `ev` evidence, as in the
 * format's EV_* tags (e->ev_path, e->ev_stat). */
#ifndef GS_CTL_EVENT_H
#define GS_CTL_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"

/* Presence bits, one per singular tag (count ONE in GOSHIM_TAGS). */
#define GS_EVT_BIT(name, value, kind, type, count, key, tbit) GS_EVT_BIT_##count(name)
#define GS_EVT_BIT_ONE(name) GS_E_##name,
#define GS_EVT_BIT_MANY(name)
enum gs_evt_bit {
	GOSHIM_TAGS(GS_EVT_BIT)
	GS_E_NBITS
};

_Static_assert(GS_E_NBITS <= 64, "presence bits fit a uint64_t");

/* A T_MODULE field: the fixed part plus its NUL-terminated path. */
struct gs_evt_module {
	struct goshim_t_module m;
	char *path;
};

/* A T_FRAME_SYM field: a frame named at capture time. */
struct gs_evt_frame_sym {
	struct goshim_t_frame_sym s;
	char *func;
	char *file;   /* "" when the writer knew none */
};

/* A growable array of fixed-size items. */
struct gs_evt_list {
	void *v;
	size_t n;
	size_t cap;
};

/* An examined path and the filesystem it is on. */
struct gs_evt_fs {
	char *path;
	struct goshim_t_statfs sf;
	int has_sf;
};

/* The member of a tag: its C type for INT and STRUCT, a NUL-terminated
 * copy for STR, a list of items for MANY (char * for STR, the value for
 * INT and STRUCT, struct gs_evt_module and struct gs_evt_frame_sym for the
 * HEAD tags MODULE and FRAME_SYM). */
#define GS_EVT_MEMBER(name, value, kind, type, count, key, tbit) \
	GS_EVT_MEMBER_##count##_##kind(type, key)
#define GS_EVT_MEMBER_ONE_INT(type, key) type key;
#define GS_EVT_MEMBER_ONE_STRUCT(type, key) type key;
#define GS_EVT_MEMBER_ONE_STR(type, key) char *key;
#define GS_EVT_MEMBER_MANY_INT(type, key) struct gs_evt_list key;
#define GS_EVT_MEMBER_MANY_STRUCT(type, key) struct gs_evt_list key;
#define GS_EVT_MEMBER_MANY_STR(type, key) struct gs_evt_list key;
#define GS_EVT_MEMBER_MANY_HEAD(type, key) struct gs_evt_list key;

/* A decoded record: one member per tag, named by its key in GOSHIM_TAGS
 * (e->pid, e->err, e->ev_path, e->argv, e->frames, ...). */
struct gs_event {
	uint64_t has; /* 1 << GS_E_* for each singular field present */

	GOSHIM_TAGS(GS_EVT_MEMBER)

	struct gs_evt_list fs;      /* struct gs_evt_fs: every EV_PATH with the
	                            * EV_STATFS after it (EXIT records carry
	                            * one pair per filesystem)               */

	/* first problem met while parsing (static or owned text), else NULL */
	char *error;
};

/* True when the field of bit b was present. */
static inline int gs_evt_has(const struct gs_event *e, enum gs_evt_bit b)
{
	return (e->has >> b) & 1;
}

/* Not a tag (tags are below it): in the skip list of
 * gs_event_parse_without, "no fs list". */
#define GS_EVT_NO_FS 0xffffu

/* Parse payload[0..len) into *e (zeroed first).  Unknown tags are skipped.
 * Returns 0 when the whole payload was well formed; -1 when it was not:
 * e->error then says where and why, and every field before that point
 * is kept.  Never reads outside the buffer.  Free with gs_event_free. */
int gs_event_parse(struct gs_event *e, const uint8_t *payload, size_t len);

/* The same, leaving out the MANY tags listed in skip[0..nskip) (a reader
 * that never looks at them: report, the backtrace): each is checked as
 * gs_event_parse checks it, a malformed one the same error, but its list
 * stays empty and nothing is allocated for it.  GS_EVT_NO_FS in skip
 * leaves the fs list empty (the last EV_PATH and EV_STATFS are kept in
 * ev_path and ev_statfs all the same). */
int gs_event_parse_without(struct gs_event *e, const uint8_t *payload, size_t len,
			   const uint16_t *skip, size_t nskip);

/* Release what gs_event_parse allocated.  Safe on a zeroed struct. */
void gs_event_free(struct gs_event *e);

/* Generic access by tag (include/goshim/record.h), for code that walks
 * tags rather than members.  gs_evt_int: a singular INT tag's value,
 * sign-extended when its type is signed; returns 1 when e carries it, else
 * 0.  gs_evt_str: a singular STR tag's value, NULL when absent.
 * gs_evt_list_of: a MANY tag's list, NULL for any other tag. */
int gs_evt_int(const struct gs_event *e, uint16_t tag, int64_t *v);
const char *gs_evt_str(const struct gs_event *e, uint16_t tag);
const struct gs_evt_list *gs_evt_list_of(const struct gs_event *e, uint16_t tag);

/* Typed views of the lists. */
static inline char **gs_evt_strs(const struct gs_evt_list *l)
{
	return l->v;
}

static inline uint64_t *gs_evt_frames(const struct gs_event *e)
{
	return e->frames.v;
}

static inline struct gs_evt_module *gs_evt_modules(const struct gs_event *e)
{
	return e->modules.v;
}

static inline struct gs_evt_fs *gs_evt_fss(const struct gs_event *e)
{
	return e->fs.v;
}

static inline struct gs_evt_frame_sym *gs_evt_frame_syms(const struct gs_event *e)
{
	return e->frame_syms.v;
}

static inline struct goshim_t_rlimit *gs_evt_rlimits(const struct gs_event *e)
{
	return e->rlimits.v;
}

#endif
