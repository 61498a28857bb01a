/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Following one call to its result with ptrace.
 *
 * The thread waits at the call's entry for the engine's answer to its
 * notification.  To see the call's result:
 *
 *   PTRACE_SEIZE, PTRACE_INTERRUPT   the wait is interrupted: the call
 *                                    returns -ERESTARTSYS, not run
 *   interrupt stop      -> PTRACE_SYSCALL: the call restarts
 *   syscall-entry stop  -> registers (for the backtrace), PTRACE_SYSCALL
 *   notification again  -> arguments taken, the call let run
 *   exec event          -> a new program: PROCESS record, watch its exit
 *   syscall-exit stop   -> the result: recorded when it failed; detach
 *
 * A signal-delivery stop on the way is passed on; a group-stop ends the
 * follow (detached in group-stop, the thread stays stopped, and its call
 * comes round again, unfollowed, once continued); an exit ends it.  The
 * thread is traced only for those few stops: no fork, clone or signal of
 * the tree is ever seen otherwise.  Options: TRACESYSGOOD and TRACEEXEC
 * only; no EXITKILL: should the engine die, a followed thread is detached
 * and its call answered by the keeper.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "tr.h"

#define FL_OPTS      (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC)
#define FL_MAX_STOPS 64   /* a call that never comes round: give up      */

/* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK: restarted, not failed */
#define FL_RESTART_LO (-516)
#define FL_RESTART_HI (-512)

static unsigned fl_active;
static int fl_refused_noted;

unsigned tr_follow_active(void)
{
	return fl_active;
}

static void fl_end(struct tr_task *t, int detach, int sig)
{
	if (detach) {
		ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)sig);
	}
	t->follow = TR_FL_NONE;
	t->fl_stops = 0;
	t->have_regs = 0;
	fl_active--;
}

int tr_follow_start(struct tr_task *t, uint64_t id)
{
	if (ptrace(PTRACE_SEIZE, t->tid, 0, (void *)(long)FL_OPTS) < 0) {
		int e = errno;

		tr.st->unfollowed++;
		if (!fl_refused_noted && e != ESRCH) {
			fl_refused_noted = 1;
			tr_note(t->tgid, "ptrace-refused: PTRACE_SEIZE of %d: %s; calls that must be "
				"followed to their result (execve, mmap, failures other than a "
				"missing file) go unrecorded wherever ptrace is refused (said once)",
				(int)t->tid, strerror(e));
		}
		tr_answer(id, 0);
		return -e;
	}
	t->follow = TR_FL_INTR;
	t->fl_stops = 0;
	t->have_regs = 0;
	fl_active++;
	tr.st->followed++;
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0) {
		/* gone already: its exit ends the follow */
		tr_dbg2("interrupt %d: %s\n", (int)t->tid, strerror(errno));
	}
	return 0;
}

void tr_follow_notif(struct tr_task *t, uint64_t id)
{
	t->follow = TR_FL_EXIT;
	tr_answer(id, 0);
}

/* The stopped thread's registers, for the backtrace. */
static void fl_regs(struct tr_task *t, const struct __ptrace_syscall_info *info)
{
	struct user_regs_struct regs;

	t->ip = info->instruction_pointer;
	t->sp = info->stack_pointer;
	t->have_regs = ptrace(PTRACE_GETREGS, t->tid, 0, &regs) == 0;
	t->rbp = t->have_regs ? regs.rbp : 0;
}

static void fl_syscall(struct tr_task *t)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info);

	if (n > 0 && info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		fl_regs(t, &info);
		t->follow = TR_FL_NOTIF;
	} else if (n > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT && t->follow == TR_FL_EXIT) {
		int64_t rv = info.exit.rval;

		if (info.exit.is_error && rv >= FL_RESTART_LO && rv <= FL_RESTART_HI) {
			t->follow = TR_FL_ENTRY; /* comes round again */
		} else {
			/* the exit stop's registers are the call's too */
			if (info.exit.is_error) {
				tr_fail(t, rv);
			}
			fl_end(t, 1, 0);
			return;
		}
	}
	ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
}

/* A successful exec: a new program in process tid. */
static void fl_exec(struct tr_task *t)
{
	t->tgid = t->tid;
	t->proc_written = 1;
	tr_predict_exec(t);
	tr_modules_forget(t->tid);
	tr_process_record(t->tid);
	tr_setid_exec(t->tid);
	tr_vercheck_exec(t->tid);
	tr_exits_watch(t->tid);
}

/* An exec from a non-leader thread is reported under the leader's tid:
 * carry the follow over from the thread that made it. */
static struct tr_task *fl_moved(pid_t tid)
{
	unsigned long former = 0;
	struct tr_task *old, *t;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &former) < 0 || !former ||
	    !(old = tr_task_find((pid_t)former)) || !old->follow) {
		return NULL;
	}
	tr_task_drop(tid);
	t = tr_task_get(tid);
	if (t) {
		struct tr_task *next = t->next;

		*t = *old;
		t->tid = tid;
		t->next = next;
	}
	old->follow = TR_FL_NONE;
	tr_task_drop((pid_t)former);
	return t;
}

void tr_follow_wait(pid_t tid, int status)
{
	struct tr_task *t = tr_task_find(tid);
	int sig = WSTOPSIG(status);
	int ev = (unsigned)status >> 16;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (t && t->follow) {
			fl_end(t, 0, 0);
		}
		return;
	}
	if (!WIFSTOPPED(status)) {
		return;
	}
	if ((!t || !t->follow) && ev == PTRACE_EVENT_EXEC) {
		t = fl_moved(tid);
	}
	if (!t || !t->follow) {
		/* not ours to keep: pass a signal on */
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)(ev || sig == (SIGTRAP | 0x80) ? 0 : sig));
		return;
	}
	if (++t->fl_stops > FL_MAX_STOPS) {
		tr_dbg("follow %d: gave up after %u stops\n", (int)tid, t->fl_stops);
		fl_end(t, 1, ev || sig == (SIGTRAP | 0x80) ? 0 : sig);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		fl_syscall(t);
		return;
	}
	if (ev == PTRACE_EVENT_STOP) {
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			fl_end(t, 1, 0); /* group-stop: stays stopped, detached */
			return;
		}
		if (t->follow == TR_FL_INTR) {
			t->follow = TR_FL_ENTRY;
		}
		ptrace(PTRACE_SYSCALL, tid, 0, 0);
		return;
	}
	if (ev == PTRACE_EVENT_EXEC) {
		fl_exec(t);
	}
	if (ev) {
		ptrace(PTRACE_SYSCALL, tid, 0, 0);
		return;
	}
	tr.st->signal_stops++;
	ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)sig);
}
