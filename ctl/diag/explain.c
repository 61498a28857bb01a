/* SPDX-License-Identifier: Apache-2.0 */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "explain_log.h"
#include "pred.h"

struct xp_scan {
	const struct gs_rules *rs;
	struct gs_xres *out;
	struct gs_xcause *cand;   /* this line's causes, rs->n at most */
};

static int xp_better(const struct gs_xcause *a, const struct gs_xcause *b)
{
	if (!!a->doc != !!b->doc) {
		return !!a->doc;
	}
	if (gs_xtext_constrained(a->text) != gs_xtext_constrained(b->text)) {
		return gs_xtext_constrained(a->text) > gs_xtext_constrained(b->text);
	}
	if (a->rule->sev != b->rule->sev) {
		return a->rule->sev > b->rule->sev;
	}
	return a->rule < b->rule;   /* rules of one array: file order */
}

/* Insertion sort: a handful of causes, stable. */
static void xp_sort(struct gs_xcause *c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct gs_xcause x = c[i];
		size_t j = i;

		for (; j > 0 && xp_better(&x, &c[j - 1]); j--) {
			c[j] = c[j - 1];
		}
		c[j] = x;
	}
}

void gs_explain_rank(struct gs_xfind *f)
{
	xp_sort(f->c, f->nc);
}

/* The text of r that fits the line best (most {word:GLOB}), its words in
 * *facts; NULL when none fits. */
static const struct gs_xtext *xp_text(const struct gs_rule *r, const struct gs_xline *l,
				      struct gs_facts *facts)
{
	const struct gs_xtext *best = NULL;

	for (size_t i = 0; i < r->ntext; i++) {
		struct gs_facts w = { 0 };

		if ((best && gs_xtext_constrained(r->text[i]) <= gs_xtext_constrained(best)) ||
		    !gs_xtext_match(r->text[i], l->s, l->len, &w)) {
			gs_facts_free(&w);
			continue;
		}
		gs_facts_free(facts);
		*facts = w;
		best = r->text[i];
	}
	return best;
}

static struct gs_xfind *xp_find(struct gs_xres *out, const struct gs_xcause *c, size_t n)
{
	for (size_t i = 0; i < out->nf; i++) {
		struct gs_xfind *f = &out->f[i];
		size_t k = 0;

		for (; f->nc == n && k < n && f->c[k].rule == c[k].rule; k++) {
		}
		if (f->nc == n && k == n) {
			return f;
		}
	}
	return NULL;
}

static void xp_add_line(struct gs_xfind *f, const struct gs_xline *l)
{
	if (f->nno < GS_XSHOW) {
		char *s = gs_xrealloc(NULL, l->len + 1);

		memcpy(s, l->s, l->len);
		s[l->len] = 0;
		f->line[f->nno] = s;
	}
	f->no = gs_xrealloc(f->no, (f->nno + 1) * sizeof(*f->no));
	f->no[f->nno++] = l->no;
}

static int xp_line(const struct gs_xline *l, void *arg)
{
	struct xp_scan *x = arg;
	struct gs_xfind *f;
	size_t n = 0;

	gs_xjob_line(&x->out->job, l);
	if (l->action) {
		return 0;
	}
	for (size_t i = 0; i < x->rs->n; i++) {
		const struct gs_rule *r = &x->rs->r[i];
		struct gs_xcause *c = &x->cand[n];

		if (r->sev == GS_SEV_BENIGN || r->ntext == 0) {
			continue;
		}
		memset(c, 0, sizeof(*c));
		if (!(c->text = xp_text(r, l, &c->facts))) {
			continue;
		}
		c->rule = r;
		if (gs_facts_get(&c->facts, "path")) {
			char *p = gs_xstrdup(gs_facts_get(&c->facts, "path"));
			gs_facts_path(&c->facts, p, 1);
			/* a log does not say which mount: a visible gap, never
			 * a template's default (/tmp) that may be another one */
			gs_facts_set(&c->facts, "mount", "<the mount of %s>",
				     gs_facts_get(&c->facts, "dir"));
			free(p);
		}
		n++;
	}
	if (n == 0) {
		return 0;
	}
	xp_sort(x->cand, n);
	if ((f = xp_find(x->out, x->cand, n))) {
		for (size_t i = 0; i < n; i++) {
			gs_facts_free(&x->cand[i].facts);
		}
	} else {
		struct gs_xres *o = x->out;

		o->f = gs_xrealloc(o->f, (o->nf + 1) * sizeof(*o->f));
		f = &o->f[o->nf++];
		memset(f, 0, sizeof(*f));
		f->c = gs_xrealloc(NULL, n * sizeof(*f->c));
		memcpy(f->c, x->cand, n * sizeof(*f->c));
		f->nc = n;
	}
	xp_add_line(f, l);
	return 0;
}

int gs_explain_scan(FILE *in, const struct gs_rules *rs, struct gs_xres *out)
{
	struct xp_scan x = { .rs = rs, .out = out };

	memset(out, 0, sizeof(*out));
	x.cand = gs_xrealloc(NULL, (rs->n + 1) * sizeof(*x.cand));
	out->lines = gs_xlog_read(in, xp_line, &x);
	free(x.cand);
	return out->lines < 0 ? -1 : 0;
}

/* Append s to the malloc'd *buf. */
static void xp_cat(char **buf, const char *s)
{
	size_t a = *buf ? strlen(*buf) : 0, b = strlen(s);

	*buf = gs_xrealloc(*buf, a + b + 1);
	memcpy(*buf + a, s, b + 1);
}

char *gs_explain_doctor_sets(const struct gs_rule *r)
{
	char *s = NULL;

	for (size_t a = 0; a < r->nalt; a++) {
		const struct gs_alt *alt = &r->alt[a];

		if (alt->subject != GS_SUBJ_DOCTOR) {
			continue;
		}
		if (s) {
			xp_cat(&s, " or ");
		}
		for (size_t i = 0; i < alt->n; i++) {
			const struct gs_clause *c = &alt->c[i];

			for (size_t k = 0; k + 1 < c->argc; k += 2) {
				xp_cat(&s, i || k ? " " : "");
				xp_cat(&s, c->negate ? "!" : "");
				xp_cat(&s, c->argv[k]);
				xp_cat(&s, "=");
				xp_cat(&s, c->argv[k + 1]);
			}
		}
	}
	return s;
}

void gs_explain_free(struct gs_xres *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		struct gs_xfind *f = &r->f[i];

		for (size_t k = 0; k < f->nc; k++) {
			gs_facts_free(&f->c[k].facts);
		}
		for (size_t k = 0; k < f->nno && k < GS_XSHOW; k++) {
			free(f->line[k]);
		}
		free(f->c);
		free(f->no);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}
