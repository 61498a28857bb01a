/* SPDX-License-Identifier: Apache-2.0 */
#include "event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "tags.h"
#include "tlv.h"

/* Where each tag's value goes in struct gs_event.  Same order as gs_tags
 * (both are GOSHIM_TAGS): the row of gs_tags[i] is evt_fields[i]. */
struct evt_field {
	int8_t bit;    /* GS_E_*, or -1 for lists */
	size_t off;    /* offsetof(struct gs_event, key) */
};

#define EVT_BIT_ONE(name) GS_E_##name
#define EVT_BIT_MANY(name) -1
#define EVT_FIELD(name, value, kind, type, count, key, tbit) \
	{ EVT_BIT_##count(name), offsetof(struct gs_event, key) },

static const struct evt_field evt_fields[] = {
	GOSHIM_TAGS(EVT_FIELD)
};

/* The rows of GOSHIM_TAGS in order, and 1 + the row of each tag number
 * (0: no such tag): found by indexing, not by a search, for every field
 * of every record. */
#define EVT_ROW_NAME(name, value, kind, type, count, key, tbit) EVT_ROW_##name,
enum { GOSHIM_TAGS(EVT_ROW_NAME) EVT_NROWS };
#define EVT_ROW_OF(name, value, kind, type, count, key, tbit) [value] = EVT_ROW_##name + 1,
static const uint8_t evt_rows[] = { GOSHIM_TAGS(EVT_ROW_OF) };

_Static_assert(EVT_NROWS < 255, "a row fits evt_rows");

/* Index of tag in evt_fields and gs_tags, -1 when unknown. */
static ssize_t evt_index(uint16_t tag)
{
	return tag < sizeof(evt_rows) ? (ssize_t)evt_rows[tag] - 1 : -1;
}

static char *evt_strdup(const uint8_t *v, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, v, n);
		s[n] = '\0';
	}
	return s;
}

/* Append one item to a list; returns the new slot or NULL. */
static void *evt_push(struct gs_evt_list *l, size_t size)
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

