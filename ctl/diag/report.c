/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl report: explain the failures in a ring. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "diag.h"
#include "engines.h"
#include "flags.h"
#include "out.h"
#include "output.h"
#include "ringpath.h"
#include "runs.h"

struct rp_opts {
	struct gs_out_opts out;
	int all, all_runs;
	struct gs_runs runs;  /* the run reported (gs_model_keep_last_run) */
	const char *ring, *ring_opt;
	int named;            /* RING or --ring given */
};

enum { RP_O_ALL = GS_OUT_O_NEXT, RP_O_ALL_RUNS, RP_O_RING };

static const struct option rp_options[] = {
	GS_OUT_OPTIONS,
	{ "all", no_argument, NULL, RP_O_ALL },
	{ "all-runs", no_argument, NULL, RP_O_ALL_RUNS },
	GS_CLI_RING_OPTION(RP_O_RING),
	{ NULL, 0, NULL, 0 },
};

static int rp_usage(FILE *o)
{
	fputs("usage: goshimctl report [--json | --format=text|json|github|markdown|junit]\n"
	      "                        [--all] [--all-runs] [--color=auto|always|never]\n"
	      "                        [--rules FILE] [[--ring] RING]\n"
	      "Explain the failed calls recorded in RING with the known patterns.\n"
	      "Without RING: $GOSHIM_RING, else the default ring of `goshimctl run`\n"
	      "($XDG_RUNTIME_DIR/goshim.ring, else /tmp/goshim-EUID/goshim.ring);\n"
	      "which one is said on stderr.\n"
	      "  --ring RING     the same as the RING operand\n"
	      "  --all           also show benign noise (normally only counted)\n"
	      "  --all-runs      every run in the ring (normally the last run only:\n"
	      "                  GOSHIM_RUN, see goshimctl(1))\n"
	      "  --color=WHEN    colour the text: auto (a terminal, TERM not dumb,\n"
	      "                  NO_COLOR unset), always or never\n"
	      "  --rules FILE    extra rules, tried before the shipped ones\n"
	      "  -h, --help      this help\n"
	      "Exit: 0 no error finding, 1 error findings, 2 unusable input (a ring none\n"
	      "      of whose records decoded too),\n"
	      "      3 the run failed and no error finding explains it\n"
	      "      (an empty ring is said so, and is no error).\n", o);
	return 2;
}

void gs_cmd_report_usage(FILE *f)
{
	rp_usage(f);
}

/* 0, 1 after -h, -1 after a usage error. */
static int rp_args(int argc, char **argv, struct rp_opts *o)
{
	int c;

	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "h", rp_options)) != -1) {
		int r = gs_out_opt("report", c, optarg, &o->out);

		if (r < 0) {
			return -1;
		} else if (r > 0) {
			continue;
		} else if (c == RP_O_ALL) {
			o->all = 1;
		} else if (c == RP_O_ALL_RUNS) {
			o->all_runs = 1;
		} else if (c == RP_O_RING) {
			o->ring_opt = optarg;
		} else if (c == 'h') {
			rp_usage(stdout);
			return 1;
		} else {
			return -1;
		}
	}
	const char *rings[2];
	int n = gs_cli_rings(o->ring_opt, argc, argv, rings);

	if (n > 1) {
		gs_cli_usage_error("report", "one ring only (%s, %s)", rings[0], rings[1]);
		return -1;
	}
	if (n == 1) {
		o->ring = rings[0];
		o->named = 1;
		return 0;
	}
	int dflt;
	o->ring = gs_run_default_ring("goshimctl report", 0, &dflt);
	if (!o->ring) {
		return -1;
	}
	fprintf(stderr, "goshimctl report: reading %s (%s)\n", o->ring,
		dflt ? "the default ring" : "$GOSHIM_RING");
	return 0;
}

