/* SPDX-License-Identifier: Apache-2.0 */
/* Ring header checks shared by the writer and the reader. */
#ifndef GS_RING_HDR_H
#define GS_RING_HDR_H

#include <stdint.h>
#include "goshim/ring.h"
#include "ring_read.h"

/* crc32c of bytes [0, 200) of the header: the value hdr_crc must hold. */
uint32_t gs_ring_hdr_crc(const struct goshim_ring_hdr *h);

/* Whether a header is a usable v1 ring header: GS_RP_NONE, or the first
 * problem found, checked in this order: GS_RP_FOREIGN (magic), GS_RP_ENDIAN
 * (byte order), GS_RP_NEWER (version above GOSHIM_RING_VERSION), GS_RP_BAD_HDR
 * (version 0, checksum, hdr_size, granule or data_size not a power of two
 * within [GOSHIM_RING_MIN_DATA, GOSHIM_RING_MAX_DATA]).  Async-signal-safe. */
enum gs_ring_problem gs_ring_hdr_check(const struct goshim_ring_hdr *h);

/* Whether v is a valid data_size: a power of two within the limits. */
int gs_ring_size_ok(uint64_t v);

#endif
