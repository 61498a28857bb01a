/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshim record payload, format version 1.
 *
 * The payload of every ring record (after zstd decoding, see ring.h) is a
 * flat sequence of fields:
 *
 *   u16 tag | u16 len | len bytes of value       (little-endian, unaligned)
 *
 * A tag may repeat when its table row says MANY (one GOSHIM_T_FRAME per
 * backtrace frame, one GOSHIM_T_ENV per variable, ...); order among repeats
 * is meaningful.  A reader skips tags it does not know, so later versions
 * add tags without breaking older readers.
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

/*
 * The tags: every tag is one row of this table, and only here.  The enum
 * below, the truncation bits and the width of each value (common/tags.c),
 * goshimctl's decoded record, tag names and argument keys (ctl/event.h,
 * ctl/args.c) and the trace engine's argument widths are expanded from it.
 *
 *   X(NAME, value, kind, type, count, key, tbit)
 *
 *   NAME   the tag is GOSHIM_T_<NAME>
 *   value  its number (ABI)
 *   kind   INT     a little-endian integer, exactly sizeof(type) bytes
 *                  (4 or 8), signed when type is
 *          STR     bytes without a terminating NUL, at most GOSHIM_STR_MAX
 *                  (a writer cuts longer ones and says so in TRUNCATED);
 *                  type is char
 *          STRUCT  exactly sizeof(type) bytes: the struct defined below
 *          HEAD    sizeof(type) bytes of the struct defined below, then the
 *                  bytes its comment describes (a path, names)
 *   type   the C type of the value (of its fixed part for HEAD): its size
 *          is the width of the value
 *   count  ONE   at most one per record (EXIT records excepted: EV_PATH
 *                and EV_STATFS come in pairs there, see below)
 *          MANY  repeats, in order
 *   key    the value's name for readers, a C identifier: goshimctl's
 *          decoded field (struct gs_event, which also has has, fs and
 *          error) and argument key
 *   tbit   the bit of GOSHIM_T_TRUNCATED that says a field of this tag was
 *          cut short or left out; -1: none of its own (such a tag sets bit
 *          31, "some other tag")
 *
 * Adding a tag: one row, in value order, with a number never used before
 * in its range; a STRUCT or HEAD kind defines its struct below.  A tag
 * that can be cut short takes the next free tbit (16; the bits are ABI as
 * well), any other -1.  goshimctl then decodes and names it; only how it
 * is shown (ctl/text.c, ctl/json.c; an argument's row in ctl/args.c:
 * order and symbolic form; a HEAD tag's decoded form in ctl/event.c) and
 * which writer stores it (trace/tr_table.c for a syscall argument) are
 * written by hand.
 */
