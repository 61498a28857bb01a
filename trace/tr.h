/* SPDX-License-Identifier: Apache-2.0 */
/* Trace engine internals shared by the files of trace/. */
#ifndef GS_TR_H
#define GS_TR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ring_write.h"
#include "tlv.h"
#include "trace.h"

/* --- the watched system calls (tr_table.c) ------------------------------ */

enum tr_arch { TR_X86_64 = 0, TR_I386 = 1 };

/* How one argument is recorded: a record.h tag.  GOSHIM_T_PATH and
 * GOSHIM_T_NAME read a string, GOSHIM_T_ARGV a NULL-terminated pointer
 * array; other tags store the integer at the width record.h gives. */
enum tr_cond {
	TR_C_ALWAYS = 0,
	TR_C_HUGE,        /* mmap: length (arg 1) >= 1 GiB                  */
	TR_C_FIXED,       /* mmap: MAP_FIXED in flags (arg 3)               */
	TR_C_NOREPLACE,   /* mmap: MAP_FIXED_NOREPLACE in flags (arg 3)     */
	TR_C_SETS,        /* prlimit64: a new limit is given (arg 2)        */
};

struct tr_sc {
	const char *name;    /* syscall name on that architecture           */
	int scmp_nr;         /* SCMP_SYS(name): libseccomp's number          */
	uint8_t arch;        /* enum tr_arch                                 */
	uint8_t cond;        /* enum tr_cond                                 */
	uint8_t exec;        /* 1: gather exec evidence for the path         */
	uint32_t call;       /* enum goshim_call                             */
	uint16_t arg[6];     /* record.h tag per argument, 0 = not recorded  */
	uint8_t view;        /* 1: not recorded; the call may change what the
	                      * thread sees (credentials, root, namespaces),
	                      * so tr_predict checks every thread again      */
	uint8_t sync;        /* 1: not recorded; filtered only with the
	                      * in-kernel watcher, whose failures are recorded
	                      * first (the process is about to end: its /proc
	                      * is still there)                              */
	uint8_t kernel_only; /* 1: watched by the in-kernel watcher only,
	                      * never notified (a notification per thread
	                      * or process created is too dear)             */
};

/* The table. */
#define TR_TABLE_MAX 128
extern const struct tr_sc tr_table[];
extern const size_t tr_table_len;

/* The row a notification is about: its architecture (AUDIT_ARCH_*),
 * system call number and arguments (the conditions of mmap rows are
 * checked here, as the filter did), or -1. */
int tr_row(uint32_t arch, int nr, const uint64_t *args);

/* Index of the argument recorded with `tag` in s, or -1. */
int tr_sc_arg(const struct tr_sc *s, uint16_t tag);

/* Where the call's relative path is resolved from, as a /proc/PID entry
 * into what: "cwd", or "fd/N" for its dirfd argument N. */
void tr_sc_base(const struct tr_sc *s, const uint64_t *args, char *what, size_t cap);

/* --- filter (tr_filter.c) ------------------------------------------------ */

/* The filter as raw struct sock_filter[], in a mapping of *len bytes
 * (free with tr_filter_free), or NULL (errno ENOSYS: the kernel is older
 * than 5.5 and cannot let a notified call continue). */
void *tr_filter_bytes(size_t *len);
void tr_filter_free(void *p);
/* Load the filter into the calling (single-threaded) process and return
 * its listener fd, or -errno.  no_new_privs is set first unless the
 * caller has CAP_SYS_ADMIN, which keeps setuid programs working; when it
 * was set here, a NOTE "no-new-privs:" says so (the ring's record of why
 * setuid programs of the tree lose their privilege). */
int tr_filter_load(void);

/* --- setuid programs under no_new_privs (tr_setid.c) --------------------- */

/* Process pid has just exec'd: when its program is setuid or setgid to
 * another id than the process runs as (or has file capabilities, for a
 * process not root) and no_new_privs is set, a NOTE
 * "setid-without-privilege:" names it: it runs without that privilege. */
