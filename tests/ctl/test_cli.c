/* SPDX-License-Identifier: Apache-2.0 */
/* Command dispatch: help, version, unknown commands and options. */
#include <criterion/criterion.h>
#include <string.h>

#include "ctltest.h"

static void run(const char *const args[], int status, const char *out, const char *err)
{
	struct ct_run res;

	ct_run(&res, args);
	cr_assert_eq(res.status, status, "%s: exit %d", args[0], res.status);
	if (out) {
		cr_assert(strstr(res.out, out), "%s: stdout: %s", args[0], res.out);
	} else {
		cr_assert_str_empty(res.out, "%s: stdout: %s", args[0], res.out);
	}
	if (err) {
		cr_assert(strstr(res.err, err), "%s: stderr: %s", args[0], res.err);
	} else {
		cr_assert_str_empty(res.err, "%s: stderr: %s", args[0], res.err);
	}
	ct_run_free(&res);
}

Test(cli, help_and_version)
{
	run((const char *[]){ "--help", NULL }, 0,
	    "  decode     print the records of a ring file", NULL);
	run((const char *[]){ "-h", NULL }, 0, "usage: goshimctl", NULL);
	run((const char *[]){ "--version", NULL }, 0, "goshimctl 0.1.0\n", NULL);
	run((const char *[]){ "help", NULL }, 0, "usage: goshimctl", NULL);
	run((const char *[]){ "help", "decode", NULL }, 0,
	    "usage: goshimctl decode [OPTIONS] RING", NULL);
	run((const char *[]){ "decode", "--help", NULL }, 0,
	    "  --errno NAME|NUM", NULL);
}

Test(cli, usage_errors)
{
	run((const char *[]){ NULL }, 2, NULL, "usage: goshimctl");
	run((const char *[]){ "frob", NULL }, 2, NULL, "goshimctl: unknown command: frob");
	run((const char *[]){ "help", "frob", NULL }, 2, NULL, "unknown command: frob");
	run((const char *[]){ "--frob", NULL }, 2, NULL, "goshimctl: unknown option: --frob");
	run((const char *[]){ "decode", NULL }, 2, NULL, "decode: no ring file given");
	run((const char *[]){ "decode", "a", "b", NULL }, 2, NULL,
	    "decode: more than one ring file given");
	run((const char *[]){ "decode", "--pid", NULL }, 2, NULL,
	    "goshimctl decode: option --pid needs an argument");
	run((const char *[]){ "decode", "-x", "r", NULL }, 2, NULL,
	    "goshimctl decode: unknown option: -x");
}
