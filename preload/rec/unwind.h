/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshim's own frame walker for x86_64 (unwind.c, unwind_eh.c,
 * unwind_cfi.c): return addresses from the .eh_frame call frame
 * information of the loaded objects, found with glibc's lock-free,
 * async-signal-safe _dl_find_object and the PT_GNU_EH_FRAME binary-search
 * table.  No dlopen, no descriptor, no malloc, no lock: safe in a signal
 * handler and in a vfork child.
 *
 * Every read of stack memory (saved registers, DW_OP_deref) is checked
 * first: the page must be readable, which the kernel tells without a
 * descriptor (rt_sigprocmask with an invalid `how` copies the new set in
 * before it rejects `how`: EFAULT or EINVAL).  Each frame's stack pointer
 * must lie above the previous one except across a signal frame, and the
 * walk stops at the first frame it cannot explain, so junk in registers
 * or on the stack costs frames, never a fault.  The call frame
 * information of loaded objects is trusted as the loader trusts it.
 *
 * Supported: CIE versions 1 and 3, augmentations z, P, L, R, S; the CFA
 * instructions of DWARF 4 except DW_CFA_set_loc with relative encodings;
 * the DWARF expression operators compilers emit in CFI (the PLT's
 * def_cfa_expression, glibc's __restore_rt signal frame, stack
 * realignment).  A frame without call frame information (code compiled
 * with -fno-asynchronous-unwind-tables, JIT code) is crossed by its frame
 * pointer when %rbp points a little above the stack pointer.
 */
#ifndef GS_UNWIND_H
#define GS_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#define GS_UW_NREG     17u /* DWARF x86_64: 0-15 the GPRs, 16 the return address */
#define GS_UW_RA       16u
#define GS_UW_SP       7u
#define GS_UW_FP       6u
#define GS_UW_REMEMBER 6u  /* DW_CFA_remember_state depth */
#define GS_UW_PAGES    8u  /* readable pages remembered in one walk */

/* Register values of one frame; bit i of `known` says r[i] is valid. */
struct gs_uw_regs {
	uint64_t r[GS_UW_NREG];
	uint32_t known;
};

/* How a register (or the CFA) of the caller is recovered. */
enum gs_uw_how {
	GS_UW_DEFAULT = 0, /* no rule: callee-saved keep their value */
	GS_UW_UNDEF,       /* DW_CFA_undefined                       */
	GS_UW_SAME,        /* DW_CFA_same_value                      */
	GS_UW_OFF,         /* saved at CFA+off                       */
	GS_UW_VALOFF,      /* is CFA+off                             */
	GS_UW_REG,         /* is register `reg` (+off for the CFA)    */
	GS_UW_EXPR,        /* saved at the address expr computes     */
	GS_UW_VALEXPR,     /* is the value expr computes             */
};

struct gs_uw_rule {
	uint8_t how;
	uint8_t reg;
	uint32_t len;      /* expression length                      */
	int64_t off;       /* offset, or the expression's address     */
};

struct gs_uw_row {
	struct gs_uw_rule cfa;
	struct gs_uw_rule reg[GS_UW_NREG];
};

/* A CIE's parameters, as a frame needs them. */
struct gs_uw_cie {
	uint64_t code_align;
	int64_t data_align;
	unsigned ra;
	uint8_t fde_enc;
	uint8_t signal;    /* augmentation S */
	uint8_t has_z;     /* augmentation z: FDEs carry augmentation data */
	const uint8_t *insn, *insn_end;
};

/* The FDE covering one pc. */
struct gs_uw_fde {
	struct gs_uw_cie cie;
	uint64_t pc_begin, pc_end;
	const uint8_t *insn, *insn_end;
};

/* Working memory of one walk (in a recorder scratch slot: the walk may run
 * on a small signal stack). */
struct gs_uw_work {
	struct gs_uw_row row, init, stack[GS_UW_REMEMBER];
	uintptr_t page[GS_UW_PAGES];
	unsigned npage;
};

