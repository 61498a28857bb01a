/* SPDX-License-Identifier: Apache-2.0 */
/* Test driver: `diagctl report|doctor|explain ...` run the same
 * code as `goshimctl report/doctor/explain` until the ctl dispatches to them. */
#include <stdio.h>
#include <string.h>

#include "diag.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "report") == 0) {
		return gs_cmd_report(argc - 1, argv + 1);
	}
	if (argc >= 2 && strcmp(argv[1], "doctor") == 0) {
		return gs_cmd_doctor(argc - 1, argv + 1);
	}
	if (argc >= 2 && strcmp(argv[1], "explain") == 0) {
		return gs_cmd_explain(argc - 1, argv + 1);
	}
	fprintf(stderr, "usage: diagctl report|doctor|explain ...\n");
	return 2;
}
