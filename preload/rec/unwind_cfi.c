/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The call frame instructions (DWARF 4, 6.4.2) and the DWARF expressions
 * they carry, interpreted for one pc.  Registers above 16 (vector
 * registers) have their operands parsed and their rules ignored: the walk
 * never needs them.
 */
#include "unwind.h"

#include <string.h>

enum {
	CFA_nop = 0x00, CFA_set_loc, CFA_advance_loc1, CFA_advance_loc2,
	CFA_advance_loc4, CFA_offset_extended, CFA_restore_extended,
	CFA_undefined, CFA_same_value, CFA_register, CFA_remember_state,
	CFA_restore_state, CFA_def_cfa, CFA_def_cfa_register,
	CFA_def_cfa_offset, CFA_def_cfa_expression, CFA_expression,
	CFA_offset_extended_sf, CFA_def_cfa_sf, CFA_def_cfa_offset_sf,
	CFA_val_offset, CFA_val_offset_sf, CFA_val_expression,
	CFA_GNU_args_size = 0x2e, CFA_GNU_negative_offset_extended = 0x2f,
};

/* The register-at-offset instructions: rule, operand sign and encoding. */
static const struct cfi_off {
	uint8_t how;     /* GS_UW_OFF or GS_UW_VALOFF */
	int8_t sign;     /* GNU_negative_offset_extended: -1 */
	uint8_t sleb;    /* the offset is a SLEB128 (the _sf forms) */
} cfi_offs[CFA_GNU_negative_offset_extended + 1] = {
	[CFA_offset_extended] = { GS_UW_OFF, 1, 0 },
	[CFA_offset_extended_sf] = { GS_UW_OFF, 1, 1 },
	[CFA_GNU_negative_offset_extended] = { GS_UW_OFF, -1, 0 },
	[CFA_val_offset] = { GS_UW_VALOFF, 1, 0 },
	[CFA_val_offset_sf] = { GS_UW_VALOFF, 1, 1 },
};

#define HI_ADVANCE 0x40u
#define HI_OFFSET  0x80u
#define HI_RESTORE 0xc0u

struct cfi {
	const struct gs_uw_fde *f;
	struct gs_uw_work *w;
	uint64_t loc, pc;
	unsigned depth;
	int in_cie;
};

static void cfi_set(struct cfi *c, uint64_t reg, uint8_t how, int64_t off,
		    const uint8_t *expr, uint32_t len)
{
	if (reg >= GS_UW_NREG) {
		return;
	}
	struct gs_uw_rule *r = &c->w->row.reg[reg];
	r->how = how;
	r->reg = 0;
	r->len = len;
	r->off = expr ? (int64_t)(intptr_t)expr : off;
}

static void cfi_restore(struct cfi *c, uint64_t reg)
{
	if (reg < GS_UW_NREG) {
		c->w->row.reg[reg] = c->in_cie ? (struct gs_uw_rule){ 0 }
					      : c->w->init.reg[reg];
	}
}

/* Advance the location; 1 when the row for pc is complete. */
static int cfi_advance(struct cfi *c, uint64_t delta)
{
	c->loc += delta * c->f->cie.code_align;
	return !c->in_cie && c->loc > c->pc;
}

/* A block operand (expressions): its address and length. */
static int cfi_block(const uint8_t **p, const uint8_t *end, const uint8_t **e, uint32_t *len)
{
	uint64_t n = gs_uw_uleb(p, end);

	if (n > (uint64_t)(end - *p)) {
		return -1;
	}
	*e = *p;
	*len = (uint32_t)n;
	*p += n;
	return 0;
}

