/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recorder (cold path of libgoshim.so): internal interfaces between its
 * files.  Everything here runs inside gs_fail()/gs_note_exit(), i.e. maybe
 * in a signal handler or a vfork child: no malloc, no locks, no stdio, no
 * libc function that libgoshim wraps (all system calls go through
 * common/sys.h), no errno.  Big buffers live in a scratch slot, never on
 * the stack.
 */
#ifndef GS_REC_H
#define GS_REC_H

#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "gs.h"
#include "ring_write.h"
#include "runid.h"
#include "tlv.h"
#include "unwind.h"

#define GS_REC_PATH_MAX   4096u  /* path buffers in a slot                 */
#define GS_REC_WORK_MAX   16384u /* file-reading buffer in a slot          */
#define GS_REC_RAW_CAP    (GOSHIM_REC_MAX - GOSHIM_REC_HDR_SIZE)
#define GS_REC_BT_RAW     64u    /* frames taken before skipping our own   */

/* ---- state.c: configuration and global state ------------------------- */

/* Configuration, read once from the environment by gs_setup(). */
struct gs_rec_conf {
	uint64_t ring_size;
	unsigned ring_mode;
	int disable;    /* GOSHIM_DISABLE=1   */
	int backtrace;  /* GOSHIM_BACKTRACE!=0 */
	int debug;      /* GOSHIM_DEBUG=1     */
	int ring_relative; /* GOSHIM_RING was relative: ring_path is it made
			    * absolute against the working directory */
	int ring_default;  /* GOSHIM_RING unset: def_* below */
	unsigned def_euid; /* the euid of start-up, for the default ring */
	int ring_is_default; /* ring_path is the default ring, looked up for
			      * the euid of start-up (gs_rec_ring_path) */
	char run[GS_RUNID_MAX + 1]; /* GOSHIM_RUN (common/runid.h), "" when
				     * unset or invalid: gs_setup makes one */
	/* the small members first, then the paths: a start touches the page
	 * or two it must, not one per member (docs/design.md, "Process start") */
	char ring_path[GS_REC_PATH_MAX];
	/* GOSHIM_RING unset: the default ring (common/ringhome.h), looked up
	 * by gs_rec_ring_path() at the first failure, not at start (it may
	 * create a directory), with the XDG_RUNTIME_DIR and HOME of start-up
	 * ("" when unset or too long) and def_euid */
	char def_xdg[GS_REC_PATH_MAX];
	char def_home[GS_REC_PATH_MAX];
};

/* Recording state (attach.c): OFF, or ARMED by gs_setup until the first
 * failure attaches the ring (BUSY meanwhile), then ON. */
enum { GS_REC_OFF = 0, GS_REC_ARMED = 1, GS_REC_BUSY = 2, GS_REC_ON = 3 };

struct gs_rec_state {
	int state;             /* GS_REC_*, changed atomically */
	int secure;     /* AT_SECURE: the environment cannot steer goshim */
	struct gs_ring ring;   /* mapped once state is GS_REC_ON */
	struct gs_rec_conf conf;
};

/* The one instance. */
GS_HIDDEN extern struct gs_rec_state gs_rec;

/* Nesting depth of goshim code on this thread: a call made while it is
 * non-zero (by goshim itself, or by a signal handler interrupting it) is
 * not recorded. */
GS_HIDDEN extern __thread int gs_rec_nest __attribute__((tls_model("initial-exec")));

/* Write "goshim: <a><b>[ <n>]\n" to stderr with raw write(2), only when
 * GOSHIM_DEBUG=1.  b may be NULL; n is printed when have_n. */
GS_HIDDEN void gs_rec_debug(const char *a, const char *b, int have_n, long n);

/* conf->ring_path, the default ring looked up first when conf says so
 * (once; said under GOSHIM_DEBUG when the usual place is somebody
 * else's).  "" when there is no ring.  Not reentrant: called by the one
 * attaching thread, or in the constructor. */
GS_HIDDEN const char *gs_rec_ring_path(struct gs_rec_conf *conf);

/* Parse the GOSHIM_* variables (table in state.c) into conf; env is a
 * getenv-like lookup, euid names the default ring.  Invalid values fall
 * back to their defaults, with a GOSHIM_DEBUG message. */
