/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF header, program and section headers, read through a callback
 * and a caller's cache; the only file that knows their layouts. */
#include "elfread.h"

#include <elf.h>

#include "sys.h"

long gs_elf_read_fd(void *ctx, void *buf, size_t len, uint64_t pos)
{
	long fd = (long)(intptr_t)ctx;
	size_t got = 0;

	while (got < len) {
		long r = gs_sys4(SYS_pread64, fd, (char *)buf + got, len - got, (long)(pos + got));

		if (r == -4 /* EINTR */) {
			continue;
		}
		if (r <= 0) {
			return got ? (long)got : r;
		}
		got += (size_t)r;
	}
	return (long)got;
}

long gs_elf_read_mem(void *ctx, void *buf, size_t len, uint64_t pos)
{
	const struct gs_elf_mem *m = ctx;

	if (pos >= m->size) {
		return 0;
	}
	if (len > m->size - pos) {
		len = (size_t)(m->size - pos);
	}
	__builtin_memcpy(buf, m->base + pos, len);
	return (long)len;
}

uint64_t gs_elf_get(const struct gs_elf *e, const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)p[e->data == ELFDATA2MSB ? n - 1 - i : i] << (8 * i);
	}
	return v;
}

/* Up to len bytes at pos, through the cache when they fit in it. */
static size_t er_read(const struct gs_elf *e, void *buf, size_t len, uint64_t pos)
{
	struct gs_elf *c = (struct gs_elf *)e; /* the cache is not a fact */
	long r;

	if (pos + len < pos) {
		return 0;
	}
	if (!c->cache || len > c->cache_cap) {
		r = e->read(e->ctx, buf, len, pos);
		return r > 0 ? (size_t)r : 0;
	}
	if (pos < c->cache_pos || pos + len > c->cache_pos + c->cache_len) {
		r = e->read(e->ctx, c->cache, c->cache_cap, pos);
		c->cache_pos = pos;
		c->cache_len = r > 0 ? (size_t)r : 0;
	}
	size_t at = (size_t)(pos - c->cache_pos);
	size_t n = c->cache_len > at ? c->cache_len - at : 0;

	n = n < len ? n : len;
	__builtin_memcpy(buf, c->cache + at, n);
	return n;
}

int gs_elf_pread(const struct gs_elf *e, void *buf, size_t len, uint64_t pos)
{
	return er_read(e, buf, len, pos) == len ? 0 : -1;
}

/* Where the ELF header's fields are, per class: offsets into it. */
struct er_layout {
	unsigned ehsize, phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;
	unsigned ph_size, w;  /* smallest phentsize/shentsize, address width */
	unsigned sh_size;
};

static const struct er_layout er_layouts[2] = {
	{ 52, 28, 32, 42, 44, 46, 48, 50, 32, 4, 40 },  /* ELFCLASS32 */
	{ 64, 32, 40, 54, 56, 58, 60, 62, 56, 8, 64 },  /* ELFCLASS64 */
};

static const struct er_layout *er_layout(const struct gs_elf *e)
{
	return &er_layouts[e->cls == ELFCLASS64];
}

/* A table of num entries of entsize (at least min) at off fits the limit
 * and does not wrap. */
static int er_table_ok(uint64_t off, unsigned num, unsigned entsize, unsigned min,
		       unsigned max)
{
	return num <= max && entsize >= min && entsize <= 1024 &&
	       off + (uint64_t)num * entsize >= off;
}

static void er_first_load(struct gs_elf *e)
{
	struct gs_elf_seg s;

	for (unsigned i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) == 0 && s.type == PT_LOAD) {
			e->load_delta = s.vaddr - s.offset;
			return;
		}
	}
}

