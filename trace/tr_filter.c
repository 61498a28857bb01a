/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filter: ALLOW by default, NOTIFY for each row of tr_table,
 * and ERRNO(GOSHIM_PROBE_ERRNO) for prctl(GOSHIM_PROBE_PRCTL), the in-kernel
 * answer to "is this process under goshim?".  One libseccomp context per
 * architecture, merged: a rule added to a two-architecture context would
 * be translated to both, and the i386 calls (stat64, mmap2, ...) take
 * different ids and arguments.  Other architectures (x32, anything
 * unknown) are allowed, not killed.  The filter is exported as raw BPF
 * and loaded with seccomp(2) itself: the hand-over's host loads the same
 * bytes, and only seccomp(2) gives back the listener.  It is loaded with
 * SECCOMP_FILTER_FLAG_SPEC_ALLOW: an observer, not a sandbox, it must not
 * turn on the Speculative Store Bypass mitigation that kernels before 5.16
 * force on every filtered task (a slowdown of the whole program). */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif

#include "tr.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define TR_HUGE (1ull << 30)

static int flt_rule(scmp_filter_ctx ctx, size_t idx)
{
	const struct tr_sc *s = &tr_table[idx];
	uint32_t act = SCMP_ACT_NOTIFY;

	switch (s->cond) {
	case TR_C_HUGE:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A1(SCMP_CMP_GE, TR_HUGE));
	case TR_C_FIXED:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED, MAP_FIXED));
	case TR_C_SETS:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1, SCMP_A2(SCMP_CMP_NE, 0));
	case TR_C_NOREPLACE:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED_NOREPLACE,
						MAP_FIXED_NOREPLACE));
	default:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 0);
	}
}

static scmp_filter_ctx flt_ctx(uint8_t arch)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = 0;

	if (!ctx) {
		return NULL;
	}
	if (arch == TR_I386) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
		if (rc == 0) {
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		}
	}
	if (rc == 0) {
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	}
	if (rc == 0) {
		/* a binary tree: a few comparisons per syscall, not ~40 */
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	}
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(GOSHIM_PROBE_ERRNO), SCMP_SYS(prctl), 1,
				      SCMP_A0(SCMP_CMP_EQ, GOSHIM_PROBE_PRCTL));
	}
	for (size_t i = 0; rc == 0 && i < tr_table_len; i++) {
		if (tr_table[i].arch == arch && tr_ebpf_filters(i)) {
			rc = flt_rule(ctx, i);
			if (rc < 0) {
				tr_dbg("seccomp rule %s: %d\n", tr_table[i].name, rc);
			}
		}
	}
	if (rc < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* Both architectures merged into one context, or NULL. */
static scmp_filter_ctx flt_merged(void)
{
	scmp_filter_ctx c64 = flt_ctx(TR_X86_64);
	scmp_filter_ctx c32 = flt_ctx(TR_I386);

	if (c64 && c32 && seccomp_merge(c64, c32) == 0) {
		return c64; /* c32 is released by the merge */
	}
	if (c32) {
		seccomp_release(c32);
	}
	if (c64) {
		seccomp_release(c64);
	}
	return NULL;
}

#define FLT_CAP (4096 * sizeof(struct sock_filter))  /* BPF_MAXINSNS */

/* Linux 5.5 at least: before it a notification cannot be answered with
 * "let the call run" (SECCOMP_USER_NOTIF_FLAG_CONTINUE), and the calls
 * would wait forever. */
static int flt_kernel_ok(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	return uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       (major > 5 || (major == 5 && minor >= 5));
}

/* Through a pipe, not a memfd: the policy we run under may deny
 * memfd_create, and a pipe holds 64 KiB, twice the largest filter. */
void *tr_filter_bytes(size_t *len)
{
	scmp_filter_ctx c = flt_merged();
	size_t got = 0;
	char *p;
	int fds[2] = { -1, -1 };
	ssize_t n;

	*len = 0;
	if (!flt_kernel_ok()) {
		if (c) {
			seccomp_release(c);
		}
		errno = ENOSYS;
		return NULL;
	}
	if (!c || pipe2(fds, O_CLOEXEC) < 0) {
		if (c) {
			seccomp_release(c);
		}
		return NULL;
	}
	p = mmap(NULL, FLT_CAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || seccomp_export_bpf(c, fds[1]) != 0) {
		p = p == MAP_FAILED ? NULL : (munmap(p, FLT_CAP), NULL);
	}
	seccomp_release(c);
	close(fds[1]);
	while (p && got < FLT_CAP && ((n = read(fds[0], p + got, FLT_CAP - got)) > 0 ||
				      (n < 0 && errno == EINTR))) {
		got += n > 0 ? (size_t)n : 0;
	}
	close(fds[0]);
	if (p && (got == 0 || got % sizeof(struct sock_filter))) {
		munmap(p, FLT_CAP);
		p = NULL;
	}
	*len = p ? got : 0;
	return p;
}

void tr_filter_free(void *p)
{
	if (p) {
		munmap(p, FLT_CAP);
	}
}

int tr_filter_load(void)
{
	size_t len;
	void *bpf = tr_filter_bytes(&len);
	struct sock_fprog prog = { .len = (unsigned short)(len / sizeof(struct sock_filter)),
				   .filter = bpf };
	long fd;
	int nnp = geteuid() != 0, had = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;

	if (!bpf) {
		return errno == ENOSYS ? -ENOSYS : -EINVAL;
	}
	for (;;) {
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			fd = -errno;
			break;
		}
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_SPEC_ALLOW,
			     &prog);
		if (fd < 0) {
			fd = -errno;
		}
		if (fd == -EACCES && !nnp) {
			nnp = 1; /* root without CAP_SYS_ADMIN */
			continue;
		}
		break;
	}
	tr_filter_free(bpf);
	if (fd >= 0 && nnp && !had) {
		tr_note(getpid(), "no-new-privs: set to load the seccomp filter (%s): setuid, "
			"setgid and file-capability programs of this tree run without their "
			"privilege", geteuid() ? "not root" : "root without CAP_SYS_ADMIN");
	}
	return (int)fd;
}
