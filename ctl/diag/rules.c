/* SPDX-License-Identifier: Apache-2.0 */
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain_text.h"
#include "facts.h"
#include "goshim-config.h"
#include "pred.h"
#include "selfpath.h"

struct rl_state {
	const char *file;
	int line;
	struct gs_rules out;     /* this file's rules, moved to rs at the end */
	struct gs_rule *cur;
	char *ctr, *plain;       /* cur's remedy-container and remedy lines */
	struct gs_clause *cond;  /* remedy-if clauses waiting for their line */
	size_t ncond;
	char *err;
	size_t errlen;
};

static const struct {
	const char *name;
	enum gs_sev sev;
} rl_sevs[] = {
	{ "benign", GS_SEV_BENIGN }, { "warning", GS_SEV_WARNING }, { "error", GS_SEV_ERROR },
};

const char *gs_sev_name(enum gs_sev s)
{
	for (size_t i = 0; i < sizeof(rl_sevs) / sizeof(rl_sevs[0]); i++) {
		if (rl_sevs[i].sev == s) {
			return rl_sevs[i].name;
		}
	}
	return "?";
}

static int rl_fail(struct rl_state *st, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(st->err, st->errlen, "%s:%d: ", st->file, st->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < st->errlen) {
		vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	}
	va_end(ap);
	return -1;
}

static int rl_sev(struct rl_state *st, const char *v, enum gs_sev *out)
{
	for (size_t i = 0; i < sizeof(rl_sevs) / sizeof(rl_sevs[0]); i++) {
		if (strcmp(rl_sevs[i].name, v) == 0) {
			*out = rl_sevs[i].sev;
			return 0;
		}
	}
	return rl_fail(st, "severity must be error, warning or benign, not \"%s\"", v);
}

static int rl_tmpl(struct rl_state *st, const char *key, const char *v)
{
	const char *bad;

	if (gs_tmpl_check(v, &bad) < 0) {
		return rl_fail(st, "%s: unterminated or empty {...} at column %d of the value",
			       key, (int)(bad - v) + 1);
	}
	return 0;
}

static void rl_free_clause(struct gs_clause *c)
{
	for (size_t k = 0; k < c->argc; k++) {
		free(c->argv[k]);
		if (c->alts) {
			free(c->alts[k][0]);
			free(c->alts[k]);
		}
		if (c->globs) {
			free(c->globs[k]);
		}
	}
	free(c->argv);
	free(c->alts);
	free(c->globs);
}

/* word split at '|' as gs_pr_any walks it (an empty alternative is one,
 * but for a trailing bar): a NULL-terminated list whose strings share
 * one allocation (list[0]). */
static char **rl_split_alts(const char *word)
{
	char *s = gs_xstrdup(word);
	size_t n = 2;

	for (const char *p = s; *p; p++) {
		n += *p == '|';
	}
	char **v = gs_xrealloc(NULL, n * sizeof(*v));
	size_t k = 0;

	v[k++] = s;
	for (char *p = s; *p; p++) {
		if (*p == '|') {
			*p = '\0';
			v[k++] = p + 1;
		}
	}
	if (k > 1 && !v[k - 1][0]) {
		k--;
	}
	v[k] = NULL;
	return v;
}

/* The alternatives of a word as shell patterns, one per alts[k]. */
static struct gs_glob *rl_globs(char **alts)
{
	size_t n = 0;

	while (alts[n]) {
		n++;
	}
	struct gs_glob *g = gs_xrealloc(NULL, (n ? n : 1) * sizeof(*g));
	for (size_t k = 0; k < n; k++) {
		gs_glob_make(&g[k], alts[k]);
	}
	return g;
}

static void rl_free_rule(struct gs_rule *r)
{
	for (size_t a = 0; a < r->nalt; a++) {
		for (size_t i = 0; i < r->alt[a].n; i++) {
			rl_free_clause(&r->alt[a].c[i]);
		}
		free(r->alt[a].c);
	}
	for (size_t i = 0; i < r->nesc; i++) {
		rl_free_clause(&r->esc[i]);
	}
	free(r->esc);
	free(r->alt);
	free(r->id);
	free(r->summary);
	free(r->doctor_summary);
	free(r->remedy);
	free(r->remedy_ctr);
	free(r->remedy_all);
	for (size_t i = 0; i < r->nrline; i++) {
		for (size_t k = 0; k < r->rline[i].ncond; k++) {
			rl_free_clause(&r->rline[i].cond[k]);
		}
		free(r->rline[i].cond);
		free(r->rline[i].text);
	}
	free(r->rline);
	free(r->group);
	for (size_t i = 0; i < r->ntext; i++) {
		gs_xtext_free(r->text[i]);
	}
	free(r->text);
	free(r->file);
}

