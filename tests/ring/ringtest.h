/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the ring tests: scratch directories, self-checking
 * payloads, deterministic randomness. */
#ifndef GS_RINGTEST_H
#define GS_RINGTEST_H

#include <stddef.h>
#include <stdint.h>

#include "ring_hdr.h"
#include "ring_read.h"
#include "ring_write.h"

/* A fresh directory under /tmp (mode 0700); the path is static storage
 * valid until the next call.  Aborts the test on failure. */
const char *rt_tmpdir(void);

/* Remove a directory tree made by rt_tmpdir (best effort). */
void rt_rmtree(const char *dir);

/* xorshift64*: deterministic, seedable. */
uint64_t rt_rand(uint64_t *state);

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

/* Geometry of lane `lane` of an attached ring (lane 0 of a v1 ring). */
struct gs_lane rt_lane(const struct gs_ring *r, unsigned lane);

/* Read a whole file into a malloc'd buffer; *len gets its size. */
uint8_t *rt_slurp(const char *path, size_t *len);

/* Write buf to path (created 0600, truncated). */
void rt_spit(const char *path, const void *buf, size_t len);

/* Whether r->issues holds problem `what`. */
int rt_has_issue(const struct gs_ring_reader *r, enum gs_ring_problem what);

/* The unprivileged uid/gid tests switch to ("nobody", 65534). */
#define RT_NOBODY 65534

/* Run fn(arg) as uid/gid RT_NOBODY in a child; returns its exit status
 * (100: the ids could not be changed). */
int rt_as_nobody(int (*fn)(const char *), const char *arg);

#endif
