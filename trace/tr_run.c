/* SPDX-License-Identifier: Apache-2.0 */
/* Starting the command under the engine, signal forwarding, and ending
 * like the command did.
 *
 * Start-up: the in-kernel watcher is attached first, where it can be
 * (tr_ebpf.c: the calls it owns leave the filter).  The child probes the
 * policy, loads the filter and sends its listener to the parent over a
 * socket pair (SCM_RIGHTS), waits for the parent's 'G' (by then the
 * watcher knows the child: its read's exit adds it to the tree), then
 * execs the command (an exec the engine already sees).  When the filter
 * cannot be loaded the child sends no descriptor, writes a NOTE and runs
 * the command untraced. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "ring_lock.h"
#include "tr.h"
#include "tr_ring.h"


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

/* One byte, with fd attached when fd >= 0: 'L', else none ('U': no
 * filter, 'S': supervised already). */
static void run_send(int sock, int fd, char none)
{
	char c = fd >= 0 ? 'L' : none;
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(ctl, 0, sizeof(ctl));
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
	}
}

int tr_recv_listener(int sock, char *tag, int *extra)
{
	char c = 0;
	char ctl[CMSG_SPACE(2 * sizeof(int))];
	int fds[2] = { -1, -1 };
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	ssize_t n;
	int fd = -1;

	while ((n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
	}
	for (struct cmsghdr *h = n > 0 ? CMSG_FIRSTHDR(&m) : NULL; h; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
			size_t k = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			memcpy(fds, CMSG_DATA(h), (k > 2 ? 2 : k) * sizeof(int));
		}
	}
	fd = fds[0];
	if (extra) {
		*extra = fds[1];
	} else if (fds[1] >= 0) {
		close(fds[1]);
	}
	*tag = n > 0 ? c : 0;
	return fd;
}

/* Exec the command; 127 (126) when it cannot be, as a shell would. */
static void __attribute__((noreturn)) run_exec(const struct gs_trace_opts *o,
					       char *const argv[])
{
	int e;

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

/* The engine cannot start (no descriptor, no process left to us): goshim
 * steps aside, said once, and the command runs in our place, untraced,
 * with its own exit status. */
static void __attribute__((noreturn)) run_aside(const struct gs_trace_opts *o,
						char *const argv[], const char *what, int err)
{
	fprintf(stderr, "goshimctl: %s: %s; running %s untraced, nothing is recorded\n",
		what, strerror(err), argv[0]);
	tr_end();
	fflush(NULL);
	run_exec(o, argv);
}

static void run_child(const struct gs_trace_opts *o, int sock, char *const argv[])
{
	int fd;

	tr_keeper_unroom(); /* the engine's: our listener needs a descriptor */
	if (o->probe) {
		tr_probe();
	}
	fd = tr_filter_load();
	if (fd == -EBUSY && goshim_supervised()) {
		/* one user-notification listener per filter chain: an outer
		 * engine's; it records this tree, into its own ring */
		tr_note(getpid(), "already-supervised: an outer goshim engine records this "
			"tree into its ring; nothing is recorded here");
	} else if (fd == -ENOSYS) {
		tr_note(getpid(), "seccomp-filter: this kernel is older than Linux 5.5 (a "
			"notified call cannot be let run); nothing is recorded");
	} else if (fd < 0) {
		tr_note(getpid(), "seccomp-filter: load failed (%s); nothing is recorded",
			strerror(-fd));
	}
	run_send(sock, fd, fd == -EBUSY ? 'S' : 'U');
	if (fd >= 0) {
		close(fd);
	}
	char go = 0;

	while (read(sock, &go, 1) < 0 && errno == EINTR) {
	}
	close(sock);
	if (go != 'G') {
		/* goshimctl died before it started the command: so does the
		 * command (its filter may have no listener left) */
		_exit(125);
	}
	run_exec(o, argv);
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
	rc = tr_ring_open(&tr.ring, o); /* says why not, once */
	tr.ring_ok = st->ring_ok = rc == 0;
	tr.lockfd = rc == 0 ? gs_ring_engine_hold(o->ring_path) : -1;
}

int gs_trace_run(const struct gs_trace_opts *o, char *const argv[],
		 struct gs_trace_stats *st)
{
	int sv[2], rc;
	char tag;
	pid_t pid;

	tr_begin(o, st);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		run_aside(o, argv, "socketpair", errno);
	}
	if ((rc = tr_keeper_room()) < 0) {
		close(sv[0]);
		close(sv[1]);
		run_aside(o, argv, "descriptors for the engine", -rc);
	}
	tr_ebpf_start();
	tr_pids_start();
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = errno;
		close(sv[0]);
		close(sv[1]);
		tr_ebpf_stop();
		run_aside(o, argv, "fork", rc);
	}
	if (pid == 0) {
		close(sv[0]);
		run_child(o, sv[1], argv);
	}
	close(sv[1]);
	tr.root = pid;
	tr.root_child = 1;
	run_handlers(1);
	/* the keeper first: it holds the listener before we do */
	tr_keeper_fork(sv[0]);
	tr.listener = tr_keeper_take(sv[0], &tag, NULL);
	if (tr.listener < 0) {
		tr_ebpf_stop(); /* nothing of this tree is ours to record */
	} else {
		tr_ebpf_seed(pid); /* after the probe's failures, before the command */
	}
	/* a filter whose listener was lost on the way makes every watched
	 * call fail with ENOSYS: then the command must not run under it */
	if (tr.listener < 0 && tag == 'L') {
		fprintf(stderr, "goshimctl: the seccomp listener was lost on its way; %s is "
			"not run\n", argv[0]);
	} else {
		while (write(sv[0], "G", 1) < 0 && errno == EINTR) {
		}
	}
	close(sv[0]);
	st->traced = tr.listener >= 0;
	if (!st->traced && tag != 'S' && tag != 'L') {
		fprintf(stderr, "goshimctl: the seccomp filter could not be loaded; running %s "
			"untraced\n", argv[0]);
	}
	if (st->traced) {
		tr_loop();
		tr_ebpf_stop();
		tr_pids_end(pid);
		tr_loop_report();
		close(tr.listener);
	} else {
		run_untraced(pid);
	}
	run_handlers(0);
	st->status = tr.root_status;
	st->tasks = tr_task_count();
	tr_end();
	return 0;
}

void tr_end(void)
{
	gs_ring_detach(&tr.ring);
	if (tr.lockfd >= 0) {
		close(tr.lockfd);
		tr.lockfd = -1;
	}
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
