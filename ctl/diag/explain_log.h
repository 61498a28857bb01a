/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a CI log for goshimctl explain: the lines Go and the tools
 * printed, whatever carried them.
 *
 * - plain `go build` / `go test` output;
 * - `go test -json` (and Go >= 1.24's `go build -json`): a line that is a
 *   JSON object with a string "Output" stands for the lines of that
 *   string; one whose Action is a verdict ("pass" of a package, "fail",
 *   "build-fail") for an empty line carrying it; other JSON lines (start,
 *   run ...) say nothing;
 * - a whole job log: a leading timestamp ("2024-05-01T10:00:00.1234567Z ",
 *   GitHub Actions; GitLab's "...Z 00O " with its stream tag; Jenkins'
 *   "[2024-05-01T10:00:00.123Z] ") and ANSI
 *   escape sequences (colours, erase-line) are taken off every line,
 *   before the JSON is looked for.
 *
 * Line numbers are those of the log: the lines of one "Output" share the
 * number of the JSON line.  Only the first GS_XLOG_MAX bytes of a line are
 * given (Go's messages are far shorter; a line of megabytes is data). */
#ifndef GS_DIAG_EXPLAIN_LOG_H
#define GS_DIAG_EXPLAIN_LOG_H

#include <stdio.h>

#define GS_XLOG_MAX 8192

/* One line as Go printed it: no newline, no timestamp, no escapes. */
struct gs_xline {
	size_t no;          /* 1-based line number in the log */
	const char *s;      /* not NUL-terminated             */
	size_t len;
	const char *action; /* go test -json's verdict: "pass" (a package's),
			     * "fail" or "build-fail", on an empty line;
			     * NULL for a line of text                    */
};

/* Called for each line; a non-zero return stops the reading. */
typedef int (*gs_xline_fn)(const struct gs_xline *l, void *arg);

/* Read the log f to its end, calling fn for each line.  Returns the
 * number of lines read, or -1 on a read error (errno set). */
long gs_xlog_read(FILE *f, gs_xline_fn fn, void *arg);

/* Strip ANSI escape sequences from s[0..*len) in place. */
void gs_xlog_unescape(char *s, size_t *len);

#endif
