/* SPDX-License-Identifier: Apache-2.0 */
#include "explain_fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* Texts of the shapes the rules file has: words with and without a
 * pattern, stars, a word at the end. */
static const struct {
	const char *id, *text;
	enum gs_sev sev;
} fx_texts[] = {
	{ "noexec-work", "fork/exec {path:*/go-build[0-9]*/*}: permission denied", GS_SEV_ERROR },
	{ "noexec-cache", "fork/exec {path:*/[0-9a-f][0-9a-f]/*-d/*}: permission denied", GS_SEV_ERROR },
	{ "any-exec", "fork/exec {path}: permission denied", GS_SEV_ERROR },
	{ "cache-init", "failed to initialize build cache at {path}: * permission denied", GS_SEV_ERROR },
	{ "lsm", "failed to initialize build cache at {path}: * permission denied", GS_SEV_WARNING },
	{ "version", "version `*' not found (required by {path})", GS_SEV_WARNING },
	{ "ld", "ld: cannot find -l{base}", GS_SEV_ERROR },
	{ "plain", "too many open files", GS_SEV_WARNING },
	{ "hostile", NULL, GS_SEV_ERROR },  /* the input's first line */
};

#define FX_N (sizeof(fx_texts) / sizeof(fx_texts[0]))

static void fx_check(const struct gs_xres *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_xfind *f = &r->f[i];

		if (f->nc == 0 || f->nc > FX_N || f->nno == 0 || !f->line[0]) {
			abort();
		}
		for (size_t k = 0; k < f->nno; k++) {
			if (f->no[k] < 1 || (long)f->no[k] > r->lines || (k && f->no[k] < f->no[k - 1]) ||
			    (k < GS_XSHOW && !f->line[k])) {
				abort();
			}
		}
		for (size_t k = 0; k < f->nc; k++) {
			char *s = gs_tmpl_expand(f->c[k].rule->summary, &f->c[k].facts);

			if (!s || !f->c[k].text) {
				abort();
			}
			free(s);
			for (size_t m = 0; m < k; m++) {
				if (f->c[m].rule == f->c[k].rule) {
					abort();
				}
			}
		}
	}
}

size_t gs_fuzz_explain(const uint8_t *buf, size_t len)
{
	struct gs_rule rule[FX_N];
	struct gs_xtext *text[FX_N] = { 0 };
	struct gs_rules rs = { .r = rule, .n = FX_N };
	const uint8_t *nl = memchr(buf, '\n', len);
	struct gs_xres r;
	char why[160], *first;
	size_t n;
	FILE *f;

	if (len == 0) {
		return 0;
	}
	memset(rule, 0, sizeof(rule));
	n = nl ? (size_t)(nl - buf) : len;
	first = memcpy(gs_xrealloc(NULL, n + 1), buf, n);
	first[n] = 0;
	for (size_t i = 0; i < FX_N; i++) {
		rule[i].id = (char *)fx_texts[i].id;
		rule[i].sev = fx_texts[i].sev;
		rule[i].summary = (char *)"{path|-} {base|-} {dir|-} {target|-} {mount|-} {x}";
		if (fx_texts[i].text) {
			text[i] = gs_xtext_compile(fx_texts[i].text, why, sizeof(why));
		} else if (strlen(first) == n) {   /* no NUL in it */
			text[i] = gs_xtext_compile(first, why, sizeof(why));
		}
		rule[i].text = &text[i];
		rule[i].ntext = text[i] != NULL;
	}
	free(first);
	f = fmemopen((void *)buf, len, "r");
	if (!f) {
		abort();
	}
	if (gs_explain_scan(f, &rs, &r) < 0) {
		abort();
	}
	fclose(f);
	fx_check(&r);
	n = r.nf;
	gs_explain_free(&r);
	for (size_t i = 0; i < FX_N; i++) {
		gs_xtext_free(text[i]);
	}
	return n;
}
