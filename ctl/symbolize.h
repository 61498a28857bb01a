/* SPDX-License-Identifier: Apache-2.0 */
/* Offline symbolization of recorded backtrace frames with elfutils
 * libdwfl.  A frame's pc is placed in the record's T_MODULE that contains
 * it; that module's file is opened on this machine (or its
 * /usr/lib/debug/.build-id/xx/rest.debug) only if its build-id matches the
 * recorded one, and reported at the recorded load bias.  Opened files are
 * cached by (path, bias, build-id) for the life of the symbolizer, so each
 * ELF file is opened once per process image, not once per frame.
 * Separate debug files are found by build-id only. */
#ifndef GS_CTL_SYMBOLIZE_H
#define GS_CTL_SYMBOLIZE_H

#include <stdint.h>
#include <sys/stat.h>

#include "event.h"

struct gs_symbolizer;

/* What is known about one frame.  Strings belong to the event or the
 * symbolizer and stay valid until both are freed. */
struct gs_frame_info {
	uint64_t pc;
	const char *module;    /* module path, NULL if no T_MODULE holds pc  */
	uint64_t offset;       /* pc - module bias (the ELF virtual address)   */
	const char *function;  /* NULL when unresolved                       */
	uint64_t fn_offset;    /* pc - function start                        */
	const char *file;      /* source file, NULL when no line info        */
	int line;              /* 0 when unknown                             */
};

/* A new symbolizer; with enabled = 0 it only maps pcs to module+offset
 * and never opens a file.  Returns NULL on allocation failure. */
struct gs_symbolizer *gs_sym_new(int enabled);

/* Describe frame idx of e (idx 0 is the innermost).  Every frame is a
 * return address (record.h, GOSHIM_T_FRAME), so function and line are
 * those of pc - 1, the call; fn_offset and offset are still of pc. */
void gs_sym_frame(struct gs_symbolizer *s, const struct gs_event *e, size_t idx,
		  struct gs_frame_info *out);

/* The ring the records come from (its stat): module files are then
 * opened with no more rights than its writer had (fileas.h: as its
 * owner, nobody when others may write it), and only regular files,
 * without blocking.  Without it, as the invoking user. */
void gs_sym_set_ring(struct gs_symbolizer *s, const struct stat *ring);

/* How many ELF files were opened (for tests of the cache). */
unsigned gs_sym_opened(const struct gs_symbolizer *s);

void gs_sym_free(struct gs_symbolizer *s);

#endif
