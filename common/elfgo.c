/* SPDX-License-Identifier: Apache-2.0 */
/* Go's build information (.go.buildinfo): the toolchain version a Go
 * program was built with, as debug/buildinfo finds it. */
#include "elfread.h"

#include <elf.h>

#define EG_MAGIC   "\xff Go buildinf:"
#define EG_HDR     32u          /* magic, ptrsize, flags, padding       */
#define EG_INLINE  0x2u         /* Go 1.18+: strings follow the header  */
#define EG_ALIGN   16u
#define EG_SEARCH  (64u << 10)  /* how far into the data it may be      */

/* Where the build information may start: .go.buildinfo, else the first
 * writable PT_LOAD (files without section headers). */
static int eg_start(const struct gs_elf *e, uint64_t *pos, uint64_t *avail)
{
	struct gs_elf_sec c;
	struct gs_elf_seg s;

	if (gs_elf_sec_find(e, ".go.buildinfo", &c) == 0 && c.type == SHT_PROGBITS) {
		*pos = c.offset;
		*avail = c.size;
		return 0;
	}
	for (unsigned i = 0; i < e->phnum; i++) {
		if (gs_elf_seg(e, i, &s) == 0 && s.type == PT_LOAD && (s.flags & PF_W)) {
			return gs_elf_vaddr_pos(e, s.vaddr, pos, avail);
		}
	}
	return -1;
}

int gs_elf_go_version(const struct gs_elf *e, char *buf, size_t cap)
{
	uint64_t pos, avail, len = 0;
	uint8_t h[EG_HDR + 10];

	if (cap) {
		buf[0] = 0;
	}
	if (eg_start(e, &pos, &avail) < 0) {
		return 0;
	}
	for (uint64_t k = 0; k < avail && k < EG_SEARCH && avail - k >= EG_HDR; k += EG_ALIGN) {
		if (gs_elf_pread(e, h, EG_HDR, pos + k) < 0) {
			return 0;
		}
		if (__builtin_memcmp(h, EG_MAGIC, sizeof(EG_MAGIC) - 1) != 0) {
			continue;
		}
		if (!(h[15] & EG_INLINE)) {
			return 0; /* Go < 1.18: pointers to the strings */
		}
		/* a uvarint length, then the version */
		size_t n = avail - k - EG_HDR < 10 ? (size_t)(avail - k - EG_HDR) : 10, i = 0;

		if (gs_elf_pread(e, h + EG_HDR, n, pos + k + EG_HDR) < 0) {
			return 0;
		}
		for (; i < n; i++) {
			len |= (uint64_t)(h[EG_HDR + i] & 0x7f) << (7 * i);
			if (!(h[EG_HDR + i] & 0x80)) {
				break;
			}
		}
		uint64_t at = k + EG_HDR + i + 1;

		if (i == n || len == 0 || len > avail - at || !cap) {
			return i < n && len && len <= avail - at;
		}
		size_t want = len < cap - 1 ? (size_t)len : cap - 1;

		if (gs_elf_pread(e, buf, want, pos + at) < 0) {
			return 0;
		}
		buf[want] = 0;
		return 1;
	}
	return 0;
}