GS_HIDDEN void gs_rec_conf_parse(struct gs_rec_conf *conf,
				 const char *(*env)(const char *), unsigned euid);

/* getenv with secure_getenv semantics for goshim's variables: in a
 * secure process (gs_rec.secure, from AT_SECURE) only GOSHIM_DISABLE,
 * GOSHIM_BACKTRACE and GOSHIM_HANDOVER, which can merely turn goshim off,
 * are read; every other name gives NULL. */
GS_HIDDEN const char *gs_rec_getenv(const char *name);

/* Parse a size with an optional k/M/G suffix (powers of 1024).  Returns 0
 * and *out, or -1 when s is not a size. */
GS_HIDDEN int gs_rec_parse_size(const char *s, uint64_t *out);

/* Parse a ring's octal mode: 0600 plus any of 0044 (GS_RING_MODE_OK),
 * nothing else.  Returns 0 and *out, or -1. */
GS_HIDDEN int gs_rec_parse_mode(const char *s, unsigned *out);

/* ---- attach.c: the ring, attached at the first failure ----------------- */

/* 1 when a record may be written now: the ring is attached, by this call
 * if it is the first since gs_setup armed the recorder.  0 when recording
 * is off, or another attach is in progress (the failure is then counted
 * as dropped).  Async-signal-safe, never waits.  Callers hold no slot. */
GS_HIDDEN int gs_rec_ready(void);

/* In a fork child (pthread_atfork, registered by gs_setup): an attach in
 * progress in the parent is nobody's here; the recorder is armed again. */
GS_HIDDEN void gs_rec_forked(void);

/* ---- seen.c: exec targets already looked at ---------------------------- */

/* What was learnt about a target: its version needs are met
 * (vercheck.c), it is not a static program (the hand-over's check). */
enum { GS_SEEN_VERSIONS = 1, GS_SEEN_DYNAMIC = 2 };

/* Turn remembering on: the page shared with fork and vfork children is
 * mapped at the first fork (gs_seen_prepare_fork) or look-up.  Called by
 * gs_setup; without it nothing is remembered. */
GS_HIDDEN void gs_seen_setup(void);

/* Before a fork, in the parent (pthread_atfork's prepare handler,
 * registered by gs_setup): map the page now, so that the child shares it. */
GS_HIDDEN void gs_seen_prepare_fork(void);

/* The key of (the file at path as it is now, what, extra): one stat(2).
 * 0 when path cannot be stat'ed or nothing can be remembered. */
GS_HIDDEN uint64_t gs_seen_key(const char *path, unsigned what, const char *extra);

/* Whether key was put (0 never was). */
GS_HIDDEN int gs_seen_has(uint64_t key);

/* Remember key (0: nothing). */
GS_HIDDEN void gs_seen_put(uint64_t key);

/* ---- scratch.c: the per-recording buffers ----------------------------- */

struct gs_slot {
	void *cctx;                        /* ZSTD_CCtx, static, in the slot */
	unsigned pool_idx;                 /* its entry in the pool          */
	uint8_t raw[GS_REC_RAW_CAP];       /* TLV payload being built        */
	uint8_t out[GS_REC_RAW_CAP];       /* compressed payload             */
	char abspath[GS_REC_PATH_MAX];     /* ABSPATH of the event           */
	char evpath[GS_REC_PATH_MAX];      /* EV_PATH / exec target          */
	char tmp[GS_REC_PATH_MAX];         /* interp, resolved, exe ...      */
	char work[GS_REC_WORK_MAX];        /* files read from /proc          */
	void *frames[GS_REC_BT_RAW];
	struct gs_uw_work uw;              /* the frame walker's rows        */
	/* zstd workspace follows, 64-aligned */
};

/* The pool's bound (scratch.c says why). */
#define GS_SLOTS_MAX 1024u

/* Claim a free slot (mapping a new one when every mapped slot is busy)
 * without blocking.  Returns NULL when all GS_SLOTS_MAX are busy or
 * mapping failed. */
GS_HIDDEN struct gs_slot *gs_slot_claim(void);

/* Give a claimed slot back. */
GS_HIDDEN void gs_slot_release(struct gs_slot *s);

/* ---- compress.c -------------------------------------------------------- */

/* Bytes of zstd workspace a slot needs. */
GS_HIDDEN size_t gs_zstd_workspace_size(void);

