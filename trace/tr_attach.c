/* SPDX-License-Identifier: Apache-2.0 */
/* The helper side of the hand-over (protocol in trace.h).  The host is
 * not our child: we were double-forked from it and reparented.  A seized
 * task keeps running (no stop), so seizing the threads of a live process
 * needs no cooperation beyond PR_SET_PTRACER under Yama.  New threads of
 * a seized thread are attached by TRACECLONE; /proc/pid/task is read again
 * until a pass finds no thread left to seize. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tr.h"

#define AT_PASSES 64

static int at_read1(int fd, char *c)
{
	ssize_t n;

	while ((n = read(fd, c, 1)) < 0 && errno == EINTR) {
	}
	return n == 1 ? 0 : -1;
}

static int at_write(int fd, const void *p, size_t len)
{
	const char *b = p;

	while (len) {
		ssize_t n = write(fd, b, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Seize every thread of pid.  Returns the number seized or -errno (the
 * leader could not be seized). */
static int at_seize_all(pid_t pid)
{
	char dir[64];
	int total = 0;

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)TR_PTRACE_OPTS) < 0) {
		return -errno;
	}
	tr_task_get(pid);
	total = 1;
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	for (int pass = 0; pass < AT_PASSES; pass++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		int fresh = 0;

		if (!d) {
			break;
		}
		while ((e = readdir(d))) {
			pid_t tid = (pid_t)atoi(e->d_name);

			if (tid <= 0 || tr_task_find(tid)) {
				continue;
			}
			if (ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)TR_PTRACE_OPTS) == 0) {
				tr_task_get(tid);
				fresh++;
			} else if (errno != ESRCH && errno != EPERM) {
				tr_dbg("seize thread %d: %s\n", (int)tid, strerror(errno));
			}
		}
		closedir(d);
		total += fresh;
		if (!fresh) {
			break;
		}
	}
	return total;
}

/* Undo: stop each seized thread and detach it (the host did not load the
 * filter, it runs on untraced). */
static void at_detach_all(pid_t pid)
{
	char dir[64];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	d = opendir(dir);
	if (!d) {
		return;
	}
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		int status;

		if (tid <= 0 || ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0) {
			continue;
		}
		/* a signal-delivery stop (ev 0) may come first: pass the
		 * signal on at detach */
		if (waitpid(tid, &status, __WALL) == tid && WIFSTOPPED(status)) {
			int ev = (unsigned)status >> 16;
			int sig = ev ? 0 : WSTOPSIG(status);

			if (sig == (SIGTRAP | 0x80)) {
				sig = 0;
			}
			ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig);
		}
	}
	closedir(d);
}

/* The engine's filter as raw bytes, in a mapping of *len bytes.  Through a
 * pipe, not a memfd: the policy we run under may deny memfd_create, and a
 * pipe holds 64 KiB, twice the largest filter (4096 instructions). */
static void *at_filter(size_t *len)
{
	size_t cap = GS_HO_MAX_INSNS * 8, got = 0;
	char *p;
	int fds[2];
	ssize_t n;

	*len = 0;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		return NULL;
	}
	p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || tr_filter_export(fds[1]) != 0) {
		close(fds[0]);
		close(fds[1]);
		if (p != MAP_FAILED) {
			munmap(p, cap);
		}
		return NULL;
	}
	close(fds[1]);
	while (got < cap && ((n = read(fds[0], p + got, cap - got)) > 0 ||
			     (n < 0 && errno == EINTR))) {
		got += n > 0 ? (size_t)n : 0;
	}
	close(fds[0]);
	if (got == 0 || got % 8) {
		munmap(p, cap);
		return NULL;
	}
	*len = got;
	return p;
}

int gs_trace_attach(const struct gs_trace_opts *o, pid_t pid, int in_fd,
		    int out_fd, struct gs_trace_stats *st)
{
	struct gs_ho_reply rep = { .magic = GS_HO_MAGIC };
	void *bpf = NULL;
	size_t len = 0;
	char c;
	int n;

	tr_begin(o, st);
	tr.root = pid;
	if (at_read1(in_fd, &c) < 0 || c != 'P') {
		return -ECANCELED;
	}
	bpf = at_filter(&len);
	n = bpf ? at_seize_all(pid) : -EINVAL;
	if (n < 0) {
		rep.err = -n;
	} else {
		rep.len = (uint32_t)len;
		rep.tasks = (uint32_t)n;
	}
	if (at_write(out_fd, &rep, sizeof(rep)) < 0 ||
	    (rep.len && at_write(out_fd, bpf, len) < 0) || rep.err ||
	    at_read1(in_fd, &c) < 0 || c != 'L') {
		if (n > 0) {
			at_detach_all(pid);
		}
		return rep.err ? -rep.err : -ECANCELED;
	}
	close(in_fd);
	close(out_fd);
	munmap(bpf, GS_HO_MAX_INSNS * 8);
	st->traced = 1;
	tr_dbg("attached to %d (%d threads)\n", (int)pid, n);
	/* forked from the host, the helper lives under the host's seccomp
	 * policy: what it denies here, it denies there (NOTE with our pid) */
	if (o->probe) {
		tr_probe();
	}
	tr_loop();
	tr_loop_report();
	st->status = tr.root_status;
	st->tasks = tr_task_count();
	gs_ring_detach(&tr.ring);
	return 0;
}
