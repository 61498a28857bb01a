/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the ring tests: self-checking payloads, deterministic
 * randomness; the rest forwards to tests/lib. */
#ifndef GS_RINGTEST_H
#define GS_RINGTEST_H

#include <stddef.h>
#include <stdint.h>

#include "ring_hdr.h"
#include "ring_read.h"
#include "ring_write.h"
#include "tl_compat.h"
#include "tl_fs.h"
#include "tl_read.h"
#include "tl_ring.h"
#include "tl_run.h"


/* Build a TLV payload identifying (writer, seq) with `filler` bytes of
 * padding and a trailing crc field over everything before it.  Returns
 * the payload length (<= cap). */
size_t rt_payload(uint8_t *buf, size_t cap, uint32_t writer, uint64_t seq,
		  size_t filler);

/* Check a decoded payload made by rt_payload: 0 and the identity, or -1
 * when any byte is wrong. */
int rt_check(const uint8_t *buf, size_t len, uint32_t *writer, uint64_t *seq);

/* Write one rt_payload record (compressed with zstd when seq % 3 == 1).
 * Returns gs_ring_write's result. */
int64_t rt_write(struct gs_ring *r, uint32_t writer, uint64_t seq, size_t filler);

/* The same with a record type of the caller's choice. */
int64_t rt_write_type(struct gs_ring *r, uint16_t type, uint32_t writer, uint64_t seq,
		      size_t filler);

/* Create a minimum-size ring at path and write n rt_payload records of
 * varied sizes (writer 1, seq 0..n-1).  Returns the head position. */
uint64_t rt_make_ring(const char *path, uint64_t n, uint64_t seed);

/* A ring of data_size bytes (0: the default) attached at DIR/ring, DIR
 * a fresh rt_tmpdir, its path into path; returns DIR. */
const char *rt_ring_at(struct gs_ring *r, char *path, size_t size, uint64_t data_size);

/* Geometry of lane `lane` of an attached ring (lane 0 of a v1 ring). */
struct gs_lane rt_lane(const struct gs_ring *r, unsigned lane);

#endif
