/* SPDX-License-Identifier: Apache-2.0 */
/* A failed run never reads as clean: the exits no error finding explains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fmt.h"
#include "out.h"

/* Is pid `anc` an ancestor of (or the same as) `pid` in the ring? */
static int ux_within(const struct gs_model *m, uint32_t pid, uint32_t anc)
{
	for (int depth = 0; depth < 64 && pid; depth++) {
		const struct gs_proc *p;
		if (pid == anc) {
			return 1;
		}
		p = gs_model_proc(m, pid);
		if (!p) {
			return 0;
		}
		pid = p->ppid;
	}
	return 0;
}

/* The exits that make a run failed: the top of the tree (no parent in the
 * ring, and none of its records lost) and every go command whose failure
 * no process above it survived (a test running `go list` it expects to
 * fail passes), ending non-zero or by a signal. */
static int ux_fails_run(const struct gs_model *m, const struct gs_proc *p)
{
	const char *base;

	if (!p->exited || p->status == 0) {
		return 0;
	}
	base = p->exe ? strrchr(p->exe, '/') : NULL;
	if (base && strcmp(base + 1, "go") == 0) {
		return gs_model_failure_propagates(m, p) != 0;
	}
	/* the top of the tree, unless its parent's record may have been lost */
	return !gs_model_proc(m, p->ppid) && !gs_model_procs_lost(m);
}

/* One line per failure: the outermost such exit speaks for those below it
 * (go exits 1 because its forked child exited 253). */
static int ux_counts(const struct gs_model *m, const struct gs_proc *p)
{
	const struct gs_proc *a = p;

	if (!ux_fails_run(m, p)) {
		return 0;
	}
	for (int depth = 0; depth < 64 && (a = gs_model_proc(m, a->ppid)); depth++) {
		if (ux_fails_run(m, a)) {
			return 0;
		}
	}
	return 1;
}

/* The unclassified failures nearest to u's exit: the newest of its own
 * process tree, else those its tree survived, else the newest of the ring. */
static void ux_nearest(const struct gs_model *m, const struct gs_report *r, struct gs_unx *u)
{
	const struct {
		const size_t *ev;
		size_t n;
		int own_tree;
	} pass[] = { { r->unc, r->nunc, 1 }, { r->quiet, r->nquiet, 1 }, { r->unc, r->nunc, 0 } };

	for (size_t p = 0; p < sizeof(pass) / sizeof(pass[0]) && !u->nnear; p++) {
		for (size_t i = pass[p].n; i-- > 0 && u->nnear < GS_UNX_NEAR;) {
			size_t k = pass[p].ev[i];
			if (!pass[p].own_tree || ux_within(m, m->ev[k].ev.pid, u->pid)) {
				u->near[u->nnear++] = k;
			}
		}
	}
}

char *gs_unx_line(const struct gs_unx *u, char *buf, size_t size)
{
	const char *b = u->exe ? strrchr(u->exe, '/') : NULL;
	char st[64];

	snprintf(buf, size, "%s (pid %u) %s; no known pattern explains it",
		 b ? b + 1 : u->exe ? u->exe : "?", u->pid, gs_fmt_status(u->status, st, sizeof(st)));
	return buf;
}

void gs_unexplained(const struct gs_model *m, struct gs_report *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		if (r->f[i].sev == GS_SEV_ERROR) {
			return;
		}
	}
	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *p = &m->proc[i];
		struct gs_unx *u;
		if (!ux_counts(m, p)) {
			continue;
		}
		u = realloc(r->unx, (r->nunx + 1) * sizeof(*r->unx));
		if (!u) {
			return;
		}
		r->unx = u;
		u = &r->unx[r->nunx++];
		memset(u, 0, sizeof(*u));
		u->pid = p->pid;
		u->exe = p->exe;
		u->status = p->status;
		ux_nearest(m, r, u);
	}
}
