/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: which watched syscalls does the current seccomp policy deny?
 * Each probe runs in its own forked child, so that a filter that kills
 * (SECCOMP_RET_KILL) costs only that child, and a personality change
 * never touches doctor itself. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "flags.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* Each returns 0 when the kernel let the call through, else errno. */
static int ds_memfd(void)
{
	long r = syscall(SYS_memfd_create, "goshim-doctor", 1 /* MFD_CLOEXEC */);

	return r < 0 ? errno : 0;
}

static int ds_statx(void)
{
	char buf[256];
	long r = syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, buf);

	return r < 0 ? errno : 0;
}

static int ds_faccessat2(void)
{
	long r = syscall(SYS_faccessat2, AT_FDCWD, "/", F_OK, 0);

	return r < 0 ? errno : 0;
}

/* size 0 is invalid: an allowed clone3 fails with EINVAL, creating nothing */
static int ds_clone3(void)
{
	long r = syscall(SYS_clone3, NULL, 0);

	return r < 0 && errno != EINVAL ? errno : 0;
}

/* what TSan does: personality(old | ADDR_NO_RANDOMIZE) */
static int ds_personality(void)
{
	long cur = syscall(SYS_personality, 0xffffffffUL);

	if (cur < 0) {
		return errno;
	}
	return syscall(SYS_personality, (unsigned long)cur | ADDR_NO_RANDOMIZE) < 0 ? errno : 0;
}

#if defined(SYS_clock_gettime64) && !defined(__LP64__)
#define DS_HAVE_TIME64 1
#include <time.h>
/* 32-bit only: the time64 syscall a time64 libc uses */
static int ds_time64(void)
{
	struct { long long s; long long ns; } ts;

	return syscall(SYS_clock_gettime64, CLOCK_REALTIME, &ts) < 0 ? errno : 0;
}
#endif

struct ds_probe {
	const char *name;
	int (*fn)(void);
	int enosys_is_denial;  /* memfd: a filter answering ENOSYS breaks users too */
};

static const struct ds_probe ds_probes[] = {
	{ "memfd_create", ds_memfd, 1 },
	{ "statx", ds_statx, 0 },
	{ "faccessat2", ds_faccessat2, 0 },
	{ "clone3", ds_clone3, 0 },
	{ "personality", ds_personality, 0 },
};

#ifdef DS_HAVE_TIME64
static const struct ds_probe ds_time64_probe = { "clock_gettime64", ds_time64, 0 };
#endif

static int ds_mode(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int mode = -1;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Seccomp: %d", &mode) == 1) {
			break;
		}
	}
	if (f) {
		fclose(f);
	}
	return mode;
}

static void ds_one(struct gs_doc *d, const struct ds_probe *p, int mode)
{
	int r = gs_doc_in_child(p->fn);
	char check[64];
	struct gs_facts f = { 0 };

	snprintf(check, sizeof(check), "seccomp %s", p->name);
	if (r == GS_DOC_NO_CHILD) {
		gs_doc_check(d, check, GS_CHK_SKIPPED, "could not fork a probe: %s", strerror(errno));
		return;
	}
	if (r == 0) {
		gs_doc_check(d, check, GS_CHK_OK, "allowed");
		return;
	}
	if (r == ENOSYS && (!p->enosys_is_denial || mode != 2)) {
		gs_doc_check(d, check, GS_CHK_NOTE, "ENOSYS: %s; callers fall back",
			     mode == 2 ? "not implemented or answered ENOSYS by the filter" :
			     "not implemented by this kernel");
		return;
	}
	if (r > 0 && r != EPERM && r != EACCES && r != ENOSYS) {
		gs_doc_check(d, check, GS_CHK_NOTE, "failed with %s (not a policy denial)",
			     gs_errno_name(r) ? gs_errno_name(r) : "?");
		return;
	}
	gs_facts_set(&f, "call", "%s", p->name);
	gs_facts_set(&f, "seccomp", "%d", mode);
	if (r < 0) {
		const char *s = gs_signal_name(-r);
		gs_facts_set(&f, "errno", "killed by %s", s ? s : "a signal");
		gs_doc_check(d, check, GS_CHK_PROBLEM, "the probe was killed by %s", s ? s : "a signal");
	} else {
		gs_facts_set(&f, "errno", "%s", gs_errno_name(r));
		gs_doc_check(d, check, GS_CHK_PROBLEM, "denied with %s (Seccomp: %d)",
			     gs_errno_name(r), mode);
	}
	gs_facts_set(&f, "exe_base", "goshimctl");
	gs_doc_found(d, check, "denied", &f);
}

void gs_doctor_seccomp(struct gs_doc *d)
{
	int mode = ds_mode();

	gs_doc_check(d, "seccomp mode", mode == 2 ? GS_CHK_NOTE : GS_CHK_OK, "%s",
		     mode == 2 ? "filter (probing the watched syscalls)" :
		     mode == 0 ? "off" : mode == 1 ? "strict" : "unknown");
	for (size_t i = 0; i < sizeof(ds_probes) / sizeof(ds_probes[0]); i++) {
		ds_one(d, &ds_probes[i], mode);
	}
#ifdef DS_HAVE_TIME64
	ds_one(d, &ds_time64_probe, mode);
#else
	{
		gs_doc_check(d, "seccomp clock_gettime64", GS_CHK_NOTE,
			     "not applicable: 64-bit build (the time64 syscalls exist only for "
			     "32-bit programs; check a 32-bit image with a 32-bit goshimctl)");
	}
#endif
}
