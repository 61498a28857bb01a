/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Payload codec: zstd with a static context in the slot (no allocation).
 *
 * Parameters, measured on real records (median raw payload ~500 bytes,
 * see the recorder's report): strategy fast, windowLog 14 (records are
 * below 16 KiB), hashLog 10, literals left raw.  Huffman-coding the
 * literals and larger hash tables (levels 1 and 3 as zstd picks them)
 * gave the same ratio (0.72 vs 0.71) at 3-4x the time (4.9-8 us vs
 * 1.7 us per record): each frame rebuilds its tables from scratch, which
 * dominates for records this small.  A dictionary (gs_zstd_dict) is the
 * way to a better ratio.  A payload that does not shrink is stored raw.
 */
#define ZSTD_STATIC_LINKING_ONLY
#include "rec.h"

#include <sys/mman.h>
#include <zstd.h>

#include "dict.h"
#include "sys.h"

/* The static libzstd carries weak undefined references to these tracing
 * hooks; defining them here (hidden, doing nothing) binds them inside
 * libgoshim.so so the host can never supply them. */
GS_HIDDEN unsigned long long ZSTD_trace_compress_begin(const void *cctx);
GS_HIDDEN void ZSTD_trace_compress_end(unsigned long long ctx, const void *trace);

unsigned long long ZSTD_trace_compress_begin(const void *cctx)
{
	(void)cctx;
	return 0;
}

void ZSTD_trace_compress_end(unsigned long long ctx, const void *trace)
{
	(void)ctx;
	(void)trace;
}

static ZSTD_compressionParameters cz_params(void)
{
	ZSTD_compressionParameters p = {
		.windowLog = 14, .chainLog = 10, .hashLog = 10, .searchLog = 1,
		.minMatch = 4, .targetLength = 0, .strategy = ZSTD_fast,
	};
	return p;
}

size_t gs_zstd_workspace_size(void)
{
	return ZSTD_estimateCCtxSize_usingCParams(cz_params());
}

void *gs_zstd_init(void *ws, size_t size)
{
	ZSTD_CCtx *z = ZSTD_initStaticCCtx(ws, size);
	ZSTD_compressionParameters p = cz_params();
	const struct { ZSTD_cParameter k; int v; } set[] = {
		{ ZSTD_c_windowLog, (int)p.windowLog },
		{ ZSTD_c_chainLog, (int)p.chainLog },
		{ ZSTD_c_hashLog, (int)p.hashLog },
		{ ZSTD_c_searchLog, (int)p.searchLog },
		{ ZSTD_c_minMatch, (int)p.minMatch },
		{ ZSTD_c_targetLength, (int)p.targetLength },
		{ ZSTD_c_strategy, (int)p.strategy },
		{ ZSTD_c_literalCompressionMode, ZSTD_ps_disable },
		{ ZSTD_c_checksumFlag, 0 },
		{ ZSTD_c_contentSizeFlag, 1 },
	};

	if (!z) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		if (ZSTD_isError(ZSTD_CCtx_setParameter(z, set[i].k, set[i].v))) {
			return NULL;
		}
	}
	return z;
}

/* The digested dictionary, built once in gs_setup (in its own mapping:
 * no allocation) and shared read-only by every slot's context. */
static const ZSTD_CDict *cz_cdict;

static const ZSTD_CDict *cz_build_cdict(void)
{
	ZSTD_compressionParameters p = cz_params();
	size_t size = ZSTD_estimateCDictSize_advanced(gs_dict_len, p, ZSTD_dlm_byRef);
	long ws = gs_sys6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if ((unsigned long)ws > -4096ul) {
		return NULL;
	}
	const ZSTD_CDict *d = ZSTD_initStaticCDict((void *)ws, size, gs_dict_bytes,
						   gs_dict_len, ZSTD_dlm_byRef,
						   ZSTD_dct_fullDict, p);
	if (!d) {
		gs_sys2(SYS_munmap, ws, size);
	}
	return d;
}

const void *gs_zstd_dict(size_t *len, uint32_t *id)
{
	if (!cz_cdict) {
		cz_cdict = cz_build_cdict();
	}
	*len = cz_cdict ? gs_dict_len : 0;
	*id = cz_cdict ? GS_DICT_ID : 0;
	return cz_cdict ? gs_dict_bytes : NULL;
}

uint16_t gs_compress(struct gs_slot *s, size_t raw_len,
		     const void **payload, size_t *len)
{
	*payload = s->raw;
	*len = raw_len;
	if (!s->cctx) {
		return GOSHIM_CODEC_RAW;
	}
	/* The dictionary is used only when the ring names it: a ring created
	 * by another goshim build may carry another id (or none). */
	const ZSTD_CDict *d = cz_cdict && gs_rec.ring.hdr &&
			      gs_rec.ring.hdr->dict_id == GS_DICT_ID ? cz_cdict : NULL;
	size_t n = d ? ZSTD_compress_usingCDict(s->cctx, s->out, sizeof(s->out),
						s->raw, raw_len, d)
		     : ZSTD_compress2(s->cctx, s->out, sizeof(s->out), s->raw, raw_len);
	if (ZSTD_isError(n) || n >= raw_len) {
		return GOSHIM_CODEC_RAW;
	}
	*payload = s->out;
	*len = n;
	return d ? GOSHIM_CODEC_DICT : GOSHIM_CODEC_ZSTD;
}

int64_t gs_rec_write(struct gs_slot *s, uint16_t type, size_t raw_len)
{
	const void *p;
	size_t len;
	uint16_t codec = gs_compress(s, raw_len, &p, &len);

	return gs_ring_write(&gs_rec.ring, type, codec, GOSHIM_ENGINE_PRELOAD,
			     p, (uint32_t)len, (uint32_t)raw_len);
}

int64_t gs_rec_emit(struct gs_slot *s, uint16_t type, struct gs_tlv *t)
{
	gs_tlv_finish(t);
	return gs_rec_write(s, type, t->len);
}
