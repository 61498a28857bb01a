/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's loop.
 *
 *   notification   -> row; a view-changing call resets prediction; else
 *                     tr_predict: let run / answer the failure / follow
 *   SIGCHLD        -> the root's exit (run), followed threads' stops
 *   exits set      -> processes reaped: EXIT records
 *
 * While no call is being followed the loop waits in the receive itself
 * (SIGCHLD held: the root's exit and the exits set can wait), one system
 * call per notification less than a poll; while calls are followed it
 * waits in ppoll over the listener and the exits set with SIGCHLD let in
 * only there (followed threads' ptrace stops arrive as SIGCHLD, then
 * waitpid(WNOHANG)).
 *
 * The listener is set to SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6):
 * the engine then runs on the waiting thread's CPU and answers it there,
 * ~8 us a round trip on a 2-vCPU VM instead of ~60 us of cross-CPU
 * wake-ups.  The loop ends when the listener reports POLLHUP (no process
 * uses the filter) and, when the root is our child, it has been reaped. */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "seccomp_sync.h"
#include "tr.h"

/* notifications per tr_table row, for tr_loop_report */
static uint64_t lp_row_count[TR_TABLE_MAX];
static volatile sig_atomic_t lp_chld;
static const struct timespec lp_instant = { 0, 0 };
/* With the in-kernel watcher, repeats of a failure wait in its ring
 * buffer without waking the engine (bpf/tr_ebpf.bpf.c): counted into
 * their record at the latest this long after (or at the next
 * notification, failure handed over whole, or the end). */
static const struct timespec lp_drain_every = { 0, 50 * 1000 * 1000 };
static uint64_t lp_wait_ns;   /* answered failures: their threads' wait */
static uint64_t lp_uncounted; /* repeats answered whose record went meanwhile */

static void lp_on_chld(int sig)
{
	(void)sig;
	lp_chld = 1;
}

static void lp_waits(void)
{
	int status;
	pid_t tid;

	while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		if (tr.root_child && tid == tr.root && (WIFEXITED(status) || WIFSIGNALED(status))) {
			tr.root_status = status;
			tr.root_done = 1;
			/* the command's exit, whatever it is: report reads a
			 * passed run from this record, never from the absence
			 * of one (other processes: non-zero exits only) */
			tr_exit_record(tid, status);
		}
		tr_follow_wait(tid, status);
		if (tr.root_child && tid == tr.root && tr.root_done) {
			tr_task_drop_process(tid);
		}
	}
}

/* -vv: which calls are followed, and why one would look. */
static void lp_dbg_follow(const struct tr_task *t, int row)
{
	char path[256] = "";
	int cut, pi = tr_sc_arg(&tr_table[row], GOSHIM_T_PATH);

	if (pi >= 0) {
		tr_mem_str(t->tid, t->args[pi], path, sizeof(path), &cut);
	}
	tr_dbg2("follow %d %s %s\n", (int)t->tid, tr_table[row].name, path);
}

static uint64_t lp_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A tid is used again only after pid_max (32768 at the least) others
 * were given out since it was freed: a thread at a watched call within
 * this long of its previous one is the same thread, and its tgid is still
 * the one read at its creation or its last record (tr_task_refresh). */
#define LP_FRESH_NS 10000000u

static void lp_fresh(struct tr_task *t)
{
	uint64_t now = lp_ns();

	if (!t->seen_ns || now - t->seen_ns >= LP_FRESH_NS) {
		t->ids_fresh = 0;
	}
	t->seen_ns = now;
}

/* A failure the engine answers.  A repeat of a failure recorded already
 * (same process, call, errno, pc and path: its aggregation key, from the
 * path tr_predict read) by a thread whose identity is fresh is answered
 * at once and then counted into that record, when the call took the
 * answer (one that went away comes round again): nothing is read or
 * written for it, and its thread waits for no capture.  Otherwise what
 * needs the waiting thread (its path, cwd, stack) is read first, while
 * the call is still pending; the record is written once the thread has
 * its answer. */
