/* SPDX-License-Identifier: Apache-2.0 */
#include "elfimg.h"

#include <elf.h>
#include <string.h>

const uint8_t ei_build_id[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
				  11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };

void ei_put(uint8_t *p, unsigned n, uint64_t v, int big)
{
	for (unsigned i = 0; i < n; i++) {
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
	}
}

size_t ei_phdr_at(const struct ei_opts *o, unsigned i)
{
	return o->cls == ELFCLASS64 ? 64 + 56 * (size_t)i : 52 + 32 * (size_t)i;
}

/* Offsets of p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz,
 * p_memsz, p_align in a program header, and its address width. */
static const struct {
	unsigned at[8], w;
} ei_ph[2] = {
	{ { 0, 24, 4, 8, 12, 16, 20, 28 }, 4 },
	{ { 0, 4, 8, 16, 24, 32, 40, 48 }, 8 },
};

static void ei_phdr(uint8_t *b, const struct ei_opts *o, unsigned i, uint32_t type,
		    uint64_t off, uint64_t vaddr, uint64_t size, uint64_t align)
{
	const uint64_t v[8] = { type, PF_R, off, vaddr, vaddr, size, size, align };
	const unsigned *at = ei_ph[o->cls == ELFCLASS64].at, w = ei_ph[o->cls == ELFCLASS64].w;
	uint8_t *p = b + ei_phdr_at(o, i);

	for (unsigned k = 0; k < 8; k++) {
		ei_put(p + at[k], k < 2 ? 4 : w, v[k], o->big);
	}
}

static size_t ei_note(uint8_t *p, const char *name, uint32_t namesz, uint32_t type,
		      const void *desc, uint32_t descsz, int big)
{
	ei_put(p, 4, namesz, big);
	ei_put(p + 4, 4, descsz, big);
	ei_put(p + 8, 4, type, big);
	memcpy(p + 12, name, strlen(name));
	memcpy(p + 12 + ((namesz + 3) & ~3u), desc, descsz);
	return 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
}

static void ei_shdr(uint8_t *b, const struct ei_opts *o, unsigned i, uint32_t name,
		    uint32_t type, uint64_t off, uint64_t size)
{
	int be = o->big, w = o->cls == ELFCLASS64 ? 8 : 4;
	uint8_t *p = b + EI_SH_AT + (size_t)i * (o->cls == ELFCLASS64 ? 64 : 40);

	ei_put(p, 4, name, be);
	ei_put(p + 4, 4, type, be);
	ei_put(p + 8 + w, w, EI_VADDR + off, be);
	ei_put(p + 8 + 2 * w, w, off, be);
	ei_put(p + 8 + 3 * w, w, size, be);
	ei_put(p + 16 + 4 * w, w, 4, be);
}

void ei_build(uint8_t *b, const struct ei_opts *o)
{
	static const char strtab[] = "\0.shstrtab\0.note.test\0.gopclntab";
	int be = o->big, is64 = o->cls == ELFCLASS64;
	size_t notes;

	memset(b, 0, EI_SIZE);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = (uint8_t)o->cls;
	b[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	ei_put(b + 16, 2, ET_EXEC, be);
	ei_put(b + 18, 2, o->machine, be);
	ei_put(b + 20, 4, EV_CURRENT, be);
	ei_put(b + (is64 ? 32 : 28), is64 ? 8 : 4, ei_phdr_at(o, 0), be);  /* phoff */
	ei_put(b + (is64 ? 40 : 32), is64 ? 8 : 4, EI_SH_AT, be);          /* shoff */
	ei_put(b + (is64 ? 52 : 40), 2, is64 ? 64 : 52, be);                /* ehsize */
	ei_put(b + (is64 ? 54 : 42), 2, is64 ? 56 : 32, be);                /* phentsize */
	ei_put(b + (is64 ? 56 : 44), 2, 3, be);                             /* phnum */
	ei_put(b + (is64 ? 58 : 46), 2, is64 ? 64 : 40, be);                /* shentsize */
	ei_put(b + (is64 ? 60 : 48), 2, 4, be);                             /* shnum */
	ei_put(b + (is64 ? 62 : 50), 2, 1, be);                             /* shstrndx */

	memcpy(b + EI_INTERP_AT, EI_INTERP, sizeof(EI_INTERP));
	notes = ei_note(b + EI_NOTE_AT, "GNU", 4, NT_GNU_BUILD_ID, ei_build_id, 20, be);
	notes += ei_note(b + EI_NOTE_AT + notes, "Go", 4, 4, EI_GO_ID, sizeof(EI_GO_ID) - 1, be);
	memcpy(b + EI_STR_AT, strtab, sizeof(strtab));
	memcpy(b + EI_BINFO_AT, "\xff Go buildinf:", 14);
	b[EI_BINFO_AT + 14] = is64 ? 8 : 4;
	b[EI_BINFO_AT + 15] = 2 | (be ? 1 : 0);
	b[EI_BINFO_AT + 32] = sizeof(EI_GO_VER) - 1;
	memcpy(b + EI_BINFO_AT + 33, EI_GO_VER, sizeof(EI_GO_VER) - 1);

	ei_phdr(b, o, 0, PT_LOAD, 0, EI_VADDR, EI_SIZE, 0x1000);
	ei_phdr(b, o, 1, o->no_interp ? PT_NULL : PT_INTERP, EI_INTERP_AT,
		EI_VADDR + EI_INTERP_AT, sizeof(EI_INTERP), 1);
	ei_phdr(b, o, 2, o->no_phnotes ? PT_NULL : PT_NOTE, EI_NOTE_AT, EI_VADDR + EI_NOTE_AT,
		notes, 4);
	ei_shdr(b, o, 1, 1, SHT_STRTAB, EI_STR_AT, sizeof(strtab));
	ei_shdr(b, o, 2, 11, SHT_NOTE, EI_NOTE_AT, notes);
	ei_shdr(b, o, 3, 22, SHT_PROGBITS, EI_INTERP_AT, 16);
}
