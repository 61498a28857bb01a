/* SPDX-License-Identifier: Apache-2.0 */
/* Ring header checks and lane geometry, shared by the writer and the
 * reader.  Async-signal-safe. */
#ifndef GS_RING_HDR_H
#define GS_RING_HDR_H

#include <stdint.h>
#include "goshim/ring.h"
#include "ring_read.h"

/* The value hdr_crc must hold: crc32c of bytes [0, 200) for a version 1
 * header; for version 2 and later, of [0, 200) then [204, 256) (the lane
 * table). */
uint32_t gs_ring_hdr_crc(const struct goshim_ring_hdr *h);

/* Whether a header is a usable ring header (version 1 or 2): GS_RP_NONE, or
 * the first problem found, checked in this order: GS_RP_FOREIGN (magic),
 * GS_RP_ENDIAN (byte order), GS_RP_NEWER (version above
 * GOSHIM_RING_VERSION), GS_RP_BAD_HDR (version 0, checksum, hdr_size,
 * granule, data_size not a power of two within [GOSHIM_RING_MIN_DATA,
 * GOSHIM_RING_MAX_DATA], or a v2 lane table that is not valid for
 * data_size: see gs_ring_lanes). */
enum gs_ring_problem gs_ring_hdr_check(const struct goshim_ring_hdr *h);

/* Whether v is a valid data_size: a power of two within the limits. */
int gs_ring_size_ok(uint64_t v);

/* One lane of the data area, in bytes: [base, base + size). */
struct gs_lane {
	uint64_t base;
	uint64_t size;
};

/* The lanes of a ring whose data area is data_size bytes (the caller's
 * own, trusted copy): from a version 2 header's lane table when that
 * table is valid — 1..GOSHIM_RING_LANES_MAX lanes of at least
 * GOSHIM_REC_MAX bytes each, granule multiples by construction, adding up
 * to exactly data_size — else (version 1, or a damaged table) one lane of
 * data_size.  Fills l[0..n) and returns n; every lane lies within the data
 * area whatever the header holds. */
unsigned gs_ring_lanes(const struct goshim_ring_hdr *h, uint64_t data_size,
		       struct gs_lane l[GOSHIM_RING_LANES_MAX]);

/* Whether h's version 2 lane table is valid for data_size. */
int gs_ring_lanes_ok(const struct goshim_ring_hdr *h, uint64_t data_size);

/* Fill h's lane table with the lanes a new ring of data_size bytes gets
 * (enum goshim_lane; shares GOSHIM_LANE_SHARE_*). */
void gs_ring_lanes_default(struct goshim_ring_hdr *h, uint64_t data_size);

/* The head and committed counters of lane i of a mapped ring (lane 0:
 * hdr->head and NULL, its count being hdr->committed minus the others'). */
uint64_t *gs_ring_lane_head(struct goshim_ring_hdr *h, unsigned i);
uint64_t *gs_ring_lane_committed(struct goshim_ring_hdr *h, unsigned i);

#endif
