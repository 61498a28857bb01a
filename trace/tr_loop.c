/* SPDX-License-Identifier: Apache-2.0 */
/* The tracer loop: one waitpid(-1, __WALL) per stop, dispatched by kind.
 *
 *   seccomp stop      -> save the call, PTRACE_SYSCALL to see its result
 *                        (PTRACE_CONT when tr_predict says it succeeds)
 *   syscall-exit stop -> record it if it failed, PTRACE_CONT
 *   fork/vfork/clone  -> note the new task, PTRACE_CONT
 *   exec              -> reset the task (tid may change), PROCESS record
 *   group-stop        -> PTRACE_LISTEN (job control keeps working)
 *   signal delivery   -> re-inject the signal
 *
 * The tracer never detaches: it returns only when no tracee is left. */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "tr.h"

/* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK: the call is restarted (and
 * passes the filter again), it did not fail */
#define LP_RESTART_LO (-516)
#define LP_RESTART_HI (-512)

/* seccomp stops per tr_table row, for tr_loop_report */
static uint64_t lp_row_stops[TR_TABLE_MAX];

static void lp_resume(pid_t tid, int req, int sig)
{
	ptrace(req, tid, 0, (void *)(long)sig);
}

static void lp_seccomp(pid_t tid, struct tr_task *task, int ev)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);

	tr.st->seccomp_stops++;
	if (n > 0 && info.op == PTRACE_SYSCALL_INFO_SECCOMP &&
	    info.seccomp.ret_data < tr_table_len) {
		lp_row_stops[info.seccomp.ret_data]++;
	}
	if (!task || n <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP ||
	    info.seccomp.ret_data >= tr_table_len) {
		lp_resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (tr_table[info.seccomp.ret_data].view) {
		tr_predict_reset();
		lp_resume(tid, PTRACE_CONT, 0);
		return;
	}
	task->in_sc = 1;
	task->sc = (uint16_t)info.seccomp.ret_data;
	task->arch = info.arch;
	task->nr = (uint32_t)info.seccomp.nr;
	for (int i = 0; i < 6; i++) {
		task->args[i] = info.seccomp.args[i];
	}
	task->ip = info.instruction_pointer;
	task->sp = info.stack_pointer;
	if (tr_predict_ok(task)) {
		task->in_sc = 0;
		tr.st->predicted++;
		lp_resume(tid, PTRACE_CONT, 0);
		return;
	}
	lp_resume(tid, PTRACE_SYSCALL, 0);
}

static void lp_sysexit(pid_t tid, struct tr_task *task)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);

	if (task && task->in_sc && n > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT) {
		int64_t rv = info.exit.rval;

		task->in_sc = 0;
		if (info.exit.is_error && (rv < LP_RESTART_LO || rv > LP_RESTART_HI)) {
			struct tr_task *leader = tr_task_find(task->tgid);

			if (!task->vfork_parent && leader && !leader->proc_written) {
				leader->proc_written = 1;
				tr_process_record(task->tgid);
			}
			tr_event(task, rv);
		}
	}
	lp_resume(tid, PTRACE_CONT, 0);
}

static void lp_newtask(pid_t tid, struct tr_task *task, int ev)
{
	unsigned long child = 0;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 && child && task) {
		struct tr_task *c = tr_task_get((pid_t)child);

		if (c && ev != PTRACE_EVENT_CLONE) {
			c->ppid = task->tgid;
		}
		if (c && ev == PTRACE_EVENT_VFORK) {
			c->vfork_parent = task->tgid;
		}
	}
	lp_resume(tid, PTRACE_CONT, 0);
}

static void lp_exec(pid_t tid, struct tr_task *task, int ev)
{
	unsigned long former = 0;

	/* exec from a non-leader thread: the old tid never reports an exit */
	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &former) == 0 && former &&
	    (pid_t)former != tid) {
		tr_task_drop((pid_t)former);
	}
	if (task) {
		task->in_sc = 0;
		task->view = 0; /* a setuid program changes what it may see */
		task->tgid = tid;
		task->vfork_parent = 0;
		task->proc_written = 1;
		tr_process_record(tid);
	}
	lp_resume(tid, PTRACE_CONT, 0);
}

static void lp_stop(pid_t tid, struct tr_task *task, int sig)
{
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		lp_resume(tid, PTRACE_LISTEN, 0);
	} else {
		lp_resume(tid, PTRACE_CONT, 0);
	}
}

static const struct {
	int event;
	void (*fn)(pid_t tid, struct tr_task *task, int arg);
	int arg_is_sig;    /* pass WSTOPSIG, else the event */
} lp_events[] = {
	{ PTRACE_EVENT_SECCOMP, lp_seccomp, 0 },
	{ PTRACE_EVENT_FORK, lp_newtask, 0 },
	{ PTRACE_EVENT_VFORK, lp_newtask, 0 },
	{ PTRACE_EVENT_CLONE, lp_newtask, 0 },
	{ PTRACE_EVENT_EXEC, lp_exec, 0 },
	{ PTRACE_EVENT_STOP, lp_stop, 1 },
};

static void lp_stopped(pid_t tid, int status)
{
	struct tr_task *task = tr_task_get(tid);
	int sig = WSTOPSIG(status);
	int ev = (unsigned)status >> 16;

	if (sig == (SIGTRAP | 0x80)) {
		lp_sysexit(tid, task);
		return;
	}
	for (size_t i = 0; ev && i < sizeof(lp_events) / sizeof(lp_events[0]); i++) {
		if (lp_events[i].event == ev) {
			lp_events[i].fn(tid, task, lp_events[i].arg_is_sig ? sig : ev);
			return;
		}
	}
	if (ev) {
		lp_resume(tid, PTRACE_CONT, 0);
		return;
	}
	tr.st->signal_stops++;
	lp_resume(tid, PTRACE_CONT, sig);
}

static void lp_reaped(pid_t tid, int status)
{
	struct tr_task *task = tr_task_find(tid);
	int leader = !task || task->tgid == tid;

	if (tid == tr.root) {
		tr.root_status = status;
		tr.root_done = 1;
	}
	if (leader && (WIFSIGNALED(status) || WEXITSTATUS(status) != 0)) {
		tr_exit_record(tid, status);
	}
	tr_task_drop(tid);
}

void tr_loop(void)
{
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);

		if (tid < 0) {
			if (errno == EINTR) {
				continue;
			}
			break; /* ECHILD: every tracee is gone */
		}
		if (WIFSTOPPED(status)) {
			lp_stopped(tid, status);
		} else if (WIFEXITED(status) || WIFSIGNALED(status)) {
			lp_reaped(tid, status);
		}
	}
}

void tr_loop_report(void)
{
	for (size_t i = 0; i < tr_table_len; i++) {
		if (lp_row_stops[i]) {
			tr_dbg("stops %-16s %s %llu\n", tr_table[i].name,
			       tr_table[i].arch == TR_I386 ? "i386" : "x86_64",
			       (unsigned long long)lp_row_stops[i]);
		}
	}
}
