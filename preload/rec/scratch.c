/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scratch slots: the only memory the recorder writes besides its globals.
 * A pool that grows on demand: an entry is claimed with a compare-and-swap
 * try-lock, and its slot mapped with a raw mmap the first time the entry
 * is claimed, then kept for reuse.  A thread holds at most one slot (the
 * nesting guard keeps a signal handler that interrupts a recording from
 * recording), so the pool grows to the number of threads that were ever
 * recording at the same instant; a claim never waits (signal handlers,
 * vfork children), it takes the first free entry, mapping a new one when
 * every mapped slot is busy.
 *
 * The bound, SC_SLOTS: 1024 threads failing at the same instant, at most
 * 1024 slots of ~0.3 MiB (sc_size(): payload buffers, path buffers, the
 * zstd workspace), ~300 MiB in the worst case and one slot per recording
 * thread in practice.  Beyond it (or when mmap fails) the recording is
 * dropped and counted.  A fork child inherits the pool, slots and all.
 */
#include "rec.h"

#include <sys/mman.h>

#include "lazymem.h"
#include "sys.h"

#define SC_SLOTS GS_SLOTS_MAX
#define SC_ALIGN 64u

struct sc_entry {
	int busy;
	struct gs_slot *mem;
};

/* struct sc_entry[SC_SLOTS], mapped with the first slot (lazymem.h) */
static void *sc_mem;

static size_t sc_size(void)
{
	size_t head = (sizeof(struct gs_slot) + SC_ALIGN - 1) & ~(size_t)(SC_ALIGN - 1);

	return (head + gs_zstd_workspace_size() + 4095) & ~(size_t)4095;
}

static struct gs_slot *sc_map(unsigned idx)
{
	size_t size = sc_size();
	size_t head = (sizeof(struct gs_slot) + SC_ALIGN - 1) & ~(size_t)(SC_ALIGN - 1);
	long p = gs_sys6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if ((unsigned long)p > -4096ul) {
		return NULL;
	}
	struct gs_slot *s = (struct gs_slot *)p;
	s->pool_idx = idx;
	s->cctx = gs_zstd_init((char *)p + head, size - head);
	return s;
}

struct gs_slot *gs_slot_claim(void)
{
	struct sc_entry *sc_pool = gs_lazymem(&sc_mem, SC_SLOTS * sizeof(struct sc_entry));

	for (unsigned i = 0; sc_pool && i < SC_SLOTS; i++) {
		struct sc_entry *e = &sc_pool[i];
		int free = 0;

		if (__atomic_load_n(&e->busy, __ATOMIC_RELAXED) ||
		    !__atomic_compare_exchange_n(&e->busy, &free, 1, 0,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			continue;
		}
		if (!e->mem) {
			e->mem = sc_map(i);
		}
		if (e->mem) {
			return e->mem;
		}
		__atomic_store_n(&e->busy, 0, __ATOMIC_RELEASE);
		return NULL;
	}
	return NULL;
}

void gs_slot_release(struct gs_slot *s)
{
	/* mapped: s was claimed from it */
	struct sc_entry *sc_pool = __atomic_load_n(&sc_mem, __ATOMIC_ACQUIRE);

	if (sc_pool && s->pool_idx < SC_SLOTS && sc_pool[s->pool_idx].mem == s) {
		__atomic_store_n(&sc_pool[s->pool_idx].busy, 0, __ATOMIC_RELEASE);
	}
}
