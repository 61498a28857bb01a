/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one ELF reader of goshim: the libgoshim.so recorder and hand-over,
 * the trace engine, doctor and the Go symbol tables all learn what an
 * executable or a loaded object is from here, so the engines cannot
 * disagree about it.
 *
 * Either class (32/64-bit), either byte order, any host.  The input is
 * read through a callback (pread on a descriptor, a copy of a tracee's
 * memory, an image mapped in this process) and is hostile: every offset,
 * size and count read from it is bounded; a truncated or corrupt file
 * yields fewer facts, never a fault, an overflow or an unbounded loop.
 *
 * No malloc, no locks, no static state, no libc call (compiler builtins
 * and raw system calls only): safe in a signal handler and a vfork child
 * whenever the callback is.  The caller owns every buffer, including an
 * optional read cache that turns the dozen small reads of a typical
 * header, program header table, PT_INTERP and notes into one.
 *
 * It also reads symbol version needs and definitions (DT_VERNEED,
 * DT_VERDEF): which glibc versions a program needs, which a library has;
 * and the Go version a Go program was built with.
 */
#ifndef GS_ELFREAD_H
#define GS_ELFREAD_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"

/* Read up to len bytes at position pos of the input into buf.  Returns the
 * number of bytes read (fewer than len only at the end of the input), or
 * a negative number on error. */
typedef long (*gs_elf_read_fn)(void *ctx, void *buf, size_t len, uint64_t pos);

/* Callbacks.  gs_elf_read_fd: ctx is a descriptor cast with
 * (void *)(intptr_t)fd, read with raw pread64 (EINTR retried).
 * gs_elf_read_mem: ctx is a struct gs_elf_mem; positions beyond size
 * read nothing. */
long gs_elf_read_fd(void *ctx, void *buf, size_t len, uint64_t pos);
struct gs_elf_mem {
	const uint8_t *base;
	size_t size;
};
long gs_elf_read_mem(void *ctx, void *buf, size_t len, uint64_t pos);

/* Limits on what is looked at: tables longer than this are not read,
 * a note walk stops after GS_ELF_NOTES_MAX notes of one segment. */
#define GS_ELF_PHNUM_MAX 256u
#define GS_ELF_SHNUM_MAX 1024u
#define GS_ELF_NOTES_MAX 64u

/* An open ELF input.  Fields are the header's, in host byte order. */
struct gs_elf {
	gs_elf_read_fn read;
	void *ctx;
	uint8_t *cache;       /* caller's buffer, or NULL                     */
	size_t cache_cap, cache_len;
	uint64_t cache_pos;
	uint8_t cls;          /* ELFCLASS32 (1) or ELFCLASS64 (2)             */
	uint8_t data;         /* ELFDATA2LSB (1) or ELFDATA2MSB (2)           */
	uint16_t type;        /* e_type                                        */
	uint16_t machine;     /* e_machine (EM_*)                              */
	uint64_t phoff, shoff;
	unsigned phnum;       /* 0 when the table is unusable (ph_bad)         */
	unsigned shnum;       /* 0 when the table is unusable or absent        */
	unsigned phentsize, shentsize, shstrndx;
	int ph_bad;           /* e_phnum/e_phentsize/e_phoff out of bounds     */
	uint64_t load_delta;  /* first PT_LOAD's p_vaddr - p_offset, else 0    */
	int mapped;           /* an image as loaded: contents at p_vaddr -     */
	uint64_t map_delta;   /* map_delta, not at p_offset                   */
};

/* One program header, either class. */
struct gs_elf_seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

/* One section header, either class. */
struct gs_elf_sec {
	uint32_t name, type;
	uint64_t flags, addr, offset, size, align;
	uint32_t link, info;
};

/* Open the ELF file read by rd(ctx): e_ident, the header and the first
 * PT_LOAD.  cache (cache_cap bytes, may be NULL) serves reads of up to
 * cache_cap bytes from one read of the callback; it must outlive e.
 * Returns 0, or -1 when the input is not an ELF file this reader knows:
 * no magic, a class or byte order other than the four, or a header
 * shorter than its class's (52 or 64 bytes). */
int gs_elf_open(struct gs_elf *e, gs_elf_read_fn rd, void *ctx,
		void *cache, size_t cache_cap);

