/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshim record payload, format version 1.
 *
 * The payload of every ring record (after zstd decoding, see ring.h) is a
 * flat sequence of fields:
 *
 *   u16 tag | u16 len | len bytes of value       (little-endian, unaligned)
 *
 * A tag may repeat (one GOSHIM_T_FRAME per backtrace frame, one GOSHIM_T_ENV
 * per variable, ...); order among repeats is meaningful.  A reader skips tags
 * it does not know, so later versions add tags without breaking older
 * readers.  Value kinds:
 *
 *   u32/i32/u64/i64   little-endian integers of exactly that size
 *   str               bytes without a terminating NUL (may be truncated to
 *                     GOSHIM_STR_MAX by the writer; T_TRUNCATED says so)
 *   struct            the fixed layout documented at the tag
 *
 * Tags 1..99 identify the call and its process, 100..199 are decoded call
 * arguments, 200..299 the backtrace, 300..399 evidence, 400..499 process
 * facts.  Values are ABI: never renumber, only add.
 */
#ifndef GOSHIM_RECORD_H
#define GOSHIM_RECORD_H

#include <stdint.h>

#define GOSHIM_STR_MAX     1024u /* longest string field a writer stores   */
#define GOSHIM_FRAMES_MAX  48u   /* deepest backtrace a writer stores      */
#define GOSHIM_ARGV_MAX    16u   /* argv entries kept for exec and process */

enum goshim_tag {
	/* identity (every record type) */
	GOSHIM_T_TIME_REAL  = 1,   /* u64  CLOCK_REALTIME, ns since the epoch   */
	GOSHIM_T_TIME_MONO  = 2,   /* u64  CLOCK_MONOTONIC, ns                  */
	GOSHIM_T_PID        = 3,   /* u32  tgid                                 */
	GOSHIM_T_TID        = 4,   /* u32                                       */
	GOSHIM_T_PPID       = 5,   /* u32                                       */
	GOSHIM_T_EXE        = 6,   /* str  /proc/self/exe of the process        */
	GOSHIM_T_TRUNCATED  = 7,   /* u32  bit set of tags the writer cut short */

	/* the failed call (GOSHIM_REC_EVENT) */
	GOSHIM_T_CALL       = 10,  /* u32  enum goshim_call                     */
	GOSHIM_T_ERRNO      = 11,  /* i32  errno as the caller saw it           */
	GOSHIM_T_RET        = 12,  /* i64  raw return value                     */
	GOSHIM_T_ARCH       = 13,  /* u32  AUDIT_ARCH_* of the syscall (trace)  */
	GOSHIM_T_SYSNR      = 14,  /* u32  syscall number (trace engine)        */
	GOSHIM_T_REPEAT_OF  = 15,  /* u64  this EVENT repeats, in another process,
	                            *      the failure of the EVENT at this
	                            *      position of the routine lane: it
	                            *      carries only identity, CALL, ERRNO,
	                            *      ABSPATH (PATH when there is none) and
	                            *      this field; a reader takes every other
	                            *      field from that record (common/repeat.h) */

	/* decoded arguments */
	GOSHIM_T_PATH       = 100, /* str  path argument exactly as passed      */
	GOSHIM_T_ABSPATH    = 101, /* str  same, made absolute (dirfd or cwd)   */
	GOSHIM_T_DIRFD      = 102, /* i32  dirfd argument                       */
	GOSHIM_T_FLAGS      = 103, /* u64  open/at/statx/mmap/memfd flags       */
	GOSHIM_T_MODE       = 104, /* u32  mode argument (open O_CREAT, mkdir)  */
	GOSHIM_T_PROT       = 105, /* u32  mmap prot                            */
	GOSHIM_T_ADDR       = 106, /* u64  mmap addr hint                       */
	GOSHIM_T_LENGTH     = 107, /* u64  mmap length                          */
	GOSHIM_T_FD         = 108, /* i32  fd argument (fstat, mmap, fexecve)   */
	GOSHIM_T_OFFSET     = 109, /* i64  mmap offset                          */
	GOSHIM_T_CLOCKID    = 110, /* i32  clock_gettime clock                  */
	GOSHIM_T_ARGV       = 111, /* str  one argv element (repeats, in order) */
	GOSHIM_T_NAME       = 112, /* str  memfd name; file for execvp/spawnp   */
	GOSHIM_T_FMODE      = 113, /* str  fopen mode string                    */
	GOSHIM_T_AMODE      = 114, /* i32  access(2) mode                       */
	GOSHIM_T_MASK       = 115, /* u32  statx mask                           */

