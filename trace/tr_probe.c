/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which watched calls the seccomp policy already in force denies.  A
 * policy returning ERRNO (or KILL, TRAP) outranks our notifications, so
 * the engine would never see those calls: each is made once, with arguments
 * that make it fail harmlessly (or succeed without effect) when allowed,
 * before our filter is loaded.  i386 calls are made with `int $0x80` from
 * this 64-bit process: seccomp sees them as AUDIT_ARCH_I386, exactly as
 * it sees a 32-bit program's calls.
 *
 * The calls run in a grandchild cloned with no exit signal and
 * CLONE_UNTRACED (nothing of it reaches the engine), which reports each
 * result on a pipe.  A policy that KILLs (or TRAPs) a call
 * kills the grandchild: the first unreported call is the one that did,
 * and a new grandchild carries on with the next.
 *
 * The result is one NOTE record (the probing process's pid, T_SECCOMP of
 * its /proc status) with one T_NOTE string, exactly:
 *
 *   "seccomp-denied:" { " " NAME "=" VERDICT } [ " unprobed:" { " " NAME } ]
 *   "seccomp-denied: none" [ " unprobed:" { " " NAME } ]
 *
 *   NAME     the syscall name; "i386:" prefixed for the int $0x80 calls;
 *            a parenthesised argument when the probe is argument-specific
 *            ("mmap(huge)", "personality(ADDR_NO_RANDOMIZE)")
 *   VERDICT  EPERM | EACCES | ENOSYS   the call failed with that errno
 *            KILLED                    the call killed the process (SIGSYS)
 *
 * When every i386 call has the same verdict (a libseccomp filter without
 * the x86 architecture KILLs them all: its default bad-arch action), they
 * are listed once as "i386:*" (e.g. "i386:*=KILLED", " unprobed: i386:*").
 * Only denied calls are listed; "none" when no call was.  A call is
 * unprobed when the grandchild died by another signal at it (e.g. a
 * kernel without i386 emulation), hung, or could not be started.  Every
 * probed call fails with another errno or succeeds when allowed (checked
 * on Linux 6.18: clone3 and i386:clone3 EINVAL, the i386 time64 calls,
 * i386:statx and i386:faccessat2 EFAULT).  ENOSYS may also mean a kernel
 * too old for the call (clone3 < 5.3, faccessat2 < 5.8).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"

#define PB_HUGE (1l << 30)
#define PB_ADDR_NO_RANDOMIZE 0x0040000l
#define PB_HANG_SECS 2          /* a call that blocks longer is unprobed */

/* verdicts besides an errno */
#define PB_KILLED (-1)
#define PB_UNPROBED (-2)

/* i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl) */
enum {
	PB32_CLOCK_GETTIME = 265, PB32_STATX = 383, PB32_CLOCK_GETTIME64 = 403,
	PB32_CLOCK_NANOSLEEP64 = 407, PB32_UTIMENSAT64 = 412,
	PB32_PPOLL64 = 414, PB32_FUTEX64 = 422, PB32_CLONE3 = 435,
	PB32_FACCESSAT2 = 439,
};

struct pb_call {
	const char *name;
	int i386;          /* made with int $0x80 (5 arguments at most) */
	long nr;
	long a[6];
};

static char pb_sbuf[512];
static struct timespec pb_ts;
static const char pb_root[] = "/", pb_empty[] = "", pb_name[] = "goshim-probe";

