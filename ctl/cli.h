/* SPDX-License-Identifier: Apache-2.0 */
/* The command line of every goshimctl subcommand: getopt_long with one
 * error style, and the --color choice shared by the text outputs.
 *
 * Errors read "goshimctl CMD: option '--rules' requires an argument" (or
 * "unrecognized option '--frob'", "invalid option -- 'x'", ...) followed
 * by "Try 'goshimctl CMD --help'." on stderr; the command then exits
 * GS_EXIT_USAGE (2).  -h/--help prints the usage on stdout, exit 0. */
#ifndef GS_CTL_CLI_H
#define GS_CTL_CLI_H

#include <getopt.h>
#include <stdio.h>

/* getopt_long over a subcommand's arguments (argv[0] is its name; the
 * program's own, "goshimctl" or a path to it, for its top level): options
 * stop at the first operand ("+"), a missing argument is reported as
 * such.  Set optind = 1 before the first call.  Returns the option's
 * value, -1 at the end, or '?' after printing the error (exit 2). */
int gs_cli_opt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* Print "goshimctl CMD: <fmt...>" and the --help hint on stderr (cmd NULL:
 * "goshimctl: ", the top level); returns GS_EXIT_USAGE. */
int gs_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --ring PATH: decode and report take the ring as run does, besides
 * their RING operand. */
#define GS_CLI_RING_OPTION(val) { "ring", required_argument, NULL, (val) }

/* The rings named after getopt's end: opt (--ring's value, NULL when not
 * given), then the operands argv[optind..argc).  Returns how many there
 * are; the first two are put into ring[0] and ring[1] (NULL when fewer). */
int gs_cli_rings(const char *opt, int argc, char **argv, const char *ring[2]);

/* --color=WHEN */
enum gs_color { GS_COLOR_AUTO, GS_COLOR_ALWAYS, GS_COLOR_NEVER };

#define GS_CLI_COLOR_OPTION(val) { "color", required_argument, NULL, (val) }

/* Parse WHEN (auto, always, never); -1 after the usage error message. */
int gs_cli_color_parse(const char *cmd, const char *when, enum gs_color *c);

/* Colour on stream f?  always: yes; never: no; auto: f is a terminal,
 * TERM is not "dumb", and NO_COLOR is unset or empty. */
int gs_cli_color(FILE *f, enum gs_color c);

#endif
