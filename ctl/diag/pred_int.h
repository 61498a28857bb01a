/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the predicate vocabulary (pred.h): the parsers and evaluators
 * the table in pred.c points to, one file per subject, and their shared
 * helpers.  Evaluators follow struct gs_pred's contract: GS_TRUE, GS_FALSE,
 * or GS_UNKNOWN when the record lacks the fact. */
#ifndef GS_DIAG_PRED_INT_H
#define GS_DIAG_PRED_INT_H

#include <stddef.h>
#include <stdint.h>

#include "flags.h"
#include "pred.h"

#define EV GS_SUBJ_EVENT
#define PR GS_SUBJ_PROCESS
#define NT GS_SUBJ_NOTE
#define EX GS_SUBJ_EXIT
#define ANY (EV | PR | NT | EX)

static inline enum gs_tri tri(int v)
{
	return v ? GS_TRUE : GS_FALSE;
}

/* pred_util.c */

/* Call fn on each '|'-separated alternative of arg; 1 as soon as one
 * returns non-zero, else 0. */
int gs_pr_any(const char *arg, int (*fn)(const char *alt, const void *ctx), const void *ctx);
/* Last component of a path. */
const char *gs_pr_basename(const char *p);
/* Go's directory var (goenv.h) for the caller, malloc'd; NULL when the
 * caller has no process record or it is undefined. */
char *gs_pr_godir(const struct gs_ctx *x, const char *var);
/* Seccomp state of the caller's process record, or NULL. */
const struct goshim_t_seccomp *gs_pr_seccomp(const struct gs_ctx *x);
/* The failed call's parsed record, or NULL for a process rule. */
const struct gs_event *gs_pr_ev(const struct gs_ctx *x);

/* pred_parse.c: argument checks run at load time; 0 or -1 with err. */
int gs_pp_errno(struct gs_clause *c, char *err, size_t len);
/* A '|'-separated list of errno names or numbers. */
int gs_pp_errno_list(const char *arg, char *err, size_t len);
int gs_pp_family(struct gs_clause *c, char *err, size_t len);
int gs_pp_call(struct gs_clause *c, char *err, size_t len);
int gs_pp_size(struct gs_clause *c, char *err, size_t len);
int gs_pp_flags(struct gs_clause *c, char *err, size_t len);
int gs_pp_mflag(struct gs_clause *c, char *err, size_t len);
int gs_pp_rlim(struct gs_clause *c, char *err, size_t len);
int gs_pp_goenv(struct gs_clause *c, char *err, size_t len);
int gs_pp_seccomp(struct gs_clause *c, char *err, size_t len);
int gs_pp_elfkind(struct gs_clause *c, char *err, size_t len);
int gs_pp_engine(struct gs_clause *c, char *err, size_t len);
/* The O_*, MAP_*, MFD_*, AT_* or PROT_* symbol called name, or NULL. */
const struct gs_flag *gs_pr_flag(const char *name);
/* ST_* bit of a mount flag name ("noexec", "!noexec" ...); 0 or -1. */
int gs_pr_mflag(const char *name, uint64_t *bit);
/* RLIMIT_* of a resource name ("AS", "NOFILE" ...), or -1. */
int gs_pr_rlimit_res(const char *name);

/* pred_call.c */
/* gs_pr_any callback: alt equals the string ctx. */
int gs_pe_call_one(const char *alt, const void *ctx);
enum gs_tri gs_pe_call(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_family(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_engine(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_errno(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_flags(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_length(const struct gs_clause *c, const struct gs_ctx *x);

/* pred_path.c */
/* gs_pr_any callback: the string ctx matches the shell pattern alt. */
int gs_pe_glob_one(const char *alt, const void *ctx);
enum gs_tri gs_pe_path_glob(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_base_glob(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_path_empty(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_under_env(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_is_env(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_above_env(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_parent_env(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_parent_in_list(const struct gs_clause *c, const struct gs_ctx *x);

/* pred_evidence.c */
enum gs_tri gs_pe_mount_flag(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_mode_x(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_target_exists(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_owner(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_interp_missing(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_elf_kind(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_elf_foreign(const struct gs_clause *c, const struct gs_ctx *x);

/* pred_proc.c */
enum gs_tri gs_pe_seccomp(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_env_unset(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_env_set(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_env_is(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_exe_glob(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_rlimit_finite(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_rlimit_hard_lt(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_exited_nonzero(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_exit_propagated(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_tree_failed(const struct gs_clause *c, const struct gs_ctx *x);

/* pred_probe.c: probe notes, exit evidence, the ring as a whole */
int gs_pp_ring_call(struct gs_clause *c, char *err, size_t len);
enum gs_tri gs_pe_note_denies(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_note_is(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_fs_full(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_ring_call(const struct gs_clause *c, const struct gs_ctx *x);

/* pred_lookup.c */
enum gs_tri gs_pe_prog_is(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_search_exhausted(const struct gs_clause *c, const struct gs_ctx *x);
enum gs_tri gs_pe_no_exec_of(const struct gs_clause *c, const struct gs_ctx *x);

#endif
