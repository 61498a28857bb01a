// SPDX-License-Identifier: Apache-2.0
/*
 * Invisible to the host: for every wrapped entry point (and the process
 * scenarios: wait statuses, vfork, SIGSEGV, signal handler on a small
 * sigaltstack, 8 threads), failer prints the same line and ends with the
 * same status with and without libgoshim.so.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "scenarios.h"

TestSuite(identity, .fini = fl_cleanup);

static void id_check(const char *scenario, const char *expect)
{
	struct fl_run with;

	fl_same(scenario, &with);
	fl_run_done(&with);
	if (expect) {
		cr_assert(strstr(with.out, expect), "%s: got %s, want %s",
			  scenario, with.out, expect);
	}
}

/* The expected line proves failer made the call fail the intended way. */
#define ID_FAIL(scen, call, err, path, name)                              \
	Test(identity, scen, .timeout = 60)                               \
	{                                                                 \
		id_check(#scen, "errno=" #err "\n");                      \
	}
FL_FAILURES(ID_FAIL)

Test(identity, wait, .timeout = 60)
{
	id_check("wait", "wait=child:0x300 waitpid=child:0xb wait3=child:0x400 "
		 "wait4=child waitid=0:1:5\n");
}

Test(identity, vfork_execve, .timeout = 60)
{
	id_check("vfork_execve", "vfork child exited=1 code=127\n");
}

Test(identity, segv, .timeout = 60)
{
	id_check("segv", "signaled=1 sig=11 core=0\n");
}

Test(identity, sigaltstack, .timeout = 120)
{
	id_check("sigaltstack", "handler=ok bad=0 wrong=0\n");
}

Test(identity, threads, .timeout = 120)
{
	id_check("threads", "threads=8 opens=8000 bad=0\n");
}

Test(identity, mixed, .timeout = 60)
{
	id_check("mixed", "open=1/0 fstat=0/0 stat=-1/ENOENT statok=0/0 mode=0 "
		 "clock=0/0 access=-1/ENOENT accessok=0 keep=1 opendir=1/0 "
		 "mkdir=-1/EEXIST fopen=0/ENOENT mmap=1/0 \n");
}
