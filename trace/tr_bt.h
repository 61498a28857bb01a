/* SPDX-License-Identifier: Apache-2.0 */
/* Backtrace helpers of tr_modules.c: Go frames named at capture time, and
 * unwinding C processes (no frame pointers) with libunwind-ptrace. */
#ifndef GS_TR_BT_H
#define GS_TR_BT_H

#include <stdint.h>
#include <sys/types.h>

#include "tlv.h"

struct gs_gopcln;

/* The Go symbol table of the object (dev, ino) that pid maps at
 * [start, end) from path, or NULL when it is not a Go binary.  Tables are
 * read once per (dev, ino, path) and kept in memory, without the file;
 * the file is opened (tr_open.c: pid's credentials, a regular file only)
 * through /proc/pid/map_files (it may be deleted), else path inside pid's
 * root.  Failures are cached too. */
const struct gs_gopcln *tr_gosym_table(pid_t pid, uint64_t dev, uint64_t ino,
				       uint64_t start, uint64_t end, const char *path);
/* Until tr_gosym_release, g names inlined calls too, their trees read
 * from the memory of pid, which maps g's binary with load bias `bias`:
 * no file is opened for them (an open through /proc/PID/map_files, with
 * pid's credentials, cost ~3/4 of a record's capture). */
void tr_gosym_inline(const struct gs_gopcln *g, pid_t pid, uint64_t bias);
void tr_gosym_release(void);

/* Append the GOSHIM_T_FRAME_SYM fields of frame `frame`, whose return
 * address has link-time address vaddr in g (the call is at vaddr - 1):
 * innermost first, inlined calls with inlined = 1.  Returns how many. */
unsigned tr_gosym_put(struct gs_tlv *t, const struct gs_gopcln *g, uint32_t frame,
		      uint64_t vaddr);

/* Unwind thread tid of process tgid with libunwind (DWARF CFI: works
 * without frame pointers): the thread stopped under ptrace when uregs is
 * NULL, else from the registers uregs (TR_UR_*) and its memory as
 * tr_mem_read gives it (the copy of its stack taken at the call).
 * pcs[0] is left alone; pcs[1..] get the return addresses.  key
 * identifies the program image (an exec changes it): the address space
 * and its caches are kept per (tgid, key).  Returns the number of pcs
 * filled including pcs[0], or 0 when libunwind could not unwind. */
unsigned tr_unwind(pid_t tgid, pid_t tid, uint64_t key, const uint64_t *uregs, uint64_t *pcs,
		   unsigned max);

#endif
