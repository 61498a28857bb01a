/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl doctor: the command, and how checks report. */
#include "doctor.h"
#include "doctor_checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "out.h"
#include "place.h"

static const char *const dc_status[] = {
	[GS_CHK_OK] = "ok", [GS_CHK_PROBLEM] = "problem",
	[GS_CHK_NOTE] = "note", [GS_CHK_SKIPPED] = "skipped",
};

void gs_doc_check(struct gs_doc *d, const char *check, enum gs_chk st, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		abort();
	}
	va_end(ap);
	json_array_append_new(d->checks, json_pack("{s:s, s:s, s:s}", "check", check,
						   "status", dc_status[st], "detail", s));
	free(s);
}

void gs_doc_found(struct gs_doc *d, const char *check, const char *problem,
		  struct gs_facts *facts)
{
	struct gs_finding f;

	gs_facts_set(facts, "check", "%s", check);
	gs_facts_set(facts, "problem", "%s", problem);
	gs_facts_merge(facts, &d->place);
	if (gs_classify_found(d->rs, facts, &f) < 0) {
		gs_doc_check(d, check, GS_CHK_PROBLEM, "%s: no rule in the rules files matches it",
			     problem);
	} else if (f.sev == GS_SEV_BENIGN) {
		gs_finding_free(&f);
	} else {
		d->f = gs_xrealloc(d->f, (d->nf + 1) * sizeof(*d->f));
		d->f[d->nf++] = f;
	}
	gs_facts_free(facts);
}

const char *gs_doc_go(const struct gs_doc *d, const char *name)
{
	return gs_facts_get(&d->go, name);
}

/* Where doctor runs, which is where the job runs: remedies follow it. */
static void dc_place(struct gs_doc *d)
{
	const char *c;

	gs_place_live(&d->place);
	c = gs_facts_get(&d->place, "container");
	if (c) {
		gs_doc_check(d, "container", GS_CHK_NOTE, "a container (%s%s): remedies name %s's "
			     "options first%s", c, gs_facts_get(&d->place, "container_privileged") ?
			     ", privileged" : "", gs_facts_get(&d->place, "container_cli"),
			     gs_facts_get(&d->place, "container_privileged") ? "" :
			     ", and none for the host");
	} else {
		gs_doc_check(d, "container", GS_CHK_OK, "not a container: remedies are for this host");
	}
}

void gs_doctor_run(struct gs_doc *d, const struct gs_rules *rs)
{
	memset(d, 0, sizeof(*d));
	d->rs = rs;
	d->checks = json_array();
	dc_place(d);
	gs_doctor_install(d);
	gs_doctor_engine(d);
	gs_doctor_goenv(d);
	gs_doctor_paths(d);
	gs_doctor_exec(d);
	gs_doctor_seccomp(d);
	gs_doctor_limits(d);
	gs_doctor_race(d);
	gs_doctor_net(d);
	gs_findings_sort(d->f, d->nf);
}

const struct gs_finding *gs_doctor_finding(const struct gs_doc *d, const char *id)
{
	for (size_t i = 0; i < d->nf; i++) {
		if (strcmp(d->f[i].rule->id, id) == 0) {
			return &d->f[i];
		}
	}
	return NULL;
}

void gs_doctor_free(struct gs_doc *d)
{
	for (size_t i = 0; i < d->nf; i++) {
		gs_finding_free(&d->f[i]);
	}
	free(d->f);
	free(d->go_bin);
	gs_facts_free(&d->go);
	gs_facts_free(&d->place);
	json_decref(d->checks);
	memset(d, 0, sizeof(*d));
}

