/* SPDX-License-Identifier: Apache-2.0 */
/* The predicate table: the vocabulary of rules' match lines. */
#include <string.h>

#include "pred_int.h"

static const struct gs_pred gs_pr_table[] = {
	/* name               on       args   parse          evaluate */
	{ "call",             EV | NT, 1, 1,  gs_pp_call,    gs_pe_call },
	{ "call-family",      EV | NT, 1, 1,  gs_pp_family,  gs_pe_family },
	{ "engine",           EV|NT|EX, 1, 1, gs_pp_engine, gs_pe_engine },
	{ "errno",            EV | NT, 1, 1,  gs_pp_errno,   gs_pe_errno },
	{ "flags-has",        EV,      1, -1, gs_pp_flags,   gs_pe_flags },
	{ "mmap-length-ge",   EV,      1, 1,  gs_pp_size,    gs_pe_length },
	{ "path-glob",        EV | EX, 1, 1,  NULL,       gs_pe_path_glob },
	{ "basename-glob",    EV,      1, 1,  NULL,       gs_pe_base_glob },
	{ "path-empty",       EV,      0, 0,  NULL,       gs_pe_path_empty },
	{ "path-under-env",   EV | EX, 1, 1,  gs_pp_goenv,   gs_pe_under_env },
	{ "path-is-env",      EV | EX, 1, 1,  gs_pp_goenv,   gs_pe_is_env },
	{ "parent-is-env",    EV,      1, 1,  gs_pp_goenv,   gs_pe_parent_env },
	{ "path-above-env",   EV,      1, 1,  gs_pp_goenv,   gs_pe_above_env },
	{ "mount-flag",       EV | EX, 1, -1, gs_pp_mflag,   gs_pe_mount_flag },
	{ "mode-has-x",       EV,      0, 0,  NULL,       gs_pe_mode_x },
	{ "target-exists",    EV,      0, 0,  NULL,       gs_pe_target_exists },
	{ "owner-not-euid",   EV,      0, 0,  NULL,       gs_pe_owner },
	{ "mode-allows",      EV,      1, 1,  gs_pp_access,  gs_pe_mode_allows },
	{ "interp-missing",   EV,      0, 0,  NULL,       gs_pe_interp_missing },
	{ "elf-kind",         EV,      1, 1,  gs_pp_elfkind, gs_pe_elf_kind },
	{ "elf-machine-foreign", EV,   0, 0,  NULL,       gs_pe_elf_foreign },
	{ "prog-is",          EV,      2, 2,  gs_pp_goenv,   gs_pe_prog_is },
	{ "search-exhausted", EV,      0, 0,  NULL,       gs_pe_search_exhausted },
	{ "parent-in-list",   EV,      1, 1,  gs_pp_goenv,   gs_pe_parent_in_list },
	{ "no-exec-of",       ANY,     2, 2,  gs_pp_goenv,   gs_pe_no_exec_of },
	{ "descendant-exe",   ANY,     1, 1,  NULL,       gs_pe_descendant_exe },
	{ "seccomp",          ANY,     1, 1,  gs_pp_seccomp, gs_pe_seccomp },
	{ "env-unset",        ANY,     1, -1, NULL,       gs_pe_env_unset },
	{ "env-set",          ANY,     1, -1, NULL,       gs_pe_env_set },
	{ "env-is",           ANY,     2, 2,  NULL,       gs_pe_env_is },
	{ "exe-glob",         ANY,     1, 1,  NULL,       gs_pe_exe_glob },
	{ "rlimit-finite",    ANY,     1, 1,  gs_pp_rlim,    gs_pe_rlimit_finite },
	{ "rlimit-hard-lt",   ANY,     2, 2,  gs_pp_rlim,    gs_pe_rlimit_hard_lt },
	{ "exited-nonzero",   ANY,     0, 0,  NULL,       gs_pe_exited_nonzero },
	{ "exit-propagated",  ANY,     0, 0,  NULL,       gs_pe_exit_propagated },
	{ "exit-origin",      ANY,     0, 0,  NULL,       gs_pe_exit_origin },
	{ "go-race",          ANY,     0, 0,  NULL,       gs_pe_go_race },
	{ "go-program",       ANY,     0, 0,  NULL,       gs_pe_go_program },
	{ "exit-code",        ANY,     1, 1,  gs_pp_code,    gs_pe_exit_code },
	{ "tree-failed",      ANY,     0, 0,  NULL,       gs_pe_tree_failed },
	{ "gomod-newer",      ANY,     0, 0,  NULL,       gs_pe_gomod_newer },
	{ "ring-failed-call", ANY,     1, 2,  gs_pp_ring_call, gs_pe_ring_call },
	{ "proc-failed-errno", ANY,    1, 1,  gs_pp_errno,   gs_pe_proc_errno },
	{ "note-denies",      NT,      1, 1,  NULL,       gs_pe_note_denies },
	{ "note-is",          NT,      1, 1,  NULL,       gs_pe_note_is },
	{ "fs-full",          EV | EX, 0, 0,  NULL,       gs_pe_fs_full },
	{ "fact",             DR,      2, -1, gs_pp_fact,    gs_pe_fact },
};

