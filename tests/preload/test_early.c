// SPDX-License-Identifier: Apache-2.0
/*
 * A library whose constructor calls open() and stat() before libgoshim.so
 * is initialised.  The dynamic loader runs the constructors of LD_PRELOAD
 * objects last-listed first, so "libgoshim.so libtestctor.so" runs
 * libtestctor's constructor first (checked here: GOSHIM_DEBUG shows the
 * lazy stubs were taken).  The calls must work and set the right errno.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

TestSuite(early, .fini = fl_cleanup);

Test(early, ctor_before_goshim, .timeout = 60)
{
	static const char *const debug[] = { "GOSHIM_DEBUG=1", NULL };
	char ctor[512], both[1200];
	struct fl_run alone, with;

	fl_built(ctor, sizeof(ctor), "libtestctor.so");
	snprintf(both, sizeof(both), "%s %s", fl_preload(), ctor);
	fl_run(&alone, "none", ctor, NULL);
	fl_run(&with, "none", both, debug);
	cr_assert_str_eq(alone.out, "ctor open=-1/ENOENT stat=-1/ENOENT\n"
			 "ret=0 errno=0\n");
	cr_assert_str_eq(with.out, alone.out);
	cr_assert_eq(with.status, alone.status);
	cr_assert(strstr(with.err, "goshim: lazy resolve of open\n"),
		  "lazy stub for open not taken; stderr: %s", with.err);
	cr_assert(strstr(with.err, "goshim: lazy resolve of stat\n"),
		  "lazy stub for stat not taken; stderr: %s", with.err);
	fl_run_done(&alone);
	fl_run_done(&with);
}
