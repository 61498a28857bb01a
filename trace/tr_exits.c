/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process exits, without tracing the processes: one pidfd per process the
 * engine knows (the root, every program whose exec it followed, every
 * process that had a failure), in an epoll set (edge-triggered).  A pidfd
 * reports POLLIN when the process has exited and POLLHUP once it is
 * reaped.  At POLLIN the wait status is read from the zombie's
 * /proc/PID/stat; a process reaped before that gives it at POLLHUP
 * through PIDFD_GET_INFO (Linux 6.15; none on older kernels).  A process
 * that ended non-zero gets its EXIT record (tr_process.c); its threads'
 * state is dropped either way.
 */
#include <errno.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidfd_info.h"
#include "tr.h"

#define EX_MAX 4096   /* processes watched at once                        */

static int ex_ep = -1;
static unsigned ex_count;
static pid_t ex_pids[EX_MAX];   /* watched now (0: free)                  */
static int ex_noinfo_noted;

static int ex_slot(pid_t pid)
{
	for (int i = 0; i < EX_MAX; i++) {
		if (ex_pids[i] == pid) {
			return i;
		}
	}
	return -1;
}

int tr_exits_fd(void)
{
	if (ex_ep < 0) {
		ex_ep = epoll_create1(EPOLL_CLOEXEC);
	}
	return ex_ep;
}

void tr_exits_watch(pid_t pid)
{
	if (pid <= 0 || (tr.root_child && pid == tr.root) || ex_slot(pid) >= 0) {
		return; /* the root is our child: its status comes from waitpid */
	}
	tr_exits_watch_fd(pid, (int)syscall(SYS_pidfd_open, pid, 0));
}

void tr_exits_watch_fd(pid_t pid, int fd)
{
	struct epoll_event e = { .events = EPOLLIN | EPOLLET };
	int slot;

	if (fd < 0) {
		return;
	}
	if (tr_exits_fd() < 0 || ex_slot(pid) >= 0 || (slot = ex_slot(0)) < 0) {
		close(fd);
		return;
	}
	e.data.u64 = ((uint64_t)(uint32_t)pid << 32) | (uint32_t)fd;
	if (epoll_ctl(ex_ep, EPOLL_CTL_ADD, fd, &e) < 0) {
		close(fd);
		return;
	}
	ex_pids[slot] = pid;
	ex_count++;
	tr_dbg2("watching process %d\n", (int)pid);
}

/* The wait status of pid, a zombie, from /proc/PID/stat (field 52), or -1
 * (not a zombie, or reaped meanwhile). */
static int ex_zombie_status(pid_t pid)
{
	char b[2048], *p;
	int field = 3, status = -1;

	if (tr_proc_read(pid, "stat", b, sizeof(b)) <= 0 || !(p = strrchr(b, ')')) ||
	    p[1] != ' ' || p[2] != 'Z') {
		return -1;
	}
	for (p += 2; *p && field < 52; p++) {
		field += *p == ' ';
	}
	if (field == 52) {
		status = atoi(p);
	}
	return status;
}

/* fd's process has ended: its status (from its zombie while its parent
 * has not reaped it, else from the pidfd once reaped: Linux 6.15), then
 * forget it.  0 done, -1 not yet (exited, not yet reaped, no status). */
static int ex_ended(pid_t pid, int fd, int reaped)
{
	struct gs_pidfd_info info = { .mask = GS_PIDFD_INFO_EXIT };
	int status = reaped ? -1 : ex_zombie_status(pid);

	if (status < 0 && ioctl(fd, GS_PIDFD_GET_INFO, &info) == 0 &&
	    (info.mask & GS_PIDFD_INFO_EXIT)) {
		status = info.exit_code;
	}
	if (status < 0 && !reaped) {
		return -1; /* reaped meanwhile: its POLLHUP follows */
	}
	tr_dbg2("process %d ended, status %#x\n", (int)pid, status);
	if (status < 0 && !ex_noinfo_noted) {
		ex_noinfo_noted = 1;
		tr_dbg("no exit status of a reaped process (Linux < 6.15): no EXIT record\n");
	}
	/* the process handed over (tr.root) whatever its status: a passed
	 * run is read from its exit 0 (tr_loop.c records the command's) */
	if (status >= 0 && (pid == tr.root || WIFSIGNALED(status) ||
			    (WIFEXITED(status) && WEXITSTATUS(status) != 0))) {
		tr_exit_record(pid, status);
	}
	epoll_ctl(ex_ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	ex_count--;
	int slot = ex_slot(pid);

	if (slot >= 0) {
		ex_pids[slot] = 0;
	}
	tr_task_drop_process(pid);
	return 0;
}

void tr_exits_run(int wait)
{
	struct epoll_event ev[64];
	int n;

	if (ex_ep < 0) {
		return;
	}
	do {
		n = epoll_wait(ex_ep, ev, 64, ex_count ? wait : 0);
		for (int i = 0; i < n; i++) {
			pid_t pid = (pid_t)(ev[i].data.u64 >> 32);
			int fd = (int)(uint32_t)ev[i].data.u64;

			ex_ended(pid, fd, (ev[i].events & (EPOLLHUP | EPOLLERR)) != 0);
		}
		wait = 0;
	} while (n == 64);
}
