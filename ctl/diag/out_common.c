/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flags.h"
#include "out.h"

static const struct {
	const char *name;
	enum gs_fmt fmt;
} oc_fmts[] = {
	{ "text", GS_FMT_TEXT }, { "json", GS_FMT_JSON }, { "github", GS_FMT_GITHUB },
};

int gs_out_fmt_opt(int argc, char **argv, int *i, enum gs_fmt *fmt)
{
	const char *a = argv[*i], *v;

	if (strcmp(a, "--json") == 0) {
		*fmt = GS_FMT_JSON;
		return 1;
	}
	if (strncmp(a, "--format=", 9) == 0) {
		v = a + 9;
	} else if (strcmp(a, "--format") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "goshimctl: --format needs a value: text, json or github\n");
			return -1;
		}
		v = argv[++*i];
	} else {
		return 0;
	}
	for (size_t k = 0; k < sizeof(oc_fmts) / sizeof(oc_fmts[0]); k++) {
		if (strcmp(oc_fmts[k].name, v) == 0) {
			*fmt = oc_fmts[k].fmt;
			return 1;
		}
	}
	fprintf(stderr, "goshimctl: unknown format \"%s\": text, json or github\n", v);
	return -1;
}

int gs_out_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(nc && *nc);
}

void gs_github_escape(FILE *o, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", o);
			break;
		case '\r':
			fputs("%0D", o);
			break;
		case '\n':
			fputs("%0A", o);
			break;
		case ':':
			fputs(property ? "%3A" : ":", o);
			break;
		case ',':
			fputs(property ? "%2C" : ",", o);
			break;
		default:
			fputc(*s, o);
		}
	}
}

void gs_github_finding(FILE *o, const struct gs_finding *f)
{
	char title[200];

	snprintf(title, sizeof(title), "goshim %s", f->rule->id);
	fputs(f->sev == GS_SEV_ERROR ? "::error title=" : f->sev == GS_SEV_WARNING ?
	      "::warning title=" : "::notice title=", o);
	gs_github_escape(o, title, 1);
	fputs("::", o);
	gs_github_escape(o, f->summary ? f->summary : "", 0);
	if (f->remedy && *f->remedy) {
		fputs(" — ", o);
		gs_github_escape(o, f->remedy, 0);
	}
	fputc('\n', o);
}
