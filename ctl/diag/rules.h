/* SPDX-License-Identifier: Apache-2.0 */
/* Rules: which recorded failures make which finding.  The rules are data
 * (data/rules/goshim.rules; format and predicates in docs/rules.md): a
 * section per pattern id with its severity, summary and remedy templates
 * and `match` clauses built from the fixed predicate vocabulary of
 * pred.c. */
#ifndef GS_DIAG_RULES_H
#define GS_DIAG_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "glob.h"

enum gs_sev {
	GS_SEV_BENIGN = 0,  /* expected noise: suppressed and counted */
	GS_SEV_WARNING = 1,
	GS_SEV_ERROR = 2,
};

/* What a rule (or one `or` set of it) is matched against; bits. */
enum gs_subject {
	GS_SUBJ_EVENT = 1,   /* each failed call (the default)                   */
	GS_SUBJ_PROCESS = 2, /* each process record (env-only patterns)          */
	GS_SUBJ_NOTE = 4,    /* each call a probe note reports denied (model.h)  */
	GS_SUBJ_EXIT = 8,    /* each filesystem an EXIT record reports (model.h) */
	GS_SUBJ_DOCTOR = 16, /* each problem a doctor check found: its facts
			      * (check, problem, ... see docs/rules.md)        */
};

struct gs_pred;
struct gs_xtext;

/* One `match` line: a predicate, maybe negated, with its arguments. */
struct gs_clause {
	const struct gs_pred *pred;
	int negate;
	char **argv;        /* the words after the predicate name */
	size_t argc;
	char ***alts;       /* argv[i] split at '|': alts[i] a NULL-terminated
			     * list (what gs_pr_alts walks per record)   */
	struct gs_glob **globs; /* the same as shell patterns (glob.h):
			     * globs[i][k] is alts[i][k] (gs_pr_globs)    */
	uint64_t num;       /* parsed by the predicate (a size, a bit set) */
	uint64_t small[4];  /* parsed by the predicate: a set of 0..255 (errno:
			     * the values argv[0] names, gs_pr_errno_in) */
	int line;
};

/* Clauses that must all hold (an `or` line starts the next one). */
struct gs_alt {
	struct gs_clause *c;
	size_t n;
	enum gs_subject subject;  /* one GS_SUBJ_* bit */
	/* What its call-family and errno clauses rule out (gs_alt_sieve): a
	 * failed call they are sure to fail is not tried.  Zero: nothing. */
	uint64_t fam_out;         /* one bit per GOSHIM_FAM_* value */
	uint64_t err_out[4];      /* errnos 0..255 */
	int err_need;             /* an errno clause: a call without one fails */
};

/* One remedy line (remedy, remedy-host, remedy-container) and the
 * `remedy-if` clauses before it: the line is shown when, for one of the
 * finding's records, each of them that fits the record's subject holds
 * (gs_rule_remedy_held). */
enum gs_rkind { GS_RLINE_PLAIN, GS_RLINE_HOST, GS_RLINE_CTR };
#define GS_RLINE_MAX 64           /* lines per rule: bits of a mask        */
struct gs_rline {
	char *text;               /* template                               */
	enum gs_rkind kind;
	struct gs_clause *cond;   /* all must hold; none: always shown      */
	size_t ncond;
};

struct gs_rule {
	char *id;
	enum gs_sev sev;
	enum gs_sev doctor_sev;   /* severity of a doctor finding (before
				   * error-when)                          */
	enum gs_subject subject;  /* default subject of its `or` sets       */
	int subjects;             /* GS_SUBJ_* bits of all its sets        */
	struct gs_clause *esc;    /* `error-when` clauses: any one holding  */
	size_t nesc;              /* for a record makes its finding an error */
	char *summary;            /* template (facts.h)                   */
	char *doctor_summary;     /* template used by doctor, else summary */
	char *remedy;             /* template, lines joined with '\n': the
				   * remedy and remedy-host lines, in file
				   * order (a host, or nothing says where) */
	char *remedy_ctr;         /* remedy-container lines, then remedy
				   * lines (an unprivileged container)     */
	char *remedy_all;         /* remedy-container lines, then remedy and
				   * remedy-host lines (a privileged
				   * container; a log from anywhere)       */
	struct gs_rline *rline;   /* every remedy line, in file order       */
	size_t nrline;
	char *group;              /* template of the grouping key, or NULL */
	struct gs_xtext **text;   /* `text` lines: what Go or a tool prints
				   * for this pattern (explain_text.h)     */
	size_t ntext;
	struct gs_alt *alt;
	size_t nalt;
	char *file;
	int line;
};

struct gs_rules {
	struct gs_rule *r;
	size_t n;
	char **files;             /* files loaded, in order */
	size_t nfiles;
};

/* Parse the rules file at path and append its rules to rs.  Returns 0,
 * or -1 with a message "FILE:LINE: what is wrong" in err (nothing of
 * that file is kept). */
int gs_rules_load(struct gs_rules *rs, const char *path, char *err, size_t errlen);

/* Same, from text in memory; `name` is used in messages. */
int gs_rules_load_text(struct gs_rules *rs, const char *name, const char *text,
		       char *err, size_t errlen);

/* Where the shipped rules file is: $GOSHIM_RULES if set, else the copy
 * relative to the running goshimctl (the installed layout, wherever the
 * tree was moved; then the build tree's), else the configured prefix's
 * GOSHIM_DATADIR/goshim.rules (selfpath.h).  A static buffer.  When none
 * of them can be read and $GOSHIM_RULES is unset, a goshimctl that has
 * the rules built in (gs_rules_builtin) returns gs_rules_builtin_name. */
const char *gs_rules_default_path(void);

/* The text of data/rules/goshim.rules, built into the static goshimctl
 * only (data/rules/embed.py, ctl/meson.build): NULL elsewhere (a weak
 * symbol), and gs_rules_builtin_name is the name it goes by. */
extern const char gs_rules_builtin[] __attribute__((weak));
extern const char gs_rules_builtin_name[];

/* Load the user's file (if any) first, then the shipped one: user rules
 * are tried first, so they can refine or silence shipped ones.  Returns 0
 * or -1 with err set. */
int gs_rules_load_all(struct gs_rules *rs, const char *user_file, char *err, size_t errlen);

/* Where a remedy is to be applied (place.h says how it is known). */
enum gs_place {
	GS_PLACE_HOST = 0,      /* a host, or nothing says: the remedy and
				 * remedy-host lines                       */
	GS_PLACE_CONTAINER = 1, /* a container without CAP_SYS_ADMIN: its
				 * remedy-container lines first, no host one */
	GS_PLACE_ANY = 2,       /* a privileged container (the host's
				 * commands work there too), or a log from
				 * an unknown place: every line, the
				 * container's first                        */
};

/* The rule's remedy template for that place: every line, conditions
 * not judged (explain: a log says not which case it was). */
const char *gs_rule_remedy(const struct gs_rule *r, enum gs_place place);

/* The same with only the lines a finding's records allow: those without
 * a condition, and line i when bit i of held is set.  Malloc'd, NULL when
 * no line is left. */
char *gs_rule_remedy_for(const struct gs_rule *r, enum gs_place place, uint64_t held);

/* The first rule with this id, or NULL. */
const struct gs_rule *gs_rules_find(const struct gs_rules *rs, const char *id);

void gs_rules_free(struct gs_rules *rs);

/* "error", "warning", "benign". */
const char *gs_sev_name(enum gs_sev s);

#endif
