/* SPDX-License-Identifier: Apache-2.0 */
/* Writing records: identity fields, zstd, the ring, aggregation, repeats
 * across processes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zstd.h>

#include "dict.h"
#include "goshim/record.h"
#include "repeat.h"
#include "tr.h"

#define EM_LEVEL   3
#define AGG_SLOTS  4096u   /* power of two; a lost slot costs one record */
#define REP_SLOTS  4096u   /* power of two */

struct tr_ctx tr;

static ZSTD_CCtx *em_cctx;
static ZSTD_CDict *em_cdict;
static uint8_t em_zbuf[GOSHIM_REC_MAX];

static struct {
	uint64_t key;
	int64_t pos;
} em_agg[AGG_SLOTS];

/* Cross-process repeats (common/repeat.h): the last whole record written
 * for each repeat key, by the key's low bits: bigger and exact, where the
 * ring's shared index (which the preloaded processes use too) is small. */
static struct {
	uint64_t key;
	uint64_t pos;
} em_rep[REP_SLOTS];

static void em_dbg(int level, const char *fmt, va_list ap)
{
	if (tr.verbose >= level) {
		fputs("goshim-trace: ", stderr);
		vfprintf(stderr, fmt, ap);
	}
}

void tr_dbg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	em_dbg(1, fmt, ap);
	va_end(ap);
}

void tr_dbg2(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	em_dbg(2, fmt, ap);
	va_end(ap);
}

static uint64_t em_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void tr_rec_begin(struct gs_tlv *t, void *buf, size_t cap, pid_t pid,
		  pid_t tid, pid_t ppid)
{
	tr_rec_begin_exe(t, buf, cap, pid, tid, ppid, NULL);
}

void tr_rec_begin_exe(struct gs_tlv *t, void *buf, size_t cap, pid_t pid,
		      pid_t tid, pid_t ppid, const char *known)
{
	char exe[4096];

	gs_tlv_init(t, buf, cap);
	gs_tlv_u64(t, GOSHIM_T_TIME_REAL, em_ns(CLOCK_REALTIME));
	gs_tlv_u64(t, GOSHIM_T_TIME_MONO, em_ns(CLOCK_MONOTONIC));
	if (pid <= 0) {
		return;
	}
	gs_tlv_u32(t, GOSHIM_T_PID, (uint32_t)pid);
	gs_tlv_u32(t, GOSHIM_T_TID, (uint32_t)(tid > 0 ? tid : pid));
	if (ppid > 0) {
		gs_tlv_u32(t, GOSHIM_T_PPID, (uint32_t)ppid);
	}
	if (known) {
		if (known[0]) {
			gs_tlv_str(t, GOSHIM_T_EXE, known);
		}
	} else if (tr_proc_link(tid > 0 ? tid : pid, "exe", exe, sizeof(exe)) == 0) {
		gs_tlv_str(t, GOSHIM_T_EXE, exe);
	}
}

/* Compress and write a finished payload. */
static int64_t em_write(const struct gs_tlv *t, uint16_t type)
{
	uint16_t codec = GOSHIM_CODEC_RAW;
	const void *out = t->buf;
	size_t len = t->len;
	int64_t pos;

	if (!em_cctx) {
		em_cctx = ZSTD_createCCtx();
	}
	/* The dictionary only where the ring names it (one the engine created;
	 * a ring made by another build may name another or none). */
	if (!em_cdict && tr.ring.hdr && tr.ring.hdr->dict_id == GS_DICT_ID) {
		em_cdict = ZSTD_createCDict(gs_dict_bytes, gs_dict_len, EM_LEVEL);
	}
	const ZSTD_CDict *d = em_cdict && tr.ring.hdr->dict_id == GS_DICT_ID ? em_cdict : NULL;
	if (em_cctx) {
		size_t z = d ? ZSTD_compress_usingCDict(em_cctx, em_zbuf, sizeof(em_zbuf),
							t->buf, t->len, d)
			     : ZSTD_compressCCtx(em_cctx, em_zbuf, sizeof(em_zbuf),
						 t->buf, t->len, EM_LEVEL);

		if (!ZSTD_isError(z) && z < t->len) {
			codec = d ? GOSHIM_CODEC_DICT : GOSHIM_CODEC_ZSTD;
			out = em_zbuf;
			len = z;
		}
	}
	pos = gs_ring_write(&tr.ring, type, codec, GOSHIM_ENGINE_TRACE, out,
			    (uint32_t)len, (uint32_t)t->len);
	if (pos >= 0 && tr.st) {
		tr.st->records++;
	}
	return pos;
}

