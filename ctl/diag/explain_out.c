/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain's outputs: text, JSON, GitHub annotations. */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "out.h"
#include "output.h"
#include "place.h"

#define XO_BOLD "\033[1m"
#define XO_OFF  "\033[0m"

/* The lines of a finding as "12, 40, 77" (the first 20). */
static void xo_numbers(FILE *o, const struct gs_xfind *f)
{
	for (size_t i = 0; i < f->nno && i < 20; i++) {
		fprintf(o, "%s%zu", i ? ", " : "", f->no[i]);
	}
	if (f->nno > 20) {
		fprintf(o, " … (%zu lines)", f->nno);
	}
}

/* Each line of s (the remedy's lines) after lead, then indent. */
static void xo_lines(FILE *o, const char *lead, const char *indent, const char *s)
{
	for (int first = 1; s && *s; first = 0) {
		size_t n = strcspn(s, "\n");

		fprintf(o, "%s%.*s\n", first ? lead : indent, (int)n, s);
		s += n + (s[n] == '\n');
	}
}

static char *xo_expand(const struct gs_xcause *c, const char *tmpl)
{
	return gs_tmpl_expand(tmpl, &c->facts);
}

/* The remedy: for the place --check found (its facts: place.h), else
 * every line, a container's first (a log says not where it was made). */
static char *xo_remedy(const struct gs_xcause *c)
{
	enum gs_place p = gs_facts_get(&c->facts, "place") ? gs_place_of(&c->facts) : GS_PLACE_ANY;

	return xo_expand(c, gs_rule_remedy(c->rule, p));
}

/* How doctor bears on the cause: its checks (or that none sees it), and
 * with --check what they found here. */
static void xo_confirm(FILE *o, const struct gs_xcause *c, int checked)
{
	char *sets = gs_explain_doctor_sets(c->rule);

	if (!sets) {
		fputs("     confirm: no doctor check can see this; `goshimctl run -- COMMAND` "
		      "records the failing call\n", o);
	} else if (!checked) {
		fprintf(o, "     confirm: goshimctl explain --check, or goshimctl doctor "
			"(checks finding %s)\n", sets);
	} else if (c->doc) {
		fputs("     confirmed here by goshimctl doctor: ", o);
		gs_text_str(o, c->doc->summary ? c->doc->summary : c->rule->id, 0);
		fputc('\n', o);
	} else {
		fprintf(o, "     not confirmed here: doctor's checks (%s) find nothing\n", sets);
	}
	free(sets);
}

static void xo_cause(FILE *o, const struct gs_xcause *c, size_t rank, int checked, int color)
{
	char *sum = xo_expand(c, c->rule->summary), *rem = xo_remedy(c);

	fprintf(o, "  %zu. %s %s%s%s: ", rank, gs_sev_name(c->rule->sev), color ? XO_BOLD : "",
		c->rule->id, color ? XO_OFF : "");
	gs_text_str(o, sum ? sum : "", 0);
	fputs("\n     matches: ", o);
	gs_text_str(o, gs_xtext_src(c->text), 0);
	fputc('\n', o);
	xo_lines(o, "     remedy:  ", "              ", rem);
	xo_confirm(o, c, checked);
	free(sum);
	free(rem);
}

/* A job that passed: the lines that match a pattern's text were printed
 * by its tests, and no cause is ranked. */
static void xo_passed(FILE *o, const struct gs_xres *r)
{
	fprintf(o, ": the job passed (go test said ok or PASS %zu time%s, and no line says "
		"FAIL, exit status or panic)\n", r->job.pass, r->job.pass == 1 ? "" : "s");
	fputs("job passed; this text came from test output (a test printing an error it "
	      "expects), not from a failure:\n", o);
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_xfind *f = &r->f[i];
		for (size_t k = 0; k < f->nno && k < GS_XSHOW; k++) {
			fprintf(o, "  %zu: ", f->no[k]);
			gs_text_str(o, f->line[k], 0);
			fprintf(o, "  (the text of %s)\n", f->c[0].rule->id);
		}
		if (f->nno > GS_XSHOW) {
			fprintf(o, "  ... and %zu more\n", f->nno - GS_XSHOW);
		}
	}
}

void gs_explain_text(FILE *o, const char *log, const struct gs_xres *r, int color)
{
	fprintf(o, "goshimctl explain ");
	gs_text_str(o, log, 0);
	if (r->nf == 0) {
		fprintf(o, ": no known pattern in %ld line%s\n", r->lines, r->lines == 1 ? "" : "s");
		return;
	}
	if (gs_xjob_passed(&r->job)) {
		xo_passed(o, r);
		return;
	}
	fprintf(o, ": %zu finding%s in %ld line%s\n", r->nf, r->nf == 1 ? "" : "s", r->lines,
		r->lines == 1 ? "" : "s");
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_xfind *f = &r->f[i];

		fprintf(o, "\n%s%s%s", color ? XO_BOLD : "", f->c[0].rule->id, color ? XO_OFF : "");
		for (size_t k = 1; k < f->nc; k++) {
			fprintf(o, "%s%s", k == 1 ? " (or " : ", ", f->c[k].rule->id);
		}
		fprintf(o, "%s — line%s ", f->nc > 1 ? ")" : "", f->nno == 1 ? "" : "s");
		xo_numbers(o, f);
		fputc('\n', o);
		for (size_t k = 0; k < f->nno && k < GS_XSHOW; k++) {
			fprintf(o, "  %zu: ", f->no[k]);
			gs_text_str(o, f->line[k], 0);
			fputc('\n', o);
		}
		if (f->nno > GS_XSHOW) {
			fprintf(o, "  ... and %zu more\n", f->nno - GS_XSHOW);
		}
		fprintf(o, "  %s:\n", f->nc == 1 ? "cause" : "likely causes, most likely first");
		for (size_t k = 0; k < f->nc; k++) {
			xo_cause(o, &f->c[k], k + 1, r->checked, color);
		}
	}
}