static json_t *rp_json_ring(const struct gs_model *m, const char *path)
{
	json_t *probs = json_array(), *notes = json_array(), *lanes = json_array();

	for (size_t i = 0; i < m->rd.nissues; i++) {
		json_array_append_new(probs, json_pack("{s:i, s:I, s:s}",
			"what", (int)m->rd.issues[i].what,
			"count", (json_int_t)m->rd.issues[i].count, "message", m->rd.issues[i].msg));
	}
	for (size_t i = 0; i < m->nnotes; i++) {
		json_array_append_new(notes, gs_json_str(m->notes[i]));
	}
	for (unsigned i = 0; i < m->rd.nlanes; i++) {
		char name[16];
		json_array_append_new(lanes, json_pack("{s:s, s:I, s:I, s:I}",
			"lane", gs_ring_lane_name(i, name, sizeof(name)),
			"size", (json_int_t)m->rd.lanes[i].size,
			"records", (json_int_t)m->rd.lanes[i].found,
			"lost", (json_int_t)gs_ring_lane_lost(&m->rd, i)));
	}
	return json_pack("{s:s, s:s*, s:b, s:s*, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:o, s:o}",
			 "path", path, "owner_warning", m->owner_warn[0] ? m->owner_warn : NULL,
			 "empty", m->rd.nrecs == 0,
			 "message", m->rd.nrecs == 0 ? GS_EMPTY_RING : NULL,
			 "records", (json_int_t)m->rd.nrecs,
			 "repeats", (json_int_t)m->rd.repeats,
			 "repeats_alone", (json_int_t)m->rd.repeats_alone,
			 "lost", (json_int_t)gs_ring_lost(&m->rd), "lanes", lanes,
			 "torn", (json_int_t)m->rd.torn,
			 "bad_payloads", (json_int_t)m->bad_payloads,
			 "problems", probs, "notes", notes);
}

static json_t *rp_json_procs(const struct gs_model *m)
{
	json_t *a = json_array();

	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *p = &m->proc[i];
		json_t *argv = json_array();
		for (size_t k = 0; p->has_rec && k < p->rec.argv.n; k++) {
			json_array_append_new(argv, gs_json_str(gs_evt_strs(&p->rec.argv)[k]));
		}
		json_array_append_new(a, json_pack("{s:I, s:I, s:o*, s:o, s:o*}",
			"pid", (json_int_t)p->pid, "ppid", (json_int_t)p->ppid,
			"exe", p->exe ? gs_json_str(p->exe) : NULL,
			"argv", argv, "exit", p->exited ? gs_json_status(p->status) : NULL));
	}
	return a;
}

static json_t *rp_json_unx(const struct gs_model *m, const struct gs_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nunx; i++) {
		const struct gs_unx *u = &r->unx[i];
		json_t *near = json_array();
		for (size_t k = 0; k < u->nnear; k++) {
			json_array_append_new(near, gs_json_event(m, &m->ev[u->near[k]]));
		}
		json_t *origin = json_pack("{s:I, s:o*, s:o}", "pid", (json_int_t)u->origin,
			"exe", u->origin_exe ? gs_json_str(u->origin_exe) : NULL,
			"exit", gs_json_status(u->origin_status));
		json_array_append_new(a, json_pack("{s:I, s:o*, s:o, s:o, s:o, s:I}",
			"pid", (json_int_t)u->pid, "exe", u->exe ? gs_json_str(u->exe) : NULL, "exit", gs_json_status(u->status),
			"origin", origin, "nearest", near, "lost", (json_int_t)gs_ring_lost(&m->rd)));
	}
	return a;
}

static void rp_text_unx(FILE *o, const struct gs_model *m, const struct gs_report *r,
			int color)
{
	char line[512];
	uint64_t lost = gs_ring_lost(&m->rd);
	int errors = 0;

	for (size_t i = 0; i < r->nf; i++) {
		errors |= r->f[i].sev == GS_SEV_ERROR;
	}
	for (size_t i = 0; i < r->nunx; i++) {
		const struct gs_unx *u = &r->unx[i];
		gs_unx_line(u, line, sizeof(line));
		fprintf(o, "%sunexplained%s: ", color ? "\033[1;31m" : "", color ? "\033[0m" : "");
		gs_text_str(o, line, 0);
		fputc('\n', o);
		if (errors) {
			fprintf(o, "  the errors below did not end it: none happened in the process "
				"where this failed exit began\n");
		}
		if (u->nnear) {
			fprintf(o, "  nearest unclassified failures:\n");
		}
		for (size_t k = 0; k < u->nnear; k++) {
			fputs("    ", o);
			gs_text_event(o, &m->ev[u->near[k]]);
		}
		if (lost) {
			fprintf(o, "  %llu record%s lost to wrap-around: the cause may be among them\n",
			       (unsigned long long)lost, lost == 1 ? " was" : "s were");
		}
		fputc('\n', o);
	}
}

