/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hand-over to the trace engine (libgoshim.7, HAND-OVER).  Go code and
 * static programs make raw system calls that no libc wrapper sees, so
 * capture passes to the trace engine for:
 *
 *   - a Go program that loaded libgoshim.so (Debian's dynamic `go`): the
 *     constructor hands the process itself over;
 *   - a static program exec'd or spawned by a process that has
 *     libgoshim.so loaded: the exec/spawn wrapper hands the calling
 *     process over first, and the engine sees the exec or the fork.
 *
 * A process that finds itself under the engine's filter records nothing:
 * its calls are seen by the engine, and a failure is recorded once.
 *
 * Everything here that an exec wrapper reaches is safe in a vfork child:
 * raw system calls, stack and mmap'd buffers, no malloc, locks or stdio.
 */
#ifndef GS_HANDOVER_H
#define GS_HANDOVER_H

#include "rec/gs.h"

/* 1 when exec wrappers must check their target (hand-over possible). */
GS_HIDDEN extern int gs_ho_armed;

/* Constructor, after gs_setup(): read GOSHIM_HANDOVER, keep where to
 * look for goshimctl (searched at the first hand-over, with raw system
 * calls), arm the exec check, and hand a Go program over. */
GS_HIDDEN void gs_ho_setup(void);

/* Exec and spawn wrappers, before the real call, when gs_ho_armed: hand
 * the calling process over when the target is a static ELF.  path: as
 * execve gets it; search: a name searched on PATH as execvp does (execvp
 * & co, posix_spawnp); fd: an open file (fexecve); at: execveat's dirfd,
 * path and flags.  Return 1 when the process is traced from now on: the
 * wrapper must then not record the call's failure (the engine does). */
GS_HIDDEN int gs_ho_exec_path(const char *path);
GS_HIDDEN int gs_ho_exec_search(const char *name);
GS_HIDDEN int gs_ho_exec_fd(int fd);
GS_HIDDEN int gs_ho_exec_at(int dirfd, const char *path, int flags);

/* After a spawn wrapper handed its (continuing) process over: record
 * nothing more.  Not for exec wrappers: they may run in a vfork child,
 * whose memory is its parent's. */
GS_HIDDEN void gs_ho_spawned(void);

/* --- handover_elf.c ------------------------------------------------------ */

/* 1 when fd is an ELF file without PT_INTERP (static, or static-pie). */
GS_HIDDEN int gs_ho_elf_static(int fd);

/* 1 when the main program carries a Go build-id note (NT_GO_BUILDID). */
GS_HIDDEN int gs_ho_is_go(void);

/* 1 when this process is under the trace engine's filter (it answers
 * prctl(GOSHIM_PROBE_PRCTL) in the kernel: goshim/handover.h).  The constructor
 * asks before gs_setup(): the preload then stays passive (the engine
 * records this process), and the hand-over asks before handing over. */
GS_HIDDEN int gs_ho_supervised(void);

#endif
