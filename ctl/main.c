/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl: command dispatch. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "goshim-config.h"
#include "run.h"
#include "subject.h"

/* Looked up by libgoshim.so (subject.h): goshimctl records nothing of
 * itself, even with LD_PRELOAD exported job-wide. */
__attribute__((used, visibility("default")))
const char goshim_not_a_subject[] = "goshimctl: not a subject of goshim";

struct ctl_command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *summary;
};

static const struct ctl_command ctl_commands[] = {
	{ "decode", gs_cmd_decode, gs_cmd_decode_usage,
	  "print the records of a ring file (failed calls, processes, exits)" },
	{ "report", gs_cmd_report, gs_cmd_report_usage,
	  "explain the failures in a ring: pattern, root cause, evidence, remedy" },
	{ "doctor", gs_cmd_doctor, gs_cmd_doctor_usage,
	  "check this environment for the known patterns before anything fails" },
	{ "explain", gs_cmd_explain, gs_cmd_explain_usage,
	  "find the known patterns in a CI log, from the texts Go prints" },
	{ "run", gs_cmd_run, gs_cmd_run_usage,
	  "run a command and its whole tree under the trace engine" },
	{ "shims", gs_cmd_shims, gs_cmd_shims_usage,
	  "create a directory of `go` links to goshimctl, to put first on PATH" },
};

#define CTL_NCOMMANDS (sizeof(ctl_commands) / sizeof(ctl_commands[0]))

static const struct ctl_command *ctl_find(const char *name)
{
	for (size_t i = 0; i < CTL_NCOMMANDS; i++) {
		if (strcmp(ctl_commands[i].name, name) == 0) {
			return &ctl_commands[i];
		}
	}
	return NULL;
}

static void ctl_usage(FILE *f)
{
	fputs("usage: goshimctl [--help] [--version] COMMAND [ARGS]\n"
	      "       goshimctl help COMMAND\n"
	      "\ncommands:\n", f);
	for (size_t i = 0; i < CTL_NCOMMANDS; i++) {
		fprintf(f, "  %-10s %s\n", ctl_commands[i].name, ctl_commands[i].summary);
	}
	fputs("\nSee goshimctl(1).\n", f);
}

static int ctl_unknown(const char *what, const char *name)
{
	return gs_cli_usage_error(NULL, "unknown %s: %s", what, name);
}

/* `goshimctl help [COMMAND]` */
static int ctl_help(int argc, char **argv)
{
	const struct ctl_command *c;

	if (argc < 2) {
		ctl_usage(stdout);
		return GS_EXIT_OK;
	}
	c = ctl_find(argv[1]);
	if (!c) {
		return ctl_unknown("command", argv[1]);
	}
	c->usage(stdout);
	return GS_EXIT_OK;
}

static const struct option ctl_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* A command's output is its product: output that could not be written
 * (a full disk, /dev/full) is said once and exits 2, whatever the
 * findings were; decode says so itself. */
static int ctl_output_written(const char *cmd, int rc)
{
	int err = fflush(stdout) != 0 ? errno : 0;

	if (!err && !ferror(stdout)) {
		return rc;
	}
	if (rc != GS_EXIT_USAGE) {
		fprintf(stderr, "goshimctl %s: writing output: %s\n", cmd,
			err ? strerror(err) : "a write failed");
	}
	return GS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct ctl_command *c;
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	int opt;

	/* a link named like the program it stands for: goshimctl(1) MASQUERADE;
	 * goshimctl-static, goshimctl-0.1 ... are goshimctl */
	base = base ? base + 1 : argv[0];
	if (base && strncmp(base, "goshimctl", strlen("goshimctl")) != 0) {
		return gs_masquerade(argc, argv);
	}
	while ((opt = gs_cli_opt(argc, argv, "hV", ctl_options)) != -1) {
		switch (opt) {
		case 'h':
			ctl_usage(stdout);
			return GS_EXIT_OK;
		case 'V':
			printf("goshimctl %s\n", GOSHIM_VERSION);
			return GS_EXIT_OK;
		default:
			return GS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ctl_usage(stderr);
		return GS_EXIT_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0) {
		return ctl_help(argc - optind, argv + optind);
	}
	c = ctl_find(argv[optind]);
	if (!c) {
		return ctl_unknown("command", argv[optind]);
	}
	return ctl_output_written(c->name, c->run(argc - optind, argv + optind));
}
