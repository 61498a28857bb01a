/* SPDX-License-Identifier: Apache-2.0 */
/* A ring as the tests look at it: every record read by the real reader
 * (common/ring_read.c), its payload parsed by goshimctl's own decoder
 * (ctl/event.c), the fields the tests check copied out flat. */
#ifndef GS_TL_READ_H
#define GS_TL_READ_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"
#include "ring_read.h"
#include "tlv.h"

/* Room for any string field a writer stores, whole. */
#define TL_STR (GOSHIM_STR_MAX + 1)

/* One record.  Strings absent from it are "". */
struct tl_rec {
	uint16_t type;
	uint32_t count;          /* aggregation count */
	uint32_t engine;         /* GOSHIM_ENGINE_* */
	uint32_t pid, tid, ppid;
	uint32_t call, arch, sysnr;
	int32_t err;
	int has_err;
	int64_t ret;
	char exe[TL_STR], path[TL_STR], abspath[TL_STR], name[TL_STR];
	char ev_path[TL_STR], ev_mount[TL_STR], note[TL_STR], interp[TL_STR];
	char cwd[TL_STR], argv0[TL_STR];
	int has_statfs, has_stat, has_elf, has_cred, has_seccomp;
	uint64_t statfs_flags;
	uint32_t stat_mode;
	uint32_t missing;
	int32_t interp_err;
	uint16_t elf_machine;
	uint8_t elf_class;
	uint32_t elf_kind;
	int32_t status;
	int has_status;
	uint32_t child;
	int32_t fd, has_fd;
	int32_t clockid, has_clockid;
	unsigned nframes, nmodules, nenv, nrlimit;
	uint64_t frame0;
	char module0[TL_STR];
	char modules[4 * TL_STR]; /* every module path, '|'-separated */
	uint8_t module0_bid_len;
};

/* Copy record g of a loaded ring into *r (only type and count when its
 * payload could not be read). */
void tl_rec_read(const struct gs_rec *g, struct tl_rec *r);

/* A whole ring. */
struct tl_ring {
	struct tl_rec *recs;
	size_t n;
	uint32_t engine_mismatch; /* records not written by `engine` (tl_load) */
	uint64_t lost, dropped, committed;
};

/* How to load. */
struct tl_load_opts {
	uint32_t engine;        /* the engine expected to have written it all  */
	int wait_engines_ms;    /* > 0: wait for the ring's engines to finish  */
	int keep_unreadable;    /* also keep records whose payload was lost    */
};

/* Load ring into out (fails the test when it cannot be read). */
void tl_load(const char *ring, struct tl_ring *out, const struct tl_load_opts *o);

/* The same without keeping the records (a ring of any size): fn sees
 * each in turn, in one reused struct; counts gets all but recs. */
void tl_walk(const char *ring, const struct tl_load_opts *o,
	     void (*fn)(const struct tl_rec *r, void *arg), void *arg,
	     struct tl_ring *counts);
void tl_free(struct tl_ring *r);

/* First EVENT with call id (0 any), errno (-1 any) and a path containing
 * sub (NULL any); NULL when none. */
const struct tl_rec *tl_find(const struct tl_ring *r, uint32_t call, int err,
			     const char *sub);

/* Records of a type. */
size_t tl_count(const struct tl_ring *r, uint16_t type);

/* Print every record on stderr (for failing tests). */
void tl_dump(const struct tl_ring *r);

/* Raw field access on one record of a loaded ring: the n-th field with
 * tag (returns 0 when absent), and the first as an integer of exactly
 * that size (fails the test otherwise) or as a string in one of 4
 * rotating buffers ("" when absent). */
int tl_field(const struct gs_rec *rec, uint16_t tag, unsigned n, struct gs_tlv_field *f);
uint32_t tl_u32(const struct gs_rec *rec, uint16_t tag);
uint64_t tl_u64(const struct gs_rec *rec, uint16_t tag);
int32_t tl_i32(const struct gs_rec *rec, uint16_t tag);
const char *tl_str(const struct gs_rec *rec, uint16_t tag, unsigned n);
unsigned tl_nfields(const struct gs_rec *rec, uint16_t tag);

/* Whether the reader found problem `what`. */
int tl_has_issue(const struct gs_ring_reader *r, enum gs_ring_problem what);

#endif