static void evt_set_error(struct gs_event *e, const char *fmt, unsigned a, unsigned b,
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
static void evt_store_int(void *dst, const uint8_t *v, size_t n)
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

/* HEAD tags: the fixed struct, checked, and the bytes after it.  parse
 * returns -1 when the value is malformed (nothing is then kept); keep 0:
 * only check it (nothing allocated). */
static int evt_module(void *item, const uint8_t *v, size_t n, int keep)
{
	struct gs_evt_module *m = item;

	memcpy(&m->m, v, sizeof(m->m));
	if (m->m.build_id_len > sizeof(m->m.build_id) || m->m.end < m->m.start) {
		return -1;
	}
	if (keep) {
		m->path = evt_strdup(v + sizeof(m->m), n - sizeof(m->m));
	}
	return 0;
}

static void evt_module_free(void *item)
{
	free(((struct gs_evt_module *)item)->path);
}

static int evt_frame_sym(void *item, const uint8_t *v, size_t n, int keep)
{
	struct gs_evt_frame_sym *fs = item;
	const uint8_t *name = v + sizeof(fs->s);

	memcpy(&fs->s, v, sizeof(fs->s));
	if (fs->s.func_len > n - sizeof(fs->s)) {
		return -1;
	}
	if (!keep) {
		return 0;
	}
	fs->func = evt_strdup(name, fs->s.func_len);
	fs->file = evt_strdup(name + fs->s.func_len, n - sizeof(fs->s) - fs->s.func_len);
	return 0;
}

static void evt_frame_sym_free(void *item)
{
	free(((struct gs_evt_frame_sym *)item)->func);
	free(((struct gs_evt_frame_sym *)item)->file);
}

union evt_head_item {
	struct gs_evt_module module;
	struct gs_evt_frame_sym frame_sym;
};

static const struct evt_head {
	uint16_t tag;
	size_t item;   /* list item size */
	int (*parse)(void *item, const uint8_t *v, size_t n, int keep);
	void (*release)(void *item);
} evt_heads[] = {
	{ GOSHIM_T_MODULE, sizeof(struct gs_evt_module), evt_module, evt_module_free },
	{ GOSHIM_T_FRAME_SYM, sizeof(struct gs_evt_frame_sym), evt_frame_sym, evt_frame_sym_free },
};

static const struct evt_head *evt_head(uint16_t tag)
{
	for (size_t i = 0; i < sizeof(evt_heads) / sizeof(evt_heads[0]); i++) {
		if (evt_heads[i].tag == tag) {
			return &evt_heads[i];
		}
	}
	return NULL;
}

static int evt_store_head(struct gs_evt_list *l, const struct gs_tag_info *t,
			 const struct gs_tlv_field *f, int keep)
{
	const struct evt_head *h = evt_head(t->tag);
	union evt_head_item item;
	void *slot;

	if (!h) {
		return 0; /* no decoded form: skipped, as an unknown tag */
	}
	if (f->len < t->width || h->parse(&item, f->val, f->len, keep) < 0) {
		return -1;
	}
	if (!keep) {
		return 0;
	}
	slot = evt_push(l, h->item);
	if (slot) {
		memcpy(slot, &item, h->item);
	} else {
		h->release(&item);
	}
	return 0;
}

/* Append one repeated field to its list. */
static void evt_store_item(struct gs_evt_list *l, const struct gs_tag_info *t,
			  const struct gs_tlv_field *f)
{
	int str = t->kind == GS_TK_STR;
	void *slot = evt_push(l, str ? sizeof(char *) : t->width);

	if (slot && str) {
		*(char **)slot = evt_strdup(f->val, f->len);
	} else if (slot) {
		memcpy(slot, f->val, t->width);
	}
}

/* Store field f, the tag of row i; returns 0, or -1 when its length is
 * wrong.  keep 0 (a MANY tag the caller skips): only check it. */
static int evt_store(struct gs_event *e, size_t i, const struct gs_tlv_field *f, int keep)
{
	const struct gs_tag_info *t = &gs_tags[i];
	char *base = (char *)e + evt_fields[i].off;

	if (t->kind == GS_TK_HEAD) {
		return evt_store_head((struct gs_evt_list *)base, t, f, keep);
	}
	if (t->kind != GS_TK_STR && f->len != t->width) {
		return -1;
	}
	if (t->many) {
		if (keep) {
			evt_store_item((struct gs_evt_list *)base, t, f);
		}
		return 0;
	}
	if (t->kind == GS_TK_STR) {
		free(*(char **)base);
		*(char **)base = evt_strdup(f->val, f->len);
	} else if (t->kind == GS_TK_INT) {
		evt_store_int(base, f->val, t->width);
	} else {
		memcpy(base, f->val, t->width);
	}
	e->has |= 1ull << evt_fields[i].bit;
	return 0;
}

/* Keep every EV_PATH with the EV_STATFS that follows it: the singular
 * fields hold only the last pair, and an EXIT record carries several. */
static void evt_pair_fs(struct gs_event *e, const struct gs_tlv_field *f)
{
	struct gs_evt_fs *last = e->fs.n ? &gs_evt_fss(e)[e->fs.n - 1] : NULL;

	if (f->tag == GOSHIM_T_EV_PATH) {
		struct gs_evt_fs *slot = evt_push(&e->fs, sizeof(*slot));
		if (slot) {
			memset(slot, 0, sizeof(*slot));
			slot->path = evt_strdup(f->val, f->len);
		}
	} else if (f->tag == GOSHIM_T_EV_STATFS && last && !last->has_sf) {
		memcpy(&last->sf, f->val, sizeof(last->sf));
		last->has_sf = 1;
	}
}

/* Whether skip[0..n) asks for no fs list. */
static int evt_skips_fs(const uint16_t *skip, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (skip[k] == GS_EVT_NO_FS) {
			return 1;
		}
	}
	return 0;
}

/* Whether row i is a MANY tag among skip[0..n). */
static int evt_skipped(size_t i, const uint16_t *skip, size_t n)
{
	for (size_t k = 0; k < n && gs_tags[i].many; k++) {
		if (skip[k] == gs_tags[i].tag) {
			return 1;
		}
	}
	return 0;
}

