/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbols looked up the way dlsym(RTLD_NEXT, name) finds them, many in
 * one pass over the loaded objects' GNU hash tables instead of one dlsym
 * call each (nextsym.c).
 *
 * The objects searched are those loaded after this one, in load order:
 * for an object loaded at start (LD_PRELOAD, or a DT_NEEDED of the
 * program) that is the order of the program's search list, the scope
 * RTLD_NEXT searches.  In each object a name matches the way ld.so's
 * check_match takes it for dlsym: defined, of a type ld.so binds, and
 * either unversioned or the one non-hidden version (realpath@@GLIBC_2.3,
 * not realpath@GLIBC_2.2.5); a local definition passes the name on to the
 * next object, a weak one binds.
 *
 * What ld.so would compute rather than read (an IFUNC's resolver, a TLS
 * or STB_GNU_UNIQUE symbol), what an auditor or LD_DYNAMIC_WEAK might
 * change, and everything when an object of the scope has no GNU hash
 * table, is left to the caller's dlsym: such names are not marked found.
 *
 * Not async-signal-safe (dl_iterate_phdr takes the loader's lock): for
 * the constructor.  No allocation, errno preserved.
 */
#ifndef GS_NEXTSYM_H
#define GS_NEXTSYM_H

#include <stddef.h>

#include "rec/gs.h"

/*
 * names: n names, each NUL-terminated, one after the other in one string
 * (no table of pointers to relocate).  For each name found, addr[i] is its
 * address and found[i] is 1; for the others found[i] is 0 and addr[i] is
 * left alone.  Returns how many names were found.
 */
GS_HIDDEN size_t gs_next_syms(const char *names, size_t n, void **addr,
			      unsigned char *found);

#endif
