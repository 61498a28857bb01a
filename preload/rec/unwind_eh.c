/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Finding and parsing the FDE of a pc: the object from _dl_find_object,
 * its PT_GNU_EH_FRAME header's sorted table (datarel sdata4 pairs, as
 * every GNU, gold, lld and mold link writes it), then the FDE and its CIE.
 */
#include "unwind.h"

#include <dlfcn.h>
#include <string.h>

#define PE_OMIT    0xffu
#define PE_ABSPTR  0x00u
#define PE_ULEB    0x01u
#define PE_UDATA2  0x02u
#define PE_UDATA4  0x03u
#define PE_UDATA8  0x04u
#define PE_SLEB    0x09u
#define PE_SDATA2  0x0au
#define PE_SDATA4  0x0bu
#define PE_SDATA8  0x0cu
#define PE_PCREL   0x10u
#define PE_DATAREL 0x30u
#define PE_INDIRECT 0x80u
#define HDR_TABLE  (PE_DATAREL | PE_SDATA4)

gs_uw_find_fn gs_uw_find;

uint64_t gs_uw_uleb(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (*p < end) {
		uint8_t b = *(*p)++;
		if (shift < 64) {
			v |= (uint64_t)(b & 0x7f) << shift;
		}
		shift += 7;
		if (!(b & 0x80)) {
			break;
		}
	}
	return v;
}

int64_t gs_uw_sleb(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	while (*p < end) {
		b = *(*p)++;
		if (shift < 64) {
			v |= (uint64_t)(b & 0x7f) << shift;
		}
		shift += 7;
		if (!(b & 0x80)) {
			break;
		}
	}
	if (shift < 64 && (b & 0x40)) {
		v |= ~(uint64_t)0 << shift;
	}
	return (int64_t)v;
}

int gs_uw_fixed(const uint8_t **p, const uint8_t *end, unsigned n, int sign, uint64_t *out)
{
	uint64_t v = 0;

	if ((size_t)(end - *p) < n) {
		return -1;
	}
	memcpy(&v, *p, n); /* little-endian: the walker is x86_64's */
	*p += n;
	if (sign && n < 8) {
		unsigned shift = 64 - 8 * n;
		v = (uint64_t)((int64_t)(v << shift) >> shift);
	}
	*out = v;
	return 0;
}

/* Bytes of the fixed-size encodings, by the low three bits (the fourth
 * is the sign): absptr, udata2/sdata2, udata4/sdata4, udata8/sdata8. */
static const uint8_t eh_width[8] = { [0] = 8, [2] = 2, [3] = 4, [4] = 8 };

int gs_uw_enc(const uint8_t **p, const uint8_t *end, uint8_t enc,
	      uintptr_t data, uint64_t *out)
{
	uintptr_t field = (uintptr_t)*p;
	uint64_t v = 0;

	if (enc == PE_OMIT) {
		*out = 0;
		return 0;
	}
	switch (enc & 0x0fu) {
	case PE_ABSPTR:
	case PE_UDATA2:
	case PE_UDATA4:
	case PE_UDATA8:
	case PE_SDATA2:
	case PE_SDATA4:
	case PE_SDATA8:
		if (gs_uw_fixed(p, end, eh_width[enc & 0x07u], enc & 0x08u, &v) < 0) {
			return -1;
		}
		break;
	case PE_ULEB:
		v = gs_uw_uleb(p, end);
		break;
	case PE_SLEB:
		v = (uint64_t)gs_uw_sleb(p, end);
		break;
	default:
		return -1;
	}
	switch (enc & 0x70u) {
	case 0:
		break;
	case PE_PCREL:
		v += field;
		break;
	case PE_DATAREL:
		v += data;
		break;
	default:
		return -1; /* textrel, funcrel, aligned: not in x86_64 .eh_frame */
	}
	*out = v; /* indirect: only personality routines use it; never followed */
	return 0;
}

/* A length-prefixed .eh_frame entry at p: its body [*body, *end). */
static int eh_entry(const uint8_t *p, const uint8_t **body, const uint8_t **end)
{
	uint32_t len32;
	uint64_t len;

	memcpy(&len32, p, 4);
	p += 4;
	len = len32;
	if (len32 == 0xffffffffu) {
		memcpy(&len, p, 8);
		p += 8;
	}
	if (len == 0 || len > (1u << 30)) {
		return -1;
	}
	*body = p;
	*end = p + len;
	return 0;
}

