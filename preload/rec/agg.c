/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Folding repeated identical failures (same process, caller PC, call,
 * errno, path or name, and for an mmap its class: common/mmclass.h) into
 * the record written the first time.
 *
 * A fixed open-addressing table of 64-bit words, each
 *   (32-bit key hash) << 32 | (low 32 bits of the record's granule index),
 * claimed and replaced with compare-and-swap: no locks, and a reader never
 * sees a hash paired with another entry's position.  The full position is
 * rebuilt from the ring head (records are always behind it).  The pid is
 * part of the key, so a fork or vfork child never matches its parent's
 * entries and the table needs no reset.  A 32-bit hash collision folds two
 * different failures: about one in 4e9 pairs, accepted.
 */
#include "rec.h"

#include "lazymem.h"
#include "mmclass.h"

#define AG_SIZE   1024u
#define AG_PROBES 8u

/* uint64_t[AG_SIZE], mapped at the first failure (lazymem.h) */
static void *ag_mem;

static uint64_t ag_mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ull;
	}
	return h;
}

uint64_t gs_agg_key(const struct gs_call *c, uint32_t pid)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uintptr_t pc = (uintptr_t)c->caller;
	const char *s = c->path ? c->path : c->name;

	h = ag_mix(h, &pid, sizeof(pid));
	h = ag_mix(h, &pc, sizeof(pc));
	h = ag_mix(h, &c->call, sizeof(c->call));
	h = ag_mix(h, &c->err, sizeof(c->err));
	if (c->present & GS_A_MMAP) {
		uint32_t mc = gs_mmap_class(c->length, c->flags);
		h = ag_mix(h, &mc, sizeof(mc));
	}
	if (s) {
		h = ag_mix(h, s, gs_strlen(s));
	}
	uint32_t k = (uint32_t)(h ^ (h >> 32));
	return k ? k : 1;
}

static uint64_t ag_pos(uint32_t gidx)
{
	uint64_t head = __atomic_load_n(&gs_rec.ring.hdr->head, __ATOMIC_RELAXED);
	uint64_t hg = head / GOSHIM_RING_GRANULE;
	uint64_t back = (uint32_t)((uint32_t)hg - gidx);

	return (hg - back) * GOSHIM_RING_GRANULE;
}

int gs_agg_hit(uint64_t key)
{
	uint64_t *ag_table = gs_lazymem(&ag_mem, AG_SIZE * sizeof(uint64_t));
	unsigned i = (unsigned)key % AG_SIZE;

	if (!ag_table) {
		return 0;
	}
	for (unsigned n = 0; n < AG_PROBES; n++, i = (i + 1) % AG_SIZE) {
		uint64_t w = __atomic_load_n(&ag_table[i], __ATOMIC_ACQUIRE);
		if (!w) {
			return 0;
		}
		if ((w >> 32) == key) {
			return gs_ring_agg_bump(&gs_rec.ring, ag_pos((uint32_t)w)) == 0;
		}
	}
	return 0;
}

void gs_agg_store(uint64_t key, uint64_t pos)
{
	uint64_t *ag_table = gs_lazymem(&ag_mem, AG_SIZE * sizeof(uint64_t));
	uint64_t nw = key << 32 | (uint32_t)(pos / GOSHIM_RING_GRANULE);
	unsigned i = (unsigned)key % AG_SIZE;
	unsigned victim = i;

	if (!ag_table) {
		return;
	}
	for (unsigned n = 0; n < AG_PROBES; n++, i = (i + 1) % AG_SIZE) {
		uint64_t w = __atomic_load_n(&ag_table[i], __ATOMIC_RELAXED);
		if (w && (w >> 32) != key) {
			continue;
		}
		if (__atomic_compare_exchange_n(&ag_table[i], &w, nw, 0,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
			return;
		}
	}
	/* Neighbourhood full: evict the home entry. */
	__atomic_store_n(&ag_table[victim], nw, __ATOMIC_RELEASE);
}
