/* SPDX-License-Identifier: Apache-2.0 */
/* `goshimctl decode`: read a ring file and print its records. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calls.h"
#include "cli.h"
#include "commands.h"
#include "dicts.h"
#include "engines.h"
#include "ringopen.h"
#include "flags.h"
#include "args.h"
#include "output.h"

struct dec_opts {
	int json;
	int symbols;
	int has_pid;
	uint32_t pid;
	const char *call;
	int err;            /* 0: any */
	const char *path;
	unsigned types;     /* 1 << enum goshim_rec_type */
	const char *ring;
	enum gs_color color;
};

static const struct option dec_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pid", required_argument, NULL, 'p' },
	{ "call", required_argument, NULL, 'c' },
	{ "errno", required_argument, NULL, 'e' },
	{ "path", required_argument, NULL, 'P' },
	{ "type", required_argument, NULL, 't' },
	{ "no-symbols", no_argument, NULL, 'S' },
	GS_CLI_RING_OPTION('r'),
	GS_CLI_COLOR_OPTION('C'),
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *name;
	unsigned bits;
} dec_types[] = {
	{ "event", 1u << GOSHIM_REC_EVENT },
	{ "process", 1u << GOSHIM_REC_PROCESS },
	{ "exit", 1u << GOSHIM_REC_EXIT },
	{ "note", 1u << GOSHIM_REC_NOTE },
	{ "all", ~0u },
};

void gs_cmd_decode_usage(FILE *f)
{
	fputs("usage: goshimctl decode [OPTIONS] RING\n"
	      "\n"
	      "Print the records of a goshim ring file (failed calls by default).\n"
	      "\n"
	      "  --json              JSON Lines, one object per record\n"
	      "  --pid PID           only records of process PID\n"
	      "  --call NAME         only failures of call NAME (openat, execve, ...)\n"
	      "  --errno NAME|NUM    only failures with this errno (ENOENT, 13, ...)\n"
	      "  --path SUBSTR       only failures whose path contains SUBSTR\n"
	      "  --type TYPES        event, process, exit, note or all; comma-separated\n"
	      "                      (default: event)\n"
	      "  --no-symbols        do not open ELF files to name backtrace frames\n"
	      "  --ring RING         the same as the RING operand\n"
	      "  --color=WHEN        colour the text: auto (a terminal, TERM not dumb,\n"
	      "                      NO_COLOR unset), always or never\n"
	      "  -h, --help          this help\n"
	      "\n"
	      "Exit status: 0 read cleanly, 1 ring damaged (intact records shown),\n"
	      "2 usage error or not a readable goshim ring.\n", f);
}

#define dec_usage_error(...) gs_cli_usage_error("decode", __VA_ARGS__)

static int dec_parse_types(const char *s, unsigned *out)
{
	char *copy = strdup(s), *save = NULL;
	int rc = 0;

	*out = 0;
	for (char *t = strtok_r(copy, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(dec_types) / sizeof(dec_types[0]); i++) {
			if (strcmp(t, dec_types[i].name) == 0) {
				*out |= dec_types[i].bits;
				break;
			}
		}
		rc = i == sizeof(dec_types) / sizeof(dec_types[0]) ? -1 : 0;
	}
	free(copy);
	return rc < 0 || !*out ? -1 : 0;
}

static int dec_parse(int argc, char **argv, struct dec_opts *o)
{
	int c;
	char *end;
	const char *ring_opt = NULL;

	memset(o, 0, sizeof(*o));
	o->symbols = 1;
	o->types = 1u << GOSHIM_REC_EVENT;
	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "h", dec_options)) != -1) {
		switch (c) {
		case 'j':
			o->json = 1;
			break;
		case 'S':
			o->symbols = 0;
			break;
		case 'p': {
			unsigned long v;
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || !*optarg || *end || v > UINT32_MAX) {
				return dec_usage_error("--pid: not a process id: %s", optarg);
			}
			o->has_pid = 1;
			o->pid = (uint32_t)v;
			break;
		}
		case 'c':
			if (!gs_call_by_name(optarg, 0)) {
				return dec_usage_error("--call: unknown call: %s", optarg);
			}
			o->call = optarg;
			break;
		case 'e':
			o->err = gs_errno_parse(optarg);
			if (o->err <= 0) {
				return dec_usage_error("--errno: unknown errno: %s", optarg);
			}
			break;
		case 'P':
			o->path = optarg;
			break;
		case 'r':
			ring_opt = optarg;
			break;
		case 't':
			if (dec_parse_types(optarg, &o->types) < 0) {
				return dec_usage_error("--type: expected event, process, exit, note "
						       "or all, not %s", optarg);
			}
			break;
		case 'h':
			gs_cmd_decode_usage(stdout);
			return -1;
		case 'C':
			if (gs_cli_color_parse("decode", optarg, &o->color) < 0) {
				return GS_EXIT_USAGE;
			}
			break;
		default:
			return GS_EXIT_USAGE;
		}
	}
	const char *rings[2];
	int n = gs_cli_rings(ring_opt, argc, argv, rings);

	if (n != 1) {
		return dec_usage_error(n == 0 ? "no ring file given" :
				       "more than one ring file given");
	}
	o->ring = rings[0];
	return 0;
}

/* Does the record pass the filters?  Call, errno and path filters only
 * ever select failed-call records. */