/* Run [p, end).  0 when done (end reached or pc passed), -1 on error. */
static int cfi_exec(struct cfi *c, const uint8_t *p, const uint8_t *end)
{
	struct gs_uw_row *row = &c->w->row;
	int64_t da = c->f->cie.data_align;

	while (p < end) {
		uint8_t op = *p++;
		uint64_t reg, u;
		const uint8_t *e;
		uint32_t len;

		switch (op & 0xc0u) {
		case HI_ADVANCE:
			if (cfi_advance(c, op & 0x3fu)) {
				return 0;
			}
			continue;
		case HI_OFFSET:
			cfi_set(c, op & 0x3fu, GS_UW_OFF, (int64_t)gs_uw_uleb(&p, end) * da, NULL, 0);
			continue;
		case HI_RESTORE:
			cfi_restore(c, op & 0x3fu);
			continue;
		}
		switch (op) {
		case CFA_nop:
		case CFA_GNU_args_size:
			if (op == CFA_GNU_args_size) {
				gs_uw_uleb(&p, end);
			}
			break;
		case CFA_set_loc:
			if (gs_uw_enc(&p, end, c->f->cie.fde_enc, 0, &u) < 0) {
				return -1;
			}
			c->loc = u;
			if (!c->in_cie && c->loc > c->pc) {
				return 0;
			}
			break;
		case CFA_advance_loc1:
			if (p >= end || cfi_advance(c, *p++)) {
				return 0;
			}
			break;
		case CFA_advance_loc2:
		case CFA_advance_loc4:
			if (gs_uw_fixed(&p, end, op == CFA_advance_loc2 ? 2 : 4, 0, &u) < 0) {
				return -1;
			}
			if (cfi_advance(c, u)) {
				return 0;
			}
			break;
		case CFA_offset_extended:
		case CFA_offset_extended_sf:
		case CFA_GNU_negative_offset_extended:
		case CFA_val_offset:
		case CFA_val_offset_sf: {
			const struct cfi_off *o = &cfi_offs[op];
			int64_t off;

			reg = gs_uw_uleb(&p, end);
			off = o->sleb ? gs_uw_sleb(&p, end) : (int64_t)gs_uw_uleb(&p, end);
			cfi_set(c, reg, o->how, o->sign * off * da, NULL, 0);
			break;
		}
		case CFA_restore_extended:
			cfi_restore(c, gs_uw_uleb(&p, end));
			break;
		case CFA_undefined:
			cfi_set(c, gs_uw_uleb(&p, end), GS_UW_UNDEF, 0, NULL, 0);
			break;
		case CFA_same_value:
			cfi_set(c, gs_uw_uleb(&p, end), GS_UW_SAME, 0, NULL, 0);
			break;
		case CFA_register:
			reg = gs_uw_uleb(&p, end);
			u = gs_uw_uleb(&p, end);
			if (u >= GS_UW_NREG) {
				cfi_set(c, reg, GS_UW_UNDEF, 0, NULL, 0);
			} else if (reg < GS_UW_NREG) {
				cfi_set(c, reg, GS_UW_REG, 0, NULL, 0);
				row->reg[reg].reg = (uint8_t)u;
			}
			break;
		case CFA_remember_state:
			if (c->depth >= GS_UW_REMEMBER) {
				return -1;
			}
			c->w->stack[c->depth++] = *row;
			break;
		case CFA_restore_state:
			if (c->depth == 0) {
				return -1;
			}
			*row = c->w->stack[--c->depth]; /* the CFA too, as GCC expects */
			break;
		case CFA_def_cfa:
			reg = gs_uw_uleb(&p, end);
			row->cfa = (struct gs_uw_rule){ GS_UW_REG, (uint8_t)reg, 0,
							(int64_t)gs_uw_uleb(&p, end) };
			if (reg >= GS_UW_NREG) {
				return -1;
			}
			break;
		case CFA_def_cfa_sf:
			reg = gs_uw_uleb(&p, end);
			row->cfa = (struct gs_uw_rule){ GS_UW_REG, (uint8_t)reg, 0,
							gs_uw_sleb(&p, end) * da };
			if (reg >= GS_UW_NREG) {
				return -1;
			}
			break;
		case CFA_def_cfa_register:
			reg = gs_uw_uleb(&p, end);
			if (reg >= GS_UW_NREG) {
				return -1;
			}
			if (row->cfa.how != GS_UW_REG) {
				row->cfa.off = 0;
			}
			row->cfa.how = GS_UW_REG;
			row->cfa.reg = (uint8_t)reg;
			break;
		case CFA_def_cfa_offset:
			row->cfa.off = (int64_t)gs_uw_uleb(&p, end);
			break;
		case CFA_def_cfa_offset_sf:
			row->cfa.off = gs_uw_sleb(&p, end) * da;
			break;
		case CFA_def_cfa_expression:
			if (cfi_block(&p, end, &e, &len) < 0) {
				return -1;
			}
			row->cfa = (struct gs_uw_rule){ GS_UW_EXPR, 0, len, (int64_t)(intptr_t)e };
			break;
		case CFA_expression:
		case CFA_val_expression:
			reg = gs_uw_uleb(&p, end);
			if (cfi_block(&p, end, &e, &len) < 0) {
				return -1;
			}
			cfi_set(c, reg, op == CFA_expression ? GS_UW_EXPR : GS_UW_VALEXPR, 0, e, len);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int gs_uw_cfi_run(const struct gs_uw_fde *f, uint64_t pc, struct gs_uw_work *w)
{
	struct cfi c = { .f = f, .w = w, .loc = f->pc_begin, .pc = pc, .in_cie = 1 };

	memset(&w->row, 0, sizeof(w->row));
	if (cfi_exec(&c, f->cie.insn, f->cie.insn_end) < 0) {
		return -1;
	}
	w->init = w->row;
	c.in_cie = 0;
	c.loc = f->pc_begin;
	c.depth = 0;
	return cfi_exec(&c, f->insn, f->insn_end);
}

/* ---- DWARF expressions ---------------------------------------------- */

#define EX_STACK 16

int gs_uw_expr(const uint8_t *e, uint32_t len, const struct gs_uw_regs *regs,
	       int have_push, uint64_t push, struct gs_uw_work *w, uint64_t *out)
{
	const uint8_t *p = e, *end = e + len;
	uint64_t st[EX_STACK];
	unsigned n = 0;

	if (have_push) {
		st[n++] = push;
	}
	while (p < end) {
		uint8_t op = *p++;
		uint64_t a, b = 0, v = 0;
		unsigned reg;
		int pop2 = 0;

		if (n >= EX_STACK) {
			return -1;
		}
		if (op >= 0x30 && op <= 0x4f) { /* DW_OP_lit0..31 */
			st[n++] = op - 0x30u;
			continue;
		}
		if (op >= 0x50 && op <= 0x6f) { /* DW_OP_reg0..31: not a value */
			return -1;
		}
		if (op >= 0x70 && op <= 0x8f) { /* DW_OP_breg0..31 */
			reg = op - 0x70u;
			int64_t off = gs_uw_sleb(&p, end);
			if (reg >= GS_UW_NREG || !(regs->known & (1u << reg))) {
				return -1;
			}
			st[n++] = regs->r[reg] + (uint64_t)off;
			continue;
		}
		switch (op) {
		case 0x92: /* bregx */
			reg = (unsigned)gs_uw_uleb(&p, end);
			v = (uint64_t)gs_uw_sleb(&p, end);
			if (reg >= GS_UW_NREG || !(regs->known & (1u << reg))) {
				return -1;
			}
			st[n++] = regs->r[reg] + v;
			continue;
		case 0x08: /* const1u */
		case 0x09: /* const1s */
		case 0x0a: /* const2u */
		case 0x0b: /* const2s */
		case 0x0c: /* const4u */
		case 0x0d: /* const4s */
		case 0x0e: /* const8u */
		case 0x0f: { /* const8s */
			static const uint8_t size[] = { 1, 1, 2, 2, 4, 4, 8, 8 };
			unsigned sz = size[op - 0x08], sgn = (op - 0x08u) & 1u;
			if (gs_uw_fixed(&p, end, sz, (int)sgn, &v) < 0) {
				return -1;
			}
			st[n++] = v;
			continue;
		}
		case 0x10: /* constu */
			st[n++] = gs_uw_uleb(&p, end);
			continue;
		case 0x11: /* consts */
			st[n++] = (uint64_t)gs_uw_sleb(&p, end);
			continue;
		case 0x96: /* nop */
			continue;
		}
		/* operators on the stack */
		if (n == 0) {
			return -1;
		}
		a = st[n - 1];
		switch (op) {
		case 0x06: /* deref */
			if (gs_uw_read(w, a, &st[n - 1]) < 0) {
				return -1;
			}
			continue;
		case 0x12: /* dup */
			st[n++] = a;
			continue;
		case 0x13: /* drop */
			n--;
			continue;
		case 0x1f: /* neg */
			st[n - 1] = -a;
			continue;
		case 0x20: /* not */
			st[n - 1] = ~a;
			continue;
		case 0x23: /* plus_uconst */
			st[n - 1] = a + gs_uw_uleb(&p, end);
			continue;
		}
		if (n < 2) {
			return -1;
		}
		b = st[n - 2]; /* b op a */
		pop2 = 1;
		switch (op) {
		case 0x14: /* over */
			st[n++] = b;
			pop2 = 0;
			break;
		case 0x16: /* swap */
			st[n - 1] = b;
			st[n - 2] = a;
			pop2 = 0;
			break;
		case 0x1a: v = b & a; break;
		case 0x1c: v = b - a; break;
		case 0x1e: v = b * a; break;
		case 0x21: v = b | a; break;
		case 0x22: v = b + a; break;
		case 0x24: v = a < 64 ? b << a : 0; break;
		case 0x25: v = a < 64 ? b >> a : 0; break;
		case 0x26: v = a < 64 ? (uint64_t)((int64_t)b >> a) : 0; break;
		case 0x27: v = b ^ a; break;
		case 0x29: v = b == a; break;
		case 0x2a: v = (int64_t)b >= (int64_t)a; break;
		case 0x2b: v = (int64_t)b > (int64_t)a; break;
		case 0x2c: v = (int64_t)b <= (int64_t)a; break;
		case 0x2d: v = (int64_t)b < (int64_t)a; break;
		case 0x2e: v = b != a; break;
		default:
			return -1;
		}
		if (pop2) {
			st[n - 2] = v;
			n--;
		}
	}
	if (n == 0) {
		return -1;
	}
	*out = st[n - 1];
	return 0;
}
