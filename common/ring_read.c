/* SPDX-License-Identifier: Apache-2.0 */
#include "ring_read.h"

#include "dict.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "crc32c.h"
#include "ring_file.h"
#include "ring_hdr.h"
#include "repeat_read.h"
#include "goshim/record.h"
#include "tlv.h"

/* r->fd when the reader read the file into a buffer it must free. */
#define RR_FD_OWNED_BUF (-2)

/* The bytes of one lane present in the file, and the lane's size. */
struct rr_area {
	const uint8_t *data;
	uint64_t avail;   /* bytes of the lane present, <= size */
	uint64_t size;    /* the lane's size */
};

__attribute__((format(printf, 4, 5)))
static void rr_issue(struct gs_ring_reader *r, enum gs_ring_problem what,
		     uint64_t count, const char *fmt, ...)
{
	va_list ap;

	if (r->nissues >= sizeof(r->issues) / sizeof(r->issues[0])) {
		return;
	}
	struct gs_ring_issue *is = &r->issues[r->nissues++];
	is->what = what;
	is->count = count;
	va_start(ap, fmt);
	vsnprintf(is->msg, sizeof(is->msg), fmt, ap);
	va_end(ap);
}

/* Quote n bytes C-style into out (cap >= 4 * n + 3). */
static void rr_quote(char *out, const uint8_t *p, size_t n)
{
	char *o = out;

	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\') {
			*o++ = '\\';
			*o++ = (char)p[i];
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			*o++ = (char)p[i];
		} else {
			o += sprintf(o, "\\x%02x", p[i]);
		}
	}
	*o++ = '"';
	*o = 0;
}

/* Read n bytes of the lane starting at offset off, wrapping at the end of
 * the lane.  -1 when some of them are beyond what the file holds. */
static int rr_get(const struct rr_area *a, uint64_t off, void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n) {
		off %= a->size;
		uint64_t chunk = a->size - off < n ? a->size - off : n;
		if (off >= a->avail || a->avail - off < chunk) {
			return -1;
		}
		memcpy(d, a->data + off, chunk);
		d += chunk;
		n -= chunk;
		off += chunk;
	}
	return 0;
}

static uint64_t rr_span(uint32_t len)
{
	return ((uint64_t)len + GOSHIM_RING_GRANULE - 1) & ~(uint64_t)(GOSHIM_RING_GRANULE - 1);
}

/* Whether the record header at granule offset g of a lane is sane and its
 * CRC holds, over its stored payload copied to dst (room for
 * GOSHIM_REC_MAX bytes): what is decoded later is the copy checked now,
 * whatever happens to the file meanwhile. */
static int rr_valid(const struct rr_area *a, uint64_t g, const struct goshim_rec_hdr *h,
		    uint8_t *dst)
{
	uint32_t crc = 0;

	if (h->pos % a->size != g || h->len < GOSHIM_REC_HDR_SIZE ||
	    h->len > GOSHIM_REC_MAX || h->codec > GOSHIM_CODEC_DICT ||
	    h->raw_len > GOSHIM_REC_RAW_MAX ||
	    (h->codec == GOSHIM_CODEC_RAW && h->raw_len != h->len - GOSHIM_REC_HDR_SIZE)) {
		return 0;
	}
	if (rr_get(a, g + GOSHIM_REC_HDR_SIZE, dst, h->len - GOSHIM_REC_HDR_SIZE)) {
		return 0;
	}
	crc = gs_crc32c(0, &h->pos, GOSHIM_REC_HDR_SIZE - 16);
	return gs_crc32c(crc, dst, h->len - GOSHIM_REC_HDR_SIZE) == h->crc;
}

/* A record that passed its checks, before decoding. */
struct rr_cand {
	struct goshim_rec_hdr h;
	unsigned lane;
	size_t at;           /* its stored payload: rr_cands.bytes + at */
};

struct rr_cands {
	struct rr_cand *v;
	size_t n, cap;
	uint8_t *bytes;      /* the candidates' stored payloads, one after another */
	size_t used, room;
};

