/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What each failer scenario must produce: the oracle the record tests
 * check the ring against.  X(scenario, call, errno, path, name) where path
 * is the path argument with the scenario DIR written as "@" (NULL: the
 * call has no path, check fd or clockid instead) and name is the searched
 * or memfd name (NULL: none).
 */
#ifndef FL_SCENARIOS_H
#define FL_SCENARIOS_H

#define FL_PROG "goshim-no-such-program"

#define FL_FAILURES(X) \
	X(execve,        execve,        ENOENT,  "*badinterp",    NULL) \
	X(execv,         execv,         EACCES,  "@/noexec/prog", NULL) \
	X(execvp,        execvp,        ENOENT,  NULL,            FL_PROG) \
	X(execvpe,       execvpe,       ENOENT,  NULL,            FL_PROG) \
	X(execl,         execl,         EACCES,  "@/noexec/prog", NULL) \
	X(execlp,        execlp,        ENOENT,  NULL,            FL_PROG) \
	X(execle,        execle,        ENOENT,  "*badinterp",    NULL) \
	X(fexecve,       fexecve,       EACCES,  NULL,            NULL) \
	X(execveat,      execveat,      ENOEXEC, "garbage",       NULL) \
	X(posix_spawn,   posix_spawn,   ENOENT,  "@/nonexistent", NULL) \
	X(posix_spawn_noexec, posix_spawn, EACCES, "@/noexec/prog", NULL) \
	X(posix_spawnp,  posix_spawnp,  ENOENT,  NULL,            FL_PROG) \
	X(open,          open,          ENOENT,  "@/nonexistent", NULL) \
	X(open64,        open64,        EACCES,  "@/locked",      NULL) \
	X(openat,        openat,        ENOENT,  "nonexistent",   NULL) \
	X(openat64,      openat64,      EACCES,  "ro/new",        NULL) \
	X(creat,         creat,         EACCES,  "@/locked",      NULL) \
	X(creat64,       creat64,       ENOENT,  "@/nonexistent/sub", NULL) \
	X(__open_2,      __open_2,      ENOENT,  "@/nonexistent", NULL) \
	X(__open64_2,    __open64_2,    EACCES,  "@/locked",      NULL) \
	X(__openat_2,    __openat_2,    ENOENT,  "nonexistent",   NULL) \
	X(__openat64_2,  __openat64_2,  ENOTDIR, "locked/x",      NULL) \
	X(fopen,         fopen,         ENOENT,  "@/nonexistent", NULL) \
	X(fopen64,       fopen64,       EACCES,  "@/locked",      NULL) \
	X(freopen,       freopen,       ENOENT,  "@/nonexistent", NULL) \
	X(freopen64,     freopen64,     EACCES,  "@/locked",      NULL) \
	X(stat,          stat,          ENOENT,  "@/nonexistent", NULL) \
	X(lstat,         lstat,         ENOTDIR, "@/locked/x",    NULL) \
	X(fstat,         fstat,         EBADF,   NULL,            NULL) \
	X(fstatat,       fstatat,       ENOENT,  "nonexistent",   NULL) \
	X(stat64,        stat64,        ENOENT,  "@/nonexistent/sub", NULL) \
	X(lstat64,       lstat64,       ENOENT,  "@/nonexistent", NULL) \
	X(fstat64,       fstat64,       EBADF,   NULL,            NULL) \
	X(fstatat64,     fstatat64,     EBADF,   "relative",      NULL) \
	X(statx,         statx,         ENOENT,  "@/nonexistent", NULL) \
	X(__xstat,       __xstat,       ENOENT,  "@/nonexistent", NULL) \
	X(__lxstat,      __lxstat,      ENOENT,  "@/nonexistent", NULL) \
	X(__fxstat,      __fxstat,      EBADF,   NULL,            NULL) \
	X(__fxstatat,    __fxstatat,    ENOENT,  "nonexistent",   NULL) \
	X(__xstat64,     __xstat64,     ENOENT,  "@/nonexistent", NULL) \
	X(__lxstat64,    __lxstat64,    ENOENT,  "@/nonexistent/sub", NULL) \
	X(__fxstat64,    __fxstat64,    EBADF,   NULL,            NULL) \
	X(__fxstatat64,  __fxstatat64,  ENOENT,  "nonexistent",   NULL) \
	X(mmap,          mmap,          ENOMEM,  NULL,            NULL) \
	X(mmap64,        mmap64,        EINVAL,  NULL,            NULL) \
	X(memfd_create,  memfd_create,  EINVAL,  NULL,            "goshim-test") \
	X(memfd_create_seccomp, memfd_create, EPERM, NULL,        "goshim-test") \
	X(clock_gettime, clock_gettime, EINVAL,  NULL,            NULL) \
	X(mkdir,         mkdir,         EEXIST,  "@",             NULL) \
	X(mkdirat,       mkdirat,       EACCES,  "ro/new",        NULL) \
	X(access,        access,        ENOENT,  "@/nonexistent", NULL) \
	X(faccessat,     faccessat,     EACCES,  "locked",        NULL) \
	X(euidaccess,    euidaccess,    EACCES,  "@/locked",      NULL) \
	X(eaccess,       eaccess,       ENOENT,  "@/nonexistent", NULL)

/* Scenarios that print their own summary (no single failing call). */
#define FL_PROGRAMS(X) \
	X(wait) X(vfork_execve) X(segv) X(sigaltstack) X(threads) X(mixed)

#endif