/* Split words of s in place. */
static size_t rl_words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (isspace((unsigned char)*s)) {
			s++;
		}
		if (!*s) {
			break;
		}
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s)) {
			s++;
		}
		if (*s) {
			*s++ = 0;
		}
	}
	return n;
}

static const struct {
	const char *name;
	enum gs_subject subj;
} rl_subjects[] = {
	{ "event", GS_SUBJ_EVENT }, { "process", GS_SUBJ_PROCESS },
	{ "note", GS_SUBJ_NOTE }, { "exit", GS_SUBJ_EXIT }, { "doctor", GS_SUBJ_DOCTOR },
};

static const char *rl_subject_name(int subj)
{
	for (size_t i = 0; i < sizeof(rl_subjects) / sizeof(rl_subjects[0]); i++) {
		if (rl_subjects[i].subj & subj) {
			return rl_subjects[i].name;
		}
	}
	return "?";
}

/* Parse "PREDICATE ARGS..." into c for records of the subjects in subj
 * (the predicate must take at least one of them). */
static int rl_clause(struct rl_state *st, char *v, int subj, struct gs_clause *out)
{
	char *w[32];
	size_t n = rl_words(v, w, 32);
	struct gs_clause c = { .line = st->line };
	const char *name;

	if (n == 0) {
		return rl_fail(st, "a predicate is missing");
	}
	name = w[0];
	if (name[0] == '!') {
		c.negate = 1;
		name++;
	}
	c.pred = gs_pred_find(name);
	if (!c.pred) {
		return rl_fail(st, "unknown predicate \"%s\" (see docs/rules.md)", name);
	}
	if (!(c.pred->subjects & subj)) {
		return rl_fail(st, "predicate \"%s\" cannot be used on %s rules", name,
			       rl_subject_name(subj));
	}
	if ((int)n - 1 < c.pred->min_args ||
	    (c.pred->max_args >= 0 && (int)n - 1 > c.pred->max_args)) {
		if (c.pred->min_args == c.pred->max_args) {
			return rl_fail(st, "predicate \"%s\" takes %d argument%s, not %zu", name,
				       c.pred->min_args, c.pred->min_args == 1 ? "" : "s", n - 1);
		}
		return rl_fail(st, "predicate \"%s\" takes %s %d argument%s, not %zu", name,
			       (int)n - 1 < c.pred->min_args ? "at least" : "at most",
			       (int)n - 1 < c.pred->min_args ? c.pred->min_args : c.pred->max_args,
			       ((int)n - 1 < c.pred->min_args ? c.pred->min_args : c.pred->max_args) == 1 ?
			       "" : "s", n - 1);
	}
	c.argc = n - 1;
	c.argv = gs_xrealloc(NULL, (c.argc + 1) * sizeof(char *));
	c.alts = gs_xrealloc(NULL, (c.argc + 1) * sizeof(char **));
	c.globs = gs_xrealloc(NULL, (c.argc + 1) * sizeof(struct gs_glob *));
	for (size_t i = 0; i < c.argc; i++) {
		c.argv[i] = gs_xstrdup(w[i + 1]);
		c.alts[i] = rl_split_alts(w[i + 1]);
		c.globs[i] = rl_globs(c.alts[i]);
	}
	if (c.pred->parse) {
		char why[200] = "";
		if (c.pred->parse(&c, why, sizeof(why)) < 0) {
			rl_free_clause(&c);
			return rl_fail(st, "%s: %s", name, why);
		}
	}
	*out = c;
	return 0;
}

static void rl_new_alt(struct gs_rule *r)
{
	r->alt = gs_xrealloc(r->alt, (r->nalt + 1) * sizeof(*r->alt));
	memset(&r->alt[r->nalt], 0, sizeof(*r->alt));
	r->alt[r->nalt++].subject = r->subject;
}