#define GOSHIM_TAGS(X) \
	/* identity (every record type) */ \
	X(TIME_REAL,    1, INT, uint64_t, ONE, time_real, -1) /* CLOCK_REALTIME, ns   \
	                                                       * since the epoch */   \
	X(TIME_MONO,    2, INT, uint64_t, ONE, time_mono, -1) /* CLOCK_MONOTONIC, ns */ \
	X(PID,          3, INT, uint32_t, ONE, pid,       -1) /* tgid */              \
	X(TID,          4, INT, uint32_t, ONE, tid,       -1)                         \
	X(PPID,         5, INT, uint32_t, ONE, ppid,      -1)                         \
	X(EXE,          6, STR, char,     ONE, exe,        0) /* /proc/self/exe of    \
	                                                       * the process */       \
	X(TRUNCATED,    7, INT, uint32_t, ONE, truncated, -1) /* bit set (tbit) of    \
	                                                       * tags the writer cut  \
	                                                       * short */             \
	/* the failed call (GOSHIM_REC_EVENT) */ \
	X(CALL,        10, INT, uint32_t, ONE, call,      -1) /* enum goshim_call */  \
	X(ERRNO,       11, INT, int32_t,  ONE, err,       -1) /* errno as the caller  \
	                                                       * saw it */            \
	X(RET,         12, INT, int64_t,  ONE, ret,       -1) /* raw return value */  \
	X(ARCH,        13, INT, uint32_t, ONE, arch,      -1) /* AUDIT_ARCH_* of the  \
	                                                       * syscall (trace) */   \
	X(SYSNR,       14, INT, uint32_t, ONE, sysnr,     -1) /* syscall number       \
	                                                       * (trace engine) */    \
	X(REPEAT_OF,   15, INT, uint64_t, ONE, repeat_of, -1) /* this EVENT repeats, \
	                                  * in another process, the failure of the   \
	                                  * EVENT at this position of the routine    \
	                                  * lane: it carries only identity, CALL,    \
	                                  * ERRNO, ABSPATH (PATH when there is none) \
	                                  * and this field; a reader takes every     \
	                                  * other field from that record             \
	                                  * (common/repeat.h) */                     \
	/* decoded arguments */ \
	X(PATH,       100, STR, char,     ONE, path,       1) /* path argument        \
	                                                       * exactly as passed */ \
	X(ABSPATH,    101, STR, char,     ONE, abspath,    2) /* same, made absolute  \
	                                                       * (dirfd or cwd) */    \
	X(DIRFD,      102, INT, int32_t,  ONE, dirfd,     -1)                         \
	X(FLAGS,      103, INT, uint64_t, ONE, flags,     -1) /* open/at/statx/mmap/  \
	                                                       * memfd flags */       \
	X(MODE,       104, INT, uint32_t, ONE, mode,      -1) /* open O_CREAT, mkdir */ \
	X(PROT,       105, INT, uint32_t, ONE, prot,      -1) /* mmap prot */         \
	X(ADDR,       106, INT, uint64_t, ONE, addr,      -1) /* mmap addr hint */    \
	X(LENGTH,     107, INT, uint64_t, ONE, length,    -1) /* mmap length */       \
	X(FD,         108, INT, int32_t,  ONE, fd,        -1) /* fd argument (fstat,  \
	                                                       * mmap, fexecve) */    \
	X(OFFSET,     109, INT, int64_t,  ONE, offset,    -1) /* mmap offset */       \
	X(CLOCKID,    110, INT, int32_t,  ONE, clockid,   -1) /* clock_gettime clock */ \
	X(ARGV,       111, STR, char,     MANY, argv,      3) /* one argv element */  \
	X(NAME,       112, STR, char,     ONE, name,       4) /* memfd name; file for \
	                                                       * execvp/spawnp */     \
	X(FMODE,      113, STR, char,     ONE, fmode,      5) /* fopen mode string */ \
	X(AMODE,      114, INT, int32_t,  ONE, amode,     -1) /* access(2) mode */    \
	X(MASK,       115, INT, uint32_t, ONE, mask,      -1) /* statx mask */        \
	/* backtrace: frames innermost first, and the modules they fall in */ \
	X(FRAME,      200, INT, uint64_t, MANY, frames,   15) /* program counter.     \
	                     * Every frame is a return address (frame 0: the return  \
	                     * into the caller of the libc entry point, or the       \
	                     * address after the syscall instruction): symbolize     \
	                     * pc-1 */                                               \
	X(MODULE,     201, HEAD, struct goshim_t_module, MANY, modules, 14)          \
	X(FRAME_SYM,  202, HEAD, struct goshim_t_frame_sym, MANY, frame_syms, -1)   \
	                    /* a frame named at capture time (Go frames from         \
	                     * .gopclntab: the binary may be gone by decode time).   \
	                     * Several per frame when calls were inlined, innermost  \
	                     * first */                                              \
	/* evidence, read at the time of the failure */ \
	X(EV_PATH,    300, STR, char,     ONE, ev_path,    6) /* the path the         \
	                     * evidence below is about: ABSPATH or its nearest       \
	                     * existing ancestor */                                  \
	X(EV_STAT,    301, STRUCT, struct goshim_t_stat, ONE, ev_stat, -1)           \
	                                                      /* of EV_PATH */        \
	X(EV_STATFS,  302, STRUCT, struct goshim_t_statfs, ONE, ev_statfs, -1)       \
	                                                      /* of EV_PATH */        \
	X(EV_MOUNT,   303, STR, char,     ONE, ev_mount,   7) /* "mountpoint fstype   \
	                     * options" from mountinfo for EV_PATH */                \
	X(EV_CRED,    304, STRUCT, struct goshim_t_cred, ONE, ev_cred, -1)           \
	                                                      /* of the caller */     \
	X(EV_ELF,     305, STRUCT, struct goshim_t_elf, ONE, ev_elf, -1)             \
	                                                      /* of the exec target */ \
	X(EV_INTERP,  306, STR, char,     ONE, ev_interp,  8) /* PT_INTERP, or a "#!" \
	                                                       * line's program */    \
	X(EV_INTERP_ERR, 307, INT, int32_t, ONE, ev_interp_err, -1) /* errno of       \
	                                                 * stat(EV_INTERP), 0 = ok */ \
	X(EV_RESOLVED, 308, STR, char,    ONE, ev_resolved, 9) /* program found on    \
	                                                       * PATH (execvp & co) */ \
	X(EV_MISSING, 309, INT, uint32_t, ONE, ev_missing, -1) /* components below    \
	                     * EV_PATH that could not be stat'ed (missing, or behind \
	                     * a directory without search permission); 0: the path  \
	                     * itself exists */                                      \
	/* process facts (GOSHIM_REC_PROCESS; EXIT uses PID, CHILD, STATUS and   \
	 * may carry EV_PATH + EV_STATFS pairs, in that order: the filesystems   \
	 * a process that died non-zero was writing to (its TMPDIR, GOTMPDIR,    \
	 * GOCACHE, cwd), read when it died) */                                  \
	X(CWD,        400, STR, char,     ONE, cwd,       10)                         \
	X(ENV,        401, STR, char,     MANY, env,      11) /* "NAME=value" of a    \
	                                                       * Go-relevant var */   \
	X(RLIMIT,     402, STRUCT, struct goshim_t_rlimit, MANY, rlimits, -1)        \
	X(SECCOMP,    403, STRUCT, struct goshim_t_seccomp, ONE, seccomp, -1)        \
	X(UNAME,      404, STR, char,     ONE, uname,     12) /* "sysname release     \
	                                                       * machine" */         \
	X(STATUS,     405, INT, int32_t,  ONE, status,    -1) /* wait(2) status of an \
	                                                       * exited process */    \
	X(NOTE,       406, STR, char,     ONE, note,      13) /* engine warning text  \
	                                                       * (REC_NOTE) */        \
	X(CHILD,      407, INT, uint32_t, ONE, child,     -1) /* pid of the exited    \
	                                                       * child (REC_EXIT) */ \
	X(RUN,        408, STR, char,     ONE, run,       -1) /* GOSHIM_RUN: the run  \
	                     * the process belongs to (common/runid.h), 1..64 of     \
	                     * [0-9A-Za-z._-]; optional: a ring without it is one    \
	                     * run */ \
	/* the go command's own facts (PROCESS records of a program named go  \
	 * with Go build information; trace engine): the toolchain it is and  \
	 * the main module's go.mod (found from the cwd up, read at the record) \
	 * with its go and toolchain lines' versions ("1.99", "go1.99.0") */ \
	X(GOVERSION,  409, STR, char,     ONE, goversion, -1) /* "go1.26.8" */        \
	X(GOMOD,      410, STR, char,     ONE, gomod,     16) /* its path */          \
	X(GOMOD_GO,   411, STR, char,     ONE, gomod_go,  -1)                         \
	X(GOMOD_TOOLCHAIN, 412, STR, char, ONE, gomod_toolchain, -1) \
	X(CONTAINER,  413, STRUCT, struct goshim_t_container, ONE, container, -1) \
	                    /* what says the process runs in a container, read  \
	                     * once at its PROCESS record (common/container.h) */ \
	X(GORACE,     414, INT, uint32_t, ONE, gorace,    -1) /* PROCESS (trace       \
	                     * engine), read only under a finite RLIMIT_AS: 1 a Go \
	                     * program built with -race (its build information's  \
	                     * -race=true), 0 a Go program without; absent: not Go \
	                     * (or not looked at) */

