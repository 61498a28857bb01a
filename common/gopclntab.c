/* SPDX-License-Identifier: Apache-2.0 */
/* Layouts follow the Go runtime (runtime/symtab.go, runtime2.go _func,
 * symtabinl.go inlinedCall) of each supported release. */
#include "gopclntab.h"
#include "elfread.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GP_TAB_MAX   (512u << 20)  /* largest pclntab we copy           */
#define GP_SCAN_STEP (1u << 20)    /* chunk of a segment scan           */
#define GP_LOADS     16
#define GP_INL_DEPTH 64            /* inlined calls per pc, at most     */
#define GP_PCV_STEPS (1u << 22)    /* pcvalue entries walked, at most   */

struct gp_load {
	uint64_t vaddr, filesz, off;
	int writable;
};

struct gs_gopcln {
	int fd;
	gs_gopcln_reader rd;      /* else the inline trees come from fd     */
	void *rd_ctx;
	int format;               /* 116, 118, 120                          */
	unsigned ptrsize, quantum;
	uint8_t *tab;             /* the pclntab, from its pcHeader on      */
	size_t len;
	uint64_t tab_vaddr;
	uint64_t nfunc;
	uint64_t text;            /* 1.18+: textStart                       */
	uint64_t gofunc;          /* 1.18+: go:func.*, 0 unknown             */
	size_t funcname, cu, filetab, pctab, pcln;
	struct gp_load load[GP_LOADS];
	unsigned nload;
};

/* The fields of one _func the lookups use. */
struct gp_func {
	uint64_t entry;
	int32_t nameoff;
	uint32_t pcsp, pcfile, pcln, npcdata, cuoff, nfuncdata;
	size_t pcdata;            /* offset in tab of pcdata[0]             */
	size_t funcdata;          /* offset in tab of funcdata[0]           */
};

/* --- bounds-checked reads ------------------------------------------------ */

static int gp_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static uint64_t gp_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

/* n-byte little-endian value at tab[off], or -1 when out of bounds. */
static int gp_get(const struct gs_gopcln *t, size_t off, unsigned n, uint64_t *v)
{
	if (off > t->len || t->len - off < n) {
		return -1;
	}
	*v = gp_le(t->tab + off, n);
	return 0;
}