static int rl_match(struct rl_state *st, char *v)
{
	struct gs_rule *r = st->cur;
	struct gs_clause c;
	struct gs_alt *a;

	if (r->nalt == 0) {
		rl_new_alt(r);
	}
	a = &r->alt[r->nalt - 1];
	if (rl_clause(st, v, (int)a->subject, &c) < 0) {
		if (a->n == 0 && r->nalt == 1) {
			free(r->alt);
			r->alt = NULL;
			r->nalt = 0;
		}
		return -1;
	}
	a->c = gs_xrealloc(a->c, (a->n + 1) * sizeof(*a->c));
	a->c[a->n++] = c;
	return 0;
}

/* `error-when` and `remedy-if PREDICATE ARGS`: a clause on any subject of
 * the rule (checked at the end of the section, when every set is known),
 * appended to the list *cs of *n. */
static int rl_any_clause(struct rl_state *st, char *v, struct gs_clause **cs, size_t *n)
{
	struct gs_clause c;

	if (rl_clause(st, v, GS_SUBJ_EVENT | GS_SUBJ_PROCESS | GS_SUBJ_NOTE | GS_SUBJ_EXIT |
		      GS_SUBJ_DOCTOR, &c) < 0) {
		return -1;
	}
	*cs = gs_xrealloc(*cs, (*n + 1) * sizeof(**cs));
	(*cs)[(*n)++] = c;
	return 0;
}

/* Each clause of cs[0..n) must fit one of r's subjects. */
static int rl_clauses_fit(struct rl_state *st, const struct gs_rule *r, const char *key,
			  const struct gs_clause *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(cs[i].pred->subjects & r->subjects)) {
			st->line = cs[i].line;
			return rl_fail(st, "%s: predicate \"%s\" fits none of the rule's subjects",
				       key, cs[i].pred->name);
		}
	}
	return 0;
}

static int rl_subject(struct rl_state *st, const char *v)
{
	struct gs_rule *r = st->cur;
	int subj = 0;

	for (size_t i = 0; i < sizeof(rl_subjects) / sizeof(rl_subjects[0]); i++) {
		if (strcmp(rl_subjects[i].name, v) == 0) {
			subj = rl_subjects[i].subj;
		}
	}
	if (!subj) {
		return rl_fail(st, "subject must be event, process, note, exit or doctor, not \"%s\"", v);
	}
	if (r->nalt == 0) {
		r->subject = (enum gs_subject)subj;
		return 0;
	}
	if (r->alt[r->nalt - 1].n != 0) {
		return rl_fail(st, "subject must come before the match lines of its set "
			       "(first in the section, or right after \"or\")");
	}
	r->alt[r->nalt - 1].subject = (enum gs_subject)subj;
	return 0;
}

static int rl_or(struct rl_state *st)
{
	struct gs_rule *r = st->cur;

	if (r->nalt == 0 || r->alt[r->nalt - 1].n == 0) {
		return rl_fail(st, "\"or\" must follow at least one match line");
	}
	rl_new_alt(r);
	return 0;
}

static int rl_set_str(struct rl_state *st, char **dst, const char *key, const char *v)
{
	if (*dst) {
		return rl_fail(st, "%s given twice", key);
	}
	if (rl_tmpl(st, key, v) < 0) {
		return -1;
	}
	*dst = gs_xstrdup(v);
	return 0;
}

/* `text WHAT GO PRINTS`: compiled now, so that a bad one stops the load. */
static int rl_text(struct rl_state *st, const char *v)
{
	struct gs_rule *r = st->cur;
	char why[160];
	struct gs_xtext *t = gs_xtext_compile(v, why, sizeof(why));

	if (!t) {
		return rl_fail(st, "text: %s", why);
	}
	r->text = gs_xrealloc(r->text, (r->ntext + 1) * sizeof(*r->text));
	r->text[r->ntext++] = t;
	return 0;
}

/* Append the line v to the lines *dst (joined with '\n'). */
static void rl_lines_add(char **dst, const char *v)
{
	char *s;

	if (!*dst) {
		*dst = gs_xstrdup(v);
		return;
	}
	if (asprintf(&s, "%s\n%s", *dst, v) < 0) {
		abort();
	}
	free(*dst);
	*dst = s;
}

/* a's lines, then b's (either may be NULL): malloc'd, NULL when none. */
static char *rl_lines_cat(const char *a, const char *b)
{
	char *s = a ? gs_xstrdup(a) : NULL;

	if (b) {
		rl_lines_add(&s, b);
	}
	return s;
}

/* The remedy of each place (rules.h): container lines first there, host
 * lines only outside one (and in a privileged one, last). */