int64_t tr_rec_emit(struct gs_tlv *t, uint16_t type)
{
	if (!tr.ring_ok) {
		return -1;
	}
	gs_tlv_finish(t);
	return em_write(t, type);
}

int64_t tr_rec_emit_event(struct gs_tlv *t)
{
	static uint8_t rbuf[GOSHIM_REC_MAX];
	struct gs_tlv r;
	uint64_t key, orig;
	unsigned i;
	int64_t pos;

	if (!tr.ring_ok) {
		return -1;
	}
	gs_tlv_finish(t);
	key = gs_repeat_key(t->buf, t->len);
	i = (unsigned)(key & (REP_SLOTS - 1));
	orig = em_rep[i].pos;
	if ((em_rep[i].key == key && gs_ring_recent(&tr.ring, orig)) ||
	    gs_ring_repeat_find(&tr.ring, key, &orig) == 0) {
		gs_tlv_init(&r, rbuf, sizeof(rbuf));
		gs_repeat_put(&r, t->buf, t->len, orig);
		pos = em_write(&r, GOSHIM_REC_EVENT);
		if (pos >= 0) {
			gs_ring_count_repeat(&tr.ring);
			if (tr.st) {
				tr.st->repeats++;
			}
		}
		return pos;
	}
	pos = em_write(t, GOSHIM_REC_EVENT);
	if (pos >= 0) {
		em_rep[i].key = key;
		em_rep[i].pos = (uint64_t)pos;
		gs_ring_repeat_store(&tr.ring, key, (uint64_t)pos);
	}
	return pos;
}

void tr_note(pid_t pid, const char *fmt, ...)
{
	uint8_t buf[4096];
	char text[GOSHIM_STR_MAX];
	struct gs_tlv t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	tr_dbg("%s\n", text);
	tr_rec_begin(&t, buf, sizeof(buf), pid, pid, 0);
	gs_tlv_str(&t, GOSHIM_T_NOTE, text);
	tr_rec_emit(&t, GOSHIM_REC_NOTE);
}

uint64_t tr_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (!h) {
		h = 0xcbf29ce484222325ull;
	}
	while (n--) {
		h = (h ^ *b++) * 0x100000001b3ull;
	}
	return h;
}

int tr_agg_add(uint64_t key, uint64_t n)
{
	unsigned i = (unsigned)(key & (AGG_SLOTS - 1));

	if (em_agg[i].key != key || em_agg[i].pos < 0 || !tr.ring_ok) {
		return 0;
	}
	return gs_ring_agg_add(&tr.ring, (uint64_t)em_agg[i].pos, n) == 0;
}

int tr_agg_bump(uint64_t key)
{
	return tr_agg_add(key, 1);
}

int tr_agg_known(uint64_t key)
{
	unsigned i = (unsigned)(key & (AGG_SLOTS - 1));

	return em_agg[i].key == key && em_agg[i].pos >= 0 && tr.ring_ok &&
	       gs_ring_agg_live(&tr.ring, (uint64_t)em_agg[i].pos);
}

void tr_agg_store(uint64_t key, int64_t pos)
{
	unsigned i = (unsigned)(key & (AGG_SLOTS - 1));

	em_agg[i].key = key;
	em_agg[i].pos = pos;
}
