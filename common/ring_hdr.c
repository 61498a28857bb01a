/* SPDX-License-Identifier: Apache-2.0 */
#include "ring_hdr.h"

#include <stddef.h>

#include "crc32c.h"

uint32_t gs_ring_hdr_crc(const struct goshim_ring_hdr *h)
{
	size_t at = offsetof(struct goshim_ring_hdr, hdr_crc);
	uint32_t crc = gs_crc32c(0, h, at);

	if (h->version >= 2) {
		size_t from = at + sizeof(h->hdr_crc);
		crc = gs_crc32c(crc, (const uint8_t *)h + from,
				offsetof(struct goshim_ring_hdr, head) - from);
	}
	return crc;
}

int gs_ring_size_ok(uint64_t v)
{
	return v >= GOSHIM_RING_MIN_DATA && v <= GOSHIM_RING_MAX_DATA &&
	       (v & (v - 1)) == 0;
}

static int rh_lanes_ok(uint32_t n, const uint32_t *granules, uint64_t data_size)
{
	uint64_t sum = 0;

	if (n < 1 || n > GOSHIM_RING_LANES_MAX) {
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t sz = (uint64_t)granules[i] * GOSHIM_RING_GRANULE;
		if (sz < GOSHIM_REC_MAX) {
			return 0;
		}
		sum += sz;
	}
	return sum == data_size;
}

int gs_ring_lanes_ok(const struct goshim_ring_hdr *h, uint64_t data_size)
{
	return rh_lanes_ok(h->nlanes, h->lane_granules, data_size);
}

unsigned gs_ring_lanes(const struct goshim_ring_hdr *h, uint64_t data_size,
		       struct gs_lane l[GOSHIM_RING_LANES_MAX])
{
	/* one read of each field into a copy: the mapped header may be
	 * changing under us, the copy is what gets checked and used */
	uint32_t g[GOSHIM_RING_LANES_MAX];
	uint32_t version = __atomic_load_n(&h->version, __ATOMIC_RELAXED);
	uint32_t n = __atomic_load_n(&h->nlanes, __ATOMIC_RELAXED);
	uint64_t base = 0;

	for (unsigned i = 0; i < GOSHIM_RING_LANES_MAX; i++) {
		g[i] = __atomic_load_n(&h->lane_granules[i], __ATOMIC_RELAXED);
	}
	if (version < 2 || !rh_lanes_ok(n, g, data_size)) {
		l[0].base = 0;
		l[0].size = data_size;
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		l[i].base = base;
		l[i].size = (uint64_t)g[i] * GOSHIM_RING_GRANULE;
		base += l[i].size;
	}
	return n;
}

void gs_ring_lanes_default(struct goshim_ring_hdr *h, uint64_t data_size)
{
	uint64_t g = data_size / GOSHIM_RING_GRANULE, min = GOSHIM_REC_MAX / GOSHIM_RING_GRANULE;
	uint64_t proc = g * GOSHIM_LANE_SHARE_PROCESS / 64;
	uint64_t vital = g * GOSHIM_LANE_SHARE_VITAL / 64;

	proc = proc < min ? min : proc;
	vital = vital < min ? min : vital;
	h->nlanes = GOSHIM_LANES_DEFAULT;
	h->lane_granules[GOSHIM_LANE_ROUTINE] = (uint32_t)(g - proc - vital);
	h->lane_granules[GOSHIM_LANE_PROCESS] = (uint32_t)proc;
	h->lane_granules[GOSHIM_LANE_VITAL] = (uint32_t)vital;
}

uint64_t *gs_ring_lane_head(struct goshim_ring_hdr *h, unsigned i)
{
	return i ? &h->lane[i - 1].head : &h->head;
}

uint64_t *gs_ring_lane_committed(struct goshim_ring_hdr *h, unsigned i)
{
	return i ? &h->lane[i - 1].committed : NULL;
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
	    !gs_ring_size_ok(h->data_size) ||
	    (h->version >= 2 && !gs_ring_lanes_ok(h, h->data_size))) {
		return GS_RP_BAD_HDR;
	}
	return GS_RP_NONE;
}