static int rl_remedies(struct rl_state *st, struct gs_rule *r)
{
	int rc = 0;

	r->remedy_ctr = rl_lines_cat(st->ctr, st->plain);
	r->remedy_all = rl_lines_cat(st->ctr, r->remedy);
	if (r->sev != GS_SEV_BENIGN && r->remedy && !r->remedy_ctr) {
		rc = rl_fail(st, "[%s]: remedy-host lines alone leave a container without a "
			     "remedy: add remedy or remedy-container lines", r->id);
	} else if (r->sev != GS_SEV_BENIGN && r->remedy_ctr && !r->remedy) {
		rc = rl_fail(st, "[%s]: remedy-container lines alone leave a host without a "
			     "remedy: add remedy or remedy-host lines", r->id);
	}
	free(st->ctr);
	free(st->plain);
	st->ctr = st->plain = NULL;
	return rc;
}

const char *gs_rule_remedy(const struct gs_rule *r, enum gs_place place)
{
	return place == GS_PLACE_CONTAINER ? r->remedy_ctr :
	       place == GS_PLACE_ANY ? r->remedy_all : r->remedy;
}

char *gs_rule_remedy_for(const struct gs_rule *r, enum gs_place place, uint64_t held)
{
	char *s = NULL;

	/* the container's lines first, then the others in file order */
	for (int pass = place == GS_PLACE_HOST; pass < 2; pass++) {
		for (size_t i = 0; i < r->nrline; i++) {
			const struct gs_rline *l = &r->rline[i];
			if ((l->kind == GS_RLINE_CTR) != (pass == 0) ||
			    (l->kind == GS_RLINE_HOST && place == GS_PLACE_CONTAINER) ||
			    (l->ncond && !((held >> i) & 1))) {
				continue;
			}
			rl_lines_add(&s, l->text);
		}
	}
	return s;
}

static int rl_key(struct rl_state *st, char *key, char *v)
{
	struct gs_rule *r = st->cur;

	if (!r) {
		return rl_fail(st, "\"%s\" outside a [pattern-id] section", key);
	}
	if (strcmp(key, "match") == 0) {
		return rl_match(st, v);
	}
	if (strcmp(key, "or") == 0) {
		return *v ? rl_fail(st, "\"or\" takes no value") : rl_or(st);
	}
	if (!*v) {
		return rl_fail(st, "%s: value missing", key);
	}
	if (strcmp(key, "severity") == 0) {
		return rl_sev(st, v, &r->sev);
	}
	if (strcmp(key, "doctor-severity") == 0) {
		return rl_sev(st, v, &r->doctor_sev);
	}
	if (strcmp(key, "subject") == 0) {
		return rl_subject(st, v);
	}
	if (strcmp(key, "error-when") == 0) {
		return rl_any_clause(st, v, &r->esc, &r->nesc);
	}
	if (strcmp(key, "remedy-if") == 0) {
		return rl_any_clause(st, v, &st->cond, &st->ncond);
	}
	if (strcmp(key, "summary") == 0) {
		return rl_set_str(st, &r->summary, key, v);
	}
	if (strcmp(key, "doctor-summary") == 0) {
		return rl_set_str(st, &r->doctor_summary, key, v);
	}
	if (strcmp(key, "group") == 0) {
		return rl_set_str(st, &r->group, key, v);
	}
	if (strcmp(key, "text") == 0) {
		return rl_text(st, v);
	}
	if (strcmp(key, "remedy") == 0 || strcmp(key, "remedy-host") == 0 ||
	    strcmp(key, "remedy-container") == 0) {
		if (rl_tmpl(st, key, v) < 0) {
			return -1;
		}
		if (r->nrline == GS_RLINE_MAX) {
			return rl_fail(st, "more than %d remedy lines", GS_RLINE_MAX);
		}
		if (strcmp(key, "remedy") == 0) {
			rl_lines_add(&st->plain, v);
		}
		rl_lines_add(strcmp(key, "remedy-container") == 0 ? &st->ctr : &r->remedy, v);
		r->rline = gs_xgrow(r->rline, r->nrline, sizeof(*r->rline));
		r->rline[r->nrline++] = (struct gs_rline){
			.text = gs_xstrdup(v), .cond = st->cond, .ncond = st->ncond,
			.kind = strcmp(key, "remedy") == 0 ? GS_RLINE_PLAIN :
				strcmp(key, "remedy-host") == 0 ? GS_RLINE_HOST : GS_RLINE_CTR,
		};
		st->cond = NULL;
		st->ncond = 0;
		return 0;
	}
	return rl_fail(st, "unknown key \"%s\" (severity, doctor-severity, subject, summary, "
		       "doctor-summary, remedy, remedy-container, remedy-host, remedy-if, group, "
		       "text, match, or, error-when)", key);
}

