/* SPDX-License-Identifier: Apache-2.0 */
/* report --format=markdown: a CI job summary (out.h). */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "diag.h"
#include "out.h"

/* s with &, <, >, `, |, *, _, [, ] and # made inert: HTML entities, which
 * Markdown renders as the character and never as markup; control
 * characters as U+FFFD.  In a <pre> block only &, < and > would matter;
 * the rest keeps a line of prose from turning into markup. */
static void md_esc(FILE *o, const char *s)
{
	static const struct gs_esc md_ents[] = {
		{ '&', "&amp;" }, { '<', "&lt;" }, { '>', "&gt;" }, { '`', "&#96;" },
		{ '|', "&#124;" }, { '*', "&#42;" }, { '_', "&#95;" }, { '[', "&#91;" },
		{ ']', "&#93;" }, { '#', "&#35;" },
	};

	gs_out_escape(o, s, md_ents, sizeof(md_ents) / sizeof(md_ents[0]), "\n");
}

static void md_pre(FILE *o, const char *text)
{
	fputs("<pre>\n", o);
	md_esc(o, text);
	fputs("</pre>\n\n", o);
}

void gs_report_markdown(const struct gs_model *m, const struct gs_report *r, const char *ring,
			const char *text)
{
	size_t n[3] = { 0 };
	FILE *o = stdout;

	for (size_t i = 0; i < r->nf; i++) {
		n[r->f[i].sev == GS_SEV_ERROR ? 0 : r->f[i].sev == GS_SEV_WARNING ? 1 : 2]++;
	}
	if (m->rd.nrecs == 0) {
		fputs("## goshim: nothing recorded\n\n", o);
		md_esc(o, GS_EMPTY_RING);
		fputs(".\n\n", o);
	} else if (!n[0] && !n[1] && !r->nunc && !r->nunx) {
		fprintf(o, "## goshim: no failure found\n\n%llu benign failed call%s, "
			"none that explains a failure.\n\n", (unsigned long long)r->suppressed,
			r->suppressed == 1 ? "" : "s");
	} else {
		fprintf(o, "## goshim: %zu error%s, %zu warning%s, %zu unexplained exit%s, "
			"%zu unclassified\n\n", n[0], n[0] == 1 ? "" : "s", n[1],
			n[1] == 1 ? "" : "s", r->nunx, r->nunx == 1 ? "" : "s", r->nunc);
	}
	for (size_t i = 0; i < r->nunx; i++) {
		char line[2048];

		fputs("### unexplained\n\n", o);
		md_esc(o, gs_unx_line(&r->unx[i], line, sizeof(line)));
		fputs("\n\n", o);
	}
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_finding *f = &r->f[i];

		if (f->sev == GS_SEV_BENIGN) {
			continue;
		}
		fprintf(o, "### %s `%s`\n\n", gs_sev_name(f->sev), f->rule->id);
		md_esc(o, f->summary ? f->summary : "");
		fputs("\n\n", o);
		if (f->remedy && *f->remedy) {
			fputs("**Remedy**\n\n", o);
			md_pre(o, f->remedy);
		}
	}
	fputs("<details><summary>goshimctl report ", o);
	md_esc(o, ring);
	fputs("</summary>\n\n", o);
	md_pre(o, text);
	fputs("</details>\n", o);
}