static void rr_cands_free(struct rr_cands *c)
{
	free(c->v);
	free(c->bytes);
	memset(c, 0, sizeof(*c));
}

static int rr_cmp_pos(const void *x, const void *y)
{
	const struct rr_cand *a = x, *b = y;

	if (a->lane != b->lane) {
		return a->lane < b->lane ? -1 : 1;
	}
	return a->h.pos < b->h.pos ? -1 : a->h.pos > b->h.pos;
}

/* Whether c is in lane and position order already: a lane that never
 * wrapped is scanned in that order. */
static int rr_sorted(const struct rr_cands *c)
{
	for (size_t i = 1; i < c->n; i++) {
		if (rr_cmp_pos(&c->v[i - 1], &c->v[i]) > 0) {
			return 0;
		}
	}
	return 1;
}

struct rr_zstd {
	ZSTD_DCtx *dctx;
	ZSTD_DDict *ddict;
	uint32_t ddict_id;
};

static char *rr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *rr_err(const char *fmt, ...)
{
	va_list ap;
	char *s = malloc(160);

	if (s) {
		va_start(ap, fmt);
		vsnprintf(s, 160, fmt, ap);
		va_end(ap);
	}
	return s;
}

/* Decode the stored payload src[0..n) of rec into a new buffer; on failure
 * return NULL and set *err. */
static uint8_t *rr_decode(struct gs_ring_reader *r, struct rr_zstd *z,
			  const struct gs_rec *rec, const uint8_t *src, size_t n,
			  char **err)
{
	uint8_t *out = malloc((size_t)rec->raw_len + 1);
	size_t got;

	if (!out) {
		*err = rr_err("out of memory");
		return NULL;
	}
	if (rec->codec == GOSHIM_CODEC_RAW) {
		memcpy(out, src, n);
		return out;
	}
	if (!z->dctx) {
		z->dctx = ZSTD_createDCtx();
	}
	if (!z->dctx) {
		free(out);
		*err = rr_err("out of memory");
		return NULL;
	}
	if (rec->codec == GOSHIM_CODEC_ZSTD) {
		got = ZSTD_decompressDCtx(z->dctx, out, rec->raw_len, src, n);
	} else {
		/* The frame names its dictionary; the header is the fallback
		 * (and the only source when a writer left the id out). */
		uint32_t id = ZSTD_getDictID_fromFrame(src, n);
		if (id == 0) {
			id = r->hdr_ok ? r->hdr.dict_id : 0;
		}
		if (!z->ddict || z->ddict_id != id) {
			const void *dict = NULL;
			size_t dlen = 0;
			if (r->dict_lookup) {
				dict = r->dict_lookup(id, &dlen);
			} else if (id == GS_DICT_ID) {
				dict = gs_dict_bytes;
				dlen = gs_dict_len;
			}
			if (!dict) {
				free(out);
				*err = rr_err("zstd dictionary %u not known to this goshimctl", id);
				return NULL;
			}
			ZSTD_freeDDict(z->ddict);
			z->ddict = ZSTD_createDDict(dict, dlen);
			z->ddict_id = id;
			if (!z->ddict) {
				free(out);
				*err = rr_err("zstd dictionary %u could not be loaded", id);
				return NULL;
			}
		}
		got = ZSTD_decompress_usingDDict(z->dctx, out, rec->raw_len, src, n, z->ddict);
	}
	if (ZSTD_isError(got)) {
		free(out);
		*err = rr_err("zstd payload does not decode: %s", ZSTD_getErrorName(got));
		return NULL;
	}
	if (got != rec->raw_len) {
		free(out);
		*err = rr_err("payload decodes to %zu bytes, the record says %u", got, rec->raw_len);
		return NULL;
	}
	return out;
}

/* Find every record of one lane: one candidate per granule.  head: the
 * lane's head counter when the header is trusted. */