void tr_setid_exec(pid_t pid);
/* Process pid has just exec'd: when its program needs a symbol version
 * the libraries ld.so will load lack (common/elfneed.c), a NOTE
 * "elf-version-missing:" says which: ld.so stops it before main. */
void tr_vercheck_exec(pid_t pid);

/* --- per-thread state (tr_threads.c) ------------------------------------- */

/* Following one call to its result with ptrace (tr_follow.c). */
enum tr_fl {
	TR_FL_NONE = 0,
	TR_FL_INTR,          /* seized and interrupted: awaiting the stop    */
	TR_FL_ENTRY,         /* resumed: awaiting the restarted call's entry */
	TR_FL_NOTIF,         /* past the entry stop: awaiting its notification */
	TR_FL_EXIT,          /* notification answered: awaiting the exit stop */
};

struct tr_task {
	pid_t tid;
	pid_t tgid;          /* thread group (process) it belongs to         */
	pid_t ppid;          /* parent process, 0 unknown                    */
	int proc_written;    /* PROCESS record written for this program      */
	uint16_t sc;         /* tr_table index of the pending call           */
	uint32_t arch;       /* AUDIT_ARCH_* of the pending call             */
	uint32_t nr;
	uint64_t args[6];
	uint64_t ip, sp;
	int have_regs;       /* regs below are the call's (a followed call)  */
	const uint64_t *uregs; /* while its failure handed over by the
	                      * in-kernel watcher is recorded: the thread's
	                      * registers then, TR_UR_* (bpf/tr_ebpf_event.h)*/
	uint64_t rbp;
	uint8_t follow;      /* enum tr_fl                                   */
	uint8_t fl_stops;    /* stops seen while following                   */
	int8_t view;         /* tr_predict: 0 unchecked, -1 differs from the
	                      * engine's, 1 same                              */
	uint32_t view_gen;   /* tr_predict generation view was checked at   */
	uint8_t view_mixed;  /* (leader) a thread of the process changed its
	                      * view (a view row) or a thread other than the
	                      * leader exec'd, since the process's exec: its
	                      * threads may see differently                  */
	int32_t fd_budget;   /* (leader) opens left before a recount of the
	                      * process's descriptors against its limit     */
	uint32_t fd_gen;     /* tr_predict generation fd_budget is of       */
	uint64_t seen_ns;    /* CLOCK_MONOTONIC of its last notification   */
	uint8_t ids_fresh;   /* tgid and ppid are still the thread's: read
	                      * at its last record (tr_task_refresh), and
	                      * the thread has been at a watched call every
	                      * LP_FRESH_NS or sooner since (tr_loop.c)      */
	struct tr_task *next;
};

/* The state of tid, created when missing (tgid read from /proc). */
struct tr_task *tr_task_get(pid_t tid);
/* The state of tid, or NULL. */
struct tr_task *tr_task_find(pid_t tid);
/* Forget tid (reaped, or replaced by an exec). */
void tr_task_drop(pid_t tid);
/* Past TH_LIVE_MAX threads known, forget every one not being followed:
 * they are made again on demand (their view checked again, a PROCESS
 * record possibly written twice).  Only where no task pointer is held. */
void tr_task_trim(void);
/* Forget every thread of process tgid (it was reaped). */
void tr_task_drop_process(pid_t tgid);
/* Read tid's tgid and ppid again (before a record: tids are reused). */
void tr_task_refresh(struct tr_task *t);
/* Number of tasks created so far. */
uint64_t tr_task_count(void);

/* --- reading the tracee (tr_mem.c) --------------------------------------- */

/* Read len bytes at addr of pid.  Returns bytes read (short at a fault). */
ssize_t tr_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/* Serve reads of pid from copies taken at its failed call (tr_ebpf.c):
 * path_len bytes at path_at, stack_len bytes at sp; [sp, sp + 1 MiB)
 * beyond the copy reads as unmapped.  pid 0: no copies. */
