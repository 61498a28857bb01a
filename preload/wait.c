// SPDX-License-Identifier: Apache-2.0
/*
 * wait family.  Here the event is not an error return but a child that
 * was reaped with an abnormal status (non-zero exit, or killed by a
 * signal): it goes to gs_note_exit.  When the caller passes no status
 * pointer, a local one is passed instead so the status can be seen; the
 * caller's view is unchanged.  Stopped and continued reports are not exits.
 */
#include "real.h"

/* Exited non-zero, or killed (with or without a core). */
static inline int wt_abnormal(int st)
{
	return st != 0 && (st & 0xff) != 0x7f && st != 0xffff;
}

static GS_COLD void wt_note(pid_t pid, int st)
{
	int e = errno;

	gs_note_exit(pid, st);
	errno = e;
}

/* wait, waitpid, wait3, wait4: a local status when the caller passes none */
#define WT_WRAP(name, params, args)                                            \
	GS_WRAP_WITH(pid_t, name, params, int local = 0; int *sp = status ? status : &local, \
		     gs_real.name args, gs_unlikely(r > 0 && wt_abnormal(*sp)),  \
		     wt_note(r, *sp))

WT_WRAP(wait, (int *status), (sp))
WT_WRAP(waitpid, (pid_t pid, int *status, int options), (pid, sp, options))
WT_WRAP(wait3, (int *status, int options, struct rusage *ru), (sp, options, ru))
WT_WRAP(wait4, (pid_t pid, int *status, int options, struct rusage *ru),
	(pid, sp, options, ru))

/* waitid reports through siginfo: rebuild the wait(2) status from it.
 * With WNOWAIT the child stays waitable and is noted when reaped. */
static GS_COLD void wt_note_info(const siginfo_t *si)
{
	int st;

	switch (si->si_code) {
	case CLD_EXITED:
		st = (si->si_status & 0xff) << 8;
		break;
	case CLD_KILLED:
		st = si->si_status & 0x7f;
		break;
	case CLD_DUMPED:
		st = (si->si_status & 0x7f) | 0x80;
		break;
	default:
		return;
	}
	if (wt_abnormal(st)) {
		wt_note(si->si_pid, st);
	}
}

GS_EXPORT int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	siginfo_t local;
	siginfo_t *ip = info;

	if (!ip) {
		local.si_pid = 0;
		ip = &local;
	}
	int r = gs_real.waitid(idtype, id, ip, options);

	if (gs_unlikely(r == 0 && ip->si_pid > 0 && !(options & WNOWAIT) &&
			(ip->si_code != CLD_EXITED || ip->si_status != 0))) {
		wt_note_info(ip);
	}
	return r;
}
