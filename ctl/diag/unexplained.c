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

/* The unclassified failures nearest to u's exit: the newest of its
 * origin's process tree, else of its own, else those its tree survived,
 * else the newest of the ring. */
static void ux_nearest(const struct gs_model *m, const struct gs_report *r, struct gs_unx *u)
{
	const struct {
		const size_t *ev;
		size_t n;
		uint32_t tree; /* 0: any */
	} pass[] = { { r->unc, r->nunc, u->origin }, { r->unc, r->nunc, u->pid },
		     { r->quiet, r->nquiet, u->pid }, { r->unc, r->nunc, 0 } };

	for (size_t p = 0; p < sizeof(pass) / sizeof(pass[0]) && !u->nnear; p++) {
		for (size_t i = pass[p].n; i-- > 0 && u->nnear < GS_UNX_NEAR;) {
			size_t k = pass[p].ev[i];
			if (!pass[p].tree || ux_within(m, m->ev[k].ev.pid, pass[p].tree)) {
				u->near[u->nnear++] = k;
			}
		}
	}
}

/* The origin of u's failed exit (link.h): the last failing process of
 * its tree none of whose children failed (the last to start: go's own
 * compiler probes fail early and are survived; what ended the run came
 * last); u itself when none other is. */
static void ux_origin(const struct gs_model *m, struct gs_unx *u)
{
	u->origin = u->pid;
	u->origin_exe = u->exe;
	u->origin_status = u->status;
	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *p = &m->proc[i];
		uint32_t o = 0;
		if (p->pid != u->pid && p->exited && p->status != 0 &&
		    gs_link_of(m, p->pid, &o) == GS_LINK_CAUSE && o == p->pid &&
		    ux_within(m, p->pid, u->pid)) {
			u->origin = p->pid;
			u->origin_exe = p->exe;
			u->origin_status = p->status;
		}
	}
}

/* Does an error finding explain u: one of its failures happened at an
 * origin within u's tree, or where no link can be judged? */
static int ux_explained(const struct gs_model *m, const struct gs_report *r,
			const struct gs_unx *u)
{
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_finding *f = &r->f[i];
		if (f->sev != GS_SEV_ERROR || f->link < GS_LINK_UNKNOWN) {
			continue;
		}
		if (f->link == GS_LINK_UNKNOWN) {
			return 1;
		}
		for (size_t k = 0, last = 0; k < (f->nev ? f->nev : 1); k++) {
			uint32_t o = 0;
			uint32_t pid = f->nev ? m->ev[f->ev[k]].ev.pid : f->pid;
			if (k && pid == last) {
				continue; /* judged already */
			}
			last = pid;
			if (gs_link_of(m, pid, &o) == GS_LINK_CAUSE && ux_within(m, o, u->pid)) {
				return 1;
			}
		}
	}
	return 0;
}

char *gs_unx_line(const struct gs_unx *u, char *buf, size_t size)
{
	char st[64], ost[64], first[256] = "";

	if (u->origin != u->pid) {
		snprintf(first, sizeof(first), "%s (pid %u) %s, then ", gs_exe_base(u->origin_exe),
			 u->origin, gs_fmt_status(u->origin_status, ost, sizeof(ost)));
	}
	snprintf(buf, size, "%s%s (pid %u) %s; no known pattern explains it", first,
		 gs_exe_base(u->exe), u->pid, gs_fmt_status(u->status, st, sizeof(st)));
	return buf;
}

void gs_unexplained(const struct gs_model *m, struct gs_report *r)
{
	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *p = &m->proc[i];
		struct gs_unx x = { .pid = p->pid, .exe = p->exe, .status = p->status }, *u;
		if (!ux_counts(m, p)) {
			continue;
		}
		ux_origin(m, &x);
		if (ux_explained(m, r, &x)) {
			continue;
		}
		u = realloc(r->unx, (r->nunx + 1) * sizeof(*r->unx));
		if (!u) {
			return;
		}
		r->unx = u;
		ux_nearest(m, r, &x);
		r->unx[r->nunx++] = x;
	}
}
