/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libgoshim.so internals: the recorder's interface, the contract between
 * the wrappers (hot path, one file per family, preload/) and the recorder
 * (cold path, preload/rec/).  It lives with the recorder, which uses
 * nothing of the wrappers.
 *
 * A wrapper calls the real function through gs_real (resolved once), tests
 * the result once, and only on failure calls a cold gs_fail_*() helper.
 * The recorder must be safe in a vfork child and a signal handler: no
 * malloc, no locks, no stdio; it saves and restores errno; it never fails
 * visibly (on any internal error it drops the record, counts it, and
 * returns).
 */
#ifndef GS_PRELOAD_H
#define GS_PRELOAD_H

#include <stdint.h>
#include <sys/types.h>

#define GS_COLD   __attribute__((cold, noinline))
#define GS_HIDDEN __attribute__((visibility("hidden")))
#define GS_EXPORT __attribute__((visibility("default")))
#define gs_unlikely(x) __builtin_expect(!!(x), 0)
/* A big zeroed variable of which a start writes a few bytes at most (a
 * path): in .gs_large, after the small variables (start.ld), whose page
 * it then shares by its beginning; its untouched rest is never faulted
 * in.  Zeros in the file, not .bss: no anonymous mapping at start. */
#define GS_LARGE_BSS __attribute__((section(".gs_large")))

/* Which optional members of struct gs_call are set. */
enum {
	GS_A_FLAGS   = 1u << 0,
	GS_A_MODE    = 1u << 1,
	GS_A_DIRFD   = 1u << 2,
	GS_A_FD      = 1u << 3,
	GS_A_MMAP    = 1u << 4, /* addr, length, prot, flags, fd, offset */
	GS_A_CLOCKID = 1u << 5,
	GS_A_AMODE   = 1u << 6,
	GS_A_MASK    = 1u << 7,
	GS_A_EXEC    = 1u << 8, /* gather exec evidence (ELF, interp) for path/fd */
	GS_A_SEARCH  = 1u << 9, /* name is searched on PATH (execvp & co) */
};

/* One failed call, as the wrapper saw it.  Pointers are the caller's and
 * are only read while gs_fail runs. */
struct gs_call {
	uint32_t call;          /* enum goshim_call                        */
	int err;                /* errno the caller will see               */
	int64_t ret;            /* return value the caller will see        */
	unsigned present;       /* GS_A_* */
	const char *path;       /* path argument, or NULL                  */
	const char *name;       /* execvp/posix_spawnp file, memfd name    */
	const char *fmode;      /* fopen mode                              */
	char *const *argv;      /* exec/spawn argv, or NULL                */
	int dirfd;
	int fd;
	uint64_t flags;
	uint32_t mode;
	uint32_t prot;
	uint64_t addr;
	uint64_t length;
	int64_t offset;
	int clockid;
	int amode;
	uint32_t mask;
	const void *caller;     /* __builtin_return_address(0) of the wrapper */
};

/* Record a failed call.  Cold.  Preserves errno.  Does nothing when
 * recording is off, before setup, or when called from inside goshim. */
GS_HIDDEN void gs_fail(const struct gs_call *c);

/* Record that a child process ended abnormally (wait-family wrappers). */
GS_HIDDEN void gs_note_exit(pid_t child, int status);

/* Record an engine warning (a NOTE record with text), e.g. a failed
 * hand-over.  Same guards as gs_fail. */
GS_HIDDEN void gs_note(const char *text);

/* Before an exec of path (or of file searched on PATH when path is NULL)
 * with environment envp (NULL: environ): when the target needs a symbol
 * version its libraries lack, a NOTE "elf-version-missing: ..." (ld.so
 * will fail there before goshim can record).  Same guards as gs_fail;
 * preserves errno. */
GS_HIDDEN void gs_exec_check(const char *path, const char *file, char *const envp[]);

/* Before an exec of prog by a process recording into a ring its
 * credentials no longer open (it dropped root: setpriv, su, a test; the
 * ring is its owner's, 0600 or 0644 at most), a NOTE "ring-unreachable:
 * PROG runs as uid N, which cannot open the ring ..." once: the new image
 * attaches anew and will not get in.  Same guards as gs_fail; preserves
 * errno. */
GS_HIDDEN void gs_rec_exec_reach(const char *prog);

/* glibc's _dl_find_object (2.35+), when gs_resolve_all() found it in the
 * pass it makes for the real functions (one dlsym fewer); else NULL, and
 * gs_setup asks dlsym. */
GS_HIDDEN extern void *gs_loader_find;

/* One-time setup, called by the constructor after gs_resolve_all():
 * configuration from the environment and the loader look-ups, nothing
 * else (no file opened or mapped): the recorder is then armed, and the
 * first failure attaches the ring (attach.c).  On any failure, recording
 * stays off. */
GS_HIDDEN void gs_setup(void);

/* Attach the ring now if the recorder is armed and has not yet (the
 * process is about to change its credentials or root directory: after
 * that, it might not be able to open the ring).  Never records. */
GS_HIDDEN void gs_rec_prepare(void);

/* Whether recording may happen in this process: armed or on (not off). */
GS_HIDDEN int gs_rec_armed(void);

/* Turn recording off for good (the process is handed over to the trace
 * engine).  A ring already attached stays mapped, unused. */
GS_HIDDEN void gs_rec_off(void);

#endif
