/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The trace engine: runs a command under a seccomp-bpf filter and a ptrace
 * tracer, and records every failed watched system call of the whole process
 * tree into a ring file (include/goshim/ring.h, engine GOSHIM_ENGINE_TRACE).
 *
 * The caller becomes the parent of the command: pids, stdin, stdout and
 * stderr are the command's own.  The tracer never detaches (the tree is
 * killed with it: PTRACE_O_EXITKILL), so a filter returning RET_TRACE never
 * runs without a tracer.  When ptrace is not permitted the command runs
 * untraced, without any filter, and a NOTE record says so.
 */
#ifndef GS_TRACE_H
#define GS_TRACE_H

#include <stdint.h>
#include <sys/types.h>

struct gs_trace_opts {
	const char *ring_path;  /* ring file; created if missing               */
	uint64_t ring_size;     /* data area of a new ring, 0 = default        */
	unsigned frames;        /* frames to record per event (>= 1), 0 = 16   */
	int probe;              /* probe which watched calls the policy denies */
	int verbose;            /* the engine's own diagnostics on stderr      */
	const char *exec_path;  /* run this file with argv, NULL: search
				 * argv[0] on PATH                             */
};

/* What happened, for the caller and the tests. */
struct gs_trace_stats {
	int status;             /* wait(2) status of the command               */
	int traced;             /* 1 traced, 0 ran untraced (ptrace refused)    */
	int ring_ok;            /* 1 when the ring could be attached           */
	uint64_t seccomp_stops; /* seccomp stops handled                       */
	uint64_t predicted;     /* of those, lookups resumed without an exit
	                         * stop (tr_predict.c)                         */
	uint64_t signal_stops;  /* signal-delivery stops re-injected           */
	uint64_t events;        /* failed calls seen (records + aggregated)    */
	uint64_t records;       /* records written                             */
	uint64_t tasks;         /* threads and processes traced                */
};

/* Run argv (argv[0] searched on PATH) under the tracer until every traced
 * task has exited.  SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to the caller
 * (by another process, not by the terminal, which signals the command's
 * process group itself) are forwarded to the command while it runs.
 * Returns 0 with st filled in, or -errno when the command could not be
 * started at all (fork failed).  A command that cannot be executed exits
 * with 127 (126 for EACCES), as a shell would. */
int gs_trace_run(const struct gs_trace_opts *o, char *const argv[],
		 struct gs_trace_stats *st);

/*
 * The hand-over: a process that is already running (a Go program that
 * loaded libgoshim.so, or a process about to exec a static program) asks
 * a helper to trace it.  The helper runs gs_trace_attach(); the host side
 * lives in libgoshim.so (preload/handover.c).  One stream socket, both
 * GS_HO_FD_IN and GS_HO_FD_OUT in the helper (a socket: the host sends
 * with MSG_NOSIGNAL; the helper ignores SIGPIPE, since dying once it has
 * seized the host would kill the host):
 *
 *   host   -> helper  'P'   PR_SET_PTRACER(helper) is done: attach now
 *   helper -> host    struct gs_ho_reply, then reply.len bytes of
 *                     struct sock_filter (the engine's filter), or
 *                     err != 0 and len 0 when it could not attach
 *   host   -> helper  'L'   the filter is loaded (all threads): trace
 *                     anything else, or EOF: detach and exit
 *
 * The host gives up after GS_HO_TIMEOUT_MS; the helper then sees EOF.
 */
#define GS_HO_FD_IN      3
#define GS_HO_FD_OUT     4
#define GS_HO_MAGIC      0x6f68736fu   /* "osho" */
#define GS_HO_TIMEOUT_MS 1000
#define GS_HO_MAX_INSNS  4096          /* BPF_MAXINSNS */

struct gs_ho_reply {
	uint32_t magic;         /* GS_HO_MAGIC                                 */
	int32_t err;            /* 0, or the errno that prevented attaching    */
	uint32_t len;           /* bytes of struct sock_filter that follow     */
	uint32_t tasks;         /* threads seized                              */
};

/* Helper side of the hand-over: wait for 'P' on in_fd, PTRACE_SEIZE every
 * thread of pid (re-reading /proc/pid/task until no new thread appears),
 * send the reply and the filter on out_fd, and trace the tree until it
 * is gone once 'L' arrives; otherwise detach from every seized thread.
 * With o->probe, the watched calls the inherited seccomp policy denies are
 * probed (in the helper, which shares the host's policy) after 'L'.
 * Returns 0 when the tree was traced to its end, else -errno. */
int gs_trace_attach(const struct gs_trace_opts *o, pid_t pid, int in_fd,
		    int out_fd, struct gs_trace_stats *st);

/* Make the caller end the way a child with wait status `status` ended:
 * exit with its code, or die of its signal (default action restored,
 * signal unblocked, no core file).  Does not return. */
void gs_trace_exit_like(int status) __attribute__((noreturn));

#endif