int gs_event_parse_without(struct gs_event *e, const uint8_t *payload, size_t len,
			   const uint16_t *skip, size_t nskip)
{
	struct gs_tlv_field f;
	size_t off = 0;
	int rc, fs = !evt_skips_fs(skip, nskip);

	memset(e, 0, sizeof(*e));
	if (!payload) {
		len = 0;
	}
	while ((rc = gs_tlv_next(payload, len, &off, &f)) == 1) {
		ssize_t i = evt_index(f.tag);

		if (i >= 0 && evt_store(e, (size_t)i, &f, !evt_skipped((size_t)i, skip, nskip)) < 0) {
			evt_set_error(e, "field with tag %u has a bad length (%u bytes) at byte %u",
				     f.tag, f.len, (unsigned)(off - 4 - f.len));
		} else if (i >= 0 && fs) {
			evt_pair_fs(e, &f);
		}
	}
	if (rc < 0) {
		evt_set_error(e, "payload is malformed from byte %u of %u (tag %u)",
			     (unsigned)off, (unsigned)len,
			     len - off >= 2 ? payload[off] | payload[off + 1] << 8 : 0);
	}
	return e->error ? -1 : 0;
}

int gs_event_parse(struct gs_event *e, const uint8_t *payload, size_t len)
{
	return gs_event_parse_without(e, payload, len, NULL, 0);
}

static void evt_free_list(struct gs_evt_list *l, const struct gs_tag_info *t)
{
	const struct evt_head *h = t->kind == GS_TK_HEAD ? evt_head(t->tag) : NULL;

	for (size_t k = 0; k < l->n; k++) {
		if (t->kind == GS_TK_STR) {
			free(gs_evt_strs(l)[k]);
		} else if (h) {
			h->release((char *)l->v + k * h->item);
		}
	}
	free(l->v);
}

/* The rows whose member owns memory: a string, or a list. */
#define EVT_OWNS(name, value, kind, type, count, key, tbit) EVT_OWNS_##count##_##kind(name)
#define EVT_OWNS_ONE_STR(name) EVT_ROW_##name,
#define EVT_OWNS_ONE_INT(name)
#define EVT_OWNS_ONE_STRUCT(name)
#define EVT_OWNS_MANY_STR(name) EVT_ROW_##name,
#define EVT_OWNS_MANY_INT(name) EVT_ROW_##name,
#define EVT_OWNS_MANY_STRUCT(name) EVT_ROW_##name,
#define EVT_OWNS_MANY_HEAD(name) EVT_ROW_##name,
static const uint8_t evt_owning[] = { GOSHIM_TAGS(EVT_OWNS) };

void gs_event_free(struct gs_event *e)
{
	for (size_t k = 0; k < sizeof(evt_owning); k++) {
		size_t i = evt_owning[k];
		char *base = (char *)e + evt_fields[i].off;

		if (gs_tags[i].many) {
			evt_free_list((struct gs_evt_list *)base, &gs_tags[i]);
		} else {
			free(*(char **)base);
		}
	}
	for (size_t i = 0; i < e->fs.n; i++) {
		free(gs_evt_fss(e)[i].path);
	}
	free(e->fs.v);
	free(e->error);
	memset(e, 0, sizeof(*e));
}

int gs_evt_int(const struct gs_event *e, uint16_t tag, int64_t *v)
{
	ssize_t i = evt_index(tag);
	const char *base = (const char *)e + (i >= 0 ? evt_fields[i].off : 0);

	if (i < 0 || gs_tags[i].kind != GS_TK_INT || gs_tags[i].many ||
	    !gs_evt_has(e, (enum gs_evt_bit)evt_fields[i].bit)) {
		return 0;
	}
	if (gs_tags[i].width == 8) {
		memcpy(v, base, 8);
	} else if (gs_tags[i].is_signed) {
		*v = *(const int32_t *)base;
	} else {
		*v = *(const uint32_t *)base;
	}
	return 1;
}

const char *gs_evt_str(const struct gs_event *e, uint16_t tag)
{
	ssize_t i = evt_index(tag);

	if (i < 0 || gs_tags[i].kind != GS_TK_STR || gs_tags[i].many) {
		return NULL;
	}
	return *(char *const *)((const char *)e + evt_fields[i].off);
}

const struct gs_evt_list *gs_evt_list_of(const struct gs_event *e, uint16_t tag)
{
	ssize_t i = evt_index(tag);

	if (i < 0 || !gs_tags[i].many) {
		return NULL;
	}
	return (const struct gs_evt_list *)((const char *)e + evt_fields[i].off);
}
