/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filter: ALLOW by default, TRACE(row index) for each row of
 * tr_table.  One libseccomp context per architecture, merged: a rule added
 * to a two-architecture context would be translated to both, and the
 * i386 calls (stat64, mmap2, ...) take different ids and arguments.  Other
 * architectures (x32, anything unknown) are allowed, not killed. */
#include <errno.h>
#include <seccomp.h>
#include <sys/mman.h>

#include "tr.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define TR_HUGE (1ull << 30)

static int flt_rule(scmp_filter_ctx ctx, size_t idx)
{
	const struct tr_sc *s = &tr_table[idx];
	uint32_t act = SCMP_ACT_TRACE(idx);

	switch (s->cond) {
	case TR_C_HUGE:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A1(SCMP_CMP_GE, TR_HUGE));
	case TR_C_FIXED:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED, MAP_FIXED));
	case TR_C_NOREPLACE:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 1,
					SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED_NOREPLACE,
						MAP_FIXED_NOREPLACE));
	default:
		return seccomp_rule_add(ctx, act, s->scmp_nr, 0);
	}
}

static scmp_filter_ctx flt_ctx(uint8_t arch, int nnp)
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
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, nnp ? 1 : 0);
	}
	if (rc == 0) {
		/* a binary tree: a few comparisons per syscall, not ~40 */
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	}
	for (size_t i = 0; rc == 0 && i < tr_table_len; i++) {
		if (tr_table[i].arch == arch) {
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
static scmp_filter_ctx flt_merged(int nnp)
{
	scmp_filter_ctx c64 = flt_ctx(TR_X86_64, nnp);
	scmp_filter_ctx c32 = flt_ctx(TR_I386, nnp);

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

int tr_filter_export(int fd)
{
	scmp_filter_ctx c = flt_merged(0);
	int rc;

	if (!c) {
		return -EINVAL;
	}
	rc = seccomp_export_bpf(c, fd);
	seccomp_release(c);
	return rc;
}

int tr_filter_load(int nnp)
{
	scmp_filter_ctx c64 = flt_ctx(TR_X86_64, nnp);
	scmp_filter_ctx c32 = flt_ctx(TR_I386, nnp);
	int rc = -EINVAL;

	if (c64 && c32) {
		rc = seccomp_merge(c64, c32);
		if (rc == 0) {
			c32 = NULL; /* merged contexts are released by libseccomp */
			rc = seccomp_load(c64);
		}
	}
	if (c32) {
		seccomp_release(c32);
	}
	if (c64) {
		seccomp_release(c64);
	}
	return rc;
}
