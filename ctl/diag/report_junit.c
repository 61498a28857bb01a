/* SPDX-License-Identifier: Apache-2.0 */
/* report --format=junit: a JUnit XML report for GitLab CI (out.h). */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "diag.h"
#include "out.h"

/* s escaped for XML text and attribute values; control characters, which
 * XML 1.0 cannot carry at all, as U+FFFD. */
static void ju_esc(FILE *o, const char *s)
{
	static const struct gs_esc ju_ents[] = {
		{ '&', "&amp;" }, { '<', "&lt;" }, { '>', "&gt;" }, { '"', "&quot;" },
		{ '\'', "&apos;" },
	};

	gs_out_escape(o, s, ju_ents, sizeof(ju_ents) / sizeof(ju_ents[0]), "\n\t");
}

/* One test case: a <failure> when fail, else the text as its output. */
static void ju_case(FILE *o, const char *name, int fail, const char *msg, const char *body)
{
	fputs("  <testcase classname=\"goshim\" name=\"", o);
	ju_esc(o, name);
	fputs("\">\n", o);
	fputs(fail ? "    <failure message=\"" : "    <system-out>", o);
	ju_esc(o, msg);
	if (fail) {
		fputs("\">", o);
	} else if (body && *body) {
		fputc('\n', o);
	}
	ju_esc(o, body);
	fputs(fail ? "</failure>\n" : "</system-out>\n", o);
	fputs("  </testcase>\n", o);
}

void gs_report_junit(const struct gs_model *m, const struct gs_report *r, const char *text)
{
	size_t fails = r->nunx, cases = r->nunx;
	FILE *o = stdout;
	char line[2048];

	for (size_t i = 0; i < r->nf; i++) {
		fails += r->f[i].sev == GS_SEV_ERROR;
		cases += r->f[i].sev != GS_SEV_BENIGN;
	}
	fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"<testsuite name=\"goshim\" tests=\"%zu\" failures=\"%zu\">\n", cases + 1, fails);
	for (size_t i = 0; i < r->nunx; i++) {
		ju_case(o, "unexplained exit", 1, gs_unx_line(&r->unx[i], line, sizeof(line)), "");
	}
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_finding *f = &r->f[i];

		if (f->sev == GS_SEV_BENIGN) {
			continue;
		}
		snprintf(line, sizeof(line), "%s %s", gs_sev_name(f->sev), f->rule->id);
		ju_case(o, line, f->sev == GS_SEV_ERROR, f->summary ? f->summary : "",
			f->remedy ? f->remedy : "");
	}
	/* the verdict and the whole text report, always there */
	ju_case(o, m->rd.nrecs == 0 ? "goshim: nothing recorded" : cases ?
		"goshim report" : "goshim: no failure found", 0, "", text);
	fputs("</testsuite>\n</testsuites>\n", o);
}
