/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recorder's big tables, mapped when first used instead of sitting in
 * the library's .bss: a process that fails nothing never maps them
 * (docs/design.md, "Process start").
 *
 * gs_lazymem(at, size): the zeroed memory published at *at, mapped now
 * (raw anonymous mmap, size bytes) if *at is still NULL; NULL when it
 * cannot be mapped, and the caller does without (a cache misses, a record
 * is dropped).  Async-signal-safe, lock-free, never waits: two callers
 * racing both map, the compare-and-swap that publishes keeps one mapping
 * and the loser unmaps its own.  Like the .bss it replaces, the memory is
 * the process's: a fork child inherits a copy, a vfork child shares it
 * with its parent (it maps into their common address space and publishes
 * into their common *at, so the parent finds and uses what its child
 * mapped, never a mapping it does not know of).  Never unmapped.
 */
#ifndef GS_REC_LAZYMEM_H
#define GS_REC_LAZYMEM_H

#include <stddef.h>

#include "gs.h"

GS_HIDDEN void *gs_lazymem(void **at, size_t size);

#endif
