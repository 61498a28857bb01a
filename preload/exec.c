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

GS_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	int ho = EX_HANDOVER(gs_ho_exec_path(path));
	int r = gs_real.execve(path, argv, envp);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execve, r, 0, -1, path, NULL, argv, 0, GS_CALLER());
	}
	return r;
}

GS_EXPORT int execv(const char *path, char *const argv[])
{
	int ho = EX_HANDOVER(gs_ho_exec_path(path));
	int r = gs_real.execv(path, argv);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execv, r, 0, -1, path, NULL, argv, 0, GS_CALLER());
	}
	return r;
}

GS_EXPORT int execvp(const char *file, char *const argv[])
{
	int ho = EX_HANDOVER(gs_ho_exec_search(file));
	int r = gs_real.execvp(file, argv);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execvp, r, GS_A_SEARCH, -1, NULL, file, argv, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	int ho = EX_HANDOVER(gs_ho_exec_search(file));
	int r = gs_real.execvpe(file, argv, envp);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execvpe, r, GS_A_SEARCH, -1, NULL, file, argv, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	int ho = EX_HANDOVER(gs_ho_exec_fd(fd));
	int r = gs_real.fexecve(fd, argv, envp);

	if (!ho) {
		ex_fail(GOSHIM_CALL_fexecve, r, GS_A_FD, fd, NULL, NULL, argv, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int execveat(int dirfd, const char *path, char *const argv[],
		       char *const envp[], int flags)
{
	int ho = EX_HANDOVER(gs_ho_exec_at(dirfd, path, flags));
	int r = gs_real.execveat(dirfd, path, argv, envp, flags);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execveat, r, GS_A_DIRFD | GS_A_FLAGS, dirfd, path,
			NULL, argv, (unsigned)flags, GS_CALLER());
	}
	return r;
}

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

GS_EXPORT int execl(const char *path, const char *arg, ...)
{
	EX_COLLECT(argv, arg, arg);
	va_end(ap_);
	int ho = EX_HANDOVER(gs_ho_exec_path(path));
	int r = gs_real.execve(path, argv, environ);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execl, r, 0, -1, path, NULL, argv, 0, GS_CALLER());
	}
	return r;
}

GS_EXPORT int execlp(const char *file, const char *arg, ...)
{
	EX_COLLECT(argv, arg, arg);
	va_end(ap_);
	int ho = EX_HANDOVER(gs_ho_exec_search(file));
	int r = gs_real.execvp(file, argv);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execlp, r, GS_A_SEARCH, -1, NULL, file, argv, 0,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int execle(const char *path, const char *arg, ...)
{
	EX_COLLECT(argv, arg, arg);
	char *const *envp = va_arg(ap_, char *const *);
	va_end(ap_);
	int ho = EX_HANDOVER(gs_ho_exec_path(path));
	int r = gs_real.execve(path, argv, envp);

	if (!ho) {
		ex_fail(GOSHIM_CALL_execle, r, 0, -1, path, NULL, argv, 0, GS_CALLER());
	}
	return r;
}
