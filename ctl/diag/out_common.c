/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "out.h"

static const struct {
	const char *name;
	enum gs_fmt fmt;
} oc_fmts[] = {
	{ "text", GS_FMT_TEXT }, { "json", GS_FMT_JSON }, { "github", GS_FMT_GITHUB },
	{ "markdown", GS_FMT_MARKDOWN }, { "junit", GS_FMT_JUNIT },
};

static int oc_fmt(const char *cmd, const char *v, enum gs_fmt *fmt)
{
	for (size_t k = 0; k < sizeof(oc_fmts) / sizeof(oc_fmts[0]); k++) {
		if (strcmp(oc_fmts[k].name, v) == 0) {
			*fmt = oc_fmts[k].fmt;
			return 1;
		}
	}
	gs_cli_usage_error(cmd, "--format: expected text, json, github, markdown or junit, not '%s'", v);
	return -1;
}

int gs_out_opt(const char *cmd, int c, const char *arg, struct gs_out_opts *o)
{
	switch (c) {
	case GS_OUT_O_JSON:
		o->fmt = GS_FMT_JSON;
		return 1;
	case GS_OUT_O_FORMAT:
		return oc_fmt(cmd, arg, &o->fmt);
	case GS_OUT_O_COLOR:
		return gs_cli_color_parse(cmd, arg, &o->color) < 0 ? -1 : 1;
	case GS_OUT_O_RULES:
		o->rules = arg;
		return 1;
	default:
		return 0;
	}
}

int gs_out_color(const struct gs_out_opts *o)
{
	return gs_cli_color(stdout, o->color);
}

void gs_out_escape(FILE *o, const char *s, const struct gs_esc *tab, size_t n,
		   const char *keep)
{
	for (; s && *s; s++) {
		size_t i = 0;

		while (i < n && tab[i].c != *s) {
			i++;
		}
		if (i < n) {
			fputs(tab[i].as, o);
		} else if ((unsigned char)*s < 0x20 && !strchr(keep, *s)) {
			fputs("\xef\xbf\xbd", o);
		} else {
			fputc(*s, o);
		}
	}
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
