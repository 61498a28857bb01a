/* SPDX-License-Identifier: Apache-2.0 */
#include "ring_hdr.h"

#include <stddef.h>

#include "crc32c.h"

uint32_t gs_ring_hdr_crc(const struct goshim_ring_hdr *h)
{
	return gs_crc32c(0, h, offsetof(struct goshim_ring_hdr, hdr_crc));
}

int gs_ring_size_ok(uint64_t v)
{
	return v >= GOSHIM_RING_MIN_DATA && v <= GOSHIM_RING_MAX_DATA &&
	       (v & (v - 1)) == 0;
}

enum gs_ring_problem gs_ring_hdr_check(const struct goshim_ring_hdr *h)
{
	for (int i = 0; i < 8; i++) {
		if (h->magic[i] != GOSHIM_RING_MAGIC[i]) {
			return GS_RP_FOREIGN;
		}
	}
	if (h->endian == __builtin_bswap32(GOSHIM_RING_ENDIAN)) {
		return GS_RP_ENDIAN;
	}
	if (h->version > GOSHIM_RING_VERSION) {
		return GS_RP_NEWER;
	}
	if (h->version == 0 || h->endian != GOSHIM_RING_ENDIAN || h->hdr_crc != gs_ring_hdr_crc(h) ||
	    h->hdr_size != GOSHIM_RING_HDR_SIZE || h->granule != GOSHIM_RING_GRANULE ||
	    !gs_ring_size_ok(h->data_size)) {
		return GS_RP_BAD_HDR;
	}
	return GS_RP_NONE;
}