static void rl_drop_conds(struct rl_state *st)
{
	for (size_t i = 0; i < st->ncond; i++) {
		rl_free_clause(&st->cond[i]);
	}
	free(st->cond);
	st->cond = NULL;
	st->ncond = 0;
}

/* Check the finished section.  st->line is moved to its header line. */
static int rl_close(struct rl_state *st)
{
	struct gs_rule *r = st->cur;
	int line = st->line;
	int rc = 0;

	if (!r) {
		return 0;
	}
	st->line = r->line;
	if ((int)r->sev < 0) {
		rc = rl_fail(st, "[%s]: severity missing", r->id);
	} else if (r->nalt == 0 || r->alt[r->nalt - 1].n == 0) {
		rc = rl_fail(st, "[%s]: no match lines%s", r->id,
			     r->nalt > 1 ? " after the last \"or\"" : "");
	} else if (r->sev != GS_SEV_BENIGN && (!r->summary || (!r->remedy && !st->ctr))) {
		rc = rl_fail(st, "[%s]: %s rules need a summary and a remedy", r->id,
			     gs_sev_name(r->sev));
	}
	if (rl_remedies(st, r) < 0) {
		rc = -1;
	}
	for (size_t a = 0; rc == 0 && a < r->nalt; a++) {
		r->subjects |= (int)r->alt[a].subject;
		gs_alt_sieve(&r->alt[a]);
	}
	if (rc == 0 && st->ncond) {
		st->line = st->cond[st->ncond - 1].line;
		rc = rl_fail(st, "remedy-if: no remedy line follows it");
	}
	if (rc == 0) {
		rc = rl_clauses_fit(st, r, "error-when", r->esc, r->nesc);
	}
	for (size_t i = 0; rc == 0 && i < r->nrline; i++) {
		rc = rl_clauses_fit(st, r, "remedy-if", r->rline[i].cond, r->rline[i].ncond);
	}
	rl_drop_conds(st);
	if (rc == 0 && r->nesc && r->sev == GS_SEV_BENIGN) {
		rc = rl_fail(st, "[%s]: error-when makes no sense on a benign rule", r->id);
	}
	if (rc == 0 && r->ntext && r->sev == GS_SEV_BENIGN) {
		rc = rl_fail(st, "[%s]: text makes no sense on a benign rule (explain names "
			     "causes, never noise)", r->id);
	}
	if ((int)r->doctor_sev < 0) {
		r->doctor_sev = r->sev;
	}
	st->line = line;
	st->cur = NULL;
	return rc;
}

static int rl_section(struct rl_state *st, char *s)
{
	char *end = strchr(s, ']');
	struct gs_rule *r;

	if (rl_close(st) < 0) {
		return -1;
	}
	if (!end || end[1]) {
		return rl_fail(st, "section header must be [pattern-id]");
	}
	*end = 0;
	s++;
	if (!*s) {
		return rl_fail(st, "empty pattern id");
	}
	for (char *p = s; *p; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
			return rl_fail(st, "pattern id \"%s\": only a-z, 0-9 and '-' allowed", s);
		}
	}
	for (size_t i = 0; i < st->out.n; i++) {
		if (strcmp(st->out.r[i].id, s) == 0) {
			return rl_fail(st, "[%s] already defined at line %d", s, st->out.r[i].line);
		}
	}
	st->out.r = gs_xrealloc(st->out.r, (st->out.n + 1) * sizeof(*st->out.r));
	r = &st->out.r[st->out.n++];
	memset(r, 0, sizeof(*r));
	r->id = gs_xstrdup(s);
	r->sev = (enum gs_sev)-1;
	r->doctor_sev = (enum gs_sev)-1;
	r->subject = GS_SUBJ_EVENT;
	r->file = gs_xstrdup(st->file);
	r->line = st->line;
	st->cur = r;
	return 0;
}

static char *rl_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s)) {
		s++;
	}
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1])) {
		*--e = 0;
	}
	return s;
}