static int rr_scan(struct gs_ring_reader *r, const struct rr_area *a, unsigned lane,
		   uint64_t head, struct rr_cands *c, uint64_t *torn)
{
	for (uint64_t g = 0; g + GOSHIM_REC_HDR_SIZE <= a->avail; g += GOSHIM_RING_GRANULE) {
		struct goshim_rec_hdr h;

		memcpy(&h, a->data + g, sizeof(h));
		if (h.commit != GOSHIM_REC_COMMIT) {
			continue;
		}
		if (r->hdr_ok && h.pos % a->size == g &&
		    h.pos < head && head - h.pos > a->size) {
			continue; /* an older lap's record, overwritten */
		}
		if (r->hdr_ok && h.pos >= head) {
			(*torn)++; /* never reserved: corrupt */
			continue;
		}
		if (c->room - c->used < GOSHIM_REC_MAX) {
			size_t nroom = c->room ? c->room * 2 : 1u << 20;
			uint8_t *nb = realloc(c->bytes, nroom);
			if (!nb) {
				return -ENOMEM;
			}
			c->bytes = nb;
			c->room = nroom;
		}
		if (!rr_valid(a, g, &h, c->bytes + c->used) ||
		    (r->hdr_ok && rr_span(h.len) > head - h.pos)) {
			(*torn)++;
			continue;
		}
		if (c->n == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 256;
			struct rr_cand *n = realloc(c->v, ncap * sizeof(*n));
			if (!n) {
				return -ENOMEM;
			}
			c->v = n;
			c->cap = ncap;
		}
		c->v[c->n].h = h;
		c->v[c->n].at = c->used;
		c->v[c->n++].lane = lane;
		c->used += h.len - GOSHIM_REC_HDR_SIZE;
	}
	return 0;
}

