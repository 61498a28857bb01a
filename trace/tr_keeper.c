/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keeper: a process that holds the filter's listener too, and waits
 * for the engine to die.  A watched call nobody answers would wait (or,
 * once no process holds the listener, fail with ENOSYS): the keeper then
 * answers the notification the engine was handling (published in a
 * shared page) and every later one with "let it run", until no process
 * uses the filter.  Nothing more is recorded; the program runs on as if
 * goshim were not there.  The keeper is in its own session (terminal
 * signals are for the job, not for it), named goshim-keeper (a pkill of
 * goshimctl spares it), with /dev/null for its standard streams (it must
 * not hold a pipe of the job open).  Should the keeper die with the
 * engine, the filter's calls fail with ENOSYS: the one state this cannot
 * prevent.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tr.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static volatile uint64_t *kp_inflight;

void tr_keeper_inflight(uint64_t id)
{
	if (kp_inflight) {
		__atomic_store_n(kp_inflight, id, __ATOMIC_RELEASE);
	}
}

static void kp_continue(int fd, uint64_t id)
{
	struct seccomp_notif_resp r = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };

	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

static void __attribute__((noreturn)) kp_serve(int listener, int engine)
{
	struct pollfd p[2] = { { .fd = listener }, { .fd = engine, .events = POLLIN } };

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			continue;
		}
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			_exit(0); /* no process uses the filter any more */
		}
		if (p[1].revents & POLLIN) {
			break; /* the engine died */
		}
	}
	uint64_t id = __atomic_load_n(kp_inflight, __ATOMIC_ACQUIRE);

	if (id) {
		kp_continue(listener, id);
	}
	p[0].events = POLLIN;
	for (;;) {
		struct seccomp_notif req;

		if (poll(p, 1, -1) < 0) {
			continue;
		}
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			_exit(0);
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
			kp_continue(listener, req.id);
		}
	}
}

void tr_keeper_start(void)
{
	static const int quiet[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
				     SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2 };
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long engine = syscall(SYS_pidfd_open, getpid(), 0);
	pid_t k;

	if (page == MAP_FAILED || engine < 0) {
		tr_dbg("no keeper: %s\n", strerror(errno));
		if (page != MAP_FAILED) {
			munmap(page, 4096);
		}
		return;
	}
	kp_inflight = page;
	k = fork();
	if (k == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		sigset_t none;

		setsid();
		/* not "goshimctl": a pkill of the engine must not take it */
		prctl(PR_SET_NAME, "goshim-keeper");
		for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
			signal(quiet[i], SIG_IGN);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		/* keep the listener and the engine's pidfd, nothing else */
		int l = fcntl(tr.listener, F_DUPFD_CLOEXEC, 10);
		int e = fcntl((int)engine, F_DUPFD_CLOEXEC, 10);

		if (l < 0 || e < 0) {
			_exit(1);
		}
		dup2(l, 3);
		dup2(e, 4);
		syscall(SYS_close_range, 5, ~0u, 0);
		kp_serve(3, 4);
	}
	close((int)engine);
	if (k < 0) {
		tr_dbg("no keeper: fork: %s\n", strerror(errno));
	}
}