/* Same, for an object as loaded in memory, position 0 being where its
 * ELF header is mapped (e.g. rd = gs_elf_read_mem over the object's
 * extent): segment contents are read at p_vaddr - delta instead of
 * p_offset (delta = where the header is mapped - the load bias); section
 * headers are not read (they are not loaded). */
int gs_elf_open_mapped(struct gs_elf *e, gs_elf_read_fn rd, void *ctx, uint64_t delta);

/* An object loaded in this process known by its program headers only
 * (dl_iterate_phdr's dlpi_phdr and dlpi_phnum): position 0 is where they
 * are, segment contents are at p_vaddr - delta (delta = their address -
 * the load bias; contents below the headers are out of reach).  Class
 * and byte order are the host's, e_machine and e_type 0. */
void gs_elf_open_loaded(struct gs_elf *e, gs_elf_read_fn rd, void *ctx, unsigned phnum,
			uint64_t delta);

/* Program header i (0 <= i < e->phnum) into s.  0, or -1 when i is out
 * of range or the header could not be read. */
int gs_elf_seg(const struct gs_elf *e, unsigned i, struct gs_elf_seg *s);

/* Section header i (0 <= i < e->shnum) into s.  0, or -1. */
int gs_elf_sec(const struct gs_elf *e, unsigned i, struct gs_elf_sec *s);

/* The section named name (".gopclntab") into s: 0, or -1 when there is
 * none or the section names cannot be read. */
int gs_elf_sec_find(const struct gs_elf *e, const char *name, struct gs_elf_sec *s);

/* Read len bytes at offset off of segment s's file contents.  Returns
 * the bytes read: fewer when the segment's file part or the input ends
 * first, 0 when off is beyond them. */
size_t gs_elf_seg_read(const struct gs_elf *e, const struct gs_elf_seg *s, uint64_t off,
		       void *buf, size_t len);

/* Read exactly len bytes at position pos of the input (through the
 * cache).  0, or -1. */
int gs_elf_pread(const struct gs_elf *e, void *buf, size_t len, uint64_t pos);

/* An n-byte (1, 2, 4, 8) field at p in e's byte order. */
uint64_t gs_elf_get(const struct gs_elf *e, const uint8_t *p, unsigned n);

/* PT_INTERP: 1 with its path in buf (NUL-terminated, cut at cap - 1;
 * "" when the segment cannot be read), 0 when there is none (a static
 * program or a library), -1 when the program headers are unusable. */
int gs_elf_interp(const struct gs_elf *e, char *buf, size_t cap);

/* The first note named name with type type, searched in the PT_NOTE
 * segments, then (files only) in the SHT_NOTE sections: Go's linker
 * covers only .note.go.buildid with PT_NOTE.  A name matches with or
 * without padding NULs in n_namesz ("Go" as 3 or 4).  Copies
 * min(descsz, cap) bytes of its descriptor to desc and returns descsz,
 * or returns -1 when there is no such note. */
long gs_elf_note(const struct gs_elf *e, const char *name, uint32_t type,
		 void *desc, size_t cap);

/* The GNU build-id (NT_GNU_BUILD_ID): its length (at most 20 bytes are
 * copied), 0 when there is none. */
unsigned gs_elf_build_id(const struct gs_elf *e, uint8_t id[20]);

/* The Go toolchain's note ("Go", NT_GO_BUILDID = 4): the Go build ID
 * string in id (NUL-terminated, cut at cap - 1; cap may be 0).  1 when
 * the note is there (a Go program), 0 when not. */
#define GS_NT_GO_BUILDID 4u
int gs_elf_go_note(const struct gs_elf *e, char *id, size_t cap);

/* The file position of link-time address vaddr and how many bytes of
 * file contents follow it in its segment (the PT_LOAD holding it; in a
 * loaded image, vaddr - map_delta).  0, or -1 when no segment holds it. */
int gs_elf_vaddr_pos(const struct gs_elf *e, uint64_t vaddr, uint64_t *pos, uint64_t *avail);

/* Symbol versions (common/elfver.c), read from PT_DYNAMIC: fn(arg, file,
 * version) for each version the object needs (DT_VERNEED: file is the
 * library, "libc.so.6", version "GLIBC_2.34"), or for each version a
 * library defines (DT_VERDEF: file is NULL; the base entry, the
 * library's own name, is left out).  fn returns non-zero to stop.
 * Strings are cut at GS_ELF_VERSTR_MAX - 1 bytes and live only during
 * the call.  At most GS_ELF_VER_MAX entries are visited.  Returns the
 * number of calls made, or -1 when the object has no such table or it
 * cannot be read. */
