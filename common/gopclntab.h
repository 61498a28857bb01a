/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go symbol tables: names, files and lines of a Go binary's code read from
 * its .gopclntab, the table the Go runtime itself uses for tracebacks.  It
 * is present in every Go binary, also in binaries linked with -s -w (no
 * .symtab, no DWARF), which is how `go test` links its test binaries.
 *
 * Supported pcHeader formats: Go 1.16-1.17 (magic 0xfffffffa), 1.18-1.19
 * (0xfffffff0) and 1.20+ (0xfffffff1), 64- and 32-bit little-endian.  The
 * table is found by section name, or, in a file without section headers,
 * by its magic and sane fields in a read-only PT_LOAD segment.
 *
 * The input is hostile: every offset and count read from the file is
 * bounds-checked; a damaged table makes lookups fail, never crash.  The
 * file is read with pread(2) only; the pclntab is copied into memory once
 * at open and the descriptor is kept (dup'ed) for the inline trees, so a
 * table stays usable after the file is deleted.
 */
#ifndef GS_GOPCLNTAB_H
#define GS_GOPCLNTAB_H

#include <stddef.h>
#include <stdint.h>

struct gs_gopcln;

/* One source position.  Strings point into the table and stay valid until
 * gs_gopcln_close. */
struct gs_gopcln_frame {
	const char *func;  /* function name ("os.OpenFile"), never NULL     */
	const char *file;  /* source file, NULL when unknown                 */
	uint32_t line;     /* 0 when unknown                                 */
	uint64_t entry;    /* link-time address of the physical function     */
	int inlined;       /* 1: a call inlined into the next (outer) entry */
};

/* Open the table of the ELF file behind fd (which is dup'ed; the caller
 * keeps its own).  Returns NULL when fd is not an ELF file with a usable
 * .gopclntab (not a Go binary, unsupported format, damaged); with err
 * non-NULL, *err then holds a short static reason. */
struct gs_gopcln *gs_gopcln_open_fd(int fd, const char **err);

/* Same, by path. */
struct gs_gopcln *gs_gopcln_open(const char *path, const char **err);

/* Close t's descriptor (a reader that must not keep the file open, e.g.
 * on a filesystem its owner may unmount): lookups go on from the copy in
 * memory, but inlined calls are not named until gs_gopcln_attach. */
void gs_gopcln_detach(struct gs_gopcln *t);

/* Read the inline trees from fd (dup'ed; the same file as at open) again.
 * 0, or -1 when fd could not be dup'ed. */
int gs_gopcln_attach(struct gs_gopcln *t, int fd);

/* Read the inline trees through rd instead of a descriptor (NULL: stop):
 * rd(ctx, va, buf, len) reads len bytes at link-time address va of the
 * file's loaded segments, 0 or -1.  A tracer reads them from a process
 * that maps the binary, opening nothing. */
typedef int (*gs_gopcln_reader)(void *ctx, uint64_t va, void *buf, size_t len);
void gs_gopcln_set_reader(struct gs_gopcln *t, gs_gopcln_reader rd, void *ctx);

/* Release t (NULL is fine). */
void gs_gopcln_close(struct gs_gopcln *t);

/* The table's format: 116 (Go 1.16-1.17), 118 (1.18-1.19), 120 (1.20+). */
int gs_gopcln_format(const struct gs_gopcln *t);

/* Number of functions in the table. */
size_t gs_gopcln_nfunc(const struct gs_gopcln *t);

/* Link-time entry address of function i (0 <= i < nfunc), 0 when i is out
 * of range. */
uint64_t gs_gopcln_entry(const struct gs_gopcln *t, size_t i);

/* The physical function containing link-time address pc, with the file and
 * line of pc itself (those of the innermost inlined call when pc lies in
 * inlined code, as `go tool addr2line` reports them).  Returns 0 with out
 * filled (out->inlined = 0), or -1 when no function contains pc or its
 * entry is damaged. */
int gs_gopcln_lookup(const struct gs_gopcln *t, uint64_t pc,
		     struct gs_gopcln_frame *out);

/* The frame size at link-time address pc (how far the stack pointer is
 * below its value at the function's entry, from the pcsp table): a
 * frame's return address is at sp + delta, its caller's sp at
 * sp + delta + pointer size.  0, or -1 when unknown. */
int gs_gopcln_spdelta(const struct gs_gopcln *t, uint64_t pc, int32_t *delta);

/* The logical frames at link-time address pc, innermost first: one per
 * inlined call (inlined = 1, from the FUNCDATA_InlTree and
 * PCDATA_InlTreeIndex tables) and last the physical function.  Fills at
 * most max entries; returns how many, 0 when no function contains pc. */
size_t gs_gopcln_frames(const struct gs_gopcln *t, uint64_t pc,
			struct gs_gopcln_frame *out, size_t max);

#endif
