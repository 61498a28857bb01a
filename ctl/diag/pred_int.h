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
#define DR GS_SUBJ_DOCTOR
#define ANY (EV | PR | NT | EX)

/* The two signatures of struct gs_pred: a load-time check of a clause's
 * arguments (0, or -1 with err set) and an evaluator. */
#define GS_PR_PARSE(name) int gs_pp_##name(struct gs_clause *c, char *err, size_t len)
#define GS_PR_EVAL(name) enum gs_tri gs_pe_##name(const struct gs_clause *c, const struct gs_ctx *x)

static inline enum gs_tri tri(int v)
{
	return v ? GS_TRUE : GS_FALSE;
}

/* pred_util.c */

/* Call fn on each '|'-separated alternative of arg; 1 as soon as one
 * returns non-zero, else 0. */
int gs_pr_any(const char *arg, int (*fn)(const char *alt, const void *ctx), const void *ctx);
/* The same for argument i of c, split when the rule was loaded
 * (c->alts): what evaluators use, once per record. */
int gs_pr_alts(const struct gs_clause *c, size_t i,
	       int (*fn)(const char *alt, const void *ctx), const void *ctx);
/* Whether s matches one of the alternatives of argument i of c as a
 * shell pattern (fnmatch(alt, s, 0) == 0; taken apart at load,
 * c->globs). */
int gs_pr_globs(const struct gs_clause *c, size_t i, const char *s);
/* Last component of a path. */
const char *gs_pr_basename(const char *p);
/* Go's directory var (goenv.h) for the caller, owned by the model; NULL
 * when the caller has no process record or it is undefined. */
const char *gs_pr_godir(const struct gs_ctx *x, const char *var);
/* Seccomp state of the caller's process record, or NULL. */
const struct goshim_t_seccomp *gs_pr_seccomp(const struct gs_ctx *x);
/* The failed call's parsed record, or NULL for a process rule. */
const struct gs_event *gs_pr_ev(const struct gs_ctx *x);
/* Whether err is one of the errnos of c's first argument (a list
 * gs_pp_errno parsed into c->small). */
int gs_pr_errno_in(const struct gs_clause *c, int err);

/* pred_parse.c */
/* A '|'-separated list of errno names or numbers. */
int gs_pp_errno_list(const char *arg, char *err, size_t len);
GS_PR_PARSE(errno); GS_PR_PARSE(family); GS_PR_PARSE(call); GS_PR_PARSE(size);
GS_PR_PARSE(flags); GS_PR_PARSE(mflag); GS_PR_PARSE(rlim); GS_PR_PARSE(goenv);
GS_PR_PARSE(seccomp); GS_PR_PARSE(elfkind); GS_PR_PARSE(engine); GS_PR_PARSE(fact);
GS_PR_PARSE(access); GS_PR_PARSE(code);
/* The O_*, MAP_*, MFD_*, AT_* or PROT_* symbol called name, or NULL. */
const struct gs_flag *gs_pr_flag(const char *name);
/* ST_* bit of a mount flag name ("noexec", "!noexec" ...); 0 or -1. */
int gs_pr_mflag(const char *name, uint64_t *bit);
/* RLIMIT_* of a resource name ("AS", "NOFILE" ...), or -1. */
int gs_pr_rlimit_res(const char *name);

/* pred_call.c */
/* gs_pr_any callback: alt equals the string ctx. */
int gs_pe_call_one(const char *alt, const void *ctx);
/* gs_pr_any callback: alt names or numbers the errno *(const int *)ctx. */
int gs_pe_errno_one(const char *alt, const void *ctx);
GS_PR_EVAL(call); GS_PR_EVAL(family); GS_PR_EVAL(engine); GS_PR_EVAL(errno);
GS_PR_EVAL(flags); GS_PR_EVAL(length);

/* pred_path.c */
/* gs_pr_any callback: the string ctx matches the shell pattern alt. */
int gs_pe_glob_one(const char *alt, const void *ctx);
GS_PR_EVAL(path_glob); GS_PR_EVAL(base_glob); GS_PR_EVAL(path_empty); GS_PR_EVAL(under_env);
GS_PR_EVAL(is_env); GS_PR_EVAL(above_env); GS_PR_EVAL(parent_env); GS_PR_EVAL(parent_in_list);

/* pred_evidence.c */
GS_PR_EVAL(mount_flag); GS_PR_EVAL(mode_x); GS_PR_EVAL(target_exists); GS_PR_EVAL(owner);
GS_PR_EVAL(mode_allows);
GS_PR_EVAL(interp_missing); GS_PR_EVAL(elf_kind); GS_PR_EVAL(elf_foreign);

/* pred_proc.c */
GS_PR_EVAL(seccomp); GS_PR_EVAL(env_unset); GS_PR_EVAL(env_set); GS_PR_EVAL(env_is);
GS_PR_EVAL(exe_glob); GS_PR_EVAL(rlimit_finite); GS_PR_EVAL(rlimit_hard_lt);
GS_PR_EVAL(exited_nonzero); GS_PR_EVAL(exit_propagated); GS_PR_EVAL(exit_origin);
GS_PR_EVAL(go_race); GS_PR_EVAL(go_program); GS_PR_EVAL(exit_code);
GS_PR_EVAL(tree_failed);

/* pred_probe.c: probe notes, exit evidence, the ring as a whole, and
 * doctor's records */
GS_PR_PARSE(ring_call);
GS_PR_EVAL(note_denies); GS_PR_EVAL(note_is); GS_PR_EVAL(fs_full); GS_PR_EVAL(ring_call);
GS_PR_EVAL(proc_errno);
GS_PR_EVAL(fact);

/* pred_gomod.c */
GS_PR_EVAL(gomod_newer);

/* pred_lookup.c */
GS_PR_EVAL(prog_is); GS_PR_EVAL(search_exhausted); GS_PR_EVAL(no_exec_of);
GS_PR_EVAL(descendant_exe);

#endif
