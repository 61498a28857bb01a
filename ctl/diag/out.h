/* SPDX-License-Identifier: Apache-2.0 */
/* Rendering findings: text (coloured as --color says), JSON
 * (jansson) and GitHub Actions workflow commands. */
#ifndef GS_DIAG_OUT_H
#define GS_DIAG_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "classify.h"
#include "cli.h"
#include "model.h"

enum gs_fmt { GS_FMT_TEXT, GS_FMT_JSON, GS_FMT_GITHUB };

/* What report says of a ring without records, or of a ring file that does
 * not exist in a directory that does, in every format (and on stderr).
 * Not an error: the preload creates its ring at the first failure and the
 * trace engine writes only what fails, so a clean run leaves exactly
 * this. */
#define GS_EMPTY_RING "the ring holds no records: no call failed under goshim, " \
	"or nothing ran under it (a shell that exports LD_PRELOAD does not load it itself)"

/* The options report and doctor share: --json, --format=FMT, --color=WHEN,
 * --rules FILE, -h/--help ('h'). */
enum { GS_OUT_O_JSON = 0x100, GS_OUT_O_FORMAT, GS_OUT_O_COLOR, GS_OUT_O_RULES, GS_OUT_O_NEXT };

#define GS_OUT_OPTIONS \
	{ "json", no_argument, NULL, GS_OUT_O_JSON }, \
	{ "format", required_argument, NULL, GS_OUT_O_FORMAT }, \
	GS_CLI_COLOR_OPTION(GS_OUT_O_COLOR), \
	{ "rules", required_argument, NULL, GS_OUT_O_RULES }, \
	{ "help", no_argument, NULL, 'h' }

struct gs_out_opts {
	enum gs_fmt fmt;
	enum gs_color color;
	const char *rules;   /* NULL: the shipped rules only */
};

/* Take option c (a gs_cli_opt result) with its argument when it is one of
 * GS_OUT_OPTIONS but -h: 1 when it was, 0 when it is another, -1 on a bad
 * value (usage error printed: "goshimctl CMD: ..."). */
int gs_out_opt(const char *cmd, int c, const char *arg, struct gs_out_opts *o);

/* Colour for text on stdout as --color asks (gs_cli_color). */
int gs_out_color(const struct gs_out_opts *o);

/* The process chain of pid (root first) as a JSON array of {pid, exe}; for
 * an exec-family event `target` (may be NULL) ends it as {exe, started:false}. */
json_t *gs_json_chain(const struct gs_model *m, uint32_t pid, const char *target);

/* One failed call: {pid, ppid, exe, call, family, engine, errno, path,
 * flags, count ...}. */
json_t *gs_json_event(const struct gs_model *m, const struct gs_mev *e);

/* One finding: {pattern, severity, summary, remedy, key, count, events,
 * evidence, chain, exits}.  m may be NULL (doctor: no records). */
json_t *gs_json_finding(const struct gs_model *m, const struct gs_finding *f);

/* {code} or {signal, signame} of a wait(2) status. */
json_t *gs_json_status(int status);

/* Text rendering of one finding (m may be NULL). */
void gs_text_finding(FILE *o, const struct gs_model *m, const struct gs_finding *f, int color);

/* One line "call path → ERRNO ×n [pid exe]" for an event. */
void gs_text_event(FILE *o, const struct gs_mev *e);

/* "::error title=goshim ID::summary — remedy" (warning for warnings). */
void gs_github_finding(FILE *o, const struct gs_finding *f);

/* report --format=github: every annotation, most important first, within
 * GitHub's 10 per level and step (unexplained exits and error findings,
 * warnings, ring damage and losses, engine notes, unclassified failures). */
void gs_report_github(const struct gs_model *m, const struct gs_report *r);

/* Write s escaped for a workflow command: data escapes %, \r, \n;
 * property values also ':' and ','. */
void gs_github_escape(FILE *o, const char *s, int property);

#endif
