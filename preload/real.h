/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The real libc functions behind the wrappers (table: real.def), and the
 * few helpers every wrapper file shares.  A wrapper calls gs_real.<name>,
 * which before resolution points at a lazy stub that resolves the symbol
 * and passes the call through, so calls made before our constructor (from
 * another library's constructor) work.
 */
#ifndef GS_REAL_H
#define GS_REAL_H

/* The wrappers define the plain (32-bit off_t) names and the *64 names
 * separately; the build undefines _FILE_OFFSET_BITS so that glibc's
 * headers do not redirect open to open64 and so on. */
#ifdef _FILE_OFFSET_BITS
#error "preload sources must be built without _FILE_OFFSET_BITS"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "undeclared.h"
#include "rec/gs.h"
#include "sys.h"

/* __clock_gettime64 exists only in 32-bit glibc with the time64 ABI. */
#if defined(__TIMESIZE) && __TIMESIZE == 32
#define GS_HAVE_CLOCK_GETTIME64 1
#else
#define GS_HAVE_CLOCK_GETTIME64 0
#endif

/* Raw-syscall fallbacks are used only where the kernel's struct layouts
 * (stat, mmap offset) are the ones libc uses: 64-bit x86 and arm. */
#if defined(__x86_64__) || defined(__aarch64__)
#define GS_SYS(e) gs_sysret(e)
#else
#define GS_SYS(e) gs_nosys()
#endif

#define GS_UNPAREN(...) __VA_ARGS__

/* Undeclared too: 32-bit time64 glibc's own clock_gettime. */
#if GS_HAVE_CLOCK_GETTIME64
int __clock_gettime64(clockid_t clk, void *ts);
#endif

/* One pointer per row of real.def. */
struct gs_real_fns {
#define GS_REAL(ret, name, params, args, fb) ret (*name) params;
#define GS_REAL_VA(ret, name, params, args, flags, fb) \
	ret (*name)(GS_UNPAREN params, ...);
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
};

/* The real functions (or their lazy stubs until resolved). */
GS_HIDDEN extern struct gs_real_fns gs_real;

/* Make every real function resolvable as dlsym(RTLD_NEXT) would find it:
 * at its first call (the next objects' tables kept), else all now.  Also
 * sets gs_loader_find.  Idempotent; for the constructor. */
GS_HIDDEN void gs_resolve_all(void);

/* Resolve now every real function still at its stub that the kept tables
 * settle (the atfork prepare handler: fork children inherit them, rather
 * than each resolving its first calls anew).  Async-signal-safe. */
GS_HIDDEN void gs_resolve_rest(void);

/* Convert a raw syscall result to the libc convention: -errno becomes
 * errno and -1.  The one place the fallbacks set errno. */
static inline long gs_sysret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Fallback for a function with no system call equivalent: ENOSYS. */
static inline int gs_nosys(void)
{
	errno = ENOSYS;
	return -1;
}

/* Same, for functions returning a pointer (NULL on failure). */
static inline void *gs_nosys_null(void)
{
	errno = ENOSYS;
	return NULL;
}

/* The optional mode argument of an open(2)-style call, read only when
 * flags say it was passed.  Used inside a function whose last named
 * parameter is flags. */
#define GS_VA_MODE(flags, m)                              \
	do {                                              \
		if (__OPEN_NEEDS_MODE(flags)) {           \
			va_list gs_ap_;                   \
			va_start(gs_ap_, flags);          \
			(m) = va_arg(gs_ap_, mode_t);     \
			va_end(gs_ap_);                   \
		}                                         \
	} while (0)

/* Where the wrapper was called from (its return address). */
#define GS_CALLER() __builtin_return_address(0)

/*
 * The shape of every wrapper: `before` (declarations the call needs, may
 * be empty), ret r = call, and only when `failed` (an expression in r and
 * the parameters) the cold `fail`, a call of a GS_COLD helper that records
 * and leaves errno as it was.  The hot path is the real call and one
 * branch: put gs_unlikely() in `failed`.  GS_CALLER() in `fail` is the
 * wrapper's caller.
 */
#define GS_WRAP_WITH(ret, name, params, before, call, failed, fail)        \
	GS_EXPORT ret name params                                          \
	{                                                                  \
		before;                                                    \
		ret r = call;                                              \
		if (failed) {                                              \
			fail;                                              \
		}                                                          \
		return r;                                                  \
	}

/* The common case: gs_real.name called with args, failed when r < 0. */
#define GS_WRAP(ret, name, params, args, fail) \
	GS_WRAP_WITH(ret, name, params, , gs_real.name args, gs_unlikely(r < 0), fail)

#endif
