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
};

/* What happened, for the caller and the tests. */
struct gs_trace_stats {
	int status;             /* wait(2) status of the command               */
	int traced;             /* 1 traced, 0 ran untraced (ptrace refused)    */
	int ring_ok;            /* 1 when the ring could be attached           */
	uint64_t seccomp_stops; /* seccomp stops handled                       */
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

/* Make the caller end the way a child with wait status `status` ended:
 * exit with its code, or die of its signal (default action restored,
 * signal unblocked, no core file).  Does not return. */
void gs_trace_exit_like(int status) __attribute__((noreturn));

#endif