static int gp_u32(const struct gs_gopcln *t, size_t off, uint32_t *v)
{
	uint64_t x;

	if (gp_get(t, off, 4, &x) < 0) {
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

/* NUL-terminated string at tab[base + off], or NULL. */
static const char *gp_str(const struct gs_gopcln *t, size_t base, uint64_t off)
{
	if (off >= t->len || base >= t->len - off) {
		return NULL;
	}
	const uint8_t *s = t->tab + base + off;

	return memchr(s, 0, t->len - base - off) ? (const char *)s : NULL;
}

/* Read len bytes at link-time address va from the file. */
static int gp_read_va(const struct gs_gopcln *t, uint64_t va, void *buf, size_t len)
{
	for (unsigned i = 0; i < t->nload; i++) {
		const struct gp_load *l = &t->load[i];

		if (va >= l->vaddr && va - l->vaddr <= l->filesz &&
		    l->filesz - (va - l->vaddr) >= len) {
			return t->rd ? t->rd(t->rd_ctx, va, buf, len)
				     : gp_pread(t->fd, buf, len, l->off + (va - l->vaddr));
		}
	}
	return -1;
}

/* --- ELF (common/elfread.h) ---------------------------------------------- */

static void gp_elf_loads(struct gs_gopcln *t, const struct gs_elf *e)
{
	struct gs_elf_seg s;

	for (unsigned i = 0; i < e->phnum && t->nload < GP_LOADS; i++) {
		if (gs_elf_seg(e, i, &s) < 0) {
			return;
		}
		if (s.type != PT_LOAD || s.vaddr + s.filesz < s.vaddr) {
			continue;
		}
		t->load[t->nload++] = (struct gp_load){ s.vaddr, s.filesz, s.offset,
							(s.flags & PF_W) != 0 };
	}
}

/* Section named .gopclntab: its file offset, size and address. */
static int gp_elf_section(const struct gs_elf *e, uint64_t *off, uint64_t *size,
			  uint64_t *addr)
{
	static const char *const names[] = { ".gopclntab", ".data.rel.ro.gopclntab" };
	struct gs_elf_sec s;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (gs_elf_sec_find(e, names[k], &s) == 0 && s.type == SHT_PROGBITS) {
			*addr = s.addr;
			*off = s.offset;
			*size = s.size;
			return 0;
		}
	}
	return -1;
}

/* --- pcHeader ------------------------------------------------------------ */

static const struct {
	uint32_t magic;
	int format;
} gp_magics[] = {
	{ 0xfffffffa, 116 },
	{ 0xfffffff0, 118 },
	{ 0xfffffff1, 120 },
};

static int gp_format(const uint8_t *h)
{
	uint32_t m = (uint32_t)gp_le(h, 4);

	if (h[4] || h[5] || (h[6] != 1 && h[6] != 2 && h[6] != 4) || (h[7] != 4 && h[7] != 8)) {
		return 0;
	}
	for (size_t i = 0; i < sizeof(gp_magics) / sizeof(gp_magics[0]); i++) {
		if (gp_magics[i].magic == m) {
			return gp_magics[i].format;
		}
	}
	return 0;
}

static size_t gp_ftab_size(const struct gs_gopcln *t)
{
	return t->format == 116 ? 2 * t->ptrsize : 8;
}

/* Entry address of functab slot i (0..nfunc), or 0. */
static uint64_t gp_ftab_entry(const struct gs_gopcln *t, size_t i, uint64_t *funcoff)
{
	size_t es = gp_ftab_size(t), w = es / 2;
	uint64_t e, f;

	if (gp_get(t, t->pcln + i * es, (unsigned)w, &e) < 0 ||
	    gp_get(t, t->pcln + i * es + w, (unsigned)w, &f) < 0) {
		return 0;
	}
	if (funcoff) {
		*funcoff = f;
	}
	return t->format == 116 ? e : t->text + e;
}

/* Check the header words copied in t->tab against len. */
static int gp_header(struct gs_gopcln *t)
{
	unsigned w = t->ptrsize, nw = t->format == 116 ? 7 : 8;
	uint64_t v[8];

	if (t->len < 8 + (size_t)nw * w) {
		return -1;
	}
	for (unsigned i = 0; i < nw; i++) {
		v[i] = gp_le(t->tab + 8 + i * w, w);
	}
	t->nfunc = v[0];
	if (t->format != 116) {
		t->text = v[2];
		memmove(v + 2, v + 3, 5 * sizeof(v[0]));
	}
	t->funcname = v[2];
	t->cu = v[3];
	t->filetab = v[4];
	t->pctab = v[5];
	t->pcln = v[6];
	if (v[2] < 8 + (uint64_t)nw * w || v[2] > v[3] || v[3] > v[4] || v[4] > v[5] ||
	    v[5] > v[6] || v[6] >= t->len || t->nfunc == 0 || t->nfunc > (1u << 24) ||
	    (t->len - t->pcln) / gp_ftab_size(t) < t->nfunc + 1) {
		return -1;
	}
	/* the first and last functions are in order and their _func inside */
	uint64_t f0, fl, e0 = gp_ftab_entry(t, 0, &f0), el = gp_ftab_entry(t, t->nfunc, &fl);

	if (el < e0 || f0 >= t->len - t->pcln) {
		return -1;
	}
	return 0;
}

/* Copy the pclntab at file offset off (address va, at most avail bytes)
 * into t, with its header checked. */
static int gp_take(struct gs_gopcln *t, uint64_t off, uint64_t va, uint64_t avail)
{
	uint8_t h[8];

	if (avail < 64 || gp_pread(t->fd, h, 8, off) < 0 || !(t->format = gp_format(h))) {
		return -1;
	}
	t->quantum = h[6];
	t->ptrsize = h[7];
	t->len = avail > GP_TAB_MAX ? GP_TAB_MAX : (size_t)avail;
	t->tab = malloc(t->len);
	if (!t->tab || gp_pread(t->fd, t->tab, t->len, off) < 0 || gp_header(t) < 0) {
		free(t->tab);
		t->tab = NULL;
		return -1;
	}
	t->tab_vaddr = va;
	return 0;
}

/* Files without section headers: look for a pcHeader in the read-only
 * segments (chunks overlap by a header's size). */
static int gp_scan(struct gs_gopcln *t)
{
	uint8_t *buf = malloc(GP_SCAN_STEP + 64);
	int rc = -1;

	for (unsigned i = 0; buf && rc < 0 && i < t->nload; i++) {
		const struct gp_load *l = &t->load[i];

		for (uint64_t pos = 0; rc < 0 && !l->writable && pos < l->filesz; pos += GP_SCAN_STEP) {
			size_t n = l->filesz - pos > GP_SCAN_STEP + 64 ? GP_SCAN_STEP + 64 :
				   (size_t)(l->filesz - pos);

			if (gp_pread(t->fd, buf, n, l->off + pos) < 0) {
				break;
			}
			for (size_t k = 0; k + 8 <= n && k < GP_SCAN_STEP; k += 4) {
				if (buf[k + 3] != 0xff || !gp_format(buf + k) ||
				    (l->vaddr + pos + k) % buf[k + 7]) {
					continue;
				}
				if (gp_take(t, l->off + pos + k, l->vaddr + pos + k,
					    l->filesz - pos - k) == 0) {
					rc = 0;
					break;
				}
			}
		}
	}
	free(buf);
	return rc;
}

/* 1.18+: funcdata offsets are relative to go:func.*, recorded only in
 * runtime.firstmoduledata.  Find it in the writable segments by its first
 * words (the pcHeader's address, then funcnametab's) and read its gofunc
 * (and text, when the header had none). */
static void gp_moduledata(struct gs_gopcln *t)
{
	unsigned w = t->ptrsize, gofunc_word = t->format == 118 ? 38 : 40;
	size_t need = (size_t)(gofunc_word + 1) * w;
	uint8_t *buf = malloc(GP_SCAN_STEP + need);

	for (unsigned i = 0; buf && i < t->nload && !t->gofunc; i++) {
		const struct gp_load *l = &t->load[i];

		for (uint64_t pos = 0; l->writable && pos < l->filesz && !t->gofunc;
		     pos += GP_SCAN_STEP) {
			size_t n = l->filesz - pos > GP_SCAN_STEP + need ? GP_SCAN_STEP + need :
				   (size_t)(l->filesz - pos);

			if (gp_pread(t->fd, buf, n, l->off + pos) < 0) {
				break;
			}
			for (size_t k = 0; k + need <= n && k < GP_SCAN_STEP; k += w) {
				if (gp_le(buf + k, w) != t->tab_vaddr ||
				    gp_le(buf + k + w, w) != t->tab_vaddr + t->funcname) {
					continue;
				}
				t->gofunc = gp_le(buf + k + (size_t)gofunc_word * w, w);
				if (!t->text) {
					t->text = gp_le(buf + k + 22 * (size_t)w, w);
				}
				break;
			}
		}
	}
	free(buf);
}

struct gs_gopcln *gs_gopcln_open_fd(int fd, const char **err)
{
	struct gs_gopcln *t = calloc(1, sizeof(*t));
	uint8_t cache[4096];
	struct gs_elf e;

	if (t) {
		t->fd = -1;
	}
	uint64_t off, size, addr;
	const char *why = NULL;

	if (!t) {
		why = "out of memory";
		goto fail;
	}
	t->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (t->fd < 0) {
		why = "cannot dup the descriptor";
		goto fail;
	}
	if (gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)t->fd, cache, sizeof(cache)) < 0 ||
	    e.data != ELFDATA2LSB) {
		why = "not a little-endian ELF file";
		goto fail;
	}
	gp_elf_loads(t, &e);
	if (gp_elf_section(&e, &off, &size, &addr) == 0) {
		if (gp_take(t, off, addr, size) < 0) {
			why = ".gopclntab is damaged or of an unsupported Go version";
			goto fail;
		}
	} else if (e.shnum || gp_scan(t) < 0) {
		/* a file with section headers but no .gopclntab is not Go */
		why = "no Go pclntab";
		goto fail;
	}
	if (t->format != 116) {
		gp_moduledata(t);
	}
	return t;
