/* SPDX-License-Identifier: Apache-2.0 */
/* Symbol versions: DT_VERNEED (what a program needs: GLIBC_2.34 of
 * libc.so.6) and DT_VERDEF (what a library has), from PT_DYNAMIC. */
#include "elfread.h"

#include <elf.h>

/* What the dynamic section says about one table. */
struct ev_dyn {
	uint64_t strtab, strsz, table, num;
	uint64_t str_pos, str_avail;
};

/* Read DT_STRTAB, DT_STRSZ and the table (tag, count tag) of PT_DYNAMIC. */
static int ev_dyn(const struct gs_elf *e, int64_t tag, int64_t num_tag, struct ev_dyn *d)
{
	unsigned w = e->cls == ELFCLASS64 ? 8 : 4;
	struct gs_elf_seg s;
	unsigned i;

	*d = (struct ev_dyn){ 0 };
	for (i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) == 0 && s.type == PT_DYNAMIC) {
			break;
		}
	}
	if (i == e->phnum) {
		return -1;
	}
	for (uint64_t k = 0; k < GS_ELF_VER_MAX; k++) {
		uint8_t ent[16];

		if (gs_elf_seg_read(e, &s, k * 2 * w, ent, 2 * w) != 2 * w) {
			break;
		}
		int64_t t = (int64_t)gs_elf_get(e, ent, w);
		uint64_t v = gs_elf_get(e, ent + w, w);

		if (w == 4) {
			t = (int32_t)t;
		}
		if (t == DT_NULL) {
			break;
		}
		d->strtab = t == DT_STRTAB ? v : d->strtab;
		d->strsz = t == DT_STRSZ ? v : d->strsz;
		d->table = t == tag ? v : d->table;
		d->num = t == num_tag ? v : d->num;
	}
	if (!d->table || !d->num || !d->strtab ||
	    gs_elf_vaddr_pos(e, d->strtab, &d->str_pos, &d->str_avail) < 0) {
		return -1;
	}
	if (d->strsz && d->strsz < d->str_avail) {
		d->str_avail = d->strsz;
	}
	return 0;
}

/* The string at off in the dynamic string table, into buf. */
static const char *ev_str(const struct gs_elf *e, const struct ev_dyn *d, uint64_t off,
			  char *buf)
{
	size_t n = 0;

	if (off >= d->str_avail) {
		return "";
	}
	uint64_t left = d->str_avail - off;
	size_t want = left < GS_ELF_VERSTR_MAX - 1 ? (size_t)left : GS_ELF_VERSTR_MAX - 1;

	if (gs_elf_pread(e, buf, want, d->str_pos + off) == 0) {
		while (n < want && buf[n]) {
			n++;
		}
	}
	buf[n] = 0;
	return buf;
}

/* The table's entries: read n bytes at offset off of the table. */
static int ev_read(const struct gs_elf *e, uint64_t table, uint64_t off, void *buf, size_t n)
{
	uint64_t pos, avail;

	return table + off >= table && gs_elf_vaddr_pos(e, table + off, &pos, &avail) == 0 &&
	       avail >= n && gs_elf_pread(e, buf, n, pos) == 0 ? 0 : -1;
}

int gs_elf_verneed(const struct gs_elf *e, gs_elf_ver_fn fn, void *arg)
{
	char file[GS_ELF_VERSTR_MAX], ver[GS_ELF_VERSTR_MAX];
	struct ev_dyn d;
	uint64_t off = 0;
	unsigned calls = 0, seen = 0;

	if (ev_dyn(e, DT_VERNEED, DT_VERNEEDNUM, &d) < 0) {
		return -1;
	}
	for (uint64_t i = 0; i < d.num && seen < GS_ELF_VER_MAX; i++) {
		uint8_t vn[16];

		if (ev_read(e, d.table, off, vn, sizeof(vn)) < 0) {
			return calls ? (int)calls : -1;
		}
		/* vn_version, vn_cnt, vn_file, vn_aux, vn_next */
		uint64_t cnt = gs_elf_get(e, vn + 2, 2), aux = off + gs_elf_get(e, vn + 8, 4);

		ev_str(e, &d, gs_elf_get(e, vn + 4, 4), file);
		for (uint64_t k = 0; k < cnt && seen++ < GS_ELF_VER_MAX; k++) {
			uint8_t va[16];

			/* vna_hash, vna_flags, vna_other, vna_name, vna_next */
			if (ev_read(e, d.table, aux, va, sizeof(va)) < 0) {
				break;
			}
			calls++;
			if (fn(arg, file, ev_str(e, &d, gs_elf_get(e, va + 8, 4), ver))) {
				return (int)calls;
			}
			uint64_t next = gs_elf_get(e, va + 12, 4);
			if (!next) {
				break;
			}
			aux += next;
		}
		uint64_t next = gs_elf_get(e, vn + 12, 4);
		if (!next) {
			break;
		}
		off += next;
	}
	return (int)calls;
}

int gs_elf_verdef(const struct gs_elf *e, gs_elf_ver_fn fn, void *arg)
{
	char ver[GS_ELF_VERSTR_MAX];
	struct ev_dyn d;
	uint64_t off = 0;
	unsigned calls = 0;

	if (ev_dyn(e, DT_VERDEF, DT_VERDEFNUM, &d) < 0) {
		return -1;
	}
	for (uint64_t i = 0; i < d.num && i < GS_ELF_VER_MAX; i++) {
		uint8_t vd[20], va[8];

		/* vd_version, vd_flags, vd_ndx, vd_cnt, vd_hash, vd_aux, vd_next;
		 * the first Verdaux (vda_name, vda_next) names the version */
		if (ev_read(e, d.table, off, vd, sizeof(vd)) < 0 ||
		    ev_read(e, d.table, off + gs_elf_get(e, vd + 12, 4), va, sizeof(va)) < 0) {
			return calls ? (int)calls : -1;
		}
		if (!(gs_elf_get(e, vd + 2, 2) & VER_FLG_BASE)) {
			calls++;
			if (fn(arg, NULL, ev_str(e, &d, gs_elf_get(e, va, 4), ver))) {
				break;
			}
		}
		uint64_t next = gs_elf_get(e, vd + 16, 4);
		if (!next) {
			break;
		}
		off += next;
	}
	return (int)calls;
}
