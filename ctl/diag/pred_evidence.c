/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about the evidence recorded with a failure. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "calls.h"
#include "facts.h"
#include "flags.h"
#include "goenv.h"
#include "hostarch.h"
#include "perm.h"
#include "pred_int.h"

enum gs_tri gs_pe_mount_flag(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (!gs_evt_has(e, GS_E_EV_STATFS)) {
		return GS_UNKNOWN;
	}
	for (size_t i = 0; i < c->argc; i++) {
		uint64_t bit = 0;
		int want = c->argv[i][0] != '!';
		gs_pr_mflag(c->argv[i], &bit);
		if (!!(e->ev_statfs.flags & bit) != want) {
			return GS_FALSE;
		}
	}
	return GS_TRUE;
}

/* The stat evidence is about the target itself (not an ancestor). */
static int gs_pr_stat_is_target(const struct gs_event *e)
{
	return gs_evt_has(e, GS_E_EV_STAT) &&
	       (!gs_evt_has(e, GS_E_EV_MISSING) || e->ev_missing == 0);
}

enum gs_tri gs_pe_mode_x(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (!gs_pr_stat_is_target(e)) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_stat.mode & 0111);
}

enum gs_tri gs_pe_target_exists(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (gs_evt_has(e, GS_E_EV_MISSING)) {
		return tri(e->ev_missing == 0);
	}
	if (gs_evt_has(e, GS_E_EV_ELF) && e->ev_elf.open_errno != ENOENT &&
	    e->ev_elf.kind != 0) {
		return GS_TRUE;
	}
	return GS_UNKNOWN;
}

enum gs_tri gs_pe_owner(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (!gs_evt_has(e, GS_E_EV_STAT) || !gs_evt_has(e, GS_E_EV_CRED)) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_stat.uid != e->ev_cred.euid);
}

/* Whether owner, group and mode bits give the caller the access c->num
 * (4 r, 2 w, 1 x) to the target, or, when the target does not exist, w
 * and x on its nearest existing ancestor (what creating in it takes). */
enum gs_tri gs_pe_mode_allows(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);
	const struct goshim_t_cred *cr = &e->ev_cred;
	unsigned need = gs_pr_stat_is_target(e) ? (unsigned)c->num : 3;
	struct gs_perm_who w = {
		.euid = cr->euid, .egid = cr->egid, .groups = cr->groups,
		.ngroups = cr->ngroups < 16 ? cr->ngroups : 16, .partial = cr->ngroups > 16,
	};
	int g;

	if (!gs_evt_has(e, GS_E_EV_STAT) || !gs_evt_has(e, GS_E_EV_CRED)) {
		return GS_UNKNOWN;
	}
	g = gs_perm_grants(e->ev_stat.mode, e->ev_stat.uid, e->ev_stat.gid, &w, need);
	return g < 0 ? GS_UNKNOWN : tri(g);
}

enum gs_tri gs_pe_interp_missing(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (!gs_evt_has(e, GS_E_EV_INTERP) || !gs_evt_has(e, GS_E_EV_INTERP_ERR)) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_interp_err == ENOENT || e->ev_interp_err == ENOTDIR);
}

enum gs_tri gs_pe_elf_kind(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);

	if (!gs_evt_has(e, GS_E_EV_ELF)) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_elf.kind == c->num);
}

enum gs_tri gs_pe_elf_foreign(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = gs_pr_ev(x);
	const struct gs_proc *p = gs_model_rec_of(x->m, x->pid);
	int host = gs_host_em(p && p->rec.uname ? p->rec.uname : NULL, x->m->host_machine);

	if (!gs_evt_has(e, GS_E_EV_ELF) || e->ev_elf.kind != 1 || host < 0) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_elf.e_machine != host);
}