static void rp_json(const struct gs_model *m, const struct gs_report *r,
		    const struct gs_rules *rs, const struct rp_opts *o)
{
	json_t *root = json_object();
	json_t *fa = json_array(), *ba = json_array(), *ua = json_array(), *by = json_object();
	json_t *files = json_array();

	for (size_t i = 0; i < r->nf; i++) {
		json_array_append_new(r->f[i].sev == GS_SEV_BENIGN ? ba : fa,
				      gs_json_finding(m, &r->f[i]));
	}
	for (size_t i = 0; i < r->nunc; i++) {
		const struct gs_mev *e = &m->ev[r->unc[i]];
		json_t *ev = gs_json_event(m, e);
		json_object_set_new(ev, "chain", gs_json_chain(m, e->ev.pid, NULL));
		json_array_append_new(ua, ev);
	}
	for (size_t i = 0; i < r->nsupp; i++) {
		json_object_set_new(by, r->supp[i].id, json_integer((json_int_t)r->supp[i].count));
	}
	for (size_t i = 0; i < rs->nfiles; i++) {
		json_array_append_new(files, json_string(rs->files[i]));
	}
	json_object_set_new(root, "findings", fa);
	if (o->all) {
		json_object_set_new(root, "benign", ba);
	} else {
		json_decref(ba);
	}
	json_object_set_new(root, "unclassified", ua);
	json_object_set_new(root, "unexplained", rp_json_unx(m, r));
	json_object_set_new(root, "suppressed", json_pack("{s:I, s:o}", "total",
			    (json_int_t)r->suppressed, "by_pattern", by));
	json_object_set_new(root, "processes", rp_json_procs(m));
	json_object_set_new(root, "ring", rp_json_ring(m, o->ring));
	json_object_set_new(root, "run", json_pack("{s:o, s:b, s:I, s:I, s:I}",
			    "id", o->runs.id ? gs_json_str(o->runs.id) : json_null(),
			    "all_runs", o->all_runs,
			    "older_runs", (json_int_t)o->runs.older,
			    "skipped", (json_int_t)o->runs.skipped,
			    "skipped_calls", (json_int_t)o->runs.skipped_calls));
	json_object_set_new(root, "rules", files);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

/* Which run this is, when the ring holds several. */
static void rp_text_run(FILE *o, const struct gs_runs *ru)
{
	if (!ru->id || !ru->older) {
		return;
	}
	fprintf(o, "run %s, the last of %zu runs in the ring: %zu failure%s (%llu call%s) of "
		"older runs left out (--all-runs shows them)\n\n", ru->id, ru->older + 1,
		ru->skipped, ru->skipped == 1 ? "" : "s", (unsigned long long)ru->skipped_calls,
		ru->skipped_calls == 1 ? "" : "s");
}

static void rp_text(FILE *o, const struct gs_model *m, const struct gs_report *r,
		    const struct rp_opts *opt, int color)
{
	size_t nerr = 0, nwarn = 0;

	for (size_t i = 0; i < r->nf; i++) {
		nerr += r->f[i].sev == GS_SEV_ERROR;
		nwarn += r->f[i].sev == GS_SEV_WARNING;
	}
	fprintf(o, "goshim report %s: %zu error%s, %zu warning%s, %zu unclassified, "
	       "%llu benign failure%s suppressed\n\n", opt->ring, nerr, nerr == 1 ? "" : "s",
	       nwarn, nwarn == 1 ? "" : "s", r->nunc, (unsigned long long)r->suppressed,
	       r->suppressed == 1 ? "" : "s");
	if (m->owner_warn[0]) {
		fprintf(o, "warning: %s\n\n", m->owner_warn);
	}
	rp_text_run(o, &opt->runs);
	rp_text_unx(o, m, r, color);
	for (size_t i = 0; i < r->nf; i++) {
		if (r->f[i].sev != GS_SEV_BENIGN || opt->all) {
			gs_text_finding(o, m, &r->f[i], color);
		}
	}
	if (r->nunc) {
		fprintf(o, "unclassified (no rule explains them):\n");
		for (size_t i = 0; i < r->nunc; i++) {
			fputs("  ", o);
			gs_text_event(o, &m->ev[r->unc[i]]);
		}
		fputc('\n', o);
	}
	if (r->nsupp) {
		fprintf(o, "suppressed:");
		for (size_t i = 0; i < r->nsupp; i++) {
			fprintf(o, "%s %s ×%llu", i ? "," : "", r->supp[i].id,
			       (unsigned long long)r->supp[i].count);
		}
		fprintf(o, "%s\n", opt->all ? "" : "  (--all shows them)");
	}
	if (m->rd.nrecs == 0) {
		fprintf(o, "ring: %s\n", GS_EMPTY_RING);
	}
	for (size_t i = 0; i < m->rd.nissues; i++) {
		fprintf(o, "ring: %s\n", m->rd.issues[i].msg);
	}
	uint64_t lost = gs_ring_lost(&m->rd);
	if (lost) {
		char lanes[160];
		gs_ring_lost_lanes(&m->rd, lanes, sizeof(lanes));
		fprintf(o, "ring: %llu of %llu records lost to wrap-around (or torn)%s%s; "
		       "a larger GOSHIM_RING_SIZE keeps more\n", (unsigned long long)lost,
		       (unsigned long long)m->rd.hdr.committed, lanes[0] ? ": " : "", lanes);
	}
	if (m->rd.repeats_alone) {
		fprintf(o, "ring: %llu repeat%s across processes of a failure whose whole record "
		       "was overwritten: identity, call, errno and path only\n",
		       (unsigned long long)m->rd.repeats_alone, m->rd.repeats_alone == 1 ? "" : "s");
	}
	for (size_t i = 0; i < m->nnotes; i++) {
		fputs("engine note: ", o);
		gs_text_str(o, m->notes[i], 0);
		fputc('\n', o);
	}
}

/* The CI formats (markdown, junit) carry the whole text report,
 * uncoloured. */
static void rp_ci(const struct gs_model *m, const struct gs_report *r, const struct rp_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (mem) {
		rp_text(mem, m, r, o, 0);
		fclose(mem);
	}
	if (o->out.fmt == GS_FMT_JUNIT) {
		gs_report_junit(m, r, text ? text : "");
	} else {
		gs_report_markdown(m, r, o->ring, text ? text : "");
	}
	free(text);
}

int gs_cmd_report(int argc, char **argv)
{
	struct rp_opts o = { .out = { .fmt = GS_FMT_TEXT } };
	struct gs_rules rs = { 0 };
	struct gs_model m;
	struct gs_report r;
	char err[512];
	int rc = 0;

	int args = rp_args(argc, argv, &o);

	if (args) {
		return args > 0 ? 0 : 2;
	}
	if (gs_rules_load_all(&rs, o.out.rules, err, sizeof(err)) < 0) {
		fprintf(stderr, "goshimctl report: %s\n", err);
		return 2;
	}
	gs_ctl_wait_engines(o.ring);
	if (gs_model_load(&m, o.ring, err, sizeof(err)) < 0) {
		fprintf(stderr, "goshimctl report: %s\n", err);
		gs_rules_free(&rs);
		return 2;
	}
	if (o.named && m.no_file) {
		/* loaded as the empty ring (its directory exists): the preload
		 * makes its ring at the first failure, so a clean run leaves
		 * none; a mistyped name must not pass for that silently */
		fprintf(stderr, "goshimctl report: no ring file at %s: nothing failed under "
			"goshim there, or that is not the job's ring\n", o.ring);
	}
	if (m.owner_warn[0]) {
		fprintf(stderr, "goshimctl report: warning: %s\n", m.owner_warn);
	}
	if (!o.all_runs) {
		gs_model_keep_last_run(&m, &o.runs);
	}
	gs_classify(&m, &rs, &r);
	gs_unexplained(&m, &r);
	for (size_t i = 0; i < r.nf; i++) {
		if (r.f[i].sev == GS_SEV_ERROR) {
			rc = 1;
		}
	}
	if (r.nunx) {
		rc = 3;
	}
	if (m.rd.nrecs == 0) {
		fprintf(stderr, "goshimctl report: %s: %s\n", o.ring, GS_EMPTY_RING);
	}
	if (o.out.fmt == GS_FMT_JSON) {
		rp_json(&m, &r, &rs, &o);
	} else if (o.out.fmt == GS_FMT_GITHUB) {
		gs_report_github(&m, &r, &o.runs);
	} else if (o.out.fmt == GS_FMT_MARKDOWN || o.out.fmt == GS_FMT_JUNIT) {
		rp_ci(&m, &r, &o);
	} else {
		rp_text(stdout, &m, &r, &o, gs_out_color(&o.out));
	}
	gs_report_free(&r);
	gs_model_free(&m);
	gs_rules_free(&rs);
	return rc;
}
