/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The walk: capture the registers, then frame by frame apply the row of
 * the FDE covering the pc (or the frame pointer when there is none) to
 * recover the caller's registers.  See unwind.h.
 */
#include "unwind.h"

#include <signal.h>
#include <sys/syscall.h>

#include "sys.h"

#if defined(__x86_64__)

#define PAGE            4096u
#define FP_REACH        (1u << 20) /* %rbp trusted up to 1 MiB above %rsp */
#define CALLEE_SAVED    ((1u << 3) | (1u << 6) | (1u << 12) | (1u << 13) | \
			 (1u << 14) | (1u << 15))
#define CAPTURED        (CALLEE_SAVED | (1u << GS_UW_SP) | (1u << GS_UW_RA))

/* Store %rbx, %rbp, %r12-%r15, the caller's %rsp after the return and the
 * return address into r->r[] (DWARF numbering): the state of the caller
 * right after this call. */
__attribute__((visibility("hidden"))) void gs_uw_capture(struct gs_uw_regs *r);
__asm__(".text\n"
	".globl gs_uw_capture\n"
	".hidden gs_uw_capture\n"
	".type gs_uw_capture, @function\n"
	"gs_uw_capture:\n"
	".cfi_startproc\n"
	"\tmovq %rbx, 24(%rdi)\n"
	"\tmovq %rbp, 48(%rdi)\n"
	"\tleaq 8(%rsp), %rax\n"
	"\tmovq %rax, 56(%rdi)\n"
	"\tmovq %r12, 96(%rdi)\n"
	"\tmovq %r13, 104(%rdi)\n"
	"\tmovq %r14, 112(%rdi)\n"
	"\tmovq %r15, 120(%rdi)\n"
	"\tmovq (%rsp), %rax\n"
	"\tmovq %rax, 128(%rdi)\n"
	"\tret\n"
	".cfi_endproc\n"
	".size gs_uw_capture, .-gs_uw_capture\n");

/* Is the page at pg readable?  rt_sigprocmask copies the new set in before
 * it looks at `how`: EFAULT, or EINVAL for the invalid how. */
static int uw_page_ok(struct gs_uw_work *w, uintptr_t pg)
{
	for (unsigned i = 0; i < w->npage && i < GS_UW_PAGES; i++) {
		if (w->page[i] == pg) {
			return 1;
		}
	}
	long rc = gs_sys4(SYS_rt_sigprocmask, -1, pg, 0, 8);
	if (rc != -22 /* EINVAL */) {
		return 0;
	}
	w->page[w->npage++ % GS_UW_PAGES] = pg;
	return 1;
}

int gs_uw_read(struct gs_uw_work *w, uint64_t addr, uint64_t *out)
{
	uintptr_t a = (uintptr_t)addr;

	if (a < PAGE || a > UINTPTR_MAX - 8 ||
	    !uw_page_ok(w, a & ~(uintptr_t)(PAGE - 1)) ||
	    !uw_page_ok(w, (a + 7) & ~(uintptr_t)(PAGE - 1))) {
		return -1;
	}
	__builtin_memcpy(out, (const void *)a, 8);
	return 0;
}

/* The caller of a frame without call frame information, by its frame
 * pointer: CFA = %rbp + 16, return address at %rbp + 8, saved %rbp at
 * %rbp. */
static int uw_step_fp(struct gs_uw_regs *r, struct gs_uw_work *w)
{
	uint64_t fp = r->r[GS_UW_FP], sp = r->r[GS_UW_SP], ra, saved;

	if (!(r->known & (1u << GS_UW_FP)) || fp < sp || fp - sp > FP_REACH ||
	    (fp & 7u) || gs_uw_read(w, fp + 8, &ra) < 0 ||
	    gs_uw_read(w, fp, &saved) < 0) {
		return -1;
	}
	r->r[GS_UW_FP] = saved;
	r->r[GS_UW_SP] = fp + 16;
	r->r[GS_UW_RA] = ra;
	r->known &= CAPTURED;
	return 0;
}

/* Recover one register of the caller by its rule. */
static int uw_reg(const struct gs_uw_rule *rule, unsigned i, uint64_t cfa,
		  const struct gs_uw_regs *old, struct gs_uw_work *w, uint64_t *out)
{
	uint64_t a;

	switch (rule->how) {
	case GS_UW_DEFAULT:
	case GS_UW_SAME:
		if (!(old->known & (1u << i)) ||
		    (rule->how == GS_UW_DEFAULT && !(CALLEE_SAVED & (1u << i)))) {
			return -1;
		}
		*out = old->r[i];
		return 0;
	case GS_UW_OFF:
		return gs_uw_read(w, cfa + (uint64_t)rule->off, out);
	case GS_UW_VALOFF:
		*out = cfa + (uint64_t)rule->off;
		return 0;
	case GS_UW_REG:
		if (!(old->known & (1u << rule->reg))) {
			return -1;
		}
		*out = old->r[rule->reg];
		return 0;
	case GS_UW_EXPR:
		if (gs_uw_expr((const uint8_t *)(intptr_t)rule->off, rule->len, old, 1, cfa, w, &a) < 0) {
			return -1;
		}
		return gs_uw_read(w, a, out);
	case GS_UW_VALEXPR:
		return gs_uw_expr((const uint8_t *)(intptr_t)rule->off, rule->len, old, 1, cfa, w, out);
	default:
		return -1;
	}
}