	/* backtrace: frames innermost first, and the modules they fall in */
	GOSHIM_T_FRAME      = 200, /* u64  program counter.  Every frame is a
	                            *      return address (frame 0: the return
	                            *      into the caller of the libc entry
	                            *      point, or the address after the
	                            *      syscall instruction): symbolize pc-1 */
	GOSHIM_T_MODULE     = 201, /* struct goshim_t_module + path bytes       */
	GOSHIM_T_FRAME_SYM  = 202, /* struct goshim_t_frame_sym + names: a frame
	                            *      named at capture time (Go frames from
	                            *      .gopclntab: the binary may be gone by
	                            *      decode time).  Several per frame when
	                            *      calls were inlined, innermost first */

	/* evidence, read at the time of the failure */
	GOSHIM_T_EV_PATH    = 300, /* str  the path the evidence below is about:
	                            *      ABSPATH or its nearest existing
	                            *      ancestor                             */
	GOSHIM_T_EV_STAT    = 301, /* struct goshim_t_stat  of EV_PATH          */
	GOSHIM_T_EV_STATFS  = 302, /* struct goshim_t_statfs of EV_PATH         */
	GOSHIM_T_EV_MOUNT   = 303, /* str  "mountpoint fstype options" from
	                            *      mountinfo for EV_PATH                */
	GOSHIM_T_EV_CRED    = 304, /* struct goshim_t_cred  of the caller       */
	GOSHIM_T_EV_ELF     = 305, /* struct goshim_t_elf   of the exec target  */
	GOSHIM_T_EV_INTERP  = 306, /* str  PT_INTERP, or a "#!" line's program  */
	GOSHIM_T_EV_INTERP_ERR = 307, /* i32 errno of stat(EV_INTERP), 0 = ok   */
	GOSHIM_T_EV_RESOLVED= 308, /* str  program found on PATH (execvp & co) */
	GOSHIM_T_EV_MISSING = 309, /* u32  components below EV_PATH that could
	                            *      not be stat'ed (missing, or behind a
	                            *      directory without search permission);
	                            *      0: the path itself exists           */

	/* process facts (GOSHIM_REC_PROCESS; EXIT uses PID, CHILD, STATUS and
	 * may carry EV_PATH + EV_STATFS pairs, in that order: the filesystems
	 * a process that died non-zero was writing to (its TMPDIR, GOTMPDIR,
	 * GOCACHE, cwd), read when it died) */
	GOSHIM_T_CWD        = 400, /* str                                       */
	GOSHIM_T_ENV        = 401, /* str  "NAME=value" of a Go-relevant var    */
	GOSHIM_T_RLIMIT     = 402, /* struct goshim_t_rlimit                    */
	GOSHIM_T_SECCOMP    = 403, /* struct goshim_t_seccomp                   */
	GOSHIM_T_UNAME      = 404, /* str  "sysname release machine"            */
	GOSHIM_T_STATUS     = 405, /* i32  wait(2) status of an exited process  */
	GOSHIM_T_NOTE       = 406, /* str  engine warning text (REC_NOTE)       */
	GOSHIM_T_CHILD      = 407, /* u32  pid of the exited child (REC_EXIT)   */
};

/* GOSHIM_T_MODULE: a loaded object a frame falls in.  Followed by the path
 * (path_len bytes; "" for the main program is replaced by its exe path). */
struct goshim_t_module {
	uint64_t start;        /* lowest mapped address of the object        */
	uint64_t end;          /* one past the highest                       */
	uint64_t bias;         /* load bias: runtime address - ELF vaddr     */
	uint8_t  build_id_len; /* 0 when the object has no NT_GNU_BUILD_ID   */
	uint8_t  build_id[20]; /* first build_id_len bytes are valid (<= 20) */
	uint8_t  _pad[3];
	/* path follows */
};