void tr_mem_snap(pid_t pid, uint64_t path_at, const void *path, size_t path_len,
		 uint64_t sp, const void *stack, size_t stack_len);
/* Read a NUL-terminated string of at most cap-1 bytes.  Returns its
 * length, or -1 when nothing could be read.  *cut set when longer. */
ssize_t tr_mem_str(pid_t pid, uint64_t addr, char *buf, size_t cap, int *cut);
/* readlink of /proc/pid/<what> into buf (NUL-terminated).  0 or -errno. */
int tr_proc_link(pid_t pid, const char *what, char *buf, size_t cap);
/* Read /proc/pid/<what> whole (at most cap-1 bytes, NUL-terminated).
 * Returns bytes read or -errno. */
ssize_t tr_proc_read(pid_t pid, const char *what, char *buf, size_t cap);
/* The numeric value after "key" (e.g. "Tgid:") in /proc/pid/status text,
 * or def. */
long tr_status_field(const char *status, const char *key, long def);

/* --- records (tr_emit.c) -------------------------------------------------- */

struct tr_ctx {
	struct gs_ring ring;
	int ring_ok;
	unsigned frames;
	int verbose;
	pid_t root;              /* the command's pid                       */
	int root_status;
	int root_done;
	int root_child;          /* root is our child (run), not (attach)  */
	int listener;            /* the filter's notification fd           */
	int lockfd;              /* shared lock on the ring (ring_lock.h)  */
	struct gs_trace_stats *st;
};

extern struct tr_ctx tr;

/* Start a record: identity fields every record carries (times; pid, tid,
 * ppid and exe when pid > 0). */
void tr_rec_begin(struct gs_tlv *t, void *buf, size_t cap, pid_t pid,
		  pid_t tid, pid_t ppid);
/* The same with the executable's path already read (NULL: read it). */
void tr_rec_begin_exe(struct gs_tlv *t, void *buf, size_t cap, pid_t pid,
		      pid_t tid, pid_t ppid, const char *exe);