/* Unwind one frame: r becomes the caller's registers.  *sig says whether
 * the pc is exact (the frame was interrupted by a signal) on entry, and
 * whether the frame just unwound was a signal frame on return.  0, 1 at
 * the outermost frame, -1 when the walk cannot go on. */
static int uw_step(struct gs_uw_regs *r, int *sig, struct gs_uw_work *w)
{
	struct gs_uw_fde f;
	uint64_t pc = r->r[GS_UW_RA], cfa;
	uint64_t look = *sig ? pc : pc - 1;
	struct gs_uw_regs old;
	struct gs_uw_crow c;

	if (gs_uw_cache_get(look, &c) == 0) {
		*sig = 0;
		return gs_uw_cache_apply(&c, r, w);
	}
	old = *r;
	if (gs_uw_fde_find(look, &f) < 0) {
		*sig = 0;
		return uw_step_fp(r, w);
	}
	if (f.cie.ra >= GS_UW_NREG || gs_uw_cfi_run(&f, look, w) < 0) {
		return -1;
	}
	const struct gs_uw_row *row = &w->row;
	if (row->cfa.how == GS_UW_REG) {
		if (!(old.known & (1u << row->cfa.reg))) {
			return -1;
		}
		cfa = old.r[row->cfa.reg] + (uint64_t)row->cfa.off;
	} else if (row->cfa.how == GS_UW_EXPR) {
		if (gs_uw_expr((const uint8_t *)(intptr_t)row->cfa.off, row->cfa.len,
			       &old, 0, 0, w, &cfa) < 0) {
			return -1;
		}
	} else {
		return -1;
	}
	if (row->reg[f.cie.ra].how == GS_UW_UNDEF) {
		return 1; /* _start, clone, thread start: the outermost frame */
	}
	if (!f.cie.signal && f.cie.ra == GS_UW_RA) {
		gs_uw_cache_put(look, row);
	}
	r->known = 0;
	for (unsigned i = 0; i < GS_UW_NREG; i++) {
		unsigned src = i == GS_UW_RA ? f.cie.ra : i;
		if (uw_reg(&row->reg[src], src, cfa, &old, w, &r->r[i]) == 0) {
			r->known |= 1u << i;
		}
	}
	if (row->reg[GS_UW_SP].how == GS_UW_DEFAULT) {
		r->r[GS_UW_SP] = cfa; /* the CFA is the caller's %rsp */
		r->known |= 1u << GS_UW_SP;
	}
	if (!(r->known & (1u << GS_UW_RA)) || !(r->known & (1u << GS_UW_SP))) {
		return -1;
	}
	/* Outwards only, except out of a signal frame (an alternate stack). */
	if (!f.cie.signal && r->r[GS_UW_SP] <= old.r[GS_UW_SP]) {
		return -1;
	}
	*sig = f.cie.signal;
	return 0;
}

__attribute__((noinline)) unsigned gs_unwind(void **pcs, unsigned cap, struct gs_uw_work *w)
{
	struct gs_uw_regs r = { .known = CAPTURED };
	unsigned n = 0;
	int sig = 0;

	if (!gs_uw_find) {
		return 0;
	}
	gs_uw_capture(&r);
	/* the page this walk runs on is readable: no check for it */
	w->page[0] = r.r[GS_UW_SP] & ~(uint64_t)(PAGE - 1);
	w->npage = 1;
	while (n < cap && uw_step(&r, &sig, w) == 0 && r.r[GS_UW_RA] != 0) {
		pcs[n++] = (void *)(uintptr_t)r.r[GS_UW_RA];
	}
	return n;
}

#else /* the walker knows x86_64 only: no backtraces elsewhere */

int gs_uw_read(struct gs_uw_work *w, uint64_t addr, uint64_t *out)
{
	(void)w;
	(void)addr;
	(void)out;
	return -1;
}

unsigned gs_unwind(void **pcs, unsigned cap, struct gs_uw_work *w)
{
	(void)pcs;
	(void)cap;
	(void)w;
	return 0;
}

#endif