fail:
	if (err) {
		*err = why;
	}
	gs_gopcln_close(t);
	return NULL;
}

struct gs_gopcln *gs_gopcln_open(const char *path, const char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct gs_gopcln *t;

	if (fd < 0) {
		if (err) {
			*err = "cannot open the file";
		}
		return NULL;
	}
	t = gs_gopcln_open_fd(fd, err);
	close(fd);
	return t;
}

void gs_gopcln_detach(struct gs_gopcln *t)
{
	if (t && t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
}

int gs_gopcln_attach(struct gs_gopcln *t, int fd)
{
	gs_gopcln_detach(t);
	t->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return t->fd < 0 ? -1 : 0;
}

void gs_gopcln_set_reader(struct gs_gopcln *t, gs_gopcln_reader rd, void *ctx)
{
	t->rd = rd;
	t->rd_ctx = ctx;
}

void gs_gopcln_close(struct gs_gopcln *t)
{
	if (!t) {
		return;
	}
	gs_gopcln_detach(t);
	free(t->tab);
	free(t);
}

int gs_gopcln_format(const struct gs_gopcln *t)
{
	return t->format;
}

size_t gs_gopcln_nfunc(const struct gs_gopcln *t)
{
	return (size_t)t->nfunc;
}

uint64_t gs_gopcln_entry(const struct gs_gopcln *t, size_t i)
{
	return i < t->nfunc ? gp_ftab_entry(t, i, NULL) : 0;
}

/* --- functions and pc-value tables -------------------------------------- */

/* Parse the _func of the function containing pc. */
static int gp_func(const struct gs_gopcln *t, uint64_t pc, struct gp_func *f)
{
	size_t lo = 0, hi = (size_t)t->nfunc; /* entry(lo) <= pc < entry(hi) */
	uint64_t funcoff, x;
	uint32_t u[9];
	size_t p;

	if (pc < gp_ftab_entry(t, 0, NULL) || pc >= gp_ftab_entry(t, hi, NULL)) {
		return -1;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (gp_ftab_entry(t, mid, NULL) <= pc) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	f->entry = gp_ftab_entry(t, lo, &funcoff);
	if (funcoff >= t->len - t->pcln) {
		return -1;
	}
	p = t->pcln + (size_t)funcoff;
	if (t->format == 116) {
		p += t->ptrsize;  /* entry uintptr */
		for (int i = 0; i < 8; i++) {
			if (gp_u32(t, p + 4 * (size_t)i, &u[i + 1]) < 0) {
				return -1;
			}
		}
	} else {
		for (int i = 0; i < 9; i++) {
			if (gp_u32(t, p + 4 * (size_t)i, &u[i]) < 0) {
				return -1;
			}
		}
		p += 4;
	}
	/* p: nameoff; then args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset */
	f->nameoff = (int32_t)u[1];
	f->pcsp = u[4];
	f->pcfile = u[5];
	f->pcln = u[6];
	f->npcdata = u[7];
	f->cuoff = u[8];
	p += 8 * 4 + (t->format == 120 ? 4 : 0);   /* startLine */
	if (gp_get(t, p + 3, 1, &x) < 0) {         /* funcID, flag, pad, nfuncdata */
		return -1;
	}
	f->nfuncdata = (uint32_t)x;
	f->pcdata = p + 4;
	if (f->npcdata > 1024 || f->pcdata + 4 * (size_t)f->npcdata > t->len) {
		return -1;
	}
	f->funcdata = f->pcdata + 4 * (size_t)f->npcdata;
	if (t->format == 116 && t->ptrsize == 8 && ((t->tab_vaddr + f->funcdata) & 4)) {
		f->funcdata += 4;
	}
	return 0;
}

static int gp_uvarint(const struct gs_gopcln *t, size_t *p, uint32_t *v)
{
	uint32_t x = 0;

	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*p >= t->len) {
			return -1;
		}
		uint8_t b = t->tab[(*p)++];

		x |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* Value of the pc-value table at pctab[off] for target (function at entry). */
static int gp_pcvalue(const struct gs_gopcln *t, uint32_t off, uint64_t entry,
		      uint64_t target, int32_t *val)
{
	size_t p = t->pctab + off;
	uint64_t pc = entry;
	int32_t v = -1;

	if (off == 0 || off >= t->len - t->pctab) {
		return -1;
	}
	for (unsigned i = 0; i < GP_PCV_STEPS; i++) {
		uint32_t uvd, pcd;

		if (gp_uvarint(t, &p, &uvd) < 0 || (uvd == 0 && i > 0)) {
			return -1;
		}
		v += (uvd & 1) ? (int32_t)~(uvd >> 1) : (int32_t)(uvd >> 1);
		if (gp_uvarint(t, &p, &pcd) < 0) {
			return -1;
		}
		pc += (uint64_t)pcd * t->quantum;
		if (target < pc) {
			*val = v;
			return 0;
		}
	}
	return -1;
}

static void gp_fileline(const struct gs_gopcln *t, const struct gp_func *f, uint64_t pc,
			struct gs_gopcln_frame *out)
{
	int32_t fno, line;
	uint32_t foff;

	out->file = NULL;
	out->line = 0;
	if (gp_pcvalue(t, f->pcln, f->entry, pc, &line) == 0 && line > 0) {
		out->line = (uint32_t)line;
	}
	if (gp_pcvalue(t, f->pcfile, f->entry, pc, &fno) < 0 || fno < 0 ||
	    (uint64_t)f->cuoff + (uint32_t)fno >= (t->filetab - t->cu) / 4 ||
	    gp_u32(t, t->cu + 4 * ((size_t)f->cuoff + (uint32_t)fno), &foff) < 0 ||
	    foff == UINT32_MAX) {
		return;
	}
	out->file = gp_str(t, t->filetab, foff);
}

static const char *gp_name(const struct gs_gopcln *t, int32_t off)
{
	const char *s = off >= 0 ? gp_str(t, t->funcname, (uint64_t)off) : NULL;

	return s && s < (const char *)t->tab + t->cu ? s : NULL;
}

int gs_gopcln_lookup(const struct gs_gopcln *t, uint64_t pc, struct gs_gopcln_frame *out)
{
	struct gp_func f;

	if (!t || gp_func(t, pc, &f) < 0 || !(out->func = gp_name(t, f.nameoff))) {
		return -1;
	}
	out->entry = f.entry;
	out->inlined = 0;
	gp_fileline(t, &f, pc, out);
	return 0;
}

int gs_gopcln_spdelta(const struct gs_gopcln *t, uint64_t pc, int32_t *delta)
{
	struct gp_func f;

	if (!t || gp_func(t, pc, &f) < 0 || gp_pcvalue(t, f.pcsp, f.entry, pc, delta) < 0 ||
	    *delta < 0 || *delta > (1 << 24)) {
		return -1;
	}
	return 0;
}

/* Address of the function's inline tree, 0 when it has none. */
static uint64_t gp_inltree(const struct gs_gopcln *t, const struct gp_func *f)
{
	const unsigned ix = 3; /* FUNCDATA_InlTree */
	uint64_t v;

	if (f->npcdata <= 2 || f->nfuncdata <= ix) {
		return 0;
	}
	if (t->format == 116) {
		return gp_get(t, f->funcdata + ix * t->ptrsize, t->ptrsize, &v) < 0 ? 0 : v;
	}
	if (!t->gofunc || gp_get(t, f->funcdata + ix * 4, 4, &v) < 0 || v == UINT32_MAX) {
		return 0;
	}
	return t->gofunc + v;
}

/* Inline tree entry ix: name offset and parentPc. */
static int gp_inlcall(const struct gs_gopcln *t, uint64_t tree, int32_t ix,
		      int32_t *nameoff, int32_t *parent_pc)
{
	size_t size = t->format == 120 ? 16 : 20;
	unsigned name_at = t->format == 120 ? 4 : 12;
	uint8_t b[20];

	if (ix < 0 || ix > (1 << 24) || gp_read_va(t, tree + (uint64_t)ix * size, b, size) < 0) {
		return -1;
	}
	*nameoff = (int32_t)gp_le(b + name_at, 4);
	*parent_pc = (int32_t)gp_le(b + name_at + 4, 4);
	return 0;
}

size_t gs_gopcln_frames(const struct gs_gopcln *t, uint64_t pc, struct gs_gopcln_frame *out,
			size_t max)
{
	struct gp_func f;
	const char *fname;
	uint64_t tree, cur = pc;
	uint32_t inl_off = 0;
	size_t n = 0;

	if (!t || !max || gp_func(t, pc, &f) < 0 || !(fname = gp_name(t, f.nameoff))) {
		return 0;
	}
	tree = gp_inltree(t, &f);
	if (tree && gp_u32(t, f.pcdata + 2 * 4, &inl_off) < 0) { /* PCDATA_InlTreeIndex */
		tree = 0;
	}
	for (unsigned depth = 0; n < max && depth < GP_INL_DEPTH; depth++) {
		struct gs_gopcln_frame *o = &out[n];
		int32_t ix = -1, nameoff, ppc;

		gp_fileline(t, &f, cur, o);
		o->entry = f.entry;
		if (tree && inl_off && gp_pcvalue(t, inl_off, f.entry, cur, &ix) == 0 &&
		    ix >= 0 && gp_inlcall(t, tree, ix, &nameoff, &ppc) == 0 &&
		    (o->func = gp_name(t, nameoff)) != NULL && ppc >= 0) {
			o->inlined = 1;
			n++;
			cur = f.entry + (uint32_t)ppc;
			continue;
		}
		o->func = fname;
		o->inlined = 0;
		n++;
		break;
	}
	return n;
}
