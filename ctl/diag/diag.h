/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl's diagnosis commands.  Both print findings identified by the
 * pattern ids of the shipped rules file (data/rules/goshim.rules, format
 * in docs/rules.md) and share one exit contract:
 *
 *   0  no finding of severity error
 *   1  at least one error finding
 *   2  unusable input: usage error, unreadable or foreign ring, bad rules
 */
#ifndef GS_DIAG_H
#define GS_DIAG_H

#include <stdio.h>

/* goshimctl report [--json|--format=text|json|github] [--all]
 *                  [--rules FILE] RING
 * Explain the failures recorded in RING.  argv[0] is the command name.
 * Returns the exit status above. */
int gs_cmd_report(int argc, char **argv);

/* Print report's usage to f. */
void gs_cmd_report_usage(FILE *f);

/* goshimctl doctor [--json|--format=text|json|github] [--rules FILE]
 * Check the current environment (Go's cache and work directories, mounts,
 * seccomp policy, ELF interpreter, C compiler, resource limits) for the
 * known patterns before anything fails.  Returns the exit status above. */
int gs_cmd_doctor(int argc, char **argv);

/* Print doctor's usage to f. */
void gs_cmd_doctor_usage(FILE *f);

/* goshimctl explain [--check] [--json|--format=text|json|github]
 *                   [--rules FILE] [LOG|-]
 * Find the known patterns in a CI log from the texts Go prints (explain.h).
 * Its own exit contract: 0 no known pattern, 1 known patterns found, 2
 * usage error, unreadable log, bad rules. */
int gs_cmd_explain(int argc, char **argv);

/* Print explain's usage to f. */
void gs_cmd_explain_usage(FILE *f);

#endif
