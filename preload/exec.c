// SPDX-License-Identifier: Apache-2.0
/*
 * exec family.  These return only on failure, so every return is recorded
 * (GS_A_EXEC: the recorder gathers ELF and interpreter evidence).  May run
 * in a vfork child: nothing here allocates or locks.  A static target is
 * first handed over to the trace engine (handover.h).
 */
#include <stdarg.h>

#include "goshim/record.h"
#include "handover.h"
#include "real.h"

/* Hand over to the trace engine first when the target is static
 * (handover.h); then the engine, not us, records a failure. */
#define EX_HANDOVER(check) (gs_unlikely(gs_ho_armed) ? (check) : 0)

static GS_COLD void ex_fail(uint32_t call, int r, unsigned present, int dirfd,
			    const char *path, const char *name,
			    char *const argv[], uint64_t flags, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = r,
		.present = GS_A_EXEC | present,
		.path = path, .name = name, .argv = argv,
		.dirfd = dirfd, .fd = dirfd, .flags = flags, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

/* An exec returns only when it failed: every return not handed over is
 * recorded.  before: what the call needs, ending with the hand-over check
 * `ho`. */
#define EX_WRAP(name, params, before, call, present, dirfd, path, file, flags) \
	GS_WRAP_WITH(int, name, params, before, call, !ho,                     \
		     ex_fail(GOSHIM_CALL_##name, r, present, dirfd, path, file, argv, \
			     flags, GS_CALLER()))

EX_WRAP(execve, (const char *path, char *const argv[], char *const envp[]),
	gs_exec_check(path, NULL, envp); int ho = EX_HANDOVER(gs_ho_exec_path(path)), gs_real.execve(path, argv, envp),
	0, -1, path, NULL, 0)
EX_WRAP(execv, (const char *path, char *const argv[]),
	gs_exec_check(path, NULL, NULL); int ho = EX_HANDOVER(gs_ho_exec_path(path)), gs_real.execv(path, argv),
	0, -1, path, NULL, 0)
EX_WRAP(execvp, (const char *file, char *const argv[]),
	gs_exec_check(NULL, file, NULL); int ho = EX_HANDOVER(gs_ho_exec_search(file)), gs_real.execvp(file, argv),
	GS_A_SEARCH, -1, NULL, file, 0)
EX_WRAP(execvpe, (const char *file, char *const argv[], char *const envp[]),
	gs_exec_check(NULL, file, envp); int ho = EX_HANDOVER(gs_ho_exec_search(file)), gs_real.execvpe(file, argv, envp),
	GS_A_SEARCH, -1, NULL, file, 0)
EX_WRAP(fexecve, (int fd, char *const argv[], char *const envp[]),
	int ho = EX_HANDOVER(gs_ho_exec_fd(fd)), gs_real.fexecve(fd, argv, envp),
	GS_A_FD, fd, NULL, NULL, 0)
EX_WRAP(execveat, (int dirfd, const char *path, char *const argv[], char *const envp[],
		   int flags),
	int ho = EX_HANDOVER(gs_ho_exec_at(dirfd, path, flags)),
	gs_real.execveat(dirfd, path, argv, envp, flags),
	GS_A_DIRFD | GS_A_FLAGS, dirfd, path, NULL, (unsigned)flags)

/*
 * execl, execlp, execle: count the arguments, copy them into an argv on
 * the stack (a VLA, as glibc does) and call the real execve or execvp.
 * The failure is recorded under the execl* call id.
 */
#define EX_COLLECT(argv, arg0, last)                                     \
	size_t n_ = 1;                                                   \
	va_list ap_;                                                     \
	va_start(ap_, last);                                             \
	while (va_arg(ap_, const char *) != NULL) {                      \
		n_++;                                                    \
	}                                                                \
	va_end(ap_);                                                     \
	char *argv[n_ + 1];                                              \
	argv[0] = (char *)(arg0);                                        \
	va_start(ap_, last);                                             \
	for (size_t i_ = 1; i_ <= n_; i_++) {                            \
		argv[i_] = va_arg(ap_, char *);                          \
	}

EX_WRAP(execl, (const char *path, const char *arg, ...),
	EX_COLLECT(argv, arg, arg); va_end(ap_); gs_exec_check(path, NULL, NULL); int ho = EX_HANDOVER(gs_ho_exec_path(path)),
	gs_real.execve(path, argv, environ), 0, -1, path, NULL, 0)
EX_WRAP(execlp, (const char *file, const char *arg, ...),
	EX_COLLECT(argv, arg, arg); va_end(ap_); gs_exec_check(NULL, file, NULL); int ho = EX_HANDOVER(gs_ho_exec_search(file)),
	gs_real.execvp(file, argv), GS_A_SEARCH, -1, NULL, file, 0)
EX_WRAP(execle, (const char *path, const char *arg, ...),
	EX_COLLECT(argv, arg, arg); char *const *envp = va_arg(ap_, char *const *);
	va_end(ap_); gs_exec_check(path, NULL, envp);
	int ho = EX_HANDOVER(gs_ho_exec_path(path)), gs_real.execve(path, argv, envp), 0, -1, path, NULL, 0)