int gs_elf_open(struct gs_elf *e, gs_elf_read_fn rd, void *ctx, void *cache, size_t cache_cap)
{
	uint8_t h[64];

	__builtin_memset(e, 0, sizeof(*e));
	e->read = rd;
	e->ctx = ctx;
	e->cache = cache;
	e->cache_cap = cache ? cache_cap : 0;
	size_t n = er_read(e, h, sizeof(h), 0);

	if (n < EI_NIDENT || h[EI_MAG0] != ELFMAG0 || h[EI_MAG1] != ELFMAG1 ||
	    h[EI_MAG2] != ELFMAG2 || h[EI_MAG3] != ELFMAG3 ||
	    (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64) ||
	    (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)) {
		return -1;
	}
	e->cls = h[EI_CLASS];
	e->data = h[EI_DATA];
	const struct er_layout *l = er_layout(e);

	if (n < l->ehsize) {
		return -1;
	}
	e->type = (uint16_t)gs_elf_get(e, h + 16, 2);
	e->machine = (uint16_t)gs_elf_get(e, h + 18, 2);
	e->phoff = gs_elf_get(e, h + l->phoff, l->w);
	e->shoff = gs_elf_get(e, h + l->shoff, l->w);
	e->phentsize = (unsigned)gs_elf_get(e, h + l->phentsize, 2);
	e->phnum = (unsigned)gs_elf_get(e, h + l->phnum, 2);
	e->shentsize = (unsigned)gs_elf_get(e, h + l->shentsize, 2);
	e->shnum = (unsigned)gs_elf_get(e, h + l->shnum, 2);
	e->shstrndx = (unsigned)gs_elf_get(e, h + l->shstrndx, 2);
	if (e->phnum && !er_table_ok(e->phoff, e->phnum, e->phentsize, l->ph_size,
				     GS_ELF_PHNUM_MAX)) {
		e->ph_bad = 1;
		e->phnum = 0;
	}
	if (!e->shoff || !er_table_ok(e->shoff, e->shnum, e->shentsize, l->sh_size,
				      GS_ELF_SHNUM_MAX)) {
		e->shnum = 0;
	}
	er_first_load(e);
	return 0;
}

int gs_elf_open_mapped(struct gs_elf *e, gs_elf_read_fn rd, void *ctx, uint64_t delta)
{
	if (gs_elf_open(e, rd, ctx, NULL, 0) < 0) {
		return -1;
	}
	e->mapped = 1;
	e->map_delta = delta;
	e->shnum = 0;
	return 0;
}

void gs_elf_open_loaded(struct gs_elf *e, gs_elf_read_fn rd, void *ctx, unsigned phnum,
			uint64_t delta)
{
	__builtin_memset(e, 0, sizeof(*e));
	e->read = rd;
	e->ctx = ctx;
	e->cls = sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32;
	e->data = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? ELFDATA2MSB : ELFDATA2LSB;
	e->phentsize = er_layout(e)->ph_size;
	e->phnum = phnum <= GS_ELF_PHNUM_MAX ? phnum : 0;
	e->ph_bad = phnum > GS_ELF_PHNUM_MAX;
	e->mapped = 1;
	e->map_delta = delta;
}

int gs_elf_seg(const struct gs_elf *e, unsigned i, struct gs_elf_seg *s)
{
	const struct er_layout *l = er_layout(e);
	uint8_t p[56];

	if (i >= e->phnum ||
	    gs_elf_pread(e, p, l->ph_size, e->phoff + (uint64_t)i * e->phentsize) < 0) {
		return -1;
	}
	s->type = (uint32_t)gs_elf_get(e, p, 4);
	if (e->cls == ELFCLASS64) {
		s->flags = (uint32_t)gs_elf_get(e, p + 4, 4);
		s->offset = gs_elf_get(e, p + 8, 8);
		s->vaddr = gs_elf_get(e, p + 16, 8);
		s->filesz = gs_elf_get(e, p + 32, 8);
		s->memsz = gs_elf_get(e, p + 40, 8);
		s->align = gs_elf_get(e, p + 48, 8);
	} else {
		s->offset = gs_elf_get(e, p + 4, 4);
		s->vaddr = gs_elf_get(e, p + 8, 4);
		s->filesz = gs_elf_get(e, p + 16, 4);
		s->memsz = gs_elf_get(e, p + 20, 4);
		s->flags = (uint32_t)gs_elf_get(e, p + 24, 4);
		s->align = gs_elf_get(e, p + 28, 4);
	}
	return 0;
}