static const struct pb_call pb_calls[] = {
	{ "memfd_create", 0, SYS_memfd_create, { (long)pb_name, 1 /* MFD_CLOEXEC */ } },
	{ "clock_gettime", 0, SYS_clock_gettime, { CLOCK_MONOTONIC, (long)&pb_ts } },
	{ "statx", 0, SYS_statx, { AT_FDCWD, (long)pb_root, 0, STATX_BASIC_STATS,
				   (long)pb_sbuf } },
	{ "faccessat2", 0, SYS_faccessat2, { AT_FDCWD, (long)pb_root, F_OK, 0 } },
	{ "faccessat", 0, SYS_faccessat, { AT_FDCWD, (long)pb_root, F_OK } },
	{ "access", 0, SYS_access, { (long)pb_root, F_OK } },
	{ "personality", 0, SYS_personality, { 0xffffffffl } },
	/* what TSan's re-exec asks for: Docker's profile allows the query only */
	{ "personality(ADDR_NO_RANDOMIZE)", 0, SYS_personality, { PB_ADDR_NO_RANDOMIZE } },
	/* size 0: EINVAL when allowed */
	{ "clone3", 0, SYS_clone3, { 0, 0 } },
	{ "openat", 0, SYS_openat, { AT_FDCWD, (long)pb_root, O_RDONLY | O_DIRECTORY } },
	{ "open", 0, SYS_open, { (long)pb_root, O_RDONLY | O_DIRECTORY } },
	{ "newfstatat", 0, SYS_newfstatat, { AT_FDCWD, (long)pb_root, (long)pb_sbuf, 0 } },
	{ "stat", 0, SYS_stat, { (long)pb_root, (long)pb_sbuf } },
	{ "lstat", 0, SYS_lstat, { (long)pb_root, (long)pb_sbuf } },
	{ "mkdirat", 0, SYS_mkdirat, { AT_FDCWD, (long)pb_root, 0 } },
	{ "mkdir", 0, SYS_mkdir, { (long)pb_root, 0 } },
	{ "execve", 0, SYS_execve, { (long)pb_empty, 0, 0 } },
	{ "fallocate", 0, SYS_fallocate, { -1, 0, 0, 1 } },
	{ "ftruncate", 0, SYS_ftruncate, { -1, 0 } },
	{ "mmap(huge)", 0, SYS_mmap, { 0, PB_HUGE, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0 } },
	/* i386: pointers must fit 32 bits, so they are NULL: EFAULT */
	{ "i386:clock_gettime", 1, PB32_CLOCK_GETTIME, { CLOCK_MONOTONIC, 0 } },
	{ "i386:clock_gettime64", 1, PB32_CLOCK_GETTIME64, { CLOCK_MONOTONIC, 0 } },
	{ "i386:clock_nanosleep_time64", 1, PB32_CLOCK_NANOSLEEP64,
		{ CLOCK_MONOTONIC, 0, 0, 0 } },
	{ "i386:futex_time64", 1, PB32_FUTEX64, { 0, 0 /* FUTEX_WAIT */, 0, 0, 0 } },
	{ "i386:utimensat_time64", 1, PB32_UTIMENSAT64, { AT_FDCWD, 0, 0, 0 } },
	/* nfds 1 at NULL: EFAULT before any wait */
	{ "i386:ppoll_time64", 1, PB32_PPOLL64, { 0, 1, 0, 0, 8 } },
	{ "i386:statx", 1, PB32_STATX, { AT_FDCWD, 0, 0, STATX_BASIC_STATS, 0 } },
	{ "i386:faccessat2", 1, PB32_FACCESSAT2, { AT_FDCWD, 0, F_OK, 0 } },
	{ "i386:clone3", 1, PB32_CLONE3, { 0, 0 } },
};

#define PB_N (sizeof(pb_calls) / sizeof(pb_calls[0]))

/* One result on the pipe: call index and errno (0 = succeeded). */
struct pb_res {
	uint16_t idx;
	int16_t err;
};

static long pb_int80(const long *a, long nr)
{
#if defined(__x86_64__)
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "0"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return (int)r;
#else
	(void)a;
	(void)nr;
	raise(SIGILL); /* no int $0x80 here: the call is unprobed */
	return -ENOSYS;
#endif
}

/* The grandchild: calls from first on, each result written to fd. */
static __attribute__((noreturn)) void pb_child(size_t first, int fd)
{
	struct rlimit nocore = { 0, 0 };
	sigset_t none;

	/* a KILL or TRAP verdict must not leave a core file behind */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGSYS, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	alarm(PB_HANG_SECS);
	for (size_t i = first; i < PB_N; i++) {
		const struct pb_call *c = &pb_calls[i];
		long r;
		int e;

		if (c->i386) {
			r = pb_int80(c->a, c->nr);
			e = r < 0 && r > -4096 ? (int)-r : 0;
		} else {
			r = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
			e = r < 0 ? errno : 0;
		}
		struct pb_res res = { .idx = (uint16_t)i, .err = (int16_t)e };

		if (write(fd, &res, sizeof(res)) != sizeof(res)) {
			_exit(1);
		}
	}
	_exit(0);
}

