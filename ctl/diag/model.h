/* SPDX-License-Identifier: Apache-2.0 */
/* A ring read into memory for diagnosis: its failed calls and the
 * processes they came from (process records, linked by ppid, with their
 * exit status from EXIT records). */
#ifndef GS_DIAG_MODEL_H
#define GS_DIAG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "ring_read.h"

/* Where a model event comes from.  Besides the failed calls of EVENT
 * records, two kinds of records speak of failures the engines could not
 * catch as they happened; each of their items becomes one model event, so
 * that rules, findings and outputs treat them alike. */
enum gs_origin {
	GS_ORIGIN_CALL = 0,   /* a failed call (GOSHIM_REC_EVENT)                */
	GS_ORIGIN_PROBE = 1,  /* a call a "seccomp-denied:" NOTE reports denied:
			       * made by the engine's probe under the same policy:
			       * call, errno, pid/exe of the prober, T_SECCOMP, and
			       * T_ARCH AUDIT_ARCH_I386 for an "i386:" item       */
	GS_ORIGIN_EXITFS = 2, /* one EV_PATH + EV_STATFS pair of an EXIT record:
			       * a filesystem the process that died was writing
			       * to (path = abspath = ev_path), no call, errno 0 */
	GS_ORIGIN_NOTE = 3,   /* any other NOTE "kind: text" (label = the whole
			       * text): pid/exe of the process it is about, no
			       * call, errno 0; nothing when no rule matches it */
};

/* One failed call (a GOSHIM_REC_EVENT), or one item of a probe NOTE or of
 * an EXIT record (origin). */
struct gs_mev {
	struct gs_event ev;
	uint32_t count;   /* aggregation count, >= 1 */
	uint32_t engine;  /* enum goshim_engine      */
	const char *call; /* display name ("openat"), "call#N" when unknown */
	uint16_t family;  /* enum goshim_family, 0 when unknown */
	char kind;        /* 'L' or 'S', 0 when unknown */
	enum gs_origin origin;
	char *label;      /* probe item as the note names it ("i386:clock_gettime64"),
			   * or a NOTE's text (GS_ORIGIN_NOTE); owned; NULL for
			   * other origins */
	unsigned run;     /* 1 + index in gs_model.runs of the run its process
			   * belonged to when it was recorded; 0 unknown */
};

/* One process: from its PROCESS record (the newest one of that pid: after
 * an exec, the program now running), or only known from the identity
 * fields of its events (has_rec 0). */
struct gs_proc {
	uint32_t pid, ppid;
	const char *exe;         /* NULL when unknown */
	int has_rec;
	struct gs_event rec;     /* the PROCESS record (argv, env, rlimits...) */
	int exited;              /* an EXIT record was found               */
	int32_t status;          /* wait(2) status when exited              */
	uint32_t engine;         /* engine of the PROCESS record (see
				  * gs_model_exit_ok)                       */
	unsigned run;            /* 1 + index in gs_model.runs of its
				  * record's run (T_RUN); 0 none            */
};

struct gs_model {
	struct gs_ring_reader rd;
	struct gs_mev *ev;
	size_t nev;
	struct gs_proc *proc;
	size_t nproc;
	size_t bad_payloads;     /* records whose payload did not parse */
	char **notes;            /* NOTE records' texts, one per T_NOTE */
	size_t nnotes;
	char host_machine[17];   /* uname -m of the ring's creator */
	char owner_warn[512];    /* the ring belongs to another user: why
				  * that matters (empty: it is the reader's) */
	int no_file;             /* no file at the path, in a directory
				  * that exists: loaded as the empty ring */
	char **runs;             /* the run ids of the PROCESS records, in
				  * the order of their first record       */
	uint64_t *run_start;     /* per run: time_real of its first record */
	size_t nruns;
	unsigned last_run;       /* 1 + index of the run of the newest
				  * PROCESS record that has one; 0 none   */	struct gs_godir_memo *godir; /* gs_model_go_dir's answers so far
				  * (model_godir.c), made at the first
				  * question: a cache, which changes no
				  * answer, so a const model fills it too */
};

/* Forget every answer gs_model_go_dir kept (what a change of m->proc
 * requires; the memo itself stays, freed by gs_model_free).  g may be
 * NULL. */
void gs_godir_memo_clear(struct gs_godir_memo *g);