/* Create the static compression context in ws[0..size).  NULL on failure. */
GS_HIDDEN void *gs_zstd_init(void *ws, size_t size);

/* The zstd dictionary for GOSHIM_CODEC_DICT, or NULL (none today);
 * *len and *id describe it. */
GS_HIDDEN const void *gs_zstd_dict(size_t *len, uint32_t *id);

/* Encode s->raw[0..raw_len) into s->out.  Returns the codec and sets *len,
 * *payload to what must be stored: GOSHIM_CODEC_ZSTD when that is smaller,
 * else GOSHIM_CODEC_RAW with the raw bytes. */
GS_HIDDEN uint16_t gs_compress(struct gs_slot *s, size_t raw_len,
			       const void **payload, size_t *len);

/* Encode and write one record of `type`; counts a drop on failure.
 * Returns the ring position or -1. */
GS_HIDDEN int64_t gs_rec_emit(struct gs_slot *s, uint16_t type, struct gs_tlv *t);

/* The same for a finished payload already in s->raw[0..raw_len). */
GS_HIDDEN int64_t gs_rec_write(struct gs_slot *s, uint16_t type, size_t raw_len);

/* ---- repeat.c: failures other processes recorded ---------------------- */

/* Finish and write the EVENT built in t (over s->raw): whole, or, when
 * another process wrote the same failure whole and that record is in the
 * newer half of the routine lane (the ring's shared repeat index), as a
 * short repeat naming it (common/repeat.h).  The position or -1. */
GS_HIDDEN int64_t gs_event_emit(struct gs_slot *s, struct gs_tlv *t);

/* ---- agg.c: folding repeated failures --------------------------------- */

/* The aggregation key of a failure (never 0). */
GS_HIDDEN uint64_t gs_agg_key(const struct gs_call *c, uint32_t pid);

/* If the key was recorded and its record is still in the ring, count one
 * more occurrence and return 1; else 0. */
GS_HIDDEN int gs_agg_hit(uint64_t key);

/* Remember that the failure with this key was written at pos. */
GS_HIDDEN void gs_agg_store(uint64_t key, uint64_t pos);

/* ---- ident.c: identity fields ------------------------------------------ */

/* Find the vDSO clock_gettime (in the image the kernel mapped, no loader
 * call).  Called once by gs_setup. */
GS_HIDDEN void gs_ident_setup(void);

/* Raw getpid/getppid. */
GS_HIDDEN uint32_t gs_pid(void);
GS_HIDDEN uint32_t gs_ppid(void);

/* Thread id of the caller in process pid (cached per thread and pid). */
GS_HIDDEN uint32_t gs_tid(uint32_t pid);

/* The executable path of process pid (cached per pid); buf is used when
 * not cached.  Never NULL ("" when unknown). */
GS_HIDDEN const char *gs_exe(uint32_t pid, char *buf, size_t cap);

/* Append T_TIME_REAL, T_TIME_MONO, T_PID, T_TID, T_PPID, T_EXE. */
GS_HIDDEN void gs_put_ident(struct gs_tlv *t, struct gs_slot *s, uint32_t pid);

/* ---- path.c: making paths absolute ------------------------------------- */

/* Make path absolute into out: relative to dirfd (its /proc/self/fd link)
 * or to the cwd when dirfd is AT_FDCWD or use_dirfd is 0.  Lexical:
 * ".", ".." and repeated '/' are folded, symlinks are not resolved.
 * An empty path with use_dirfd names dirfd itself.  Returns 0 or -errno. */
GS_HIDDEN int gs_abspath(char *out, size_t cap, int use_dirfd, int dirfd,
			 const char *path);

/* The target of /proc/self/fd/<fd> into out (NUL-terminated).
 * Returns its length or -errno. */
GS_HIDDEN long gs_fd_path(int fd, char *out, size_t cap);

/* "/proc/self/fd/<fd>" into out (at least 32 bytes). */
GS_HIDDEN void gs_fd_link(int fd, char *out);

/* ---- evidence.c -------------------------------------------------------- */

/* Evidence about abspath as common/evpolicy.h says: the walk (EV_PATH,
 * EV_MISSING, EV_STAT), then EV_STATFS and EV_MOUNT as what (GS_EVP_*
 * bits) asks.  statpath, when not NULL, is what to stat instead of
 * abspath (/proc/self/fd/N for fd-based calls). */
