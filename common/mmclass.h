/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The class of a failed mmap, part of the key that folds repeats of a
 * failure into one record (preload/rec/agg.c, the trace engine's
 * ev_key).  Without it every mmap failing with one errno at one call site
 * is one record: Go's runtime under `ulimit -v` fails a 512 MiB arena
 * reservation, then its threads' MAP_STACK stacks, all through the same
 * libc mmap, and the record said only the first's length, counted x21.
 * With it, what the mapping was for and how big it was keep them apart:
 * the length's power of two (Go halving its arena hints: one record per
 * size, each size's retries folded) and the flags that say fixed,
 * stack, no-reserve or huge pages.  Pure and inline: computed on every
 * failed mmap, in a signal handler or a vfork child too.
 */
#ifndef GS_MMCLASS_H
#define GS_MMCLASS_H

/* MAP_FIXED, MAP_NORESERVE, MAP_STACK, MAP_HUGETLB, MAP_FIXED_NOREPLACE
 * (the Linux values of every architecture goshim builds for) */
#define GS_MMCLASS_FLAGS (0x10u | 0x4000u | 0x20000u | 0x40000u | 0x100000u)

/* Bits 0-20 the class's flags, bits 24-30 the length's bit length (the
 * in-kernel watcher's key mixes the same, trace/bpf/tr_ebpf.bpf.c). */
#define GS_MMCLASS_BITS_SHIFT 24

#ifndef __bpf__
#include <stdint.h>

static inline uint32_t gs_mmap_class(uint64_t length, uint64_t flags)
{
	uint32_t bits = length ? 64u - (uint32_t)__builtin_clzll(length) : 0;

	return ((uint32_t)flags & GS_MMCLASS_FLAGS) | bits << GS_MMCLASS_BITS_SHIFT;
}
#endif

#endif
