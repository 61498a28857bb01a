/* SPDX-License-Identifier: Apache-2.0 */
/* The helper side of the hand-over (protocol in goshim/handover.h).  The host is
 * not our child: we were double-forked from it and reparented.  The host
 * loads the filter on all its threads and sends us the listener; from
 * then on the helper is the engine for the host's whole tree, and
 * watches the host's exit through a pidfd. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr.h"

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

int gs_trace_attach(const struct gs_trace_opts *o, pid_t pid, int in_fd,
		    int out_fd, struct gs_trace_stats *st)
{
	struct goshim_ho_reply rep = { .magic = GOSHIM_HO_MAGIC };
	void *bpf = NULL;
	size_t len = 0;
	char c;

	tr_begin(o, st);
	tr.root = pid;
	if (at_read1(in_fd, &c) < 0 || c != 'P') {
		return -ECANCELED;
	}
	/* room to receive the listener, or the host must not load it */
	int room = tr_keeper_room();

	/* the host reads our reply and loads the filter: its next system
	 * call, after the seed, adds it to the watcher's tree */
	if (room == 0 && tr_ebpf_start() == 0) {
		tr_ebpf_seed(pid);
	}
	if (room < 0) {
		rep.err = EMFILE;
	} else if (!(bpf = tr_filter_bytes(&len))) {
		rep.err = errno == ENOSYS ? ENOSYS : EINVAL;
	} else {
		rep.len = (uint32_t)len;
	}
	/* the keeper first: it receives the listener the host sends once
	 * it has our reply, before we do */
	if (bpf) {
		tr_keeper_fork(in_fd);
	}
	if (at_write(out_fd, &rep, sizeof(rep)) < 0 ||
	    (rep.len && at_write(out_fd, bpf, len) < 0) || rep.err) {
		tr_filter_free(bpf);
		tr_ebpf_stop();
		return rep.err ? -rep.err : -ECANCELED;
	}
	tr_filter_free(bpf);
	int host_fd = -1;

	tr.listener = tr_keeper_take(in_fd, &c, &host_fd);
	if (tr.listener < 0 || c != 'L') {
		if (tr.listener >= 0) {
			close(tr.listener);
		}
		if (host_fd >= 0) {
			close(host_fd);
		}
		tr_ebpf_stop();
		return -ECANCELED;
	}
	close(in_fd);
	if (out_fd != in_fd) {
		close(out_fd);
	}
	st->traced = 1;
	tr_dbg("supervising %d\n", (int)pid);
	/* the host's own pidfd: it may have ended already */
	if (host_fd >= 0) {
		tr_exits_watch_fd(pid, host_fd);
	} else {
		tr_exits_watch(pid);
	}
	/* forked from the host, the helper lives under the host's seccomp
	 * policy: what it denies here, it denies there (NOTE with our pid) */
	if (o->probe) {
		tr_probe();
	}
	tr_loop();
	tr_ebpf_stop();
	tr_loop_report();
	close(tr.listener);
	st->status = tr.root_status;
	st->tasks = tr_task_count();
	tr_end();
	return 0;
}
