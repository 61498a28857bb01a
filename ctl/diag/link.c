/* SPDX-License-Identifier: Apache-2.0 */
#include "link.h"

#include <stddef.h>

/* The longest chain of parents followed (a loop in a damaged ring). */
#define LK_DEPTH 64

/* The process whose exit judges a failure of pid: pid, or the nearest
 * ancestor whose exit is known.  NULL when pid is not in the ring. */
static const struct gs_proc *lk_judge(const struct gs_model *m, uint32_t pid)
{
	const struct gs_proc *p = gs_model_proc(m, pid);

	for (int depth = 0; p && depth < LK_DEPTH; depth++) {
		const struct gs_proc *up = gs_model_proc(m, p->ppid);
		if (gs_model_exit_ok(m, p) != -1 || !up || up == p) {
			return p;
		}
		p = up;
	}
	return p;
}

/* Did a child of p exit non-zero (p then only passed its failure on)? */
static int lk_failed_child(const struct gs_model *m, const struct gs_proc *p)
{
	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *c = &m->proc[i];
		if (c != p && c->ppid == p->pid && c->exited && c->status != 0) {
			return 1;
		}
	}
	return 0;
}

enum gs_link gs_link_of(const struct gs_model *m, uint32_t pid, uint32_t *origin)
{
	const struct gs_proc *p = lk_judge(m, pid);
	int ok = p ? gs_model_exit_ok(m, p) : -1;

	if (ok != 0) {
		return ok == 1 ? GS_LINK_SURVIVED : GS_LINK_UNKNOWN;
	}
	switch (gs_model_failure_propagates(m, p)) {
	case 0:
		return GS_LINK_SURVIVED;
	case 1:
		break;
	default:
		return GS_LINK_UNKNOWN;
	}
	if (lk_failed_child(m, p)) {
		return GS_LINK_RELAY;
	}
	if (origin) {
		*origin = p->pid;
	}
	return GS_LINK_CAUSE;
}

uint32_t gs_link_passed(const struct gs_model *m, uint32_t pid)
{
	const struct gs_proc *p = gs_model_proc(m, pid);

	if (gs_model_procs_lost(m)) {
		return 0;
	}
	for (int depth = 0; p && depth < LK_DEPTH; depth++) {
		const struct gs_proc *up = gs_model_proc(m, p->ppid);
		if (p->exited && p->status != 0) {
			return 0;
		}
		if (!up || up == p) {
			return p->exited ? p->pid : 0;
		}
		p = up;
	}
	return 0;
}

const char *gs_link_name(enum gs_link l)
{
	static const char *const names[] = {
		[GS_LINK_SURVIVED] = "survived", [GS_LINK_RELAY] = "relay",
		[GS_LINK_UNKNOWN] = "unknown", [GS_LINK_CAUSE] = "cause",
	};

	return (unsigned)l < sizeof(names) / sizeof(names[0]) ? names[l] : "unknown";
}