GS_HIDDEN void gs_put_path_evidence(struct gs_tlv *t, struct gs_slot *s,
				    const char *abspath, const char *statpath,
				    unsigned what);

/* Append T_EV_CRED of the calling thread. */
GS_HIDDEN void gs_put_cred(struct gs_tlv *t, struct gs_slot *s);

/* The EV_MOUNT text of the mount that holds path (common/mountinfo.h:
 * by statx mount id, else longest prefix) into out.  Returns its length,
 * or -1 when /proc/self/mountinfo has no line for it. */
GS_HIDDEN long gs_mount_of(const char *path, char *out, size_t cap,
			   char *work, size_t work_cap);

/* ---- elfinfo.c --------------------------------------------------------- */

/* Exec evidence for the target (a path, or /proc/self/fd/N): T_EV_ELF,
 * T_EV_INTERP, T_EV_INTERP_ERR. */
GS_HIDDEN void gs_put_exec_evidence(struct gs_tlv *t, struct gs_slot *s,
				    const char *target);

/* Search name on PATH as execvp does, into out: the first candidate that
 * exists (what a failed execvp tried), or with exec_only the first
 * executable regular file (what execvp will run).  Returns 0, or -1 when
 * nothing was found. */
GS_HIDDEN int gs_path_search(const char *name, char *out, size_t cap, int exec_only);

/* ---- backtrace.c / modules.c ------------------------------------------ */

/* Give the frame walker its object lookup (find: _dl_find_object, from
 * gs_mod_setup, or NULL).  Called once by gs_setup when backtraces are
 * wanted.  NULL when found, else why backtraces are off (a sentence). */
GS_HIDDEN const char *gs_bt_setup(void *find);

/* Check that the frame walker walks (once, at attach; async-signal-safe).
 * NULL when it does, else why backtraces are off. */
GS_HIDDEN const char *gs_bt_check(void);

/* Take the backtrace into s->frames, innermost first, starting at caller
 * when it is found.  Returns the number of frames kept (0 when off). */
GS_HIDDEN unsigned gs_bt_take(struct gs_slot *s, const void *caller, int *cut);

/* Name of the backend in use ("eh_frame", "none"). */
GS_HIDDEN const char *gs_bt_backend(void);

/* Resolve the module lookup function (_dl_find_object, else dladdr1);
 * returns _dl_find_object, or NULL (glibc < 2.35). */
GS_HIDDEN void *gs_mod_setup(void);

/* Append one T_MODULE per distinct object the n frames fall in (pid:
 * the caller's, for the main program's path). */
GS_HIDDEN void gs_put_modules(struct gs_tlv *t, struct gs_slot *s, uint32_t pid,
			      void *const *frames, unsigned n);

/* ---- process.c --------------------------------------------------------- */

/* Write the PROCESS record if none was written yet for pid. */
GS_HIDDEN void gs_process_ensure(struct gs_slot *s, uint32_t pid);

/* ---- small string helpers (util.c) ------------------------------------- */

GS_HIDDEN size_t gs_strlen(const char *s);
/* Copy at most cap-1 bytes and NUL-terminate; returns the length copied. */
GS_HIDDEN size_t gs_strlcpy(char *dst, const char *src, size_t cap);
/* Append src to dst (holding len bytes); returns the new length. */
GS_HIDDEN size_t gs_strlcat(char *dst, size_t len, const char *src, size_t cap);
/* Decimal of v into buf (>= 21 bytes); returns the length. */
GS_HIDDEN size_t gs_utoa(uint64_t v, char *buf);
/* Read up to cap-1 bytes of a file (raw open/read), NUL-terminated.
 * Returns the length or -errno. */
GS_HIDDEN long gs_read_file(const char *path, char *buf, size_t cap);

/* ---- openreg.c --------------------------------------------------------- */

/* Open path (relative to dirfd) for reading when it is a regular file,
 * without opening anything else: a FIFO, a device or a socket is
 * -EINVAL and never opened (no hang, no side effect).  The descriptor is
 * O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC.  fd or -errno. */
GS_HIDDEN long gs_open_regular(int dirfd, const char *path, int nofollow);

#endif
