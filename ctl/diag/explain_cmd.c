/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain: the command. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "doctor.h"
#include "explain.h"
#include "out.h"

enum { XC_O_CHECK = GS_OUT_O_NEXT };

static const struct option xc_options[] = {
	GS_OUT_OPTIONS,
	{ "check", no_argument, NULL, XC_O_CHECK },
	{ NULL, 0, NULL, 0 },
};

void gs_cmd_explain_usage(FILE *o)
{
	fputs("usage: goshimctl explain [--check] [--json | --format=text|json|github]\n"
	      "                         [--color=auto|always|never] [--rules FILE] [LOG | -]\n"
	      "Find the known patterns in a CI log (go build / go test output, go test -json,\n"
	      "or a whole job log) from the texts Go and the tools print: the lines, the\n"
	      "likely causes, most likely first, their remedies and the doctor checks\n"
	      "that would confirm them here.  Without LOG (or with -) the log is stdin.\n"
	      "  --check         run those doctor checks now and say which cause they confirm\n"
	      "  --color=WHEN    colour the text: auto, always or never\n"
	      "  --rules FILE    extra rules (their `text` lines too), tried first\n"
	      "  -h, --help      this help\n"
	      "A log of a job that passed (go test's ok/PASS, no FAIL, exit status or panic\n"
	      "line) is said to have passed: the matching lines are its tests' output.\n"
	      "Exit: 0 no known pattern or the job passed, 1 known patterns found, 2 usage,\n"
	      "unreadable log or rules error.\n", o);
}

/* What doctor measured of the mount of a directory it confirms a cause
 * with: the remedy's remount names it. */
static const char *const xc_mount[] = { "mount", "fstype", "mount_opts", "avail" };

/* --check: doctor's checks here, and the causes they confirm first. */
static void xc_check(struct gs_xres *r, const struct gs_rules *rs, struct gs_doc *d)
{
	gs_doctor_run(d, rs);
	for (size_t i = 0; i < r->nf; i++) {
		for (size_t k = 0; k < r->f[i].nc; k++) {
			struct gs_xcause *c = &r->f[i].c[k];

			gs_facts_merge(&c->facts, &d->place); /* the remedy of here */
			c->doc = gs_doctor_finding(d, c->rule->id);
			for (size_t m = 0; c->doc && m < sizeof(xc_mount) / sizeof(xc_mount[0]); m++) {
				const char *v = gs_facts_get(&c->doc->facts, xc_mount[m]);
				if (v) {
					gs_facts_set(&c->facts, xc_mount[m], "%s", v);
				}
			}
		}
		gs_explain_rank(&r->f[i]);
	}
	r->checked = 1;
}

static void xc_print(const struct gs_out_opts *o, const char *name, const struct gs_xres *r)
{
	if (o->fmt == GS_FMT_JSON) {
		gs_explain_json(stdout, name, r);
	} else if (o->fmt == GS_FMT_GITHUB) {
		gs_explain_github(stdout, name, r);
	} else {
		gs_explain_text(stdout, name, r, gs_out_color(o));
	}
}

int gs_cmd_explain(int argc, char **argv)
{
	struct gs_out_opts o = { .fmt = GS_FMT_TEXT };
	struct gs_rules rs = { 0 };
	struct gs_doc d = { 0 };
	struct gs_xres r;
	const char *log = "-";
	FILE *in = stdin;
	char err[512];
	int check = 0, c;

	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "h", xc_options)) != -1) {
		int k = gs_out_opt("explain", c, optarg, &o);

		if (c == 'h') {
			gs_cmd_explain_usage(stdout);
			return 0;
		} else if (c == XC_O_CHECK) {
			check = 1;
		} else if (k <= 0) {
			return 2;
		}
	}
	if (argc - optind > 1) {
		return gs_cli_usage_error("explain", "unexpected argument '%s'", argv[optind + 1]);
	}
	if (optind < argc) {
		log = argv[optind];
	}
	if (strcmp(log, "-") == 0 && optind == argc && isatty(STDIN_FILENO)) {
		return gs_cli_usage_error("explain", "no LOG given and stdin is a terminal");
	}
	if (gs_rules_load_all(&rs, o.rules, err, sizeof(err)) < 0) {
		fprintf(stderr, "goshimctl explain: %s\n", err);
		return 2;
	}
	if (strcmp(log, "-") != 0 && !(in = fopen(log, "r"))) {
		fprintf(stderr, "goshimctl explain: %s: %s\n", log, strerror(errno));
		gs_rules_free(&rs);
		return 2;
	}
	if (gs_explain_scan(in, &rs, &r) < 0) {
		fprintf(stderr, "goshimctl explain: %s: %s\n", log, strerror(errno));
		gs_explain_free(&r);
		c = 2;
	} else {
		if (check) {
			xc_check(&r, &rs, &d);
		}
		xc_print(&o, strcmp(log, "-") ? log : "(stdin)", &r);
		c = r.nf && !gs_xjob_passed(&r.job) ? 1 : 0;
		gs_explain_free(&r);
	}
	if (in != stdin) {
		fclose(in);
	}
	if (check) {
		gs_doctor_free(&d);
	}
	gs_rules_free(&rs);
	return c;
}