static void lp_fail(struct tr_task *t, uint64_t id, int err)
{
	uint64_t key;

	if (t->ids_fresh && tr_fail_known(t, -err, tr_predict_path(), &key)) {
		tr.st->answered++;
		tr_census_add(t, t->sc, tr_predict_path(), TR_CN_REPEAT);
		if (tr_answer(id, err) == 0) {
			tr.st->events++;
			if (tr_agg_bump(key)) {
				tr.st->known_repeats++;
			} else {
				lp_uncounted++;
			}
		}
		return;
	}
	uint64_t t0 = lp_ns();
	int emit = ioctl(tr.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0 &&
		   tr_fail_capture(t, -err);

	lp_wait_ns += lp_ns() - t0;
	tr.st->answered++;
	tr_census_add(t, t->sc, tr_predict_path(), TR_CN_FAIL);
	tr_answer(id, err);
	if (emit) {
		tr_fail_emit(t);
	}
}

/* Receive and handle one notification.  -1 when none could be received
 * (no process uses the filter any more, or the call went away). */
static int lp_notif(void)
{
	struct seccomp_notif req, *slot;
	struct tr_task *t;
	int row, err = 0;

	tr_task_trim();
	/* received into the page the keeper reads should we die */
	slot = tr_keeper_slot();
	if (ioctl(tr.listener, SECCOMP_IOCTL_NOTIF_RECV, slot) < 0) {
		return -1;
	}
	req = *slot;
	tr.st->notifications++;
	/* what the watcher handed over came first: recorded while its
	 * process is as it was (not exec'd, not ended) */
	tr_ebpf_drain();
	row = tr_row(req.data.arch, req.data.nr, (const uint64_t *)req.data.args);
	if (row < 0) {
		tr_answer(req.id, 0);
		return 0;
	}
	lp_row_count[row]++;
	if (tr_table[row].sync) {
		/* a process ends: its children's exits first, while the mount
		 * namespace it may be the last to hold is still there */
		tr_exits_run(0);
		tr_answer(req.id, 0);
		return 0;
	}
	if (tr_table[row].view || !(t = tr_task_get((pid_t)req.pid))) {
		if (tr_table[row].view) {
			tr_predict_view_change((pid_t)req.pid);
		}
		tr_answer(req.id, 0);
		return 0;
	}
	lp_fresh(t);
	t->sc = (uint16_t)row;
	t->arch = req.data.arch;
	t->nr = (uint32_t)req.data.nr;
	memcpy(t->args, req.data.args, sizeof(t->args));
	if (t->follow) {
		tr_follow_notif(t, req.id);
		return 0;
	}
	t->ip = req.data.instruction_pointer;
	t->sp = 0;
	t->have_regs = 0;
	switch (tr_predict(t, &err)) {
	case TR_V_GO:
		tr.st->predicted++;
		tr_census_add(t, row, tr_predict_path(), TR_CN_GO);
		tr_answer(req.id, 0);
		break;
	case TR_V_FAIL:
		lp_fail(t, req.id, err);
		break;
	case TR_V_FOLLOW:
		tr_census_add(t, row, tr_predict_path(), TR_CN_FOLLOW);
		if (tr.verbose > 1) {
			lp_dbg_follow(t, row);
		}
		tr_follow_start(t, req.id);
		break;
	}
	return 0;
}

/* A short time slice for the engine (sched_attr.sched_runtime of a
 * SCHED_OTHER task: EEVDF, Linux 6.12; any user may ask, 100 us at the
 * least): woken by a notification, it gets an early deadline and runs
 * before the tasks already queued on that CPU instead of after a slice of
 * theirs, which the waiting thread would spend in its system call.  The
 * engine's work per notification is far shorter.  Its policy and nice
 * value stay as they were; an older kernel refuses or ignores it. */
#define LP_SLICE_NS 100000u

struct lp_sched_attr { /* the kernel's struct sched_attr, first version */
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static void lp_short_slice(void)
{
	struct lp_sched_attr a;

	memset(&a, 0, sizeof(a));
	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) < 0 || a.sched_policy != SCHED_OTHER) {
		return;
	}
	a.size = sizeof(a);
	a.sched_flags = 0;
	a.sched_runtime = LP_SLICE_NS;
	if (syscall(SYS_sched_setattr, 0, &a, 0) < 0) {
		tr_dbg("no short time slice (%s)\n", strerror(errno));
	}
}

