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

/* r->fd when the reader read the file into a buffer it must free. */
#define RR_FD_OWNED_BUF (-2)

/* The bytes of the data area present in the file, and the ring geometry. */
struct rr_area {
	const uint8_t *data;
	uint64_t avail;   /* bytes of data present, <= size */
	uint64_t size;    /* data_size */
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

/* Read n bytes of the data area starting at offset off, wrapping at the end
 * of the ring.  -1 when some of them are beyond what the file holds. */
static int rr_get(const struct rr_area *a, uint64_t off, void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n) {
		off &= a->size - 1;
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

/* crc32c of n bytes of the data area from off, wrapping; -1 if cut off. */
static int rr_crc(const struct rr_area *a, uint64_t off, size_t n, uint32_t *crc)
{
	while (n) {
		off &= a->size - 1;
		uint64_t chunk = a->size - off < n ? a->size - off : n;
		if (off >= a->avail || a->avail - off < chunk) {
			return -1;
		}
		*crc = gs_crc32c(*crc, a->data + off, chunk);
		n -= chunk;
		off += chunk;
	}
	return 0;
}

static uint64_t rr_span(uint32_t len)
{
	return ((uint64_t)len + GOSHIM_RING_GRANULE - 1) & ~(uint64_t)(GOSHIM_RING_GRANULE - 1);
}

/* Whether the record header at granule offset g is sane and its CRC holds. */
static int rr_valid(const struct rr_area *a, uint64_t g, const struct goshim_rec_hdr *h)
{
	uint32_t crc = 0;

	if ((h->pos & (a->size - 1)) != g || h->len < GOSHIM_REC_HDR_SIZE ||
	    h->len > GOSHIM_REC_MAX || h->codec > GOSHIM_CODEC_DICT ||
	    h->raw_len > GOSHIM_REC_RAW_MAX ||
	    (h->codec == GOSHIM_CODEC_RAW && h->raw_len != h->len - GOSHIM_REC_HDR_SIZE)) {
		return 0;
	}
	crc = gs_crc32c(0, &h->pos, GOSHIM_REC_HDR_SIZE - 16);
	if (rr_crc(a, g + GOSHIM_REC_HDR_SIZE, h->len - GOSHIM_REC_HDR_SIZE, &crc)) {
		return 0;
	}
	return crc == h->crc;
}

/* A record that passed its checks, before decoding. */
struct rr_cand {
	struct goshim_rec_hdr h;
};

struct rr_cands {
	struct rr_cand *v;
	size_t n, cap;
};

static int rr_cmp_pos(const void *x, const void *y)
{
	const struct rr_cand *a = x, *b = y;

	return a->h.pos < b->h.pos ? -1 : a->h.pos > b->h.pos;
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

/* Find every record: one candidate per granule. */
static int rr_scan(struct gs_ring_reader *r, const struct rr_area *a, struct rr_cands *c)
{
	uint64_t head = r->hdr_ok ? r->hdr.head : 0;

	for (uint64_t g = 0; g + GOSHIM_REC_HDR_SIZE <= a->avail; g += GOSHIM_RING_GRANULE) {
		struct goshim_rec_hdr h;

		memcpy(&h, a->data + g, sizeof(h));
		if (h.commit != GOSHIM_REC_COMMIT) {
			continue;
		}
		if (r->hdr_ok && (h.pos & (a->size - 1)) == g &&
		    h.pos < head && head - h.pos > a->size) {
			continue; /* an older lap's record, overwritten */
		}
		if (r->hdr_ok && h.pos >= head) {
			r->torn++; /* never reserved: corrupt */
			continue;
		}
		if (!rr_valid(a, g, &h) || (r->hdr_ok && rr_span(h.len) > head - h.pos)) {
			r->torn++;
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
		c->v[c->n++].h = h;
	}
	return 0;
}

/* Without a trustworthy head: the newest record found ends the ring; keep
 * what lies within one data_size of it. */
static void rr_window(struct rr_cands *c, uint64_t size)
{
	uint64_t head = 0;
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++) {
		uint64_t end = c->v[i].h.pos + rr_span(c->v[i].h.len);
		if (end > head) {
			head = end;
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		if (head - c->v[i].h.pos <= size) {
			c->v[k++] = c->v[i];
		}
	}
	c->n = k;
}

static int rr_decode_all(struct gs_ring_reader *r, const struct rr_area *a,
			 const struct rr_cands *c)
{
	struct rr_zstd z = { NULL, NULL, 0 };
	uint8_t *buf = malloc(GOSHIM_REC_MAX);
	uint64_t bad = 0;

	r->recs = calloc(c->n ? c->n : 1, sizeof(*r->recs));
	if (!buf || !r->recs) {
		free(buf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct goshim_rec_hdr *h = &c->v[i].h;
		struct gs_rec *rec = &r->recs[r->nrecs];
		uint32_t n = h->len - GOSHIM_REC_HDR_SIZE;
		char *err = NULL;

		if (i && c->v[i - 1].h.pos == h->pos) {
			continue;
		}
		rec->pos = h->pos;
		rec->type = h->type;
		rec->codec = h->codec;
		rec->engine = h->engine;
		rec->raw_len = h->raw_len;
		rec->count = GOSHIM_AGG_KEY(h->agg) == GOSHIM_AGG_KEY(GOSHIM_AGG_MAKE(h->pos, 0)) &&
			     GOSHIM_AGG_COUNT(h->agg) ? GOSHIM_AGG_COUNT(h->agg) : 1;
		rr_get(a, h->pos + GOSHIM_REC_HDR_SIZE, buf, n);
		rec->payload = rr_decode(r, &z, rec, buf, n, &err);
		if (!rec->payload) {
			bad++;
			rec->error = err;
			if (!err) {
				continue; /* not even the message could be allocated */
			}
		}
		r->nrecs++;
	}
	free(buf);
	ZSTD_freeDDict(z.ddict);
	ZSTD_freeDCtx(z.dctx);
	if (bad) {
		rr_issue(r, GS_RP_BAD_RECORD, bad,
			 "%" PRIu64 " record%s held payloads that did not decode", bad,
			 bad == 1 ? "" : "s");
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

int gs_ring_load_mem(struct gs_ring_reader *r, const uint8_t *buf, size_t len)
{
	const void *(*lookup)(uint32_t, size_t *) = r->dict_lookup;
	struct rr_cands c = { NULL, 0, 0 };
	struct rr_area a;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dict_lookup = lookup;
	r->fd = -1;
	r->map = buf;
	r->file_size = len;
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
	a.data = buf + GOSHIM_RING_HDR_SIZE;
	a.size = r->data_size;
	a.avail = len - GOSHIM_RING_HDR_SIZE;
	if (a.avail < a.size) {
		rr_issue(r, GS_RP_TRUNCATED, GOSHIM_RING_HDR_SIZE + a.size - len,
			 "file truncated: %zu of %" PRIu64 " bytes present; decoding the "
			 "records in what is left", len, GOSHIM_RING_HDR_SIZE + a.size);
	} else {
		a.avail = a.size;
	}
	ret = rr_scan(r, &a, &c);
	if (!ret) {
		if (r->torn) {
			rr_issue(r, GS_RP_TORN, r->torn, "%" PRIu64 " granule%s held torn "
				 "or corrupt records (checksum mismatch)", r->torn,
				 r->torn == 1 ? "" : "s");
		}
		if (c.n > 1) {
			qsort(c.v, c.n, sizeof(*c.v), rr_cmp_pos);
		}
		if (!r->hdr_ok) {
			rr_window(&c, a.size);
		}
		ret = rr_decode_all(r, &a, &c);
	}
	free(c.v);
	return ret;
}

int gs_ring_load_fd(struct gs_ring_reader *r, int fd, const struct stat *st)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = gs_ring_file_read(fd, st, &buf, &len);

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
