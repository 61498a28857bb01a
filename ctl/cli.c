/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

int gs_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "goshimctl%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'goshimctl%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return GS_EXIT_USAGE;
}

/* The long option argv[optind - 1] names ("--rules=x": "--rules"). */
static int cli_long_name(const char *arg)
{
	const char *eq = strchr(arg, '=');

	return eq ? (int)(eq - arg) : (int)strlen(arg);
}

static int cli_error(char **argv, int missing)
{
	const char *base = strrchr(argv[0], '/');
	const char *cmd = strcmp(base ? base + 1 : argv[0], "goshimctl") ? argv[0] : NULL;
	const char *arg = argv[optind - 1];
	int isl = strncmp(arg, "--", 2) == 0;

	if (missing) {
		return isl ? gs_cli_usage_error(cmd, "option '%.*s' requires an argument",
						cli_long_name(arg), arg) :
			     gs_cli_usage_error(cmd, "option requires an argument -- '%c'",
						optopt);
	}
	if (isl && optopt) {
		return gs_cli_usage_error(cmd, "option '%.*s' doesn't allow an argument",
					  cli_long_name(arg), arg);
	}
	if (isl) {
		return gs_cli_usage_error(cmd, "unrecognized option '%s'", arg);
	}
	return gs_cli_usage_error(cmd, "invalid option -- '%c'", optopt);
}

int gs_cli_opt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char so[64];
	int c;

	snprintf(so, sizeof(so), "+:%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, so, longopts, NULL);
	if (c == ':' || c == '?') {
		cli_error(argv, c == ':');
		return '?';
	}
	return c;
}

int gs_cli_rings(const char *opt, int argc, char **argv, const char *ring[2])
{
	int n = 0;

	ring[0] = ring[1] = NULL;
	if (opt) {
		ring[n++] = opt;
	}
	for (int i = optind; i < argc; i++, n++) {
		if (n < 2) {
			ring[n] = argv[i];
		}
	}
	return n;
}

static const char *const cli_colors[] = {
	[GS_COLOR_AUTO] = "auto", [GS_COLOR_ALWAYS] = "always", [GS_COLOR_NEVER] = "never",
};

int gs_cli_color_parse(const char *cmd, const char *when, enum gs_color *c)
{
	for (size_t i = 0; i < sizeof(cli_colors) / sizeof(cli_colors[0]); i++) {
		if (strcmp(cli_colors[i], when) == 0) {
			*c = (enum gs_color)i;
			return 0;
		}
	}
	gs_cli_usage_error(cmd, "--color: expected auto, always or never, not '%s'", when);
	return -1;
}

int gs_cli_color(FILE *f, enum gs_color c)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (c != GS_COLOR_AUTO) {
		return c == GS_COLOR_ALWAYS;
	}
	return isatty(fileno(f)) && !(term && strcmp(term, "dumb") == 0) && !(nc && *nc);
}
