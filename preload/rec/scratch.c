/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scratch slots: the only memory the recorder writes besides its globals.
 * A fixed pool, each slot mapped with a raw mmap on first use and claimed
 * with a compare-and-swap try-lock; a recording that finds no free slot
 * (many threads failing at once, a signal handler interrupting a
 * recording) is dropped, never waited for.  A fork child inherits the
 * pool, slots and all.
 */
#include "rec.h"

#include <sys/mman.h>

#include "sys.h"

#define SC_SLOTS 8u
#define SC_ALIGN 64u

struct sc_entry {
	int busy;
	struct gs_slot *mem;
};

static struct sc_entry sc_pool[SC_SLOTS];

static size_t sc_size(void)
{
	size_t head = (sizeof(struct gs_slot) + SC_ALIGN - 1) & ~(size_t)(SC_ALIGN - 1);

	return (head + gs_zstd_workspace_size() + 4095) & ~(size_t)4095;
}

static struct gs_slot *sc_map(void)
{
	size_t size = sc_size();
	size_t head = (sizeof(struct gs_slot) + SC_ALIGN - 1) & ~(size_t)(SC_ALIGN - 1);
	long p = gs_sys6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if ((unsigned long)p > -4096ul) {
		return NULL;
	}
	struct gs_slot *s = (struct gs_slot *)p;
	s->cctx = gs_zstd_init((char *)p + head, size - head);
	return s;
}

struct gs_slot *gs_slot_claim(void)
{
	for (unsigned i = 0; i < SC_SLOTS; i++) {
		struct sc_entry *e = &sc_pool[i];
		int free = 0;

		if (__atomic_load_n(&e->busy, __ATOMIC_RELAXED) ||
		    !__atomic_compare_exchange_n(&e->busy, &free, 1, 0,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			continue;
		}
		if (!e->mem) {
			e->mem = sc_map();
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
	for (unsigned i = 0; i < SC_SLOTS; i++) {
		if (sc_pool[i].mem == s) {
			__atomic_store_n(&sc_pool[i].busy, 0, __ATOMIC_RELEASE);
			return;
		}
	}
}
