/* SPDX-License-Identifier: Apache-2.0 */
/* The watched system calls, per architecture.  A row becomes one seccomp
 * rule returning SECCOMP_RET_USER_NOTIF; a notification carries the
 * architecture, number and arguments, and tr_row() finds the row again
 * (which says how to decode the arguments). */
#include <fcntl.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <sys/mman.h>

#include <stdio.h>
#include <string.h>

#include "goshim/record.h"
#include "tr.h"

#define P   GOSHIM_T_PATH
#define DFD GOSHIM_T_DIRFD
#define FL  GOSHIM_T_FLAGS
#define MD  GOSHIM_T_MODE
#define AM  GOSHIM_T_AMODE
#define MK  GOSHIM_T_MASK
#define AV  GOSHIM_T_ARGV
#define NM  GOSHIM_T_NAME
#define CK  GOSHIM_T_CLOCKID
#define FD  GOSHIM_T_FD
#define OFF GOSHIM_T_OFFSET
#define LEN GOSHIM_T_LENGTH
#define MMAP_ARGS { GOSHIM_T_ADDR, GOSHIM_T_LENGTH, GOSHIM_T_PROT, FL, \
		    GOSHIM_T_FD, GOSHIM_T_OFFSET }

#define R(arch, nm, cond, ex, id, ...) \
	{ #nm, SCMP_SYS(nm), arch, cond, ex, GOSHIM_CALL_sys_##id, __VA_ARGS__, 0, 0, 0 }
#define X64(nm, id, ...)  R(TR_X86_64, nm, TR_C_ALWAYS, 0, id, __VA_ARGS__)
#define I32(nm, id, ...)  R(TR_I386, nm, TR_C_ALWAYS, 0, id, __VA_ARGS__)
/* A call after which a thread may see the file system differently: the
 * exit-stop prediction (tr_predict.c) must check its view again. */
#define VIEW(arch, nm) { #nm, SCMP_SYS(nm), arch, TR_C_ALWAYS, 0, 0, { 0 }, 1, 0, 0 }
#define VIEWC(arch, nm, cond) { #nm, SCMP_SYS(nm), arch, cond, 0, 0, { 0 }, 1, 0, 0 }

/* A point where the in-kernel watcher's failures are recorded before the
 * call goes on (tr_ebpf.c): only in the filter when the watcher is.  At
 * exit_group the process's /proc is still there; at umount2 the evidence
 * of the failures before it (opened in the filesystem being unmounted)
 * has been read and closed, so the unmount never finds it busy. */
#define SYNC(arch, nm) { #nm, SCMP_SYS(nm), arch, TR_C_ALWAYS, 0, 0, { 0 }, 0, 1, 0 }

/* A call watched only by the in-kernel watcher (its failures cost nothing
 * until they happen); without the watcher it is not watched at all: a
 * notification for every thread and process created would slow every
 * program down.  Thread and process creation fail with EAGAIN when the
 * pids cgroup's pids.max or RLIMIT_NPROC is reached (pids-limit). */
#define KERN(nm, id, ...) \
	{ #nm, SCMP_SYS(nm), TR_X86_64, TR_C_ALWAYS, 0, GOSHIM_CALL_sys_##id, __VA_ARGS__, 0, 0, 1 }

/* The path calls both architectures watch (A: X64 or I32); only the
 * stat calls' names differ (st, lst, fst). */
#define PATH_ROWS(A, arch, st, lst, fst)                                     \
	R(arch, execve, TR_C_ALWAYS, 1, execve, { P, AV }),                  \
	R(arch, execveat, TR_C_ALWAYS, 1, execveat, { DFD, P, AV, 0, FL }),  \
	A(open, open, { P, FL, MD }),                                        \
	A(openat, openat, { DFD, P, FL, MD }),                               \
	A(openat2, openat2, { DFD, P }),                                     \
	A(creat, creat, { P, MD }),                                          \
	A(st, st, { P }),                                                    \
	A(lst, lst, { P }),                                                  \
	A(fst, fst, { DFD, P, 0, FL }),                                      \
	A(statx, statx, { DFD, P, FL, MK }),                                 \
	A(mkdir, mkdir, { P, MD }),                                          \
	A(mkdirat, mkdirat, { DFD, P, MD }),                                 \
	A(access, access, { P, AM }),                                        \
	A(faccessat, faccessat, { DFD, P, AM }),                             \
	A(faccessat2, faccessat2, { DFD, P, AM, FL }),                       \
	A(memfd_create, memfd_create, { NM, FL }),                           \
	A(clock_gettime, clock_gettime, { CK })

const struct tr_sc tr_table[] = {
	PATH_ROWS(X64, TR_X86_64, stat, lstat, newfstatat),
	X64(personality, personality, { FL }),
	/* ENOSPC shows up here, not at open: tmpfs creates files without
	 * blocks.  The path is the fd's (/proc/PID/fd/N).  Rare calls. */
	X64(fallocate, fallocate, { FD, MD, OFF, LEN }),
	X64(ftruncate, ftruncate, { FD, LEN }),
	R(TR_X86_64, mmap, TR_C_HUGE, 0, mmap, MMAP_ARGS),
	R(TR_X86_64, mmap, TR_C_FIXED, 0, mmap, MMAP_ARGS),
	R(TR_X86_64, mmap, TR_C_NOREPLACE, 0, mmap, MMAP_ARGS),
	/* every other mmap, when the in-kernel watcher hands its failure over:
	 * under `ulimit -v` the race runtime's thread stacks (glibc's 8 MiB
	 * MAP_STACK, "pthread_create failed"), TSan's trace parts (128 KiB)
	 * and internal allocator, and Go's heap arenas (64 MiB hints) fail
	 * with ENOMEM; healthy programs fail none.  Last of the mmap rows:
	 * a notified mmap finds its condition's row first. */
	KERN(mmap, mmap, MMAP_ARGS),
	KERN(clone, clone, { FL }), KERN(clone3, clone3, { 0 }),
	KERN(fork, fork, { 0 }), KERN(vfork, vfork, { 0 }),
	/* a program's own seccomp filter with a listener (a sandbox, a
	 * container runtime, libseccomp's notify API) fails with EBUSY under
	 * the engine's: a filter chain has one listener (goshim-seccomp-
	 * listener).  Rare: followed to its result without the watcher. */
	X64(seccomp, seccomp, { 0, FL }),

	PATH_ROWS(I32, TR_I386, stat64, lstat64, fstatat64),
	I32(clock_gettime64, clock_gettime64, { CK }),
	I32(personality, personality, { FL }),
	/* 64-bit offsets and lengths come split over two registers: only the
	 * fd and mode are decoded (ftruncate's length is 32-bit) */
	I32(fallocate, fallocate, { FD, MD }),
	I32(ftruncate, ftruncate, { FD, LEN }),
	I32(ftruncate64, ftruncate, { FD }),

	VIEW(TR_X86_64, setuid), VIEW(TR_X86_64, setgid),
	VIEW(TR_X86_64, setreuid), VIEW(TR_X86_64, setregid),
	VIEW(TR_X86_64, setresuid), VIEW(TR_X86_64, setresgid),
	VIEW(TR_X86_64, setfsuid), VIEW(TR_X86_64, setfsgid),
	VIEW(TR_X86_64, setgroups), VIEW(TR_X86_64, capset),
	VIEW(TR_X86_64, chroot), VIEW(TR_X86_64, pivot_root),
	VIEW(TR_X86_64, setns), VIEW(TR_X86_64, unshare),
	/* a query of a limit (no new value: Go's start-up) changes nothing */
	VIEW(TR_X86_64, setrlimit), VIEWC(TR_X86_64, prlimit64, TR_C_SETS),
	SYNC(TR_X86_64, exit_group), SYNC(TR_X86_64, umount2),
	/* mmap2's offset is in 4096-byte pages, stored as passed */
	R(TR_I386, mmap2, TR_C_HUGE, 0, mmap2, MMAP_ARGS),
	R(TR_I386, mmap2, TR_C_FIXED, 0, mmap2, MMAP_ARGS),
	R(TR_I386, mmap2, TR_C_NOREPLACE, 0, mmap2, MMAP_ARGS),
};

const size_t tr_table_len = sizeof(tr_table) / sizeof(tr_table[0]);
_Static_assert(sizeof(tr_table) / sizeof(tr_table[0]) <= TR_TABLE_MAX, "table too long");

int tr_sc_arg(const struct tr_sc *s, uint16_t tag)
{
	for (int i = 0; i < 6; i++) {
		if (s->arg[i] == tag) {
			return i;
		}
	}
	return -1;
}

void tr_sc_base(const struct tr_sc *s, const uint64_t *args, char *what, size_t cap)
{
	int di = tr_sc_arg(s, GOSHIM_T_DIRFD);
	int dirfd = di >= 0 ? (int)(int32_t)args[di] : AT_FDCWD;

	if (dirfd == AT_FDCWD) {
		snprintf(what, cap, "cwd");
	} else {
		snprintf(what, cap, "fd/%d", dirfd);
	}
}

/* --- from a notification back to its row ------------------------------- */

#define ROW_NR_MAX 512   /* system call numbers of both architectures  */
#define ROW_HUGE   (1ull << 30)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* row_first[arch][nr]: 1 + index of the first row, 0 none; the rows of
 * one call (mmap's conditions) are adjacent in tr_table */
static uint8_t row_first[2][ROW_NR_MAX];
static int row_ready;

static void row_init(void)
{
	for (size_t i = tr_table_len; i-- > 0;) {
		const struct tr_sc *s = &tr_table[i];
		int nr = seccomp_syscall_resolve_name_arch(
			s->arch == TR_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, s->name);

		if (nr >= 0 && nr < ROW_NR_MAX) {
			row_first[s->arch][nr] = (uint8_t)(i + 1);
		}
	}
	row_ready = 1;
}

static int row_cond(uint8_t cond, const uint64_t *a)
{
	switch (cond) {
	case TR_C_HUGE:
		return a[1] >= ROW_HUGE;
	case TR_C_FIXED:
		return (a[3] & MAP_FIXED) != 0;
	case TR_C_NOREPLACE:
		return (a[3] & MAP_FIXED_NOREPLACE) != 0;
	case TR_C_SETS:
		return a[2] != 0;
	default:
		return 1;
	}
}

int tr_row(uint32_t arch, int nr, const uint64_t *args)
{
	uint8_t a = arch == AUDIT_ARCH_I386 ? TR_I386 : TR_X86_64;

	if (!row_ready) {
		row_init();
	}
	if ((arch != AUDIT_ARCH_I386 && arch != AUDIT_ARCH_X86_64) || nr < 0 ||
	    nr >= ROW_NR_MAX || !row_first[a][nr]) {
		return -1;
	}
	for (size_t i = row_first[a][nr] - 1u; i < tr_table_len; i++) {
		const struct tr_sc *s = &tr_table[i];

		if (s->arch != a || strcmp(s->name, tr_table[row_first[a][nr] - 1u].name) != 0) {
			break;
		}
		if (row_cond(s->cond, args)) {
			return (int)i;
		}
	}
	return -1;
}