const struct gs_pred *gs_pred_find(const char *name)
{
	for (size_t i = 0; i < sizeof(gs_pr_table) / sizeof(gs_pr_table[0]); i++) {
		if (strcmp(gs_pr_table[i].name, name) == 0) {
			return &gs_pr_table[i];
		}
	}
	return NULL;
}

enum gs_tri gs_clause_eval(const struct gs_clause *c, const struct gs_ctx *x)
{
	enum gs_tri v = c->pred->eval(c, x);

	if (v == GS_UNKNOWN || !c->negate) {
		return v;
	}
	return v == GS_TRUE ? GS_FALSE : GS_TRUE;
}

void gs_alt_sieve(struct gs_alt *a)
{
	uint64_t fam = ~0ull, err[4] = { ~0ull, ~0ull, ~0ull, ~0ull };

	a->err_need = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct gs_clause *c = &a->c[i];
		if (c->negate) {
			continue;
		}
		if (c->pred->eval == gs_pe_family) {
			fam &= c->num;
		} else if (c->pred->eval == gs_pe_errno) {
			for (size_t k = 0; k < 4; k++) {
				err[k] &= c->small[k];
			}
			a->err_need = 1;
		}
	}
	a->fam_out = ~fam;
	for (size_t k = 0; k < 4; k++) {
		a->err_out[k] = ~err[k];
	}
}

/* Could e pass a's call-family and errno clauses?  0 when one of them is
 * sure to be false (a family beyond 63 or ruled out, an errno ruled out)
 * or unknown (no errno), which fails the set as well. */
static int gs_alt_admits(const struct gs_alt *a, const struct gs_mev *e)
{
	uint16_t f = e->family;
	int err = e->ev.err;

	if (a->fam_out && (f >= 64 || ((a->fam_out >> f) & 1))) {
		return 0;
	}
	if (!a->err_need) {
		return 1;
	}
	if (!gs_evt_has(&e->ev, GS_E_ERRNO)) {
		return 0;
	}
	return err < 0 || err >= 256 || !((a->err_out[err >> 6] >> (err & 63)) & 1);
}

/* Could x pass set a of r at all (its subject, its sieve)? */
static int gs_alt_fits(const struct gs_rule *r, size_t a, const struct gs_ctx *x)
{
	return r->alt[a].subject == x->subject && (!x->e || gs_alt_admits(&r->alt[a], x->e));
}

uint64_t gs_rule_sets(const struct gs_rule *r, const struct gs_ctx *x)
{
	uint64_t sets = 0;

	for (size_t a = 0; a < r->nalt && a < 64; a++) {
		sets |= (uint64_t)gs_alt_fits(r, a, x) << a;
	}
	return sets;
}

int gs_rule_matches(const struct gs_rule *r, const struct gs_ctx *x)
{
	return gs_rule_matches_sets(r, x, gs_rule_sets(r, x));
}

int gs_rule_matches_sets(const struct gs_rule *r, const struct gs_ctx *x, uint64_t sets)
{
	for (size_t a = 0; a < r->nalt; a++) {
		size_t i;
		if (a < 64 ? !((sets >> a) & 1) : !gs_alt_fits(r, a, x)) {
			continue;
		}
		for (i = 0; i < r->alt[a].n; i++) {
			if (gs_clause_eval(&r->alt[a].c[i], x) != GS_TRUE) {
				break;
			}
		}
		if (i == r->alt[a].n) {
			return 1;
		}
	}
	return 0;
}

int gs_rule_escalates(const struct gs_rule *r, const struct gs_ctx *x)
{
	for (size_t i = 0; i < r->nesc; i++) {
		if ((r->esc[i].pred->subjects & x->subject) &&
		    gs_clause_eval(&r->esc[i], x) == GS_TRUE) {
			return 1;
		}
	}
	return 0;
}

uint64_t gs_rule_remedy_held(const struct gs_rule *r, const struct gs_ctx *x)
{
	uint64_t held = 0;

	for (size_t i = 0; i < r->nrline; i++) {
		const struct gs_rline *l = &r->rline[i];
		size_t k = 0;
		while (k < l->ncond && (!(l->cond[k].pred->subjects & x->subject) ||
					gs_clause_eval(&l->cond[k], x) == GS_TRUE)) {
			k++;
		}
		held |= (uint64_t)(l->ncond && k == l->ncond) << i;
	}
	return held;
}
