/* SPDX-License-Identifier: Apache-2.0 */
/* The classifier: failed calls (and process records) matched against the
 * rules, grouped into findings — one per pattern id and grouping key; and
 * doctor's records, one finding each. */
#ifndef GS_DIAG_CLASSIFY_H
#define GS_DIAG_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"
#include "link.h"
#include "model.h"
#include "rules.h"

struct gs_finding {
	const struct gs_rule *rule;
	enum gs_sev sev;
	char *key;               /* the rule's group template, expanded      */
	struct gs_facts facts;   /* of the first record that made it         */
	size_t *ev;              /* indices into the model's events          */
	size_t nev;
	uint32_t pid;            /* the process that made the first call     */
	uint64_t count;          /* failures it covers (aggregation included) */
	char *summary, *remedy;  /* expanded by gs_finding_finish            */
	uint64_t rem_held;       /* its rule's conditioned remedy lines that
				  * one of its records allows (pred.h)      */
	enum gs_link link;       /* the closest link of its failures to the
				  * exit that failed the run (link.h);
				  * GS_LINK_SURVIVED for doctor's          */
	uint32_t passed;         /* the top of a run that passed around all
				  * its failures (gs_link_passed): an error
				  * made a warning, its summary saying so;
				  * 0 otherwise                             */
};

/* What the summary of a finding made a warning by a passed run ends with
 * (a template: {passed_by} is "go (pid 12)"). */
#define GS_RUN_PASSED " — yet the run passed: {passed_by} exited 0, so the program " \
	"expected this failure or coped with it (a test asserting it)"

/* Suppressed failures, counted by the rule (or reason) that silenced them. */
struct gs_supp {
	char *id;
	uint64_t count;
};

/* A process whose exit failed the run (the top of the tree, or a go
 * command, ending non-zero or by a signal) while no error finding explains
 * it: none whose failure happened at the origin of that exit (link.h);
 * `near` indexes the unclassified failures nearest to it (model events,
 * newest first), those of the origin's tree first. */
#define GS_UNX_NEAR 5
struct gs_unx {
	uint32_t pid;
	const char *exe;
	int32_t status;
	uint32_t origin;         /* the failing process it began in (pid when
				  * the same)                               */
	const char *origin_exe;
	int32_t origin_status;
	size_t near[GS_UNX_NEAR];
	size_t nnear;
};

struct gs_report {
	struct gs_finding *f;    /* errors first, then warnings, then benign */
	size_t nf;
	size_t *unc;             /* events no rule matched that look serious */
	size_t nunc;
	size_t *quiet;           /* the same, made by processes that then
				  * exited 0: counted as unmatched-survived */
	size_t nquiet;
	uint64_t suppressed;     /* failures not shown (benign or plain ENOENT) */
	struct gs_supp *supp;
	size_t nsupp;
	struct gs_unx *unx;      /* failing exits no error finding explains */
	size_t nunx;
};

/* Classify every event and process record of m with rs into out.  The
 * first matching rule wins (file order, the user's file first). */
void gs_classify(const struct gs_model *m, const struct gs_rules *rs, struct gs_report *out);

/* Classify one doctor record: the facts of a problem one of doctor's
 * checks found (subject doctor; docs/rules.md lists them), tried against
 * the `subject doctor` sets of rs in order (the user's file first).  The
 * first rule that matches makes *out: one finding with the rule's
 * doctor-severity (error when an error-when clause holds), its
 * doctor-summary (else summary) and remedy.  Returns 0, or -1 when no rule
 * matches (out untouched). */
int gs_classify_found(const struct gs_rules *rs, const struct gs_facts *rec,
		      struct gs_finding *out);

void gs_report_free(struct gs_report *r);

/* Fill r->unx after classification: every exit that failed the run and
 * that no error finding explains (none linked to its origin, none whose
 * link is unknown).  A run that failed never reads as clean. */
void gs_unexplained(const struct gs_model *m, struct gs_report *r);

/* "go (pid 12) exit 1; no known pattern explains it", or with the origin
 * "m.test (pid 13) exit 1, then go (pid 12) exit 1; ...", in buf. */
char *gs_unx_line(const struct gs_unx *u, char *buf, size_t size);

/* The facts of one failed call (path, dir, call, errno, mount, owner,
 * interp, gocache ... see docs/rules.md). */
void gs_event_facts(const struct gs_model *m, const struct gs_mev *e, struct gs_facts *f);

/* The facts of one process (pid, exe, Go's directories for it). */
void gs_proc_facts(const struct gs_model *m, const struct gs_proc *p, struct gs_facts *f);

/* Set f->summary and f->remedy from the rule's templates and f->facts;
 * `doctor` selects the rule's doctor-summary when it has one. */
void gs_finding_finish(struct gs_finding *f, int doctor);

/* Rank findings: those at the origin of a failed exit first (link), then
 * by severity, most severe first, then by link; benign last; stable. */
void gs_findings_sort(struct gs_finding *f, size_t n);

void gs_finding_free(struct gs_finding *f);

/* Errnos that make an unmatched failure worth showing. */
int gs_errno_significant(int err, uint16_t family);

#endif