static int dec_match(const struct dec_opts *o, const struct gs_rec *rec,
		     const struct gs_event *e)
{
	char nb[32];

	if (!(o->types & (1u << (rec->type < 32 ? rec->type : 0)))) {
		return 0;
	}
	if (o->has_pid && e->pid != o->pid) {
		return 0;
	}
	if (!o->call && !o->err && !o->path) {
		return 1;
	}
	if (rec->type != GOSHIM_REC_EVENT) {
		return 0;
	}
	if (o->call && strcmp(gs_args_call_name(e, nb, sizeof(nb)), o->call) != 0) {
		return 0;
	}
	if (o->err && (!gs_evt_has(e, GS_E_ERRNO) || e->err != o->err)) {
		return 0;
	}
	if (o->path && !(e->path && strstr(e->path, o->path)) &&
	    !(e->abspath && strstr(e->abspath, o->path)) &&
	    !(e->name && strstr(e->name, o->path))) {
		return 0;
	}
	return 1;
}

/* Problems that mean the file is not something we can read at all. */
static int dec_fatal(const struct gs_ring_reader *r)
{
	static const enum gs_ring_problem fatal[] = {
		GS_RP_EMPTY, GS_RP_SHORT_HDR, GS_RP_FOREIGN, GS_RP_NEWER, GS_RP_ENDIAN,
	};

	if (r->nrecs) {
		return 0;
	}
	for (size_t i = 0; i < r->nissues; i++) {
		for (size_t k = 0; k < sizeof(fatal) / sizeof(fatal[0]); k++) {
			if (r->issues[i].what == fatal[k]) {
				return 1;
			}
		}
	}
	return 0;
}

static int dec_open(const char *ring, struct gs_ring_reader *r)
{
	char err[512], owner[512];

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->dict_lookup = gs_dict_lookup;
	gs_ctl_wait_engines(ring);
	if (gs_ctl_ring_load(r, ring, err, sizeof(err), owner, sizeof(owner)) < 0) {
		fprintf(stderr, "goshimctl: %s\n", err);
		return -1;
	}
	if (owner[0]) {
		fprintf(stderr, "goshimctl: warning: %s\n", owner);
	}
	for (size_t i = 0; i < r->nissues; i++) {
		fprintf(stderr, "goshimctl: %s: %s\n", ring, r->issues[i].msg);
	}
	return 0;
}

/* One record as a JSON line.  One that cannot be built (out of memory)
 * or written is left out and counted in *unwritten; the first is said. */
static void dec_json(const struct dec_opts *o, struct gs_symbolizer *sym,
		     const struct gs_shown *s, size_t *unwritten)
{
	if (gs_json_record(stdout, sym, s) == 0) {
		return;
	}
	if ((*unwritten)++ == 0) {
		fprintf(stderr, "goshimctl: %s: record #%zu: cannot write it as JSON\n",
			o->ring, s->seq);
	}
}

/* Show every record that passes the filters; returns how many records
 * were damaged. */
static size_t dec_records(const struct dec_opts *o, const struct gs_ring_reader *r,
			  struct gs_symbolizer *sym, size_t *unwritten)
{
	size_t damaged = 0;

	for (size_t i = 0; i < r->nrecs; i++) {
		const struct gs_rec *rec = &r->recs[i];
		struct gs_shown s = { i, rec, NULL };
		struct gs_event e;

		if (rec->error || !rec->payload) {
			fprintf(stderr, "goshimctl: %s: record #%zu at position %llu: %s\n",
				o->ring, i, (unsigned long long)rec->pos,
				rec->error ? rec->error : "no payload");
			damaged++;
			if (o->json) {
				dec_json(o, sym, &s, unwritten);
			}
			continue;
		}
		if (gs_event_parse(&e, rec->payload, rec->raw_len) < 0) {
			fprintf(stderr, "goshimctl: %s: record #%zu at position %llu: %s\n",
				o->ring, i, (unsigned long long)rec->pos, e.error);
			damaged++;
		}
		s.evt = &e;
		if (dec_match(o, rec, &e)) {
			if (o->json) {
				dec_json(o, sym, &s, unwritten);
			} else {
				gs_text_record(stdout, sym, &s);
			}
		}
		gs_event_free(&e);
	}
	return damaged;
}

int gs_cmd_decode(int argc, char **argv)
{
	struct dec_opts o;
	struct gs_ring_reader r;
	struct gs_symbolizer *sym;
	size_t damaged, unwritten = 0;
	int rc = dec_parse(argc, argv, &o);

	if (rc) {
		return rc < 0 ? GS_EXIT_OK : rc;
	}
	if (dec_open(o.ring, &r) < 0) {
		return GS_EXIT_USAGE;
	}
	if (dec_fatal(&r)) {
		gs_ring_unload(&r);
		return GS_EXIT_USAGE;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	sym = gs_sym_new(o.symbols);
	struct stat st;

	if (sym && stat(o.ring, &st) < 0) {
		st = (struct stat){ .st_uid = 65534, .st_gid = 65534, .st_mode = S_IWOTH };
	}
	if (sym) {
		gs_sym_set_ring(sym, &st);
	}
	if (!o.json) {
		gs_text_color(gs_cli_color(stdout, o.color));
		gs_text_header(stdout, o.ring, &r);
	}
	damaged = dec_records(&o, &r, sym, &unwritten);
	rc = r.nissues || damaged ? GS_EXIT_DAMAGED : GS_EXIT_OK;
	gs_sym_free(sym);
	gs_ring_unload(&r);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "goshimctl: writing output: %s\n", strerror(errno));
		return GS_EXIT_USAGE;
	}
	if (unwritten) {
		fprintf(stderr, "goshimctl: %zu record(s) could not be written\n", unwritten);
		return GS_EXIT_USAGE;
	}
	return rc;
}