void tr_loop(void)
{
	struct sigaction sa = { .sa_handler = lp_on_chld }, old_sa;
	sigset_t chld, outside, inside;
	struct pollfd p[3] = { { .fd = tr.listener, .events = POLLIN },
			       { .fd = tr_exits_fd(), .events = POLLIN },
			       { .fd = tr_ebpf_fd(), .events = POLLIN } };
	/* with the in-kernel watcher, notifications are rare and failures
	 * come by its ring buffer too: always poll */
	int hup = 0, recv_direct = !tr_ebpf_active();

	lp_short_slice();
	if (ioctl(tr.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		  (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0) {
		tr_dbg("no synchronous wake-up (%s): slower round trips\n", strerror(errno));
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old_sa);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &outside);
	inside = outside;
	sigdelset(&inside, SIGCHLD);
	lp_chld = 1; /* the root may have ended before the handler was set */
	for (unsigned i = 0;; i++) {
		if (lp_chld) {
			lp_chld = 0;
			lp_waits();
		}
		if (hup && (!tr.root_child || tr.root_done) && !tr_follow_active()) {
			break;
		}
		/* the receive fails once no process uses the filter: ppoll
		 * then sees the POLLHUP */
		if (!hup && recv_direct && !tr_follow_active()) {
			if (i % 64 == 0) {
				tr_exits_run(0);
			}
			if (lp_notif() == 0) {
				continue;
			}
		}
		const struct timespec *to = NULL;

		if (!hup && recv_direct && !tr_follow_active()) {
			to = &lp_instant;
		} else if (tr_ebpf_active()) {
			to = &lp_drain_every;
		}
		int n = ppoll(p, 3, to, &inside);

		if (n == 0) {
			tr_ebpf_drain();
		}
		if (n <= 0) {
			continue;
		}
		if (p[0].revents & POLLIN) {
			(void)lp_notif();
		} else if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			hup = 1;
			p[0].fd = -1;
		}
		if (p[2].revents & POLLIN) {
			tr_ebpf_drain();
		}
		if (p[1].revents & POLLIN) {
			tr_exits_run(0);
		}
	}
	tr_dbg2("no process uses the filter any more\n");
	if (lp_uncounted) {
		tr_note(0, "trace: %llu repeated failures not counted: their record was "
			"overwritten while they were answered", (unsigned long long)lp_uncounted);
	}
	tr_ebpf_drain();   /* failures handed over before the end: before */
	tr_exits_run(100); /* the last processes' reaping */
	sigprocmask(SIG_SETMASK, &outside, NULL);
	sigaction(SIGCHLD, &old_sa, NULL);
}

void tr_loop_report(void)
{
	tr_dbg("answered failures: %llu; their threads waited %.1f ms for the capture\n",
	       (unsigned long long)tr.st->answered, (double)lp_wait_ns / 1e6);
	for (size_t i = 0; i < tr_table_len; i++) {
		if (lp_row_count[i]) {
			tr_dbg2("notifications %-16s %s %llu\n", tr_table[i].name,
			       tr_table[i].arch == TR_I386 ? "i386" : "x86_64",
			       (unsigned long long)lp_row_count[i]);
		}
	}
	tr_census_report();
}
