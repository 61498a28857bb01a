/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbols looked up the way dlsym finds them, many in one pass over the
 * loaded objects' GNU hash tables instead of one dlsym call each
 * (nextsym.c): dlsym(RTLD_NEXT) costs ~900 instructions a name, and the
 * constructor of a process that fails nothing is what every exec pays.
 *
 * Scopes, over the objects loaded at start, in load order (the order of
 * the program's search list for those):
 *   GS_NS_NEXT     the objects after this one, as dlsym(RTLD_NEXT); the
 *                  walk stops at ld.so (AT_BASE), the last object loaded
 *                  at start: what follows was dlopened, maybe RTLD_LOCAL,
 *                  out of the scope
 *   GS_NS_PROGRAM  the program alone (its own exports)
 *
 * In each object a name matches the way ld.so's check_match takes it for
 * dlsym: defined, of a type ld.so binds, and either unversioned or the one
 * non-hidden version (realpath@@GLIBC_2.3, not realpath@GLIBC_2.2.5); a
 * local definition passes the name on to the next object, a weak one binds.
 *
 * What ld.so would compute rather than read (an IFUNC's resolver, a TLS
 * or STB_GNU_UNIQUE symbol), what an auditor or LD_DYNAMIC_WEAK might
 * change, and a name not found before ld.so is GS_NS_ASK: the
 * caller's dlsym answers it; so is every name when the walk did not reach
 * the scope's end (this library dlopened, not preloaded; an object without
 * a GNU hash table).
 *
 * Not async-signal-safe (dl_iterate_phdr takes the loader's lock): for
 * the constructor; gs_ns_next_find, below, is.  No allocation, errno
 * preserved.
 */
#ifndef GS_NEXTSYM_H
#define GS_NEXTSYM_H

#include <stddef.h>

#include "gs.h"

enum gs_ns_scope { GS_NS_NEXT, GS_NS_PROGRAM };

/* What the walk says of one name. */
enum {
	GS_NS_ABSENT = 0, /* no object of the scope defines it (GS_NS_PROGRAM only) */
	GS_NS_FOUND = 1,  /* addr[i] is its address */
	GS_NS_ASK = 2,    /* not settled: ask dlsym */
};

/*
 * names: n names, each NUL-terminated, one after the other in one string
 * (no table of pointers to relocate).  found[i] gets GS_NS_*; addr[i] is
 * set only when found.  Returns how many names were found.
 */
GS_HIDDEN size_t gs_ns_syms(enum gs_ns_scope scope, const char *names, size_t n,
			    void **addr, unsigned char *found);

/*
 * The GS_NS_NEXT scope collected once and kept (the constructor: not
 * async-signal-safe), so that its names can be looked up one at a time
 * later.  Returns 1 when kept: the walk reached ld.so and found at most 16
 * objects (GS_NS_KEEP); else 0, and gs_ns_next_find answers GS_NS_ASK.
 */
GS_HIDDEN int gs_ns_next_keep(void);

/*
 * One name in the kept scope, as gs_ns_syms would answer it: GS_NS_FOUND
 * (*addr set) or GS_NS_ASK.  Reads the objects' hash tables and nothing
 * else: async-signal-safe, safe in a vfork child, errno untouched.
 */
GS_HIDDEN int gs_ns_next_find(const char *name, void **addr);

/* Whether the program itself exports name (when its table cannot be read:
 * whether dlsym(RTLD_DEFAULT) finds it). */
GS_HIDDEN int gs_ns_program_defines(const char *name);

#endif
