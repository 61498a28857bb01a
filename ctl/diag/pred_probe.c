/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about what the engines saw besides failed calls: the calls a
 * probe note reports denied, the filesystems of an EXIT record, and the
 * failed calls of the ring as a whole; and the facts of doctor's records. */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"
#include "flags.h"
#include "pred_int.h"

enum gs_tri gs_pe_note_denies(const struct gs_clause *c, const struct gs_ctx *x)
{
	if (x->e->origin != GS_ORIGIN_PROBE || !x->e->label) {
		return GS_FALSE;
	}
	return tri(gs_pr_globs(c, 0, x->e->label));
}

/* The kind of a note ("setid-without-privilege" of
 * "setid-without-privilege: ...") matches one pattern. */
static int gs_pe_kind_one(const char *alt, const void *ctx)
{
	const char *text = ctx;
	char kind[64];
	size_t k = strcspn(text, ":");

	if (k >= sizeof(kind)) {
		return 0;
	}
	memcpy(kind, text, k);
	kind[k] = 0;
	return fnmatch(alt, kind, 0) == 0;
}

enum gs_tri gs_pe_note_is(const struct gs_clause *c, const struct gs_ctx *x)
{
	if (x->e->origin != GS_ORIGIN_NOTE || !x->e->label) {
		return GS_FALSE;
	}
	return tri(gs_pr_alts(c, 0, gs_pe_kind_one, x->e->label));
}

enum gs_tri gs_pe_fs_full(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_event *e = &x->e->ev;

	if (!gs_evt_has(e, GS_E_EV_STATFS)) {
		return GS_UNKNOWN;
	}
	return tri(e->ev_statfs.bavail == 0 || e->ev_statfs.favail == 0);
}

static int gs_pp_call_bad(const char *alt, const void *ctx)
{
	return gs_call_by_name(alt, 0) == NULL;
}

int gs_pp_ring_call(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pr_alts(c, 0, gs_pp_call_bad, NULL)) {
		snprintf(err, len, "unknown call in \"%s\" (names of common/calls.h)", c->argv[0]);
		return -1;
	}
	if (c->argc > 1) {
		return gs_pp_errno_list(c->argv[1], err, len);
	}
	return 0;
}

enum gs_tri gs_pe_ring_call(const struct gs_clause *c, const struct gs_ctx *x)
{
	for (size_t i = 0; i < x->m->nev; i++) {
		const struct gs_mev *e = &x->m->ev[i];
		int err = e->ev.err;

		if (e->origin != GS_ORIGIN_CALL || !gs_pr_alts(c, 0, gs_pe_call_one, e->call)) {
			continue;
		}
		if (c->argc < 2 || gs_pr_alts(c, 1, gs_pe_errno_one, &err)) {
			return GS_TRUE;
		}
	}
	return GS_FALSE;
}

/* Every NAME PAT pair holds: false when one is known false, else unknown
 * when a fact is missing. */
enum gs_tri gs_pe_fact(const struct gs_clause *c, const struct gs_ctx *x)
{
	enum gs_tri v = GS_TRUE;

	for (size_t i = 0; i + 1 < c->argc; i += 2) {
		const char *f = x->facts ? gs_facts_get(x->facts, c->argv[i]) : NULL;
		if (!f) {
			v = GS_UNKNOWN;
		} else if (!gs_pr_globs(c, i + 1, f)) {
			return GS_FALSE;
		}
	}
	return v;
}

enum gs_tri gs_pe_proc_errno(const struct gs_clause *c, const struct gs_ctx *x)
{
	for (size_t i = 0; i < x->m->nev; i++) {
		const struct gs_mev *e = &x->m->ev[i];
		int err = e->ev.err;

		if (e->origin == GS_ORIGIN_CALL && e->ev.pid == x->pid &&
		    gs_pr_errno_in(c, err)) {
			return GS_TRUE;
		}
	}
	return GS_FALSE;
}