/* Finish, compress and write.  Returns the position or -1. */
int64_t tr_rec_emit(struct gs_tlv *t, uint16_t type);
/* Write a NOTE record (pid 0: the engine's own). */
void tr_note(pid_t pid, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The pids cgroup limit (tr_pids.c): the refusals counted before the
 * command starts; after it ended, a NOTE `pids-limit: ...` about root
 * when the engine's pids cgroup or an ancestor refused some since. */
void tr_pids_start(void);
void tr_pids_end(pid_t root);

/* Finish and write an EVENT: whole, or as a short repeat of the same
 * failure written whole by another process (common/repeat.h) while that
 * record is in the newer half of the routine lane.  The position or -1. */
int64_t tr_rec_emit_event(struct gs_tlv *t);
/* Aggregation: 1 when an identical failure was bumped in the ring. */
int tr_agg_bump(uint64_t key);
/* The same for n identical failures at once. */
int tr_agg_add(uint64_t key, uint64_t n);
/* 1 when the record of key was written and is still in the ring. */
int tr_agg_known(uint64_t key);
/* Remember where the record for key was written. */
void tr_agg_store(uint64_t key, int64_t pos);
/* FNV-1a over bytes, chained. */
uint64_t tr_hash(uint64_t h, const void *p, size_t n);

/* --- the failed call (tr_event.c) ---------------------------------------- */

/* Record the failed call pending in task (rval is the kernel's result),
 * after the PROCESS record of task's process when it has none yet
 * (identity read again first).  Returns the failure's aggregation key
 * (tr_agg_bump counts a repeat into its record). */
uint64_t tr_fail(struct tr_task *task, int64_t rval);
/* 1 when the failure is about the file behind the call's fd argument
 * (fallocate, ftruncate: ENOSPC shows there), read from /proc/TID/fd. */
int tr_sc_fd_names_file(const struct tr_sc *s);
/* The aggregation key of a failure of task with this path (the one the
 * record would have), and 1 when that record was written already and
 * can still be counted into: the failure is a known repeat. */
int tr_fail_known(const struct tr_task *task, int64_t rval, const char *path, uint64_t *key);
/* tr_fail in two steps, for a call answered in between: capture what
 * must be read while the thread waits at the call (its path, cwd and
 * stack; 0 when the failure was only counted into an earlier record),
 * then, once it was answered, write the records. */
int tr_fail_capture(struct tr_task *task, int64_t rval);
void tr_fail_emit(struct tr_task *task);


/* --- evidence (tr_evidence.c, tr_elf.c) ---------------------------------- */

/* Path evidence for abspath as the tracee sees it (pid 0: as the engine
 * does, for a thread known to share its view), as common/evpolicy.h
 * says: the walk (EV_PATH, EV_MISSING, EV_STAT), then EV_STATFS and
 * EV_MOUNT as what (GS_EVP_* bits) asks. */
void tr_ev_path(struct gs_tlv *t, pid_t pid, const char *abspath, unsigned what);
/* EV_CRED of pid. */
void tr_ev_cred(struct gs_tlv *t, pid_t pid);
/* Exec target evidence: EV_ELF, EV_INTERP, EV_INTERP_ERR. */
void tr_ev_exec(struct gs_tlv *t, pid_t pid, const char *abspath);

/* --- opening the tracee's files (tr_open.c) ------------------------------ */

/* Open path (absolute) as pid would: inside its root (pid 0: the
 * engine's own root and credentials), following symbolic links inside
 * that root, with pid's fsuid, fsgid, groups and no capability it lacks.
 * flags: O_PATH (an O_PATH descriptor, any file type) or O_RDONLY
 * (a regular file only, opened O_NONBLOCK | O_NOCTTY; anything else is
 * -EINVAL and never opened), with O_NOFOLLOW allowed.  O_CLOEXEC is
 * added.  fd or -errno; -EPERM when pid's credentials cannot be taken.
 * The caller reads a bounded amount and closes it before answering. */
int tr_root_open(pid_t pid, const char *path, int flags);
/* pathfd (an O_PATH descriptor the engine opened, e.g. of
 * /proc/PID/map_files/...) reopened for reading as tr_root_open does:
 * with pid's credentials, a regular file only.  fd or -errno. */
int tr_file_reopen(pid_t pid, int pathfd);

/* ELF facts of an open file (common/elfread.h). */
struct tr_elf_info {
	uint64_t load_delta;     /* first PT_LOAD: p_vaddr - p_offset          */
	uint8_t build_id_len;
	uint8_t build_id[20];
};
/* Read fd's first PT_LOAD and GNU build-id.  Returns 0, or -1 when fd is
 * not a readable ELF. */
int tr_elf_parse(int fd, struct tr_elf_info *e);

/* --- backtrace (tr_modules.c) -------------------------------------------- */

/* A backtrace in two steps.  The return addresses, pcs[0] = ip (while
 * the thread is at the call; a frame-pointer walk when the task has its
 * registers, else a Go frame-size walk from sp; libunwind for a followed
 * C failure, rv being its result; pcs has GOSHIM_FRAMES_MAX room; returns
 * how many).  Then T_FRAME for each, one T_MODULE per distinct object hit
 * and the Go names (the thread may have moved on). */
unsigned tr_backtrace_walk(struct tr_task *task, int64_t rv, uint64_t *pcs);
void tr_backtrace_put(struct gs_tlv *t, struct tr_task *task, const uint64_t *pcs,
		      unsigned k);
/* Process tgid executed a program: the mappings kept for it are stale. */
void tr_modules_forget(pid_t tgid);

/* --- process facts (tr_process.c) ---------------------------------------- */

/* Write the PROCESS record of pid (tgid). */
void tr_process_record(pid_t pid);
/* For a go command (a program named go with Go build information): its
 * T_GOVERSION, and the T_GOMOD, T_GOMOD_GO, T_GOMOD_TOOLCHAIN of the first
 * go.mod from cwd up (tr_gomod.c).  Nothing for any other program. */
void tr_go_facts(struct gs_tlv *t, pid_t pid, const char *cwd);
/* For a Go program: T_GORACE, whether it was built with -race (its build
 * information; tr_gomod.c).  The caller asks only under a finite
 * RLIMIT_AS, where the race runtime runs out of room: the race pattern
 * needs it, and nothing else pays for the reads. */
void tr_go_race(struct gs_tlv *t, pid_t pid);
/* Write the EXIT record of a process that ended with status (and, for a
 * non-zero status, the filesystems it was writing to). */
void tr_exit_record(pid_t pid, int status);
/* Append T_SECCOMP read from a /proc/.../status text. */
void tr_put_seccomp(struct gs_tlv *t, const char *status);

/* --- prediction (tr_predict.c) ------------------------------------------ */

enum tr_verdict {
	TR_V_GO,       /* let the call run: it will succeed                  */
	TR_V_FAIL,     /* it fails with *err: answer that, record it        */
	TR_V_FOLLOW,   /* unknown: follow it to its result with ptrace       */
};
/* What to do with task's pending call (a notification, the task blocked
 * at the call's entry). */
enum tr_verdict tr_predict(struct tr_task *task, int *err);
/* After a TR_V_FAIL verdict: the call's path, as the thread passed it
 * (whole: a path cut short is never predicted). */
const char *tr_predict_path(void);
/* A call that may change what threads see (setuid & co, chroot, setns,
 * unshare, a limit) is being made: check every thread's view again. */
void tr_predict_reset(void);
/* Thread tid makes a view-changing call: tr_predict_reset, and its
 * process's new threads no longer take their leader's view. */
void tr_predict_view_change(pid_t tid);
/* task executed a program (a setuid one changes what it sees, and its
 * descriptors are others): check its view and count again. */
void tr_predict_exec(struct tr_task *task);

/* --- probe (tr_probe.c) --------------------------------------------------- */

/* In the command's child, before our filter: call each watched syscall
 * with harmless arguments and write a NOTE naming those the current
 * policy denies, with the child's T_SECCOMP. */
void tr_probe(void);

/* --- starting (tr_run.c) ------------------------------------------------ */

/* Reset the engine state for o and attach the ring (a message on stderr
 * when it cannot be: the run goes on, unrecorded). */
void tr_begin(const struct gs_trace_opts *o, struct gs_trace_stats *st);
/* Detach the ring and release its lock. */
void tr_end(void);
/* Receive one byte (*tag) and the descriptor sent with it on sock, or -1
 * when none came; a second descriptor sent along goes to *extra (-1 when
 * none; closed when extra is NULL). */
int tr_recv_listener(int sock, char *tag, int *extra);

/* --- the loop (tr_loop.c) ------------------------------------------------- */

/* Serve tr.listener until no process uses the filter any more (and, when
 * tr.root_child, the root has been reaped). */
void tr_loop(void);
/* Notifications per watched call, on stderr when verbose. */
void tr_loop_report(void);

/* --- the notifications by class (tr_census.c) ---------------------------- */

enum tr_cn_outcome { TR_CN_GO, TR_CN_FAIL, TR_CN_REPEAT, TR_CN_FOLLOW, TR_CN_OUTCOMES };
/* -vv: count task's notified call (row; path as it passed it, NULL none)
 * in its class: the call and what the filter can see of its arguments. */
void tr_census_add(const struct tr_task *t, int row, const char *path, enum tr_cn_outcome o);
/* -vv: one line per class, on stderr. */
void tr_census_report(void);

/* --- answering (tr_answer.c) ---------------------------------------------- */

/* Answer notification id: let the call run (0), or fail it with -err.
 * 0, or -1 when the call did not take it (it went away: a signal; it
 * comes round again, notified anew). */
int tr_answer(uint64_t id, int err);

/* --- following a call with ptrace (tr_follow.c) -------------------------- */

/* Seize task's thread and make its pending call (notification id) come
 * round again under ptrace, to see its result.  0, or -errno (the call
 * was then let run, unseen). */
int tr_follow_start(struct tr_task *task, uint64_t id);
/* The notification of a followed task's call: args taken, let it run. */
void tr_follow_notif(struct tr_task *task, uint64_t id);
/* A waitpid report about a followed thread (stopped or gone). */
void tr_follow_wait(pid_t tid, int status);
/* Threads being followed now. */
unsigned tr_follow_active(void);

/* --- process exits (tr_exits.c) ------------------------------------------- */

/* Watch process pid (a pidfd) to write its EXIT record when it ends
 * non-zero and to forget its threads. */
void tr_exits_watch(pid_t pid);
/* The same with a pidfd of it already open (taken over). */
void tr_exits_watch_fd(pid_t pid, int pidfd);
/* The fd to poll for exits (an epoll set). */
int tr_exits_fd(void);
/* Handle the exits that are ready (wait: block up to wait ms). */
void tr_exits_run(int wait);

/* --- the in-kernel watcher (tr_ebpf.c) ---------------------------------- */

/* Load and attach it (before the filter is made: the rows it owns leave
 * the filter).  0, or -errno when eBPF cannot be used here (the engine
 * then notifies every watched call) or GOSHIM_TRACE_EBPF=0. */
int tr_ebpf_start(void);
/* 1 while attached. */
int tr_ebpf_active(void);
/* Row `row` of tr_table belongs in the filter: not when the watcher owns
 * it, sync rows only with the watcher. */
int tr_ebpf_filters(size_t row);
/* The root of the tree is pid (in our namespace): its next system call
 * adds it, and its descendants follow. */
void tr_ebpf_seed(pid_t pid);
/* The fd to poll for failures handed over; -1 when not attached. */
int tr_ebpf_fd(void);
/* Record the failures handed over so far. */
void tr_ebpf_drain(void);
/* Record the last failures, NOTE what was lost, detach. */
void tr_ebpf_stop(void);

/* --- the keeper (tr_keeper.c) -------------------------------------------- */

/* Fork the keeper (above, in tr_keeper.c: the process that lets every
 * call run should the engine die while processes still use the filter),
 * before the listener is sent on sock: the keeper receives it first and
 * passes it on.  0, or -1 when there is no keeper (tr_keeper_take then
 * receives on sock itself). */
int tr_keeper_fork(int sock);
/* The descriptors tr_keeper_fork and tr_keeper_take need (the keeper's
 * pidfd and channel, the listener and the host's pidfd).  Held from
 * before the filter can be loaded until tr_keeper_fork, so that the
 * listener, once sent, can always be received: a filter whose listener is
 * lost makes every watched call fail with ENOSYS.  0, or -EMFILE (the
 * engine must not start: nothing is sent, the filter is not loaded). */
#define TR_KEEPER_FDS 4
int tr_keeper_room(void);
/* Give that room back (tr_keeper_fork does; run's child, whose listener
 * needs one of them, too). */
void tr_keeper_unroom(void);
/* The listener, as tr_recv_listener(sock, tag, extra) gives it, by way of
 * the keeper when there is one. */
int tr_keeper_take(int sock, char *tag, int *extra);
/* The buffer for the next SECCOMP_IOCTL_NOTIF_RECV, zeroed: shared with
 * the keeper, so that whatever the engine receives, the keeper can answer
 * should the engine die before it does. */
struct seccomp_notif;
struct seccomp_notif *tr_keeper_slot(void);

/* Diagnostics on stderr, "goshim-trace: " first, at two levels fit for a
 * CI log.  tr_dbg (-v): one line per decision of the engine (what it
 * supervises, the in-kernel watcher used or not and why, a feature it
 * goes without and what that costs, its notes, a summary at the end).
 * tr_dbg2 (-vv): per process, per call and per backtrace detail, and the
 * raw messages of libbpf. */
void tr_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tr_dbg2(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
