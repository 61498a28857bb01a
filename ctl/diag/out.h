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
#include "runs.h"

enum gs_fmt { GS_FMT_TEXT, GS_FMT_JSON, GS_FMT_GITHUB, GS_FMT_MARKDOWN, GS_FMT_JUNIT };

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
 * evidence, chain, exit_link (link.h: cause, relay, unknown, survived;
 * report only), exits}.  m may be NULL (doctor: no records). */
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
 * warnings, ring damage and losses, engine notes, unclassified failures);
 * a ring with records and none of these gets one notice, "no failure
 * found"; older runs left out (runs) are said in a notice. */
void gs_report_github(const struct gs_model *m, const struct gs_report *r,
		      const struct gs_runs *runs);

/* report --format=markdown, for a CI job summary ($GITHUB_STEP_SUMMARY,
 * a GitLab or Gitea page): a heading that says the verdict ("no failure
 * found" when nothing is wrong), one section per error and warning
 * finding with its summary and remedy, then `text` (the text report of
 * the same ring, uncoloured) in a collapsed block.  Everything taken from
 * the ring is HTML-escaped: a crafted path cannot close a block or inject
 * markup. */
void gs_report_markdown(const struct gs_model *m, const struct gs_report *r, const char *ring,
			const char *text);

/* report --format=junit, for GitLab CI's test report (artifacts:reports:
 * junit): one test case per error finding or unexplained exit, as a
 * <failure> with the summary as message and the remedy as text; one per
 * warning with the same as output; and a last, passing one named for the
 * verdict ("goshim: no failure found", "goshim: nothing recorded", or
 * "goshim report") holding `text`, the text report of the ring.  XML-
 * escaped; control characters become U+FFFD. */
void gs_report_junit(const struct gs_model *m, const struct gs_report *r, const char *text);

/* One character and what an output format writes for it. */
struct gs_esc {
	char c;
	const char *as;
};

/* Write s with each character of tab[0..n) written as its `as`, and each
 * control character not in keep (e.g. "\n") as U+FFFD. */
void gs_out_escape(FILE *o, const char *s, const struct gs_esc *tab, size_t n,
		   const char *keep);

/* Write s escaped for a workflow command: data escapes %, \r, \n;
 * property values also ':' and ','. */
void gs_github_escape(FILE *o, const char *s, int property);

#endif