static json_t *xo_json_cause(const struct gs_xcause *c, int checked)
{
	json_t *j = json_object(), *facts = json_object();
	char *sum = xo_expand(c, c->rule->summary), *rem = xo_remedy(c);
	char *sets = gs_explain_doctor_sets(c->rule);

	for (size_t i = 0; i < c->facts.n; i++) {
		json_object_set_new(facts, c->facts.name[i], gs_json_str(c->facts.value[i]));
	}
	json_object_set_new(j, "pattern", json_string(c->rule->id));
	json_object_set_new(j, "severity", json_string(gs_sev_name(c->rule->sev)));
	json_object_set_new(j, "text", gs_json_str(gs_xtext_src(c->text)));
	json_object_set_new(j, "facts", facts);
	json_object_set_new(j, "summary", gs_json_str(sum ? sum : ""));
	json_object_set_new(j, "remedy", gs_json_str(rem ? rem : ""));
	json_object_set_new(j, "doctor", sets ? gs_json_str(sets) : json_null());
	if (checked) {
		json_object_set_new(j, "confirmed", json_boolean(c->doc != NULL));
		if (c->doc) {
			json_object_set_new(j, "confirmed_by",
					    gs_json_str(c->doc->summary ? c->doc->summary : ""));
		}
	}
	free(sum);
	free(rem);
	free(sets);
	return j;
}

void gs_explain_json(FILE *o, const char *log, const struct gs_xres *r)
{
	json_t *root = json_object(), *fa = json_array();

	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_xfind *f = &r->f[i];
		json_t *j = json_object(), *no = json_array(), *lines = json_array(),
		       *causes = json_array();

		for (size_t k = 0; k < f->nno; k++) {
			json_array_append_new(no, json_integer((json_int_t)f->no[k]));
		}
		for (size_t k = 0; k < f->nno && k < GS_XSHOW; k++) {
			json_array_append_new(lines, gs_json_str(f->line[k]));
		}
		for (size_t k = 0; k < f->nc; k++) {
			json_array_append_new(causes, xo_json_cause(&f->c[k], r->checked));
		}
		json_object_set_new(j, "pattern", json_string(f->c[0].rule->id));
		json_object_set_new(j, "line_numbers", no);
		json_object_set_new(j, "lines", lines);
		json_object_set_new(j, "causes", causes);
		json_array_append_new(fa, j);
	}
	json_object_set_new(root, "log", gs_json_str(log));
	json_object_set_new(root, "lines", json_integer(r->lines));
	json_object_set_new(root, "checked", json_boolean(r->checked));
	json_object_set_new(root, "job", json_string(gs_xjob_passed(&r->job) ? "passed" :
			    r->job.fail ? "failed" : "unknown"));
	/* a passing job's matches are the tests' own output, not findings */
	json_object_set_new(root, "findings", gs_xjob_passed(&r->job) ? json_array() : fa);
	json_object_set_new(root, "test_output", gs_xjob_passed(&r->job) ? fa : json_array());
	json_dumpf(root, o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', o);
	json_decref(root);
}

/* One annotation per finding, within GitHub's 10 per level and step: the
 * last one shown of a level says how many more there are. */
void gs_explain_github(FILE *o, const char *log, const struct gs_xres *r)
{
	size_t per[2] = { 0 }, total[2] = { 0 };

	if (gs_xjob_passed(&r->job)) {
		if (r->nf) {
			fprintf(o, "::notice title=goshim explain::the job passed; %zu line%s "
				"matching known patterns came from test output, not a failure\n",
				r->nf, r->nf == 1 ? "" : "s");
		}
		return;
	}
	for (size_t i = 0; i < r->nf; i++) {
		total[r->f[i].c[0].rule->sev == GS_SEV_ERROR]++;
	}
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_xfind *f = &r->f[i];
		const struct gs_xcause *c = &f->c[0];
		int err = c->rule->sev == GS_SEV_ERROR;
		char title[200], *sum, *rem;

		if (++per[err] > 10) {
			continue;
		}
		fputs(err ? "::error title=" : "::warning title=", o);
		snprintf(title, sizeof(title), "goshim explain %s", c->rule->id);
		gs_github_escape(o, title, 1);
		fputs("::", o);
		if (per[err] == 10 && total[err] > 10) {
			fprintf(o, "%zu more findings: goshimctl explain ", total[err] - 9);
			gs_github_escape(o, log, 0);
			fputc('\n', o);
			continue;
		}
		fprintf(o, "log line %zu: ", f->no[0]);
		gs_github_escape(o, f->line[0], 0);
		sum = xo_expand(c, c->rule->summary);
		rem = xo_remedy(c);
		fputs(" — ", o);
		gs_github_escape(o, sum ? sum : "", 0);
		for (size_t k = 1; k < f->nc; k++) {
			fprintf(o, "%s%s", k == 1 ? " — or: " : ", ", f->c[k].rule->id);
		}
		if (rem && *rem) {
			fputs(" — remedy: ", o);
			gs_github_escape(o, rem, 0);
		}
		fputc('\n', o);
		free(sum);
		free(rem);
	}
}
