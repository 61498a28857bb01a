/* SPDX-License-Identifier: Apache-2.0 */
/* Symbolic names for numeric argument and evidence values: bit sets
 * (O_*, PROT_*, MAP_*, AT_*, ST_* ...) and enumerations (errno, signals,
 * clocks, filesystem magics, rlimits).  All data lives in
 * small tables in flags.c and names.c. */
#ifndef GS_CTL_FLAGS_H
#define GS_CTL_FLAGS_H

#include <stddef.h>
#include <stdint.h>

#include "elfread.h"

/* One symbol of a bit set.  mask is the bits the symbol stands for (0 =
 * the same as bits); a symbol matches when (v & mask) == bits. */
struct gs_flag {
	uint64_t bits;
	uint64_t mask;
	const char *name;   /* NULL: known bits that are never shown */
};

/* A bit set's symbol table.  `zero` names the value 0 (NULL: "0"). */
struct gs_flagset {
	const struct gs_flag *flags;
	size_t n;
	const char *zero;
};

/* The bit sets decode knows. */
extern const struct gs_flagset gs_fs_open;   /* O_*, access mode first       */
extern const struct gs_flagset gs_fs_at;     /* AT_* (fstatat, faccessat...) */
extern const struct gs_flagset gs_fs_prot;   /* PROT_*                       */
extern const struct gs_flagset gs_fs_mmap;   /* MAP_*                        */
extern const struct gs_flagset gs_fs_memfd;  /* MFD_*                        */
extern const struct gs_flagset gs_fs_amode;  /* F_OK, R_OK, W_OK, X_OK       */
extern const struct gs_flagset gs_fs_statx;  /* STATX_* mask                 */
extern const struct gs_flagset gs_fs_mount;  /* ST_* statvfs flags, short
                                              * lowercase names ("noexec")  */
extern const struct gs_flagset gs_fs_container; /* GOSHIM_CTR_* evidence    */

/* Write v as "A|B|0x40" into buf (always NUL-terminated, cut to size).
 * Bits no symbol covers are appended in hex.  Returns buf. */
char *gs_flags_str(const struct gs_flagset *fs, uint64_t v, char *buf, size_t size);

/* Call fn(name, ctx) for each symbol that matches v, then once with a
 * "0x.." string for the bits left over (if any). */
void gs_flags_each(const struct gs_flagset *fs, uint64_t v,
		   void (*fn)(const char *name, void *ctx), void *ctx);

/* The flag set T_FLAGS means for a call family (enum goshim_family), or
 * NULL when flags are shown as a number. */
const struct gs_flagset *gs_flags_for_family(uint16_t family);

/* "ENOENT"; NULL for a number glibc does not name. */
const char *gs_errno_name(int err);

/* "No such file or directory"; NULL when unknown. */
const char *gs_errno_desc(int err);

/* Parse "ENOENT", "enoent" or "2".  Returns the errno value, or -1. */
int gs_errno_parse(const char *s);

/* gs_errno_parse(s) == err for an s without blanks (a word of a rule),
 * without searching the table for s: what a rule's errno list is
 * matched with, once per alternative per record. */
int gs_errno_is(const char *s, int err);

/* "SIGSEGV"; NULL when unknown. */
const char *gs_signal_name(int sig);

/* "CLOCK_MONOTONIC"; NULL when unknown. */
const char *gs_clock_name(int clk);

/* "tmpfs", "ext4" for a statfs f_type; NULL when unknown. */
const char *gs_fstype_name(uint64_t magic);

/* gs_machine_name: common/elfread.h, the one machine table. */

/* "NOFILE", "AS" for an RLIMIT_* resource; NULL when unknown. */
const char *gs_rlimit_name(unsigned res);

/* "dir", "file", "symlink" ... for the S_IFMT bits of a mode. */
const char *gs_filetype_name(uint32_t mode);

/* "PATH", "EXE" ... for a record tag; NULL when unknown. */
const char *gs_tag_name(uint16_t tag);

#endif
