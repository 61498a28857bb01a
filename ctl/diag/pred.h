/* SPDX-License-Identifier: Apache-2.0 */
/* The fixed predicate vocabulary of rules `match` clauses, one table
 * (pred.c); docs/rules.md documents every entry.  Predicates are
 * three-valued: a fact the record does not carry makes the clause
 * unknown, and a rule only matches when every clause is known true. */
#ifndef GS_DIAG_PRED_H
#define GS_DIAG_PRED_H

#include <stddef.h>

#include "facts.h"
#include "model.h"
#include "rules.h"

/* What a clause is evaluated against. */
struct gs_ctx {
	const struct gs_model *m; /* NULL for a doctor record               */
	const struct gs_mev *e;   /* the failed call; NULL for a process rule */
	const struct gs_proc *p;  /* the process that made it (may be NULL)  */
	uint32_t pid;
	enum gs_subject subject;  /* what e (or p) is: sets of other subjects
				   * are not tried                         */
	const struct gs_facts *facts; /* a doctor record: what one check
				   * found (GS_SUBJ_DOCTOR); else NULL     */
};

enum gs_tri { GS_FALSE = 0, GS_TRUE = 1, GS_UNKNOWN = -1 };

struct gs_pred {
	const char *name;
	int subjects;             /* GS_SUBJ_* bits it can be used on */
	int min_args, max_args;   /* max -1: any number               */
	/* Validate and pre-parse c->argv at load time (may be NULL).
	 * Returns 0, or -1 with err set. */
	int (*parse)(struct gs_clause *c, char *err, size_t errlen);
	enum gs_tri (*eval)(const struct gs_clause *c, const struct gs_ctx *x);
};

/* The predicate called name, or NULL. */
const struct gs_pred *gs_pred_find(const char *name);

/* Set a's sieve (fam_out, err_out, err_need) from its clauses, once they
 * are all loaded. */
void gs_alt_sieve(struct gs_alt *a);

/* Evaluate one clause, negation included (unknown stays unknown). */
enum gs_tri gs_clause_eval(const struct gs_clause *c, const struct gs_ctx *x);

/* True when every clause of some alternative of r for x->subject holds
 * for x. */
int gs_rule_matches(const struct gs_rule *r, const struct gs_ctx *x);

/* The sets of r (bit a: r->alt[a], the first 64) x could pass at all:
 * those of x->subject whose call-family and errno clauses do not rule
 * x->e out.  What it reads of x: the subject, and of x->e only the
 * family, whether it has an errno, and which (gs_sieve_sets keeps it per
 * distinct key). */
uint64_t gs_rule_sets(const struct gs_rule *r, const struct gs_ctx *x);

/* gs_rule_matches, trying only the sets of r in sets (gs_rule_sets of an
 * x of the same subject, family and errno; sets past the 64th are
 * checked one by one). */
int gs_rule_matches_sets(const struct gs_rule *r, const struct gs_ctx *x, uint64_t sets);

/* True when one of r's `error-when` clauses that fits x->subject holds
 * for x (the record's finding is then an error). */
int gs_rule_escalates(const struct gs_rule *r, const struct gs_ctx *x);

/* The conditioned remedy lines of r whose every `remedy-if` clause that
 * fits x->subject holds for x: bit i for r->rline[i]. */
uint64_t gs_rule_remedy_held(const struct gs_rule *r, const struct gs_ctx *x);

#endif