/* Read the ring at path into m.  Returns 0, or -1 when the file is not
 * usable at all (cannot be opened, not a ring, records of which not one
 * decoded: a zstd dictionary this goshimctl does not know): err then says
 * why.  The model holds copies of what it reads: m->rd.recs keep their
 * headers, their payloads are freed once read (payload NULL). */
int gs_model_load(struct gs_model *m, const char *path, char *err, size_t errlen);

void gs_model_free(struct gs_model *m);

/* The process with this pid, or NULL. */
const struct gs_proc *gs_model_proc(const struct gs_model *m, uint32_t pid);

/* The last component of a program's path ("go" of "/usr/bin/go"); "?"
 * for NULL. */
const char *gs_exe_base(const char *exe);

/* Value of environment variable `name` for process pid: from its process
 * record, else from its nearest ancestor that has one (a fork child runs
 * with its parent's environment).  NULL when unset or not known.  *known
 * (may be NULL) is set to 1 when some process record was found. */
const char *gs_model_env(const struct gs_model *m, uint32_t pid, const char *name,
			 int *known);

/* Go's directory var (goenv.h: GOCACHE, WORK ... or a plain variable)
 * for pid, from the environment gs_model_env gives it: malloc'd, NULL when
 * pid has no process record to speak for it or var is undefined there.
 * Worked out once per process record and var (m->godir). */
char *gs_model_go_dir(const struct gs_model *m, uint32_t pid, const char *var);

/* The same, not copied: owned by m, valid until gs_model_keep_last_run
 * or gs_model_free. */
const char *gs_model_go_dir_ref(const struct gs_model *m, uint32_t pid, const char *var);

/* The process record that speaks for pid (itself or nearest ancestor
 * with a record), or NULL. */
const struct gs_proc *gs_model_rec_of(const struct gs_model *m, uint32_t pid);

/* Ancestors of pid, root first, pid last, into out[0..max).  Stops at a
 * pid with no known parent or at a loop.  Returns the count. */
size_t gs_model_chain(const struct gs_model *m, uint32_t pid, uint32_t *out, size_t max);

/* True when name is one of the syscalls outside the call table that the
 * model names from T_ARCH + T_SYSNR (pidfd_open, pidfd_send_signal,
 * waitid: probes Go makes and expects to fail). */
int gs_model_sysname_known(const char *name);

/* True when some process of the ring exited non-zero or was killed (its
 * EXIT record says so).  A ring holds one process tree: one `goshimctl
 * run`, or the programs of one preloaded session. */
int gs_model_tree_failed(const struct gs_model *m);

/* Did p end with status 0?  1 yes, 0 no, -1 unknown.  Known from its EXIT
 * record, or from the absence of one where someone would have written it:
 * the trace engine records every non-zero exit of its tree, a preloaded
 * parent every non-zero exit of its children; the top of a preloaded tree
 * has nobody to watch it, and a process known only from its failed calls
 * (a vfork or posix_spawn child whose exec never succeeded) may have died
 * unrecorded: unknown. */
int gs_model_exit_ok(const struct gs_model *m, const struct gs_proc *p);

/* Did p's failed exit fail the run: 1 when p exited non-zero and so did
 * every ancestor up to the top of the recorded tree (a parent not in the
 * ring, or the top of a preloaded tree whose exit nobody recorded); 0 when
 * p exited 0 or an ancestor survived it (go list -e over a failed cgo, a
 * test binary over a go it expected to fail); -1 when a lost record hides
 * the answer. */
int gs_model_failure_propagates(const struct gs_model *m, const struct gs_proc *p);

/* Were process records lost to wrap-around (the process lane of a v2 ring,
 * any record of a v1 ring)?  Then a parent missing from the ring may only
 * have been forgotten: it is not known to be outside the tree. */
int gs_model_procs_lost(const struct gs_model *m);

/* The parsed items of a probe note text "seccomp-denied: NAME=ERRNO ...":
 * calls fn(name, err, ctx) for each item ("none" has none).  Returns the
 * number of items, or -1 when text is not a probe note. */
int gs_model_probe_items(const char *text, void (*fn)(const char *name, int err, void *ctx),
			 void *ctx);

/* The path a failure is about: ABSPATH, else PATH, else NAME, else NULL. */
const char *gs_mev_path(const struct gs_mev *e);

#endif