#define GS_ELF_VER_MAX    512u
#define GS_ELF_VERSTR_MAX 128u
typedef int (*gs_elf_ver_fn)(void *arg, const char *file, const char *version);
int gs_elf_verneed(const struct gs_elf *e, gs_elf_ver_fn fn, void *arg);
int gs_elf_verdef(const struct gs_elf *e, gs_elf_ver_fn fn, void *arg);

/* A symbol version the program e needs (DT_VERNEED) that the library
 * ld.so would load for it does not define: ld.so then prints "version
 * `GLIBC_2.34' not found" and the process exits 1 before main
 * (common/elfneed.c).  Each library is looked for as ld.so does, in part:
 * in libpath (LD_LIBRARY_PATH, may be NULL), then in the standard
 * directories (/usr/local/lib, /lib and /usr/lib with e's multiarch
 * triplet, /lib64, /usr/lib64, /lib, /usr/lib); DT_RPATH, DT_RUNPATH and
 * /etc/ld.so.cache are not read.  A file of another class or machine is
 * skipped, as ld.so skips it.  op(opctx, path) opens a candidate read-only
 * (a descriptor, or negative); it is closed with a raw close.  A library
 * not found, or one without version definitions, is no finding (ld.so
 * fails with 127, or only warns).  Returns 1 with "GLIBC_2.34 of
 * libc.so.6, which /lib/x86_64-linux-gnu/libc.so.6 does not define" in
 * out (cut at cap - 1), 0 when every need is met, -1 when e has no
 * version needs.  Recorder-safe; about 2 KiB of stack. */
typedef int (*gs_elf_open_fn)(void *ctx, const char *path);
int gs_elf_ver_missing(const struct gs_elf *e, const char *libpath, gs_elf_open_fn op,
		       void *opctx, char *out, size_t cap);

/* The Go toolchain version a Go program was built with ("go1.26.8"),
 * from its build information (common/elfgo.c; Go 1.18+, as
 * debug/buildinfo finds it: .go.buildinfo, else the start of the first
 * writable PT_LOAD, at most 64 KiB in).  buf gets it, NUL-terminated and
 * cut at cap - 1 (cap may be 0).  1 found, 0 not (not Go, Go < 1.18,
 * damaged).  Up to 4,096 small reads: give gs_elf_open a cache. */
int gs_elf_go_version(const struct gs_elf *e, char *buf, size_t cap);

/* Whether a Go program was built with the race detector: its build
 * information's module text holds the setting "build\t-race=true" (Go
 * 1.18+; go test -race's test binaries too).  Where it has no build
 * settings at all (test binaries of Go <= 1.19), the function
 * runtime.racecallbackthunk among .gopclntab's names (the race runtime's
 * Go side; go test strips the symbol table).  1 yes, 0 a Go program
 * without it, -1 no build information (not Go, Go < 1.18, damaged).  The
 * module text is a few KiB, .gopclntab a MiB or so: reads of 512
 * bytes. */
int gs_elf_go_race(const struct gs_elf *e);

/* What an exec target is, as both capture engines record it
 * (GOSHIM_T_EV_ELF): kind 1 ELF with its class, data, e_type, e_machine
 * and has_interp; kind 2 a "#!" script (has_interp when the line names a
 * program); kind 3 anything else.  interp gets PT_INTERP or the program
 * of the "#!" line ("" when none; cut at cap - 1).  open_errno is left to
 * the caller (it opened the file).  cache as for gs_elf_open. */
void gs_exec_facts(struct goshim_t_elf *ev, char *interp, size_t cap,
		   gs_elf_read_fn rd, void *ctx, void *cache, size_t cache_cap);

/* The program a "#!" line at the start of buf (n bytes) names, the way
 * the kernel reads it (blanks skipped, ended by a blank or a newline),
 * into interp (cut at cap - 1).  1 when buf starts with "#!", else 0. */
int gs_shebang(const uint8_t *buf, size_t n, char *interp, size_t cap);

/* Machine names (common/elfmachine.c; not in the recorder): "x86_64",
 * "s390" for an e_machine, NULL when unknown; and the e_machine a
 * uname -m or GOARCH name ("x86_64", "i686", "armv7l", "arm64", "s390x")
 * runs natively, -1 when unknown. */
const char *gs_machine_name(unsigned em);
int gs_machine_em(const char *machine);

#endif