static int eh_cie(const uint8_t *cie, struct gs_uw_cie *c)
{
	const uint8_t *p, *end;
	uint64_t id;

	if (eh_entry(cie, &p, &end) < 0 || gs_uw_fixed(&p, end, 4, 0, &id) < 0 || id != 0) {
		return -1;
	}
	uint8_t version = *p++;
	const char *aug = (const char *)p;
	while (p < end && *p) {
		p++;
	}
	if (p >= end || (version != 1 && version != 3 && version != 4)) {
		return -1;
	}
	p++;
	if (version == 4) {
		p += 2; /* address_size, segment_selector_size */
	}
	c->code_align = gs_uw_uleb(&p, end);
	c->data_align = gs_uw_sleb(&p, end);
	c->ra = version == 1 ? *p++ : (unsigned)gs_uw_uleb(&p, end);
	c->fde_enc = PE_ABSPTR;
	c->signal = 0;
	c->has_z = 0;
	if (aug[0] == 'z') {
		uint64_t alen = gs_uw_uleb(&p, end);
		const uint8_t *adata = p, *aend = p + alen;
		uint64_t skip;
		if (alen > (uint64_t)(end - p)) {
			return -1;
		}
		c->has_z = 1;
		for (const char *a = aug + 1; *a && p < aend; a++) {
			switch (*a) {
			case 'P': {
				uint8_t enc = *p++;
				if (gs_uw_enc(&p, aend, enc & (uint8_t)~PE_INDIRECT, 0, &skip) < 0) {
					return -1;
				}
				break;
			}
			case 'L':
				p++;
				break;
			case 'R':
				c->fde_enc = *p++;
				break;
			case 'S':
			case 'B':
			case 'G':
				break; /* no data */
			default:
				p = aend; /* unknown: the rest is skipped by length */
				break;
			}
		}
		for (const char *a = aug + 1; *a; a++) {
			c->signal |= *a == 'S';
		}
		p = adata + alen;
	} else if (aug[0]) {
		return -1; /* "eh" and other ancient forms */
	}
	c->insn = p;
	c->insn_end = end;
	return 0;
}

/* The FDE address for pc from the header's table, or NULL. */
static const uint8_t *eh_search(const uint8_t *hdr, uint64_t pc)
{
	const uint8_t *p = hdr + 4, *lim = hdr + 64;
	uint64_t frame, count;

	if (hdr[0] != 1 || hdr[3] != HDR_TABLE ||
	    gs_uw_enc(&p, lim, hdr[1], (uintptr_t)hdr, &frame) < 0 ||
	    gs_uw_enc(&p, lim, hdr[2], (uintptr_t)hdr, &count) < 0 || count == 0) {
		return NULL;
	}
	const int32_t *t = (const int32_t *)p;
	uint64_t lo = 0, hi = count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if ((uint64_t)((intptr_t)hdr + t[2 * mid]) <= pc) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	if ((uint64_t)((intptr_t)hdr + t[2 * lo]) > pc) {
		return NULL;
	}
	return hdr + t[2 * lo + 1];
}

int gs_uw_fde_find(uint64_t pc, struct gs_uw_fde *f)
{
	struct dl_find_object o;
	const uint8_t *fde, *p, *end;
	uint64_t cie_off;
	uint64_t range;

	if (!gs_uw_find || gs_uw_find((void *)pc, &o) != 0 || !o.dlfo_eh_frame) {
		return -1;
	}
	fde = eh_search((const uint8_t *)o.dlfo_eh_frame, pc);
	if (!fde || eh_entry(fde, &p, &end) < 0) {
		return -1;
	}
	const uint8_t *idp = p;
	if (gs_uw_fixed(&p, end, 4, 0, &cie_off) < 0 || cie_off == 0 ||
	    eh_cie(idp - cie_off, &f->cie) < 0) {
		return -1;
	}
	if (gs_uw_enc(&p, end, f->cie.fde_enc, 0, &f->pc_begin) < 0 ||
	    gs_uw_enc(&p, end, f->cie.fde_enc & 0x0fu, 0, &range) < 0) {
		return -1;
	}
	f->pc_end = f->pc_begin + range;
	if (pc < f->pc_begin || pc >= f->pc_end) {
		return -1;
	}
	if (f->cie.has_z) {
		uint64_t alen = gs_uw_uleb(&p, end);
		if (alen > (uint64_t)(end - p)) {
			return -1;
		}
		p += alen; /* the LSDA pointer */
	}
	f->insn = p;
	f->insn_end = end;
	return 0;
}