enum goshim_tag {
#define GOSHIM_X_TAG(name, value, kind, type, count, key, tbit) GOSHIM_T_##name = value,
	GOSHIM_TAGS(GOSHIM_X_TAG)
#undef GOSHIM_X_TAG
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

/* GOSHIM_T_CONTAINER: the evidence, as the process saw it; whether it
 * makes a container is the reader's call (common/container.h). */
struct goshim_t_container {
	uint32_t evidence;  /* GOSHIM_CTR_* bits below                        */
	uint32_t _pad;
	char engine[32];    /* "podman", "docker", "systemd-nspawn" ...: the
			     * engine the evidence names, NUL-padded; "" none */
	char pid1[16];      /* comm of pid 1 as the process sees it, "" unread */
};

#define GOSHIM_CTR_DOCKERENV    0x01u /* /.dockerenv exists                   */
#define GOSHIM_CTR_CONTAINERENV 0x02u /* /run/.containerenv exists (podman,
				       * buildah)                             */
#define GOSHIM_CTR_ENV          0x04u /* $container is set (podman, nspawn)  */
#define GOSHIM_CTR_CGROUP       0x08u /* /proc/self/cgroup names a container
				       * manager's group (docker, libpod,
				       * kubepods, lxc, actions_job ...)      */
#define GOSHIM_CTR_PIDNS        0x10u /* pid namespace not the initial one   */
#define GOSHIM_CTR_USERNS       0x20u /* user namespace not the initial one  */
#define GOSHIM_CTR_CGROUPNS     0x40u /* cgroup namespace not the initial one */
#define GOSHIM_CTR_NO_SYS_ADMIN 0x80u /* CAP_SYS_ADMIN not in CapBnd         */
#define GOSHIM_CTR_NS_READ     0x100u /* the namespaces could be read: their
				       * bits are known                       */

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
	X(133, sys_ftruncate,     SPACE,  S) \
	X(140, sys_clone,         OTHER,  S) \
	X(141, sys_fork,          OTHER,  S) \
	X(142, sys_vfork,         OTHER,  S) \
	X(143, sys_seccomp,       OTHER,  S)

enum goshim_call {
#define GOSHIM_X_ENUM(id, name, fam, kind) GOSHIM_CALL_##name = id,
	GOSHIM_CALLS(GOSHIM_X_ENUM)
#undef GOSHIM_X_ENUM
};

#endif /* GOSHIM_RECORD_H */
