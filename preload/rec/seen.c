/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exec targets already looked at (rec.h, "seen.c").  One page of 64-bit
 * words, MAP_SHARED and anonymous, inherited by every fork and vfork child
 * until it execs, so what a shell's or make's children learn about
 * /bin/sh or cc serves their siblings.  Mapped when first needed, not at
 * start: before the process's first fork (the atfork prepare handler,
 * in the parent, so that every child shares it), or at its first look-up
 * (an exec without a fork before it, or in a vfork child: mapped into the
 * address space the child shares with its parent, published in the
 * pointer they share).  A process that neither forks nor execs, as most
 * of those a build or a script starts, never maps it.  A word is a hash
 * of the file's identity (device, inode, size, modification and change
 * times), of the question (GS_SEEN_*) and of a string it depends on;
 * open addressing, compare-and-swap, no locks.  A 64-bit collision
 * answers for another file: about one in 2^64 pairs.
 */
#include "rec.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "sys.h"

#define SN_PAGE   4096u
#define SN_SLOTS  (SN_PAGE / sizeof(uint64_t))
#define SN_PROBES 8u

static int sn_on;          /* gs_seen_setup ran */
static uint64_t *sn_page;  /* the page, once mapped */

void gs_seen_setup(void)
{
	sn_on = 1;
}

/* The page, mapped now if it is not yet; NULL without it.  Racing
 * callers (threads; a vfork child and its parent's other threads) both
 * map, the compare-and-swap keeps one page and the loser unmaps its own. */
static uint64_t *sn_map(void)
{
	uint64_t *page = __atomic_load_n(&sn_page, __ATOMIC_ACQUIRE);

	if (page || !sn_on) {
		return page;
	}
	long p = gs_sys6(SYS_mmap, 0, SN_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if ((unsigned long)p > -4096ul) {
		return NULL;
	}
	if (!__atomic_compare_exchange_n(&sn_page, &page, (uint64_t *)p, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		gs_sys2(SYS_munmap, p, SN_PAGE);
		return page;
	}
	return (uint64_t *)p;
}

void gs_seen_prepare_fork(void)
{
	sn_map();
}

static uint64_t sn_mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ull;
	}
	return h;
}

uint64_t gs_seen_key(const char *path, unsigned what, const char *extra)
{
	struct stat st;

	if (!path || !sn_map() || gs_sys4(SYS_newfstatat, AT_FDCWD, path, &st, 0) != 0) {
		return 0;
	}
	const uint64_t id[] = {
		what, st.st_dev, st.st_ino, (uint64_t)st.st_size,
		(uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec,
		(uint64_t)st.st_ctim.tv_sec, (uint64_t)st.st_ctim.tv_nsec,
	};
	uint64_t h = sn_mix(0xcbf29ce484222325ull, id, sizeof(id));

	if (extra) {
		h = sn_mix(h ^ 1, extra, gs_strlen(extra));
	}
	return h | 1;
}

int gs_seen_has(uint64_t key)
{
	for (unsigned n = 0, i = key % SN_SLOTS; key && n < SN_PROBES; n++, i = (i + 1) % SN_SLOTS) {
		uint64_t w = __atomic_load_n(&sn_page[i], __ATOMIC_RELAXED);

		if (w == key) {
			return 1;
		}
		if (!w) {
			return 0;
		}
	}
	return 0;
}

void gs_seen_put(uint64_t key)
{
	unsigned home = key % SN_SLOTS;

	if (!key) {
		return;
	}
	for (unsigned n = 0, i = home; n < SN_PROBES; n++, i = (i + 1) % SN_SLOTS) {
		uint64_t w = 0;

		if (__atomic_compare_exchange_n(&sn_page[i], &w, key, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED) || w == key) {
			return;
		}
	}
	__atomic_store_n(&sn_page[home], key, __ATOMIC_RELAXED); /* full: evict */
}