int gs_elf_sec(const struct gs_elf *e, unsigned i, struct gs_elf_sec *s)
{
	const struct er_layout *l = er_layout(e);
	unsigned w = l->w;
	uint8_t p[64];

	if (i >= e->shnum ||
	    gs_elf_pread(e, p, l->sh_size, e->shoff + (uint64_t)i * e->shentsize) < 0) {
		return -1;
	}
	/* name, type, then flags, addr, offset, size in the class's width,
	 * link, info, addralign */
	s->name = (uint32_t)gs_elf_get(e, p, 4);
	s->type = (uint32_t)gs_elf_get(e, p + 4, 4);
	s->flags = gs_elf_get(e, p + 8, w);
	s->addr = gs_elf_get(e, p + 8 + w, w);
	s->offset = gs_elf_get(e, p + 8 + 2 * w, w);
	s->size = gs_elf_get(e, p + 8 + 3 * w, w);
	s->link = (uint32_t)gs_elf_get(e, p + 8 + 4 * w, 4);
	s->info = (uint32_t)gs_elf_get(e, p + 12 + 4 * w, 4);
	s->align = gs_elf_get(e, p + 16 + 4 * w, w);
	return 0;
}

int gs_elf_sec_find(const struct gs_elf *e, const char *name, struct gs_elf_sec *s)
{
	struct gs_elf_sec strtab;
	size_t nl = 0;

	while (name[nl]) {
		nl++;
	}
	if (gs_elf_sec(e, e->shstrndx, &strtab) < 0) {
		return -1;
	}
	for (unsigned i = 0; i < e->shnum; i++) {
		char got[64];

		if (gs_elf_sec(e, i, s) < 0) {
			return -1;
		}
		if (s->name >= strtab.size || nl + 1 > sizeof(got) ||
		    strtab.size - s->name < nl + 1 ||
		    gs_elf_pread(e, got, nl + 1, strtab.offset + s->name) < 0 ||
		    __builtin_memcmp(got, name, nl + 1) != 0) {
			continue;
		}
		return 0;
	}
	return -1;
}

size_t gs_elf_seg_read(const struct gs_elf *e, const struct gs_elf_seg *s, uint64_t off,
		       void *buf, size_t len)
{
	uint64_t at = e->mapped ? s->vaddr - e->map_delta : s->offset;

	if (off >= s->filesz) {
		return 0;
	}
	if (len > s->filesz - off) {
		len = (size_t)(s->filesz - off);
	}
	return er_read(e, buf, len, at + off);
}

int gs_elf_interp(const struct gs_elf *e, char *buf, size_t cap)
{
	struct gs_elf_seg s;

	if (e->ph_bad) {
		return -1;
	}
	for (unsigned i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) < 0) {
			return -1;
		}
		if (s.type != PT_INTERP) {
			continue;
		}
		if (cap) {
			size_t n = gs_elf_seg_read(e, &s, 0, buf, cap - 1);

			buf[n] = 0;
		}
		return 1;
	}
	return 0;
}

int gs_elf_vaddr_pos(const struct gs_elf *e, uint64_t vaddr, uint64_t *pos, uint64_t *avail)
{
	struct gs_elf_seg s;

	for (unsigned i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) < 0) {
			return -1;
		}
		if (s.type != PT_LOAD || vaddr < s.vaddr || vaddr - s.vaddr >= s.filesz) {
			continue;
		}
		*pos = (e->mapped ? s.vaddr - e->map_delta : s.offset) + (vaddr - s.vaddr);
		*avail = s.filesz - (vaddr - s.vaddr);
		return 0;
	}
	return -1;
}