/* GOSHIM_T_FRAME_SYM.  Followed by func_len bytes of function name, then
 * the rest of the value: the source file name. */
struct goshim_t_frame_sym {
	uint32_t frame;    /* index among this record's GOSHIM_T_FRAME tags  */
	uint32_t line;     /* source line, 0 unknown                         */
	uint32_t func_len; /* bytes of function name that follow             */
	uint32_t inlined;  /* 1: an inlined call inside the frame's function */
};

/* GOSHIM_T_EV_STAT */
struct goshim_t_stat {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode;  /* st_mode, type and permission bits */
	uint32_t uid;
	uint32_t gid;
	uint32_t nlink;
	uint64_t size;
};

/* GOSHIM_T_EV_STATFS */
struct goshim_t_statfs {
	uint64_t type;   /* f_type magic (TMPFS_MAGIC, EXT4_SUPER_MAGIC, ...) */
	uint64_t flags;  /* f_flags: ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC */
	uint64_t bavail; /* free blocks for unprivileged users               */
	uint64_t bsize;
	uint64_t favail; /* free inodes                                       */
};

/* GOSHIM_T_EV_CRED */
struct goshim_t_cred {
	uint32_t uid, euid, gid, egid;
	uint32_t ngroups;  /* supplementary groups, the first 16 follow */
	uint32_t groups[16];
};

/* GOSHIM_T_EV_ELF: what the exec target is.  kind: 0 unreadable, 1 ELF,
 * 2 "#!" script, 3 other (neither).  For ELF, the e_ident class
 * (1 = 32-bit, 2 = 64-bit), data, e_type, e_machine (EM_*). */
struct goshim_t_elf {
	uint32_t kind;
	int32_t  open_errno;  /* errno of opening the target, 0 = opened */
	uint8_t  ei_class;
	uint8_t  ei_data;
	uint16_t e_type;
	uint16_t e_machine;
	uint16_t has_interp;  /* 1 when PT_INTERP (or #!) is present */
};

/* GOSHIM_T_RLIMIT */
struct goshim_t_rlimit {
	uint32_t resource; /* RLIMIT_* */
	uint32_t _pad;
	uint64_t cur;      /* RLIM_INFINITY as ~0 */
	uint64_t max;
};

/* GOSHIM_T_SECCOMP: from /proc/self/status. */
struct goshim_t_seccomp {
	int32_t mode;        /* Seccomp: 0 off, 1 strict, 2 filter, -1 unknown */
	int32_t filters;     /* Seccomp_filters:, -1 unknown                  */
	int32_t no_new_privs;/* NoNewPrivs:                                    */
	int32_t tracer_pid;  /* TracerPid:                                     */
};

/*
 * Calls.  One table for both engines: the libc entry points the preload
 * wraps (kind L) and the syscalls the trace engine watches (kind S).  The
 * ids are ABI.  Families group calls the classifier treats alike.
 *
 *   X(id, name, family, kind)
 */
enum goshim_family {
	GOSHIM_FAM_EXEC   = 1,
	GOSHIM_FAM_SPAWN  = 2,
	GOSHIM_FAM_OPEN   = 3,
	GOSHIM_FAM_STAT   = 4,
	GOSHIM_FAM_MMAP   = 5,
	GOSHIM_FAM_MEMFD  = 6,
	GOSHIM_FAM_CLOCK  = 7,
	GOSHIM_FAM_MKDIR  = 8,
	GOSHIM_FAM_ACCESS = 9,
	GOSHIM_FAM_OTHER  = 10,
	GOSHIM_FAM_SPACE  = 11, /* calls that allocate file space */
};

