/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain: the known patterns in a CI log, from the texts Go
 * and the tools print (the `text` lines of each pattern's section of the
 * rules file; matcher: explain_text.h; the log's forms: explain_log.h).
 *
 * Several patterns may print the same text ("fork/exec X: permission
 * denied": a noexec $WORK, a noexec GOCACHE, a security module): each
 * line that matches texts of some patterns is a finding whose causes are
 * all of them, ranked — a text whose {word:GLOB} fit the line (the path is
 * under go-buildNNN, or is a GOCACHE entry) before a text that takes any
 * word, then error patterns before warning ones (a program may survive
 * those: lsm-denied after the cache patterns that print the same text),
 * then in the order of the rules files; with --check, the causes a
 * doctor check confirms here come first.  Lines with the same ranked
 * causes make one finding. */
#ifndef GS_DIAG_EXPLAIN_H
#define GS_DIAG_EXPLAIN_H

#include <stdio.h>

#include "classify.h"
#include "explain_log.h"
#include "explain_text.h"
#include "facts.h"
#include "rules.h"

#define GS_XSHOW 5   /* lines of a finding kept as printed */

/* One likely cause of a finding: a pattern one of whose texts matched. */
struct gs_xcause {
	const struct gs_rule *rule;
	const struct gs_xtext *text;   /* the text that matched             */
	struct gs_facts facts;         /* its words on the finding's first
					* line, and a path's dir, base ...  */
	const struct gs_finding *doc;  /* --check: the finding doctor made of
					* this pattern here, NULL: none     */
};

struct gs_xfind {
	struct gs_xcause *c;           /* most likely first */
	size_t nc;
	size_t *no;                    /* the log lines, in order */
	size_t nno;
	char *line[GS_XSHOW];          /* the first ones as Go printed them */
};

/* What the log says of its job: lines of go test's verdicts. */
struct gs_xjob {
	size_t pass;  /* "ok  \tPKG\t0.01s", "PASS", a -json package pass   */
	size_t fail;  /* "FAIL...", "--- FAIL", "exit status N", "panic: ",
		       * "fatal error: ", a -json fail or build-fail, a CI
		       * runner's "Process completed with exit code N"       */
};

/* Count l in j (explain_log.h: a -json verdict comes as l->action). */
void gs_xjob_line(struct gs_xjob *j, const struct gs_xline *l);

/* Did the job pass: go test said so, and no line says anything failed?
 * A known pattern's text in such a log was printed by a test that
 * expected it (a test logging "permission denied" for a case it checks):
 * explain says so instead of ranking causes. */
int gs_xjob_passed(const struct gs_xjob *j);

struct gs_xres {
	struct gs_xfind *f;            /* in the order of their first line */
	size_t nf;
	long lines;                    /* lines read */
	int checked;                   /* --check ran doctor's checks */
	struct gs_xjob job;
};

/* Read the log in and match every line against the texts of the error
 * and warning rules of rs.  Returns 0, or -1 on a read error (errno). */
int gs_explain_scan(FILE *in, const struct gs_rules *rs, struct gs_xres *out);

/* Order f's causes: confirmed by doctor first (--check), then the texts
 * whose words had to fit a pattern, then errors before warnings, then in
 * the order of the rules. */
void gs_explain_rank(struct gs_xfind *f);

/* What doctor would check to confirm the pattern here: its `subject
 * doctor` sets as "role=work|tmp problem=noexec" (sets joined by " or "),
 * malloc'd; NULL when no doctor check can see it. */
char *gs_explain_doctor_sets(const struct gs_rule *r);

void gs_explain_free(struct gs_xres *r);

/* Renderers (explain_out.c); `log` names the input. */
void gs_explain_text(FILE *o, const char *log, const struct gs_xres *r, int color);
void gs_explain_json(FILE *o, const char *log, const struct gs_xres *r);
void gs_explain_github(FILE *o, const char *log, const struct gs_xres *r);

#endif