/* The object lookup: glibc's _dl_find_object.  Set by the caller once
 * (gs_bt_setup); NULL turns the walker off. */
struct dl_find_object;
typedef int (*gs_uw_find_fn)(void *, struct dl_find_object *);
extern gs_uw_find_fn gs_uw_find __attribute__((visibility("hidden")));

/* Fill pcs[0..cap) with the return addresses of the callers of
 * gs_unwind's caller, innermost first (the pc interrupted by a signal
 * as is).  Returns how many; 0 when the walker is off. */
__attribute__((visibility("hidden")))
unsigned gs_unwind(void **pcs, unsigned cap, struct gs_uw_work *w);

/* ---- unwind_eh.c ---------------------------------------------------- */

/* Find the FDE whose range holds pc.  0, or -1 when there is none. */
__attribute__((visibility("hidden")))
int gs_uw_fde_find(uint64_t pc, struct gs_uw_fde *f);

/* Read an encoded pointer (DW_EH_PE_*) at *p, advancing it; pcrel is
 * relative to the field, datarel to `data`.  0, or -1 when unsupported. */
__attribute__((visibility("hidden")))
int gs_uw_enc(const uint8_t **p, const uint8_t *end, uint8_t enc,
	      uintptr_t data, uint64_t *out);

/* Read an n-byte (1 to 8) integer at *p, advancing it, sign-extended when
 * sign.  0, or -1 when fewer than n bytes are left. */
__attribute__((visibility("hidden")))
int gs_uw_fixed(const uint8_t **p, const uint8_t *end, unsigned n, int sign, uint64_t *out);

__attribute__((visibility("hidden")))
uint64_t gs_uw_uleb(const uint8_t **p, const uint8_t *end);
__attribute__((visibility("hidden")))
int64_t gs_uw_sleb(const uint8_t **p, const uint8_t *end);

/* ---- unwind_cfi.c --------------------------------------------------- */

/* Run the CIE's then the FDE's instructions up to pc into w->row.
 * 0, or -1 on an instruction the walker does not know. */
__attribute__((visibility("hidden")))
int gs_uw_cfi_run(const struct gs_uw_fde *f, uint64_t pc, struct gs_uw_work *w);

/* Evaluate a DWARF expression with `push` (when have_push) on the stack.
 * 0 and *out, or -1. */
__attribute__((visibility("hidden")))
int gs_uw_expr(const uint8_t *e, uint32_t len, const struct gs_uw_regs *regs,
	       int have_push, uint64_t push, struct gs_uw_work *w, uint64_t *out);

/* ---- unwind_cache.c ------------------------------------------------ */

/* A cached row: the CFA rule and, for the return address, %rbx, %rbp,
 * %r12-%r15, the offset from the CFA / 8 (0x80: the register is kept). */
struct gs_uw_crow {
	uint8_t cfa_reg;
	int32_t cfa_off;
	uint8_t off[7];
};

/* The cached row of pc: 0, or -1 on a miss. */
__attribute__((visibility("hidden")))
int gs_uw_cache_get(uint64_t pc, struct gs_uw_crow *c);

/* Remember w->row for pc when it has the cached form (else nothing). */
__attribute__((visibility("hidden")))
void gs_uw_cache_put(uint64_t pc, const struct gs_uw_row *row);

/* Unwind one frame of r by a cached row, as uw_step would.  0 or -1. */
__attribute__((visibility("hidden")))
int gs_uw_cache_apply(const struct gs_uw_crow *c, struct gs_uw_regs *r,
		      struct gs_uw_work *w);

/* ---- unwind.c ------------------------------------------------------- */

/* Read 8 bytes at addr when its pages are readable.  0, or -1. */
__attribute__((visibility("hidden")))
int gs_uw_read(struct gs_uw_work *w, uint64_t addr, uint64_t *out);

#endif
