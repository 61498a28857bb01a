/* SPDX-License-Identifier: Apache-2.0 */
/* ELF notes: the one note walker (build-id, the Go note). */
#include "elfread.h"

#include <elf.h>

/* A note's name field (namesz bytes at p) is name, padded or not. */
static int en_name_is(const uint8_t *p, uint32_t namesz, const char *name)
{
	uint32_t i = 0;

	for (; name[i]; i++) {
		if (i >= namesz || p[i] != (uint8_t)name[i]) {
			return 0;
		}
	}
	if (i == namesz) {
		return 0; /* no room for the NUL */
	}
	for (; i < namesz; i++) {
		if (p[i]) {
			return 0;
		}
	}
	return 1;
}

static uint64_t en_pad(uint64_t n, uint64_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* Walk the notes of s (file contents, size bytes, aligned to 4 or 8). */
static long en_walk(const struct gs_elf *e, const struct gs_elf_seg *s, const char *name,
		    uint32_t type, void *desc, size_t cap)
{
	uint64_t align = s->align == 8 ? 8 : 4, off = 0;

	for (unsigned k = 0; k < GS_ELF_NOTES_MAX && s->filesz - off >= 12; k++) {
		uint8_t h[12 + 16];

		if (gs_elf_seg_read(e, s, off, h, 12) != 12) {
			return -1;
		}
		uint32_t namesz = (uint32_t)gs_elf_get(e, h, 4);
		uint32_t descsz = (uint32_t)gs_elf_get(e, h + 4, 4);
		uint64_t name_end = 12 + en_pad(namesz, align);
		uint64_t desc_at = off + name_end;

		if (name_end > s->filesz - off || descsz > s->filesz - desc_at) {
			return -1; /* sizes overflowing the segment */
		}
		if ((uint32_t)gs_elf_get(e, h + 8, 4) == type && namesz <= 16 &&
		    gs_elf_seg_read(e, s, off + 12, h + 12, namesz) == namesz &&
		    en_name_is(h + 12, namesz, name)) {
			size_t n = descsz < cap ? descsz : cap;

			return !n || gs_elf_seg_read(e, s, desc_at, desc, n) == n ? (long)descsz : -1;
		}
		off = desc_at + en_pad(descsz, align);
		if (off > s->filesz) {
			return -1;
		}
	}
	return -1;
}

long gs_elf_note(const struct gs_elf *e, const char *name, uint32_t type, void *desc,
		 size_t cap)
{
	struct gs_elf_seg s;
	struct gs_elf_sec c;
	long r;

	for (unsigned i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) == 0 && s.type == PT_NOTE &&
		    (r = en_walk(e, &s, name, type, desc, cap)) >= 0) {
			return r;
		}
	}
	for (unsigned i = 0; i < e->shnum; i++) {
		if (gs_elf_sec(e, i, &c) < 0) {
			break;
		}
		if (c.type != SHT_NOTE) {
			continue;
		}
		s = (struct gs_elf_seg){ .type = PT_NOTE, .offset = c.offset, .filesz = c.size,
					 .align = c.align };
		if ((r = en_walk(e, &s, name, type, desc, cap)) >= 0) {
			return r;
		}
	}
	return -1;
}

unsigned gs_elf_build_id(const struct gs_elf *e, uint8_t id[20])
{
	long n = gs_elf_note(e, "GNU", NT_GNU_BUILD_ID, id, 20);

	return n < 0 ? 0 : n > 20 ? 20 : (unsigned)n;
}

int gs_elf_go_note(const struct gs_elf *e, char *id, size_t cap)
{
	long n = gs_elf_note(e, "Go", GS_NT_GO_BUILDID, id, cap ? cap - 1 : 0);

	if (cap) {
		id[n < 0 ? 0 : (size_t)n < cap - 1 ? (size_t)n : cap - 1] = 0;
	}
	return n >= 0;
}
