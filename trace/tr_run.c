/* SPDX-License-Identifier: Apache-2.0 */
/* Starting the command under the tracer, the fallback when ptrace is
 * refused, signal forwarding, and ending like the command did.
 *
 * Start-up: the child blocks reading a pipe; the parent seizes it (a
 * running task can be seized: no stop-signal games) and writes one byte,
 * 'T' traced or 'U' untraced.  Only a traced child probes the policy and
 * loads the filter: a RET_TRACE filter without a tracer would make every
 * watched call fail with ENOSYS. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"


static const int run_fwd_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction run_old[sizeof(run_fwd_sigs) / sizeof(int)];

/* Forward a signal another process sent us; the terminal's (SI_KERNEL)
 * already reached the command's process group. */
static void run_forward(int sig, siginfo_t *si, void *uc)
{
	if (si && si->si_code == SI_KERNEL) {
		return;
	}
	if (tr.root > 0 && !tr.root_done) {
		kill(tr.root, sig);
	}
}

static void run_handlers(int install)
{
	for (size_t i = 0; i < sizeof(run_fwd_sigs) / sizeof(int); i++) {
		if (install) {
			struct sigaction sa = { .sa_sigaction = run_forward,
						.sa_flags = SA_SIGINFO | SA_RESTART };

			sigemptyset(&sa.sa_mask);
			sigaction(run_fwd_sigs[i], &sa, &run_old[i]);
		} else {
			sigaction(run_fwd_sigs[i], &run_old[i], NULL);
		}
	}
}

static void run_child(const struct gs_trace_opts *o, int syncfd, char *const argv[])
{
	char how = 'U';
	int e;

	while (read(syncfd, &how, 1) < 0 && errno == EINTR) {
	}
	close(syncfd);
	if (how == 'T') {
		if (o->probe) {
			tr_probe();
		}
		/* root keeps setuid programs working: no no_new_privs */
		e = tr_filter_load(geteuid() != 0);
		if (e == -EACCES && geteuid() == 0) {
			e = tr_filter_load(1);
		}
		if (e < 0) {
			tr_note(getpid(), "seccomp-filter: load failed (%s); nothing is recorded",
				strerror(-e));
		}
	}
	if (o->exec_path) {
		execv(o->exec_path, argv);
	} else {
		execvp(argv[0], argv);
	}
	e = errno;
	fprintf(stderr, "goshimctl: %s: %s\n", o->exec_path ? o->exec_path : argv[0],
		strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

static void run_untraced(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			return;
		}
	}
	tr.root_status = status;
	tr.root_done = 1;
}

void tr_begin(const struct gs_trace_opts *o, struct gs_trace_stats *st)
{
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&tr, 0, sizeof(tr));
	tr.st = st;
	tr.frames = o->frames;
	tr.verbose = o->verbose;
	rc = gs_ring_attach(&tr.ring, o->ring_path,
			    o->ring_size ? o->ring_size : GOSHIM_RING_DEF_DATA, 0600, 0);
	tr.ring_ok = st->ring_ok = rc == 0;
	if (rc < 0) {
		fprintf(stderr, "goshimctl: ring %s: %s; nothing is recorded\n",
			o->ring_path, strerror(-rc));
	}
}

int gs_trace_run(const struct gs_trace_opts *o, char *const argv[],
		 struct gs_trace_stats *st)
{
	int sync[2], rc;
	pid_t pid;

	tr_begin(o, st);
	if (pipe2(sync, O_CLOEXEC) < 0) {
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(sync[0]);
		close(sync[1]);
		return rc;
	}
	if (pid == 0) {
		close(sync[1]);
		run_child(o, sync[0], argv);
	}
	close(sync[0]);
	tr.root = pid;
	st->traced = ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)TR_PTRACE_OPTS) == 0;
	if (!st->traced) {
		tr_note(0, "ptrace-refused: PTRACE_SEIZE of %d: %s; the command runs "
			"untraced and nothing is recorded", (int)pid, strerror(errno));
		fprintf(stderr, "goshimctl: ptrace not permitted (%s); running %s untraced\n",
			strerror(errno), argv[0]);
	}
	run_handlers(1);
	while (write(sync[1], st->traced ? "T" : "U", 1) < 0 && errno == EINTR) {
	}
	close(sync[1]);
	if (st->traced) {
		tr_loop();
		tr_loop_report();
	} else {
		run_untraced(pid);
	}
	run_handlers(0);
	st->status = tr.root_status;
	st->tasks = tr_task_count();
	gs_ring_detach(&tr.ring);
	return 0;
}

void gs_trace_exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit nocore = { 0, 0 };
		sigset_t set;

		setrlimit(RLIMIT_CORE, &nocore);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		fflush(NULL);
		raise(sig);
		_exit(128 + sig);
	}
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