static int dc_usage(FILE *o)
{
	fputs("usage: goshimctl doctor [--json | --format=text|json|github]\n"
	      "                        [--color=auto|always|never] [--rules FILE]\n"
	      "Check this environment for the known causes of `go build`/`go test`\n"
	      "failures before anything fails.\n"
	      "  --color=WHEN    colour the text: auto (a terminal, TERM not dumb,\n"
	      "                  NO_COLOR unset), always or never\n"
	      "  --rules FILE    extra rules, tried before the shipped ones\n"
	      "  -h, --help      this help\n"
	      "Exit: 0 no error finding, 1 error findings, 2 usage or rules error.\n", o);
	return 2;
}

static const struct option dc_options[] = {
	GS_OUT_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

void gs_cmd_doctor_usage(FILE *f)
{
	dc_usage(f);
}

static void dc_text(const struct gs_doc *d, const struct gs_out_opts *o)
{
	int color = gs_out_color(o);
	size_t i;
	json_t *c;
	int problems = 0;

	printf("goshim doctor (Go settings from %s)\n\n",
	       d->go_answered ? "`go env`" : "the environment and Go's defaults");
	json_array_foreach(d->checks, i, c) {
		const char *st = json_string_value(json_object_get(c, "status"));
		problems |= strcmp(st, dc_status[GS_CHK_PROBLEM]) == 0;
		printf("  %-8s %-22s %s\n", st, json_string_value(json_object_get(c, "check")),
		       json_string_value(json_object_get(c, "detail")));
	}
	fputc('\n', stdout);
	for (i = 0; i < d->nf; i++) {
		gs_text_finding(stdout, NULL, &d->f[i], color);
	}
	if (d->nf == 0) {
		/* problems the rules silence (benign) or do not know */
		printf(problems ? "no finding: the rules silence or do not know the problems above\n" :
		       "no known problem found\n");
	}
}

static void dc_json(const struct gs_doc *d)
{
	json_t *root = json_object(), *fa = json_array(), *go = json_object();

	for (size_t i = 0; i < d->nf; i++) {
		json_array_append_new(fa, gs_json_finding(NULL, &d->f[i]));
	}
	for (size_t i = 0; i < d->go.n; i++) {
		json_object_set_new(go, d->go.name[i], json_string(d->go.value[i]));
	}
	json_object_set_new(root, "findings", fa);
	json_object_set(root, "checks", d->checks);
	json_object_set_new(root, "go", go);
	json_object_set_new(root, "go_source", json_string(d->go_answered ? "go env" : "computed"));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

int gs_cmd_doctor(int argc, char **argv)
{
	struct gs_out_opts o = { .fmt = GS_FMT_TEXT };
	struct gs_rules rs = { 0 };
	struct gs_doc d = { 0 };
	char err[512];
	int rc = 0, c;

	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "h", dc_options)) != -1) {
		int r = gs_out_opt("doctor", c, optarg, &o);

		if (c == 'h') {
			dc_usage(stdout);
			return 0;
		} else if (r <= 0) {
			return 2;
		}
	}
	if (optind < argc) {
		return gs_cli_usage_error("doctor", "unexpected argument '%s'", argv[optind]);
	}
	if (o.fmt == GS_FMT_MARKDOWN || o.fmt == GS_FMT_JUNIT) {
		return gs_cli_usage_error("doctor", "--format: expected text, json or github "
					  "(markdown and junit are report's)");
	}
	if (gs_rules_load_all(&rs, o.rules, err, sizeof(err)) < 0) {
		fprintf(stderr, "goshimctl doctor: %s\n", err);
		return 2;
	}
	gs_doctor_run(&d, &rs);
	for (size_t i = 0; i < d.nf; i++) {
		rc |= d.f[i].sev == GS_SEV_ERROR;
	}
	if (o.fmt == GS_FMT_JSON) {
		dc_json(&d);
	} else if (o.fmt == GS_FMT_GITHUB) {
		for (size_t i = 0; i < d.nf; i++) {
			gs_github_finding(stdout, &d.f[i]);
		}
	} else {
		dc_text(&d, &o);
	}
	gs_doctor_free(&d);
	gs_rules_free(&rs);
	return rc;
}
