/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl subcommands.  Each takes the arguments after its own name
 * (argv[0] is the command name) and returns the process exit status. */
#ifndef GS_CTL_COMMANDS_H
#define GS_CTL_COMMANDS_H

#include <stdio.h>

/* Exit statuses shared by all commands (documented in goshimctl(1)). */
enum {
	GS_EXIT_OK = 0,       /* input read cleanly                            */
	GS_EXIT_DAMAGED = 1,  /* input damaged, what was intact was shown      */
	GS_EXIT_USAGE = 2,    /* usage error, unreadable or foreign input      */
};

/* `goshimctl decode`: print the records of a ring file. */
int gs_cmd_decode(int argc, char **argv);

/* Print decode's usage to f. */
void gs_cmd_decode_usage(FILE *f);

#endif
