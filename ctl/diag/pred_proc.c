/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about the calling process: seccomp, environment, limits, exit. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include "calls.h"
#include "facts.h"
#include "flags.h"
#include "goenv.h"
#include "hostarch.h"
#include "link.h"
#include "pred_int.h"

enum gs_tri gs_pe_seccomp(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct goshim_t_seccomp *s = gs_pr_seccomp(x);
	static const char *const modes[] = { "off", "strict", "filter" };

	if (!s || s->mode < 0 || s->mode > 2) {
		return GS_UNKNOWN;
	}
	return tri(strcmp(modes[s->mode], c->argv[0]) == 0);
}

/* Every variable of c is set (want_set) or unset/empty (!want_set). */
static enum gs_tri gs_pr_env_all(const struct gs_clause *c, const struct gs_ctx *x, int want_set)
{
	int known;

	for (size_t i = 0; i < c->argc; i++) {
		const char *v = gs_model_env(x->m, x->pid, c->argv[i], &known);
		if (!known) {
			return GS_UNKNOWN;
		}
		if ((v && *v) != want_set) {
			return GS_FALSE;
		}
	}
	return GS_TRUE;
}

enum gs_tri gs_pe_env_unset(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pr_env_all(c, x, 0);
}

enum gs_tri gs_pe_env_set(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pr_env_all(c, x, 1);
}

enum gs_tri gs_pe_env_is(const struct gs_clause *c, const struct gs_ctx *x)
{
	int known;
	const char *v = gs_model_env(x->m, x->pid, c->argv[0], &known);

	if (!known) {
		return GS_UNKNOWN;
	}
	return tri(gs_pr_alts(c, 1, gs_pe_call_one, v ? v : ""));
}

static const char *gs_pr_exe(const struct gs_ctx *x)
{
	if (x->e && x->e->ev.exe) {
		return x->e->ev.exe;
	}
	return x->p ? x->p->exe : NULL;
}

enum gs_tri gs_pe_exe_glob(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *exe = gs_pr_exe(x);

	return exe ? tri(gs_pr_globs(c, 0, exe)) : GS_UNKNOWN;
}

static const struct goshim_t_rlimit *gs_pr_rlimit(const struct gs_ctx *x, const char *name)
{
	const struct gs_proc *p = gs_model_rec_of(x->m, x->pid);
	int res = gs_pr_rlimit_res(name);
	if (!p) {
		return NULL;
	}
	for (size_t i = 0; i < p->rec.rlimits.n; i++) {
		if ((int)gs_evt_rlimits(&p->rec)[i].resource == res) {
			return &gs_evt_rlimits(&p->rec)[i];
		}
	}
	return NULL;
}

enum gs_tri gs_pe_rlimit_finite(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct goshim_t_rlimit *r = gs_pr_rlimit(x, c->argv[0]);

	return r ? tri(r->cur != ~0ull) : GS_UNKNOWN;
}

enum gs_tri gs_pe_rlimit_hard_lt(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct goshim_t_rlimit *r = gs_pr_rlimit(x, c->argv[0]);

	return r ? tri(r->max != ~0ull && r->max < c->num) : GS_UNKNOWN;
}

enum gs_tri gs_pe_exited_nonzero(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_proc(x->m, x->pid);

	if (!p || !p->exited) {
		return GS_UNKNOWN;
	}
	return tri(p->status != 0);
}

enum gs_tri gs_pe_exit_propagated(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_proc(x->m, x->pid);
	int r;

	if (!p) {
		return GS_UNKNOWN;
	}
	if (!p->exited) {
		const struct gs_proc *parent = gs_model_proc(x->m, p->ppid);
		/* no EXIT record where one would have been written: exited 0 */
		if (gs_model_exit_ok(x->m, p) == 1) {
			return GS_FALSE;
		}
		/* a child that never exec'd (Go's fork, vfork, posix_spawn) dies
		 * unrecorded: its exec failure is its parent's to report */
		if (!parent || parent == p) {
			return GS_UNKNOWN;
		}
		p = parent;
	}
	r = gs_model_failure_propagates(x->m, p);
	return r < 0 ? GS_UNKNOWN : tri(r);
}

/* The caller's failure is the origin of a failed exit (link.h): it
 * exited non-zero, that failed the run, and no child of its had failed
 * before — not a go passing on its test binary's exit 1 (relay). */
enum gs_tri gs_pe_exit_origin(const struct gs_clause *c, const struct gs_ctx *x)
{
	(void)c;
	if (!gs_model_proc(x->m, x->pid)) {
		return GS_UNKNOWN;
	}
	switch (gs_link_of(x->m, x->pid, NULL)) {
	case GS_LINK_CAUSE:
		return GS_TRUE;
	case GS_LINK_UNKNOWN:
		return GS_UNKNOWN;
	default:
		return GS_FALSE;
	}
}

/* The caller is a Go program built with -race (its process record's
 * T_GORACE, which the trace engine reads under a finite RLIMIT_AS). */
enum gs_tri gs_pe_go_race(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_rec_of(x->m, x->pid);

	(void)c;
	if (!p || !gs_evt_has(&p->rec, GS_E_GORACE)) {
		return GS_UNKNOWN;
	}
	return tri(p->rec.gorace != 0);
}

/* The caller is a Go program: its process record says whether it was
 * built with -race (T_GORACE: any Go program with build information, read
 * under a finite RLIMIT_AS) or it is a go command (T_GOVERSION).  False
 * for a record without either (a C program); unknown without a record. */
enum gs_tri gs_pe_go_program(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_rec_of(x->m, x->pid);

	(void)c;
	if (!p) {
		return GS_UNKNOWN;
	}
	return tri(gs_evt_has(&p->rec, GS_E_GORACE) || gs_evt_has(&p->rec, GS_E_GOVERSION));
}

/* The caller exited with one of these statuses (a signal is none of
 * them); unknown when its exit is not known. */
enum gs_tri gs_pe_exit_code(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_proc(x->m, x->pid);

	if (!p || !p->exited) {
		return GS_UNKNOWN;
	}
	if (!WIFEXITED(p->status)) {
		return GS_FALSE;
	}
	int v = WEXITSTATUS(p->status);
	return tri((c->small[v >> 6] >> (v & 63)) & 1);
}

enum gs_tri gs_pe_tree_failed(const struct gs_clause *c, const struct gs_ctx *x)
{
	return tri(gs_model_tree_failed(x->m));
}
