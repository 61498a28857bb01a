// SPDX-License-Identifier: Apache-2.0
/* clock_gettime (and, on 32-bit time64 glibc, __clock_gettime64). */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void ck_fail(uint32_t call, int r, clockid_t clk,
			    const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r, .present = GS_A_CLOCKID,
		.clockid = clk, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_WRAP(int, clock_gettime, (clockid_t clk, struct timespec *ts), (clk, ts),
	ck_fail(GOSHIM_CALL_clock_gettime, r, clk, GS_CALLER()))
#if GS_HAVE_CLOCK_GETTIME64
GS_WRAP(int, __clock_gettime64, (clockid_t clk, void *ts), (clk, ts),
	ck_fail(GOSHIM_CALL___clock_gettime64, r, clk, GS_CALLER()))
#endif
