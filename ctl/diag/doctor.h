/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl doctor: checks of the current environment, each in its own
 * file (doctor_checks.h), all reporting into one struct gs_doc through the
 * functions below (doctor.c, doctor_util.c).  A check includes this
 * header only; doctor.c runs the checks. */
#ifndef GS_DIAG_DOCTOR_H
#define GS_DIAG_DOCTOR_H

#include <jansson.h>
#include <stddef.h>

#include "classify.h"
#include "facts.h"
#include "rules.h"

enum gs_chk { GS_CHK_OK, GS_CHK_PROBLEM, GS_CHK_NOTE, GS_CHK_SKIPPED };

struct gs_doc {
	const struct gs_rules *rs;
	struct gs_finding *f;
	size_t nf;
	json_t *checks;          /* [{check, status, detail}] in order */
	/* Go's settings: from `go env` when go answered, else computed */
	struct gs_facts go;      /* GOCACHE, GOMODCACHE, GOTMPDIR, GOPATH, CC,
	                          * CGO_ENABLED, GOROOT, GOVERSION, TMPDIR, WORK */
	int go_answered;
	char *go_bin;            /* `go` found on PATH, or NULL */
	struct gs_facts place;   /* a container or a host (place.h): every
	                          * problem's facts carry them */
};

/* Run every check against this environment into d (overwritten), the
 * rules rs deciding what each problem is; findings most severe first. */
void gs_doctor_run(struct gs_doc *d, const struct gs_rules *rs);

/* The finding the checks made for pattern id, or NULL: a doctor check
 * here confirms that pattern. */
const struct gs_finding *gs_doctor_finding(const struct gs_doc *d, const char *id);

/* Release what gs_doctor_run made. */
void gs_doctor_free(struct gs_doc *d);

/* Record the outcome of one check (shown in text and JSON output). */
void gs_doc_check(struct gs_doc *d, const char *check, enum gs_chk st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report a problem the check `check` found: `problem` (a word of the
 * vocabulary in docs/rules.md: not-writable, noexec, too-small ...) and
 * the facts it measured (taken over).  The rules decide what it is: the
 * first rule with a `subject doctor` set that matches makes the finding,
 * with its doctor-severity, summary and remedy; a benign one silences it.
 * A problem no rule matches is shown as a problem check. */
void gs_doc_found(struct gs_doc *d, const char *check, const char *problem,
		  struct gs_facts *facts);

/* Go's value of a setting (GOCACHE ...), NULL or "" when undefined. */
const char *gs_doc_go(const struct gs_doc *d, const char *name);

/* Find prog on $PATH (or check it when it contains a '/').  Returns a
 * malloc'd path of an executable regular file, or NULL. */
char *gs_doc_which(const char *prog);

/* The mount holding path (from /proc/self/mountinfo): mount point, fs
 * type and options into the facts "mount", "fstype", "mount_opts". */
void gs_doc_mount_facts(const char *path, struct gs_facts *f);

/* Run fn in a forked child, so that what it does (a filter it loads, a
 * call a filter kills) stays there.  Returns fn's result & 0xff (0, or
 * an errno), -SIGNAL if it was killed, or GS_DOC_NO_CHILD (errno set). */
#define GS_DOC_NO_CHILD (-1000)
int gs_doc_in_child(int (*fn)(void));

#endif
