/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_ring.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <zstd.h>

void tl_ring_new(struct gs_ring *r, const char *path, uint64_t data_size)
{
	int rc = gs_ring_attach(r, path, data_size, 0600, 0);

	cr_assert_eq(rc, 0, "gs_ring_attach(%s): %s", path, strerror(-rc));
}

char *tl_ring_in(const char *dir, struct gs_ring *r, uint64_t data_size)
{
	char *path;

	cr_assert(asprintf(&path, "%s/ring", dir) > 0);
	tl_ring_new(r, path, data_size);
	return path;
}

int64_t tl_ring_put(struct gs_ring *r, uint16_t type, uint16_t codec, uint32_t engine,
		    const void *raw, size_t len, int zstd_level)
{
	uint8_t z[GOSHIM_REC_MAX];
	size_t zl;

	if (codec != GOSHIM_CODEC_ZSTD) {
		return gs_ring_write(r, type, codec, engine, raw, (uint32_t)len, (uint32_t)len);
	}
	zl = ZSTD_compress(z, sizeof(z), raw, len, zstd_level);
	cr_assert(!ZSTD_isError(zl), "ZSTD_compress: %s", ZSTD_getErrorName(zl));
	return gs_ring_write(r, type, codec, engine, z, (uint32_t)zl, (uint32_t)len);
}

void tl_payload_begin(struct tl_payload *p, const struct tl_ident *id)
{
	gs_tlv_init(&p->t, p->buf, sizeof(p->buf));
	gs_tlv_u64(&p->t, GOSHIM_T_TIME_REAL, id->time_real);
	if (id->time_mono >= 0) {
		gs_tlv_u64(&p->t, GOSHIM_T_TIME_MONO, (uint64_t)id->time_mono);
	}
	gs_tlv_u32(&p->t, GOSHIM_T_PID, id->pid);
	gs_tlv_u32(&p->t, GOSHIM_T_TID, id->tid);
	if (id->ppid) {
		gs_tlv_u32(&p->t, GOSHIM_T_PPID, id->ppid);
	}
	gs_tlv_str(&p->t, GOSHIM_T_EXE, id->exe);
}

void tl_payload_failed(struct tl_payload *p, uint32_t call, int32_t err, const char *path)
{
	gs_tlv_u32(&p->t, GOSHIM_T_CALL, call);
	gs_tlv_i32(&p->t, GOSHIM_T_ERRNO, err);
	gs_tlv_i64(&p->t, GOSHIM_T_RET, -1);
	if (path) {
		gs_tlv_str(&p->t, GOSHIM_T_PATH, path);
	}
}

void tl_payload_module(struct tl_payload *p, uint64_t start, uint64_t end, uint64_t bias,
		       const uint8_t *build_id, unsigned build_id_len, const char *path)
{
	uint8_t b[sizeof(struct goshim_t_module) + 1024];
	struct goshim_t_module m = { .start = start, .end = end, .bias = bias };
	size_t pl = strlen(path);

	cr_assert_leq(pl, 1024);
	m.build_id_len = (uint8_t)build_id_len;
	if (build_id_len) {
		memcpy(m.build_id, build_id, build_id_len);
	}
	memcpy(b, &m, sizeof(m));
	memcpy(b + sizeof(m), path, pl);
	cr_assert_eq(gs_tlv_put(&p->t, GOSHIM_T_MODULE, b, sizeof(m) + pl), 0);
}

int64_t tl_payload_write(struct tl_payload *p, struct gs_ring *r, uint16_t type,
			 uint16_t codec, uint32_t engine, uint32_t count)
{
	int64_t pos;

	gs_tlv_finish(&p->t);
	cr_assert_eq(p->t.full, 0, "test payload did not fit");
	pos = tl_ring_put(r, type, codec, engine, p->buf, p->t.len, 3);
	cr_assert_geq(pos, 0, "gs_ring_write failed");
	for (uint32_t i = 1; i < count; i++) {
		cr_assert_eq(gs_ring_agg_bump(r, (uint64_t)pos), 0);
	}
	return pos;
}