/* Run the calls from first on in one grandchild; fill v[].  Returns the
 * index to go on from (PB_N when done). */
static size_t pb_batch(size_t first, int *v)
{
	struct pb_res res;
	size_t next = first;
	int p[2], st = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		return PB_N;
	}
	/* untraced, and no exit signal: nothing of it reaches the engine */
	pid = (pid_t)syscall(SYS_clone, CLONE_UNTRACED, 0, 0, 0, 0);
	if (pid == 0) {
		close(p[0]);
		pb_child(first, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return PB_N;
	}
	for (;;) {
		ssize_t n = read(p[0], &res, sizeof(res));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n != sizeof(res) || res.idx >= PB_N) {
			break;
		}
		v[res.idx] = res.err;
		next = (size_t)res.idx + 1;
	}
	close(p[0]);
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR) {
	}
	if (next < PB_N && WIFSIGNALED(st)) {
		v[next] = WTERMSIG(st) == SIGSYS ? PB_KILLED : PB_UNPROBED;
		return next + 1;
	}
	return PB_N;
}

static const char *pb_verdict(int v)
{
	switch (v) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case PB_KILLED: return "KILLED";
	default: return NULL;
	}
}

static void pb_add(char *text, size_t *len, const char *a, const char *b)
{
	int n = snprintf(text + *len, GOSHIM_STR_MAX - *len, " %s%s%s", a,
			 b ? "=" : "", b ? b : "");

	if (n > 0) {
		*len += (size_t)n;
	}
	if (*len >= GOSHIM_STR_MAX) {
		*len = GOSHIM_STR_MAX - 1;
	}
}

/* 1 when every i386 call has the same verdict. */
static int pb_i386_alike(const int *v)
{
	int first = -3;

	for (size_t i = 0; i < PB_N; i++) {
		if (pb_calls[i].i386) {
			if (first != -3 && v[i] != first) {
				return 0;
			}
			first = v[i];
		}
	}
	return first != -3;
}

void tr_probe(void)
{
	char text[GOSHIM_STR_MAX] = "seccomp-denied:";
	size_t len = strlen(text);
	int v[PB_N], denied = 0, unprobed = 0;
	char status[4096];
	uint8_t buf[2048];
	struct gs_tlv t;

	for (size_t i = 0; i < PB_N; i++) {
		v[i] = PB_UNPROBED;
	}
	for (size_t i = 0; i < PB_N;) {
		i = pb_batch(i, v);
	}
	int alike = pb_i386_alike(v), i386_done = 0;

	for (size_t i = 0; i < PB_N; i++) {
		const char *s = pb_verdict(v[i]);

		if (s && !(alike && pb_calls[i].i386 && i386_done++)) {
			pb_add(text, &len, alike && pb_calls[i].i386 ? "i386:*" :
				pb_calls[i].name, s);
			denied++;
		}
	}
	if (!denied) {
		pb_add(text, &len, "none", NULL);
	}
	i386_done = 0;
	for (size_t i = 0; i < PB_N; i++) {
		if (v[i] == PB_UNPROBED && !(alike && pb_calls[i].i386 && i386_done++)) {
			if (!unprobed++) {
				pb_add(text, &len, "unprobed:", NULL);
			}
			pb_add(text, &len, alike && pb_calls[i].i386 ? "i386:*" :
				pb_calls[i].name, NULL);
		}
	}
	tr_proc_read(getpid(), "status", status, sizeof(status));
	tr_rec_begin(&t, buf, sizeof(buf), getpid(), getpid(), getppid());
	gs_tlv_str(&t, GOSHIM_T_NOTE, text);
	tr_put_seccomp(&t, status);
	tr_rec_emit(&t, GOSHIM_REC_NOTE);
}
