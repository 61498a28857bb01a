// SPDX-License-Identifier: Apache-2.0
/*
 * pthread_create: the error is the return value (errno is not used).
 * glibc >= 2.34 creates the thread with clone3 and falls back to clone
 * only on ENOSYS, so a seccomp profile older than clone3 that answers
 * EPERM makes pthread_create return EPERM (runtime/cgo then aborts with
 * "pthread_create failed: Operation not permitted").  Nothing but the
 * error is recorded: the evidence (the process record's Seccomp: state)
 * explains it.  EAGAIN has two causes glibc tells apart only in errno:
 * the clone refused (pids.max, RLIMIT_NPROC: errno EAGAIN) or the thread's
 * stack not mapped (RLIMIT_AS: its mmap left errno ENOMEM); the record's
 * errno is ENOMEM for the latter, its return value still EAGAIN.
 */
#include <pthread.h>

#include "goshim/record.h"
#include "real.h"

static GS_COLD void th_fail(int r, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = GOSHIM_CALL_pthread_create, .err = r == EAGAIN && e == ENOMEM ? ENOMEM : r,
		.ret = r,
		.caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_WRAP_WITH(int, pthread_create, (pthread_t *thread, const pthread_attr_t *attr,
				    void *(*start)(void *), void *arg), ,
	     gs_real.pthread_create(thread, attr, start, arg), gs_unlikely(r != 0),
	     th_fail(r, GS_CALLER()))
