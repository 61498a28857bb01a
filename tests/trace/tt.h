/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the trace engine tests: run goshimctl run, decode the ring. */
#ifndef TT_H
#define TT_H

#include <stdint.h>
#include <sys/types.h>

#define TT_STR 1024

/* One decoded record (the fields the tests look at). */
struct tt_rec {
	uint16_t type;
	uint32_t count;          /* aggregation count */
	uint32_t pid, tid, ppid;
	uint32_t call, arch, sysnr;
	int32_t err;
	int64_t ret;
	char exe[TT_STR], path[TT_STR], abspath[TT_STR], ev_path[TT_STR];
	char ev_mount[TT_STR], note[TT_STR], interp[TT_STR], cwd[TT_STR];
	char argv0[TT_STR];
	int has_statfs, has_stat, has_elf, has_cred, has_seccomp;
	uint64_t statfs_flags;
	uint32_t stat_mode;
	uint32_t missing;
	int32_t interp_err;
	uint16_t elf_machine;
	uint8_t elf_class;
	uint32_t elf_kind;
	int32_t status;
	uint32_t child;
	unsigned nframes, nmodules, nenv, nrlimit;
	uint64_t frame0;
	char module0[TT_STR];
	char modules[4 * TT_STR]; /* every module path, '|'-separated */
	uint8_t module0_bid_len;
};

struct tt_ring {
	struct tt_rec *recs;
	size_t n;
	uint32_t engine_mismatch; /* records not written by the trace engine */
};

/* Path of a build artifact: $GOSHIM_BUILD_ROOT/rel. */
const char *tt_build(const char *rel);
/* Make a fresh temp dir (mkdtemp under /tmp), returned malloc'd. */
char *tt_tmpdir(const char *tag);
/* Run goshimctl run --ring ring -- argv...; returns the wait status.  With
 * stdin_data non-NULL, it is fed on the command's stdin. */
int tt_trace(const char *ring, char *const argv[], const char *stdin_data);

/* av := goshimctl run --ring ring -- argv..., NULL-terminated, at most cap
 * entries in all (argv is cut to fit). */
void tt_run_argv(char **av, size_t cap, const char *ring, char *const argv[]);
/* Run argv bare (same stdin handling); returns the wait status. */
int tt_bare(char *const argv[], const char *stdin_data);
/* Decode ring into r (fails the test on a load error). */
void tt_load(const char *ring, struct tt_ring *r);
void tt_free(struct tt_ring *r);
/* First EVENT with call id (0 any), errno (-1 any) and a path containing
 * sub (NULL any); NULL when none. */
const struct tt_rec *tt_find(const struct tt_ring *r, uint32_t call, int err,
			     const char *sub);
/* Count records of a type. */
size_t tt_count(const struct tt_ring *r, uint16_t type);
/* Print every record (for failing tests and tt_dump). */
void tt_dump(const struct tt_ring *r);
/* 1 when goshimctl run should use the in-kernel watcher here: as root,
 * unless GOSHIM_TRACE_EBPF=0 (the -notify variants of the suites). */
int tt_ebpf_expected(void);
/* Run a shell command, fail the test when it does not exit 0. */
void tt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