/* Scan every lane of the geometry in r->lanes into c. */
static int rr_scan_lanes(struct gs_ring_reader *r, const uint8_t *data, uint64_t avail,
			 struct rr_cands *c, uint64_t *torn)
{
	for (unsigned i = 0; i < r->nlanes; i++) {
		const struct gs_ring_lane *l = &r->lanes[i];
		struct rr_area a = {
			.data = data + l->base, .size = l->size,
			.avail = avail <= l->base ? 0 : avail - l->base < l->size ?
				 avail - l->base : l->size,
		};
		int ret = rr_scan(r, &a, i, l->head, c, torn);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

/* Set r->lanes from n lanes of geometry l (counters from a trusted header). */
static void rr_set_lanes(struct gs_ring_reader *r, const struct gs_lane *l, unsigned n)
{
	uint64_t others = 0;

	memset(r->lanes, 0, sizeof(r->lanes));
	r->nlanes = n;
	for (unsigned i = 0; i < n; i++) {
		r->lanes[i].base = l[i].base;
		r->lanes[i].size = l[i].size;
		if (r->hdr_ok) {
			r->lanes[i].head = i ? r->hdr.lane[i - 1].head : r->hdr.head;
			r->lanes[i].committed = i ? r->hdr.lane[i - 1].committed : 0;
			others += r->lanes[i].committed;
		}
	}
	if (r->hdr_ok) {
		r->lanes[0].committed = r->hdr.committed > others ? r->hdr.committed - others : 0;
	}
}

/* Find the records.  With a trusted header its lanes are scanned; without
 * one the lanes are guessed: the header's table (if it still adds up), a
 * new ring's lanes, or one lane — whichever yields the most records. */
static int rr_find(struct gs_ring_reader *r, const uint8_t *data, uint64_t avail,
		   uint64_t size, struct rr_cands *c)
{
	struct gs_lane l[3][GOSHIM_RING_LANES_MAX];
	unsigned n[3], best = 0;
	struct rr_cands best_c = { 0 };
	uint64_t best_torn = 0;
	int ret;

	n[0] = gs_ring_lanes(&r->hdr, size, l[0]);
	if (r->hdr_ok) {
		rr_set_lanes(r, l[0], n[0]);
		return rr_scan_lanes(r, data, avail, c, &r->torn);
	}
	struct goshim_ring_hdr *dh = calloc(1, sizeof(*dh));
	if (!dh) {
		return -ENOMEM;
	}
	dh->version = GOSHIM_RING_VERSION;
	gs_ring_lanes_default(dh, size);
	n[1] = gs_ring_lanes(dh, size, l[1]);
	free(dh);
	n[2] = 1;
	l[2][0].base = 0;
	l[2][0].size = size;
	for (unsigned k = 0; k < 3; k++) {
		struct rr_cands t = { 0 };
		uint64_t torn = 0;

		if (k && n[k] == n[k - 1] && !memcmp(l[k], l[k - 1], n[k] * sizeof(l[k][0]))) {
			continue;
		}
		rr_set_lanes(r, l[k], n[k]);
		ret = rr_scan_lanes(r, data, avail, &t, &torn);
		if (ret) {
			rr_cands_free(&t);
			rr_cands_free(&best_c);
			return ret;
		}
		if (!best_c.v || t.n > best_c.n) {
			rr_cands_free(&best_c);
			best_c = t;
			best_torn = torn;
			best = k;
		} else {
			rr_cands_free(&t);
		}
	}
	rr_set_lanes(r, l[best], n[best]);
	*c = best_c;
	r->torn = best_torn;
	return 0;
}

/* Without a trustworthy head: in each lane the newest record found ends the
 * lane; keep what lies within one lane size of it.  c is sorted by lane. */
static void rr_window(struct gs_ring_reader *r, struct rr_cands *c)
{
	size_t k = 0;

	for (size_t from = 0; from < c->n;) {
		unsigned lane = c->v[from].lane;
		uint64_t head = 0, size = r->lanes[lane].size;
		size_t to = from;

		for (; to < c->n && c->v[to].lane == lane; to++) {
			uint64_t end = c->v[to].h.pos + rr_span(c->v[to].h.len);
			if (end > head) {
				head = end;
			}
		}
		for (size_t i = from; i < to; i++) {
			if (head - c->v[i].h.pos <= size) {
				c->v[k++] = c->v[i];
			}
		}
		from = to;
	}
	c->n = k;
}

/* CLOCK_MONOTONIC time of a decoded record, 0 when it has none. */
static uint64_t rr_mono(const struct gs_rec *rec)
{
	struct gs_tlv_field f;
	size_t off = 0;
	uint64_t t = 0;

	while (rec->payload && gs_tlv_next(rec->payload, rec->raw_len, &off, &f) == 1) {
		if (f.tag == GOSHIM_T_TIME_MONO && gs_tlv_get_u64(&f, &t) == 0) {
			return t;
		}
	}
	return 0;
}

/* r->recs holds the lanes one after the other, each in position order:
 * merge them by time, keeping each lane's order (a record without a time
 * goes out as soon as its lane's turn comes). */
static int rr_merge(struct gs_ring_reader *r)
{
	size_t at[GOSHIM_RING_LANES_MAX + 1] = { 0 }, end[GOSHIM_RING_LANES_MAX + 1] = { 0 };
	struct gs_rec *out;
	uint64_t *mono;
	unsigned nl = 0;

	if (r->nlanes < 2 || r->nrecs < 2) {
		return 0;
	}
	out = malloc(r->nrecs * sizeof(*out));
	mono = malloc(r->nrecs * sizeof(*mono));
	if (!out || !mono) {
		free(out);
		free(mono);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->nrecs; i++) {
		mono[i] = rr_mono(&r->recs[i]);
		if (!i || r->recs[i].lane != r->recs[i - 1].lane) {
			at[nl] = i;
			end[nl++] = i;
		}
		end[nl - 1] = i + 1;
	}
	for (size_t k = 0; k < r->nrecs; k++) {
		unsigned pick = GOSHIM_RING_LANES_MAX;
		for (unsigned j = 0; j < nl; j++) {
			if (at[j] < end[j] &&
			    (pick == GOSHIM_RING_LANES_MAX || mono[at[j]] < mono[at[pick]])) {
				pick = j;
			}
		}
		out[k] = r->recs[at[pick]++];
	}
	free(mono);
	free(r->recs);
	r->recs = out;
	return 0;
}

/* One load, and what it allocates on the way: kept here so that a load
 * gs_ring_file_guard abandoned (the mapped file shrank) is still freed. */
struct rr_load {
	struct gs_ring_reader *r;
	const uint8_t *buf;  /* the file */
	size_t len;
	struct rr_cands c;   /* the records that passed their checks */
	struct rr_zstd z;
	uint64_t bad;        /* payloads that did not decode */
};

/* Decode every candidate, from the copy of its bytes its check was made
 * on (never from the file again). */
static int rr_decode_all(struct rr_load *ld)
{
	struct gs_ring_reader *r = ld->r;
	const struct rr_cands *c = &ld->c;

	r->recs = calloc(c->n ? c->n : 1, sizeof(*r->recs));
	if (!r->recs) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct goshim_rec_hdr *h = &c->v[i].h;
		struct gs_rec *rec = &r->recs[r->nrecs];
		uint32_t n = h->len - GOSHIM_REC_HDR_SIZE;
		char *err = NULL;

		if (i && c->v[i - 1].h.pos == h->pos && c->v[i - 1].lane == c->v[i].lane) {
			continue;
		}
		rec->pos = h->pos;
		rec->lane = c->v[i].lane;
		rec->type = h->type;
		rec->codec = h->codec;
		rec->engine = h->engine;
		rec->raw_len = h->raw_len;
		rec->count = GOSHIM_AGG_KEY(h->agg) == GOSHIM_AGG_KEY(GOSHIM_AGG_MAKE(h->pos, 0)) &&
			     GOSHIM_AGG_COUNT(h->agg) ? GOSHIM_AGG_COUNT(h->agg) : 1;
		rec->payload = rr_decode(r, &ld->z, rec, c->bytes + c->v[i].at, n, &err);
		if (!rec->payload) {
			ld->bad++;
			rec->error = err;
			if (!err) {
				continue; /* not even the message could be allocated */
			}
		}
		r->lanes[rec->lane].found++;
		r->nrecs++;
	}
	return 0;
}

static int rr_cmp_lane_pos(const void *key, const void *elt)
{
	const struct gs_rec *a = key, *b = elt;

	if (a->lane != b->lane) {
		return a->lane < b->lane ? -1 : 1;
	}
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Expand every cross-process repeat from its original (r->recs is in lane
 * and position order): a repeat whose original is gone keeps what it
 * carries itself. */
static int rr_repeats(struct gs_ring_reader *r)
{
	for (size_t i = 0; i < r->nrecs; i++) {
		struct gs_rec *rec = &r->recs[i];
		struct gs_rec key = { .lane = GOSHIM_LANE_ROUTINE };
		uint8_t *p;
		size_t n;

		if (rec->type != GOSHIM_REC_EVENT ||
		    !gs_repeat_of(rec->payload, rec->raw_len, &key.pos)) {
			continue;
		}
		const struct gs_rec *o = bsearch(&key, r->recs, r->nrecs, sizeof(*rec),
						 rr_cmp_lane_pos);
		r->repeats++;
		rec->repeat_of = key.pos;
		rec->repeat = GS_REC_REPEAT_ALONE;
		if (o && o->type == GOSHIM_REC_EVENT && o->payload &&
		    gs_repeat_expand(rec->payload, rec->raw_len, o->payload, o->raw_len,
				     &p, &n) == 0) {
			free(rec->payload);
			rec->payload = p;
			rec->raw_len = (uint32_t)n;
			rec->repeat = GS_REC_REPEAT;
		} else {
			r->repeats_alone++;
		}
	}
	return 0;
}

/* Check the header page; returns the data_size to scan with. */
static uint64_t rr_header(struct gs_ring_reader *r, const uint8_t *buf, size_t len)
{
	const struct goshim_ring_hdr *h = &r->hdr;
	enum gs_ring_problem p;
	char q[8 * 4 + 3];

	memcpy(&r->hdr, buf, GOSHIM_RING_HDR_SIZE);
	p = gs_ring_hdr_check(h);
	switch (p) {
	case GS_RP_NONE:
		r->hdr_ok = 1;
		return h->data_size;
	case GS_RP_FOREIGN:
		rr_quote(q, buf, 8);
		rr_issue(r, p, 0, "not a goshim ring: magic is %s (expected %s)", q,
			 GOSHIM_RING_MAGIC);
		break;
	case GS_RP_ENDIAN:
		rr_issue(r, p, 0, "ring written on a host of the other byte order; "
			 "this goshimctl reads only little-endian rings");
		break;
	case GS_RP_NEWER:
		rr_issue(r, p, 0, "ring format version %u is newer than this goshimctl "
			 "understands (%u)", h->version, GOSHIM_RING_VERSION);
		break;
	default:
		if (h->hdr_crc != gs_ring_hdr_crc(h)) {
			rr_issue(r, GS_RP_BAD_HDR, 0, "ring header is damaged (checksum "
				 "0x%08x, expected 0x%08x); scanning the data area anyway",
				 h->hdr_crc, gs_ring_hdr_crc(h));
		} else {
			rr_issue(r, GS_RP_BAD_HDR, 0, "ring header is inconsistent (version "
				 "%u, header size %u, granule %u, data size %" PRIu64 "); "
				 "scanning the data area anyway", h->version, h->hdr_size,
				 h->granule, h->data_size);
		}
		break;
	}
	if (gs_ring_size_ok(h->data_size) && len - GOSHIM_RING_HDR_SIZE == h->data_size) {
		return h->data_size;
	}
	uint64_t s = GOSHIM_RING_MIN_DATA;
	while (s < GOSHIM_RING_MAX_DATA && s * 2 <= len - GOSHIM_RING_HDR_SIZE) {
		s *= 2;
	}
	return s;
}

/* Everything that reads the file's bytes (under gs_ring_file_guard when
 * they are mapped). */
static int rr_load_file(void *ctx)
{
	struct rr_load *ld = ctx;
	struct gs_ring_reader *r = ld->r;
	const uint8_t *buf = ld->buf;
	size_t len = ld->len;
	int ret;

	if (len == 0) {
		rr_issue(r, GS_RP_EMPTY, 0, "the file is empty: no ring was ever written to it");
		return 0;
	}
	if (len < GOSHIM_RING_HDR_SIZE) {
		if (len >= 8 && memcmp(buf, GOSHIM_RING_MAGIC, 8) != 0) {
			char q[8 * 4 + 3];
			rr_quote(q, buf, 8);
			rr_issue(r, GS_RP_FOREIGN, 0, "not a goshim ring: magic is %s "
				 "(expected %s)", q, GOSHIM_RING_MAGIC);
		}
		rr_issue(r, GS_RP_SHORT_HDR, len, "file is %zu bytes, shorter than the "
			 "%u-byte ring header: it holds no records", len, GOSHIM_RING_HDR_SIZE);
		return 0;
	}
	r->data_size = rr_header(r, buf, len);
	uint64_t avail = len - GOSHIM_RING_HDR_SIZE;
	if (avail < r->data_size) {
		rr_issue(r, GS_RP_TRUNCATED, GOSHIM_RING_HDR_SIZE + r->data_size - len,
			 "file truncated: %zu of %" PRIu64 " bytes present; decoding the "
			 "records in what is left", len, GOSHIM_RING_HDR_SIZE + r->data_size);
	} else {
		avail = r->data_size;
	}
	ret = rr_find(r, buf + GOSHIM_RING_HDR_SIZE, avail, r->data_size, &ld->c);
	if (ret) {
		return ret;
	}
	if (!rr_sorted(&ld->c)) {
		qsort(ld->c.v, ld->c.n, sizeof(*ld->c.v), rr_cmp_pos);
	}
	if (!r->hdr_ok) {
		rr_window(r, &ld->c);
	}
	ret = rr_decode_all(ld);
	if (r->torn) {
		rr_issue(r, GS_RP_TORN, r->torn, "%" PRIu64 " granule%s held torn "
			 "or corrupt records (checksum mismatch)", r->torn,
			 r->torn == 1 ? "" : "s");
	}
	if (ld->bad) {
		rr_issue(r, GS_RP_BAD_RECORD, ld->bad,
			 "%" PRIu64 " record%s held payloads that did not decode", ld->bad,
			 ld->bad == 1 ? "" : "s");
	}
	return ret;
}

/* Load the ring in buf[0..len); guarded: buf is a mapping. */
static int rr_load(struct gs_ring_reader *r, const uint8_t *buf, size_t len, int guarded)
{
	const void *(*lookup)(uint32_t, size_t *) = r->dict_lookup;
	struct rr_load ld = { .r = r, .buf = buf, .len = len };
	int ret;

	memset(r, 0, sizeof(*r));
	r->dict_lookup = lookup;
	r->fd = -1;
	r->map = buf;
	r->file_size = len;
	ret = guarded ? gs_ring_file_guard(rr_load_file, &ld) : rr_load_file(&ld);
	rr_cands_free(&ld.c);
	ZSTD_freeDDict(ld.z.ddict);
	ZSTD_freeDCtx(ld.z.dctx);
	if (!ret) {
		ret = rr_repeats(r);
	}
	if (!ret) {
		ret = rr_merge(r);
	}
	return ret;
}

int gs_ring_load_mem(struct gs_ring_reader *r, const uint8_t *buf, size_t len)
{
	return rr_load(r, buf, len, 0);
}

int gs_ring_load_fd(struct gs_ring_reader *r, int fd, const struct stat *st)
{
	const uint8_t *map;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (gs_ring_file_map(fd, st, &map, &len) == 0) {
		ret = rr_load(r, map, len, 1);
		munmap((void *)map, len);
		r->map = NULL;
		if (ret != -EFAULT) {
			return ret;
		}
		gs_ring_unload(r); /* the file shrank while read: read what is left */
	}
	ret = gs_ring_file_read(fd, st, &buf, &len);
	if (ret) {
		return ret;
	}
	ret = gs_ring_load_mem(r, buf, len);
	r->fd = RR_FD_OWNED_BUF;
	return ret;
}

int gs_ring_load(struct gs_ring_reader *r, const char *path)
{
	struct stat st;
	int fd = gs_ring_file_open(path, &st);
	int ret;

	if (fd < 0) {
		return fd;
	}
	ret = gs_ring_load_fd(r, fd, &st);
	close(fd);
	return ret;
}

uint64_t gs_ring_lost(const struct gs_ring_reader *r)
{
	if (!r->hdr_ok || r->hdr.committed <= r->nrecs) {
		return 0;
	}
	return r->hdr.committed - r->nrecs;
}

uint64_t gs_ring_lane_lost(const struct gs_ring_reader *r, unsigned i)
{
	if (!r->hdr_ok || i >= r->nlanes || r->lanes[i].committed <= r->lanes[i].found) {
		return 0;
	}
	return r->lanes[i].committed - r->lanes[i].found;
}

const char *gs_ring_lane_name(unsigned i, char *buf, size_t size)
{
	static const char *const name[] = {
		[GOSHIM_LANE_ROUTINE] = "routine",
		[GOSHIM_LANE_PROCESS] = "process",
		[GOSHIM_LANE_VITAL] = "vital",
	};

	if (i < sizeof(name) / sizeof(name[0])) {
		return name[i];
	}
	snprintf(buf, size, "lane %u", i);
	return buf;
}

char *gs_ring_lost_lanes(const struct gs_ring_reader *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned i = 0; r->nlanes > 1 && i < r->nlanes && n < size; i++) {
		char name[16];
		int k = snprintf(buf + n, size - n, "%s%s %" PRIu64, i ? ", " : "",
				 gs_ring_lane_name(i, name, sizeof(name)), gs_ring_lane_lost(r, i));
		n += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

void gs_ring_unload(struct gs_ring_reader *r)
{
	for (size_t i = 0; i < r->nrecs; i++) {
		free(r->recs[i].payload);
		free((void *)r->recs[i].error);
	}
	free(r->recs);
	if (r->fd >= 0) {
		munmap((void *)r->map, r->file_size);
		close(r->fd);
	} else if (r->fd == RR_FD_OWNED_BUF) {
		free((void *)r->map);
	}
	r->recs = NULL;
	r->nrecs = 0;
	r->map = NULL;
	r->fd = -1;
}