static int rl_line(struct rl_state *st, char *s)
{
	char *key, *v;

	s = rl_trim(s);
	if (!*s || *s == '#') {
		return 0;
	}
	if (*s == '[') {
		return rl_section(st, s);
	}
	key = s;
	v = s + strcspn(s, " \t");
	if (*v) {
		*v++ = 0;
	}
	return rl_key(st, key, rl_trim(v));
}

int gs_rules_load_text(struct gs_rules *rs, const char *name, const char *text,
		       char *err, size_t errlen)
{
	struct rl_state st = { .file = name, .err = err, .errlen = errlen };
	char *copy = gs_xstrdup(text);
	char *s = copy;
	int rc = 0;

	while (s && rc == 0) {
		char *nl = strchr(s, '\n');
		if (nl) {
			*nl = 0;
		}
		st.line++;
		if (strlen(s) > 4096) {
			rc = rl_fail(&st, "line too long");
			break;
		}
		rc = rl_line(&st, s);
		s = nl ? nl + 1 : NULL;
	}
	if (rc == 0) {
		rc = rl_close(&st);
	}
	if (rc == 0 && st.out.n == 0) {
		st.line = 1;
		rc = rl_fail(&st, "no rules in file");
	}
	free(copy);
	free(st.ctr);
	free(st.plain);
	rl_drop_conds(&st);
	if (rc < 0) {
		for (size_t i = 0; i < st.out.n; i++) {
			rl_free_rule(&st.out.r[i]);
		}
		free(st.out.r);
		return -1;
	}
	rs->r = gs_xrealloc(rs->r, (rs->n + st.out.n) * sizeof(*rs->r));
	memcpy(rs->r + rs->n, st.out.r, st.out.n * sizeof(*rs->r));
	rs->n += st.out.n;
	free(st.out.r);
	rs->files = gs_xrealloc(rs->files, (rs->nfiles + 1) * sizeof(char *));
	rs->files[rs->nfiles++] = gs_xstrdup(name);
	return 0;
}

int gs_rules_load(struct gs_rules *rs, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open rules file: %s", path, strerror(errno));
		return -1;
	}
	do {
		cap += 65536;
		buf = gs_xrealloc(buf, cap + 1);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len < 16u * 1024 * 1024);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read rules file: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[len] = 0;
	if (strlen(buf) != len) {
		snprintf(err, errlen, "%s: rules file contains a NUL byte", path);
		free(buf);
		return -1;
	}
	rc = gs_rules_load_text(rs, path, buf, err, errlen);
	free(buf);
	return rc;
}

/* Where the shipped rules file may be, relative to goshimctl's directory:
 * the installed layout, then the build tree's copy (data/rules/meson.build;
 * the build tree's goshimctl is build/ctl/goshimctl). */
static const char *const rules_rel[] = {
	GOSHIM_BIN_TO_DATA "/goshim.rules",
	"../data/rules/goshim.rules",
	NULL,
};

const char gs_rules_builtin_name[] = "goshim.rules built into goshimctl";

const char *gs_rules_default_path(void)
{
	static char path[4096];
	const char *env = getenv("GOSHIM_RULES");

	gs_self_find(path, sizeof(path), "GOSHIM_RULES", rules_rel, GOSHIM_DATADIR "/goshim.rules");
	if (gs_rules_builtin && !(env && *env) && access(path, R_OK) != 0) {
		return gs_rules_builtin_name;
	}
	return path;
}

int gs_rules_load_all(struct gs_rules *rs, const char *user_file, char *err, size_t errlen)
{
	const char *shipped = gs_rules_default_path();

	if (user_file && gs_rules_load(rs, user_file, err, errlen) < 0) {
		return -1;
	}
	if (shipped == gs_rules_builtin_name) {
		return gs_rules_load_text(rs, shipped, gs_rules_builtin, err, errlen);
	}
	return gs_rules_load(rs, shipped, err, errlen);
}

const struct gs_rule *gs_rules_find(const struct gs_rules *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i].id, id) == 0) {
			return &rs->r[i];
		}
	}
	return NULL;
}

void gs_rules_free(struct gs_rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		rl_free_rule(&rs->r[i]);
	}
	for (size_t i = 0; i < rs->nfiles; i++) {
		free(rs->files[i]);
	}
	free(rs->r);
	free(rs->files);
	memset(rs, 0, sizeof(*rs));
}
