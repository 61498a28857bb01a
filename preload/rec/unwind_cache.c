/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A cache of the frame rows the walker computed, keyed by pc: the
 * common row (CFA = register + offset, the return address and the
 * callee-saved registers at CFA-relative offsets or kept, nothing else)
 * packed into 24 bytes, so that a repeated backtrace costs a hash probe
 * per frame instead of an FDE search and a CFI run.
 *
 * Shared by every thread and signal handler without a lock: each entry is
 * four words written and read with relaxed atomics, the last a checksum of
 * the other three.  A torn entry (two writers, or a reader between a
 * writer's stores) fails the checksum and is a miss.  An object unloaded
 * and another loaded at the same address can leave stale entries: they
 * cost wrong frames at worst, never a fault (every stack read is checked).
 */
#include "unwind.h"

#include "lazymem.h"

#define UC_SIZE   1024u          /* entries (32 KiB) */
#define UC_KEPT   0x80u          /* register kept (no rule)      */
#define UC_SALT   0x9e3779b97f4a7c15ull

struct uc_ent {
	uint64_t pc, d1, d2, chk;
};

/* struct uc_ent[UC_SIZE], mapped at the first use (lazymem.h) */
static void *uc_mem;

/* The registers a cached row describes, in d2's byte order. */
static const uint8_t uc_regs[] = { GS_UW_RA, 3, GS_UW_FP, 12, 13, 14, 15 };

static uint64_t uc_mix(uint64_t pc, uint64_t d1, uint64_t d2)
{
	uint64_t h = pc * UC_SALT ^ d1;

	h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull ^ d2;
	h = (h ^ (h >> 32)) * 0x94d049bb133111ebull;
	return h ^ (h >> 31) ^ UC_SALT;
}

/* pc's entry; NULL when the table cannot be mapped (every get a miss) */
static struct uc_ent *uc_slot(uint64_t pc)
{
	struct uc_ent *uc_tab = gs_lazymem(&uc_mem, UC_SIZE * sizeof(struct uc_ent));

	return uc_tab ? &uc_tab[(pc * UC_SALT) >> 54 & (UC_SIZE - 1)] : NULL;
}

int gs_uw_cache_get(uint64_t pc, struct gs_uw_crow *c)
{
	struct uc_ent *e = uc_slot(pc);

	if (!e) {
		return -1;
	}
	uint64_t p = __atomic_load_n(&e->pc, __ATOMIC_RELAXED);
	uint64_t d1 = __atomic_load_n(&e->d1, __ATOMIC_RELAXED);
	uint64_t d2 = __atomic_load_n(&e->d2, __ATOMIC_RELAXED);
	uint64_t chk = __atomic_load_n(&e->chk, __ATOMIC_RELAXED);

	if (p != pc || chk != uc_mix(p, d1, d2)) {
		return -1;
	}
	c->cfa_reg = (uint8_t)d1;
	c->cfa_off = (int32_t)(uint32_t)(d1 >> 32);
	for (unsigned i = 0; i < sizeof(uc_regs); i++) {
		c->off[i] = (uint8_t)(d2 >> (8 * i));
	}
	return 0;
}

void gs_uw_cache_put(uint64_t pc, const struct gs_uw_row *row)
{
	uint64_t d1, d2 = 0;
	uint32_t tracked = 0;

	if (row->cfa.how != GS_UW_REG || row->cfa.off != (int32_t)row->cfa.off) {
		return;
	}
	for (unsigned i = 0; i < sizeof(uc_regs); i++) {
		const struct gs_uw_rule *r = &row->reg[uc_regs[i]];
		uint64_t b;

		tracked |= 1u << uc_regs[i];
		if (r->how == GS_UW_OFF && r->off % 8 == 0 && r->off / 8 > -128 &&
		    r->off / 8 < 128) {
			b = (uint8_t)(int8_t)(r->off / 8);
		} else if ((r->how == GS_UW_DEFAULT || r->how == GS_UW_SAME) &&
			   uc_regs[i] != GS_UW_RA) {
			b = UC_KEPT;
		} else {
			return;
		}
		d2 |= b << (8 * i);
	}
	for (unsigned i = 0; i < GS_UW_NREG; i++) {
		if (!(tracked & (1u << i)) && row->reg[i].how != GS_UW_DEFAULT &&
		    !(row->reg[i].how == GS_UW_UNDEF && i != GS_UW_SP)) {
			return;
		}
	}
	d1 = row->cfa.reg | (uint64_t)(uint32_t)(int32_t)row->cfa.off << 32;

	struct uc_ent *e = uc_slot(pc);
	if (!e) {
		return;
	}
	__atomic_store_n(&e->chk, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->pc, pc, __ATOMIC_RELAXED);
	__atomic_store_n(&e->d1, d1, __ATOMIC_RELAXED);
	__atomic_store_n(&e->d2, d2, __ATOMIC_RELAXED);
	__atomic_store_n(&e->chk, uc_mix(pc, d1, d2), __ATOMIC_RELAXED);
}

int gs_uw_cache_apply(const struct gs_uw_crow *c, struct gs_uw_regs *r,
		      struct gs_uw_work *w)
{
	struct gs_uw_regs old = *r;
	uint64_t cfa;

	if (!(old.known & (1u << c->cfa_reg))) {
		return -1;
	}
	cfa = old.r[c->cfa_reg] + (uint64_t)(int64_t)c->cfa_off;
	r->known = 0;
	for (unsigned i = 0; i < sizeof(uc_regs); i++) {
		unsigned reg = uc_regs[i];
		if (c->off[i] == UC_KEPT) {
			r->r[reg] = old.r[reg];
			r->known |= old.known & (1u << reg);
		} else if (gs_uw_read(w, cfa + (uint64_t)(int64_t)(int8_t)c->off[i] * 8,
				      &r->r[reg]) == 0) {
			r->known |= 1u << reg;
		}
	}
	r->r[GS_UW_SP] = cfa;
	r->known |= 1u << GS_UW_SP;
	if (!(r->known & (1u << GS_UW_RA)) || cfa <= old.r[GS_UW_SP]) {
		return -1;
	}
	return 0;
}
