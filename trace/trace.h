/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The trace engine: runs a command under a seccomp-bpf filter and records
 * every failed watched system call of the whole process tree into a ring
 * file (include/goshim/ring.h, engine GOSHIM_ENGINE_TRACE).
 *
 * The filter returns SECCOMP_RET_USER_NOTIF for the watched calls; the
 * engine (the supervisor) receives each one while the calling thread
 * waits at the call's entry, and decides (trace/tr_predict.c):
 *   - a lookup or creation it can see will succeed: the call runs as is;
 *   - a lookup it can see fails (a missing file, a path with no symbolic
 *     link on the way): it records the failure and answers with that
 *     errno, exactly what the kernel would have said;
 *   - anything else (execve, mmap, a failure it cannot be sure of): it
 *     follows that one call with ptrace (seize, interrupt, let the call
 *     come round again, read its result at the exit stop, detach).
 * Where eBPF may be used (root), the x86_64 calls but the execs and
 * fallocate/ftruncate leave the filter: an in-kernel watcher hands the engine only their failures, with
 * what the record needs copied at the call (trace/tr_ebpf.c).
 * The tree is not ptraced otherwise: its signals, job control, pids and
 * its own debuggers are untouched.  Exits are watched through pidfds.
 *
 * The caller becomes the parent of the command: pids, stdin, stdout and
 * stderr are the command's own.  A keeper process holds the filter's
 * listener too: should the engine die, it lets every call run, so no
 * watched call ever fails with ENOSYS for want of an answer.  When the
 * filter cannot be loaded the command runs untraced and a NOTE says so.
 */
#ifndef GS_TRACE_H
#define GS_TRACE_H

#include <stdint.h>
#include <sys/types.h>

#include "goshim/handover.h"

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
	int traced;             /* 1 traced, 0 ran untraced (no filter)        */
	int ring_ok;            /* 1 when the ring could be attached           */
	uint64_t notifications; /* watched calls seen                          */
	uint64_t predicted;     /* of those, let run as predicted to succeed   */
	uint64_t answered;      /* failed as predicted, answered by the engine */
	uint64_t followed;      /* followed with ptrace to their result        */
	uint64_t unfollowed;    /* could not be followed (ptrace refused)      */
	uint64_t signal_stops;  /* signal-delivery stops re-injected while
	                         * following                                   */
	uint64_t kernel_events; /* failed calls handed over by the in-kernel
	                         * watcher (not notified; tr_ebpf.c)           */
	uint64_t kernel_drains; /* looks into its ring buffer that found some:
	                         * the engine's wake-ups for them, at most     */
	uint64_t events;        /* failed calls seen (records + aggregated)    */
	uint64_t records;       /* records written                             */
	uint64_t repeats;       /* of those, short repeats of another process's
	                         * failure (common/repeat.h)                   */
	uint64_t tasks;         /* threads and processes traced                */
	uint64_t known_repeats; /* of answered, failures counted into the
	                         * record of the same one without a capture    */
};

/* Run argv (argv[0] searched on PATH) under the engine until no process
 * of the tree is left.  SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to the caller
 * (by another process, not by the terminal, which signals the command's
 * process group itself) are forwarded to the command while it runs.
 * Returns 0 with st filled in.  When the engine cannot start at all (no
 * descriptor for its socket pair, fork refused), it says so once on stderr
 * and execs argv in the caller's place, untraced: the command's exit
 * status is then the caller's own.  A command that cannot be executed
 * exits with 127 (126 for EACCES), as a shell would. */
int gs_trace_run(const struct gs_trace_opts *o, char *const argv[],
		 struct gs_trace_stats *st);

/* The hand-over: a process that is already running asks a helper to
 * supervise it (protocol and probe: include/goshim/handover.h; the host
 * side lives in libgoshim.so, preload/handover.c). */

/* Helper side of the hand-over: wait for 'P' on in_fd, send the reply and
 * the filter on out_fd, and once 'L' arrives with the listener, supervise
 * the tree until no process uses the filter.  With o->probe, the watched
 * calls the inherited seccomp policy denies are probed (in the helper,
 * which shares the host's policy) after 'L'.  Returns 0 when the tree was
 * supervised to its end, else -errno. */
int gs_trace_attach(const struct gs_trace_opts *o, pid_t pid, int in_fd,
		    int out_fd, struct gs_trace_stats *st);

/* Make the caller end the way a child with wait status `status` ended:
 * exit with its code, or die of its signal (default action restored,
 * signal unblocked, no core file).  Does not return. */
void gs_trace_exit_like(int status) __attribute__((noreturn));

#endif
