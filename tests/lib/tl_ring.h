/* SPDX-License-Identifier: Apache-2.0 */
/* Rings made by a test with the real writer (common/ring_write.h): a
 * record payload built field by field with the real encoder
 * (common/tlv.h), written RAW or zstd-compressed, aggregated. */
#ifndef GS_TL_RING_H
#define GS_TL_RING_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_write.h"
#include "tlv.h"

/* Create (or attach to) a ring of data_size bytes at path, mode 0600;
 * fails the test on error. */
void tl_ring_new(struct gs_ring *r, const char *path, uint64_t data_size);

/* tl_ring_new at dir/ring; returns that path (malloc'd). */
char *tl_ring_in(const char *dir, struct gs_ring *r, uint64_t data_size);

/* Write raw[0..len) as one record; codec GOSHIM_CODEC_ZSTD compresses it
 * with ZSTD_compress at zstd_level first (fails the test when zstd
 * fails).  Returns gs_ring_write's result. */
int64_t tl_ring_put(struct gs_ring *r, uint16_t type, uint16_t codec, uint32_t engine,
		    const void *raw, size_t len, int zstd_level);

/* A payload under construction (one record). */
struct tl_payload {
	struct gs_tlv t;
	uint8_t buf[GOSHIM_REC_RAW_MAX];
};

/* The identity fields every record starts with. */
struct tl_ident {
	uint64_t time_real;
	int64_t time_mono;     /* < 0: no T_TIME_MONO */
	uint32_t pid, tid;
	uint32_t ppid;         /* 0: no T_PPID */
	const char *exe;       /* NULL: no T_EXE */
};

void tl_payload_begin(struct tl_payload *p, const struct tl_ident *id);

/* Append the fields of a failed call: T_CALL, T_ERRNO, T_RET -1 and, when
 * path is not NULL, T_PATH. */
void tl_payload_failed(struct tl_payload *p, uint32_t call, int32_t err, const char *path);

/* Append a T_MODULE field (build_id may be NULL when build_id_len is 0). */
void tl_payload_module(struct tl_payload *p, uint64_t start, uint64_t end, uint64_t bias,
		       const uint8_t *build_id, unsigned build_id_len, const char *path);

/* Close the payload and write it (zstd level 3), then count the record
 * count times in all (gs_ring_agg_bump).  Fails the test when the
 * payload did not fit or the write failed; returns the position. */
int64_t tl_payload_write(struct tl_payload *p, struct gs_ring *r, uint16_t type,
			 uint16_t codec, uint32_t engine, uint32_t count);

#endif