#define GOSHIM_CALLS(X) \
	X(1,  execve,        EXEC,   L) \
	X(2,  execv,         EXEC,   L) \
	X(3,  execvp,        EXEC,   L) \
	X(4,  execvpe,       EXEC,   L) \
	X(5,  execl,         EXEC,   L) \
	X(6,  execlp,        EXEC,   L) \
	X(7,  execle,        EXEC,   L) \
	X(8,  fexecve,       EXEC,   L) \
	X(9,  execveat,      EXEC,   L) \
	X(10, posix_spawn,   SPAWN,  L) \
	X(11, posix_spawnp,  SPAWN,  L) \
	X(20, open,          OPEN,   L) \
	X(21, open64,        OPEN,   L) \
	X(22, openat,        OPEN,   L) \
	X(23, openat64,      OPEN,   L) \
	X(24, creat,         OPEN,   L) \
	X(25, creat64,       OPEN,   L) \
	X(26, __open_2,      OPEN,   L) \
	X(27, __open64_2,    OPEN,   L) \
	X(28, __openat_2,    OPEN,   L) \
	X(29, __openat64_2,  OPEN,   L) \
	X(30, fopen,         OPEN,   L) \
	X(31, fopen64,       OPEN,   L) \
	X(32, freopen,       OPEN,   L) \
	X(33, freopen64,     OPEN,   L) \
	X(40, stat,          STAT,   L) \
	X(41, lstat,         STAT,   L) \
	X(42, fstat,         STAT,   L) \
	X(43, fstatat,       STAT,   L) \
	X(44, stat64,        STAT,   L) \
	X(45, lstat64,       STAT,   L) \
	X(46, fstat64,       STAT,   L) \
	X(47, fstatat64,     STAT,   L) \
	X(48, statx,         STAT,   L) \
	X(49, __xstat,       STAT,   L) \
	X(50, __lxstat,      STAT,   L) \
	X(51, __fxstat,      STAT,   L) \
	X(52, __fxstatat,    STAT,   L) \
	X(53, __xstat64,     STAT,   L) \
	X(54, __lxstat64,    STAT,   L) \
	X(55, __fxstat64,    STAT,   L) \
	X(56, __fxstatat64,  STAT,   L) \
	X(60, mmap,          MMAP,   L) \
	X(61, mmap64,        MMAP,   L) \
	X(62, memfd_create,  MEMFD,  L) \
	X(63, clock_gettime, CLOCK,  L) \
	X(64, __clock_gettime64, CLOCK, L) \
	X(65, mkdir,         MKDIR,  L) \
	X(66, mkdirat,       MKDIR,  L) \
	X(67, access,        ACCESS, L) \
	X(68, faccessat,     ACCESS, L) \
	X(69, euidaccess,    ACCESS, L) \
	X(70, eaccess,       ACCESS, L) \
	X(71, pthread_create, OTHER, L) \
	X(100, sys_execve,        EXEC,   S) \
	X(101, sys_execveat,      EXEC,   S) \
	X(102, sys_open,          OPEN,   S) \
	X(103, sys_openat,        OPEN,   S) \
	X(104, sys_openat2,       OPEN,   S) \
	X(105, sys_creat,         OPEN,   S) \
	X(110, sys_stat,          STAT,   S) \
	X(111, sys_lstat,         STAT,   S) \
	X(112, sys_newfstatat,    STAT,   S) \
	X(113, sys_statx,         STAT,   S) \
	X(114, sys_fstatat64,     STAT,   S) \
	X(115, sys_stat64,        STAT,   S) \
	X(116, sys_lstat64,       STAT,   S) \
	X(120, sys_mmap,          MMAP,   S) \
	X(121, sys_mmap2,         MMAP,   S) \
	X(122, sys_memfd_create,  MEMFD,  S) \
	X(123, sys_clock_gettime, CLOCK,  S) \
	X(124, sys_clock_gettime64, CLOCK, S) \
	X(125, sys_mkdir,         MKDIR,  S) \
	X(126, sys_mkdirat,       MKDIR,  S) \
	X(127, sys_access,        ACCESS, S) \
	X(128, sys_faccessat,     ACCESS, S) \
	X(129, sys_faccessat2,    ACCESS, S) \
	X(130, sys_personality,   OTHER,  S) \
	X(131, sys_clone3,        OTHER,  S) \
	X(132, sys_fallocate,     SPACE,  S) \
	X(133, sys_ftruncate,     SPACE,  S)

enum goshim_call {
#define GOSHIM_X_ENUM(id, name, fam, kind) GOSHIM_CALL_##name = id,
	GOSHIM_CALLS(GOSHIM_X_ENUM)
#undef GOSHIM_X_ENUM
};

#endif /* GOSHIM_RECORD_H */
