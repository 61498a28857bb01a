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

/* The start of the strings that follow the build information's header
 * (Go 1.18+): *at, with the data's end in *end.  1 found, 0 not. */
static int eg_strings(const struct gs_elf *e, uint64_t *at, uint64_t *end)
{
	uint64_t pos, avail;
	uint8_t h[EG_HDR];

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
		*at = pos + k + EG_HDR;
		*end = pos + avail;
		return 1;
	}
	return 0;
}

/* A uvarint length at *at, then a string of that length ending by end:
 * its start in *at, its length in *len.  1, or 0 when damaged. */
static int eg_string(const struct gs_elf *e, uint64_t *at, uint64_t end, uint64_t *len)
{
	uint8_t b[10];
	size_t n = end - *at < 10 ? (size_t)(end - *at) : 10, i = 0;

	*len = 0;
	if (*at >= end || gs_elf_pread(e, b, n, *at) < 0) {
		return 0;
	}
	for (; i < n; i++) {
		*len |= (uint64_t)(b[i] & 0x7f) << (7 * i);
		if (!(b[i] & 0x80)) {
			break;
		}
	}
	if (i == n || *len > end - *at - i - 1) {
		return 0;
	}
	*at += i + 1;
	return 1;
}

int gs_elf_go_version(const struct gs_elf *e, char *buf, size_t cap)
{
	uint64_t at, end, len;

	if (cap) {
		buf[0] = 0;
	}
	if (!eg_strings(e, &at, &end) || !eg_string(e, &at, end, &len) || len == 0) {
		return 0;
	}
	if (!cap) {
		return 1;
	}
	size_t want = len < cap - 1 ? (size_t)len : cap - 1;

	if (gs_elf_pread(e, buf, want, at) < 0) {
		buf[0] = 0;
		return 0;
	}
	buf[want] = 0;
	return 1;
}

#define EG_LIT(s) s, sizeof(s) - 1

/* Whether the nl bytes of needle (64 at most) are in the len bytes at
 * offset at: reads of 512 bytes, windows overlapping by the needle's
 * length less one.  1, 0, or -1 when a read failed. */
static int eg_find(const struct gs_elf *e, uint64_t at, uint64_t len, const char *needle,
		   size_t nl)
{
	char w[512 + 64];

	for (uint64_t k = 0; k + nl <= len; k += sizeof(w) - nl + 1) {
		size_t n = len - k < sizeof(w) ? (size_t)(len - k) : sizeof(w);

		if (gs_elf_pread(e, w, n, at + k) < 0) {
			return -1;
		}
		for (size_t i = 0; i + nl <= n; i++) {
			if (__builtin_memcmp(w + i, needle, nl) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

int gs_elf_go_race(const struct gs_elf *e)
{
	struct gs_elf_sec st;
	uint64_t at, end, len;
	int r;

	if (!eg_strings(e, &at, &end) || !eg_string(e, &at, end, &len) || len == 0) {
		return -1;
	}
	at += len; /* the version; then the module information */
	if (!eg_string(e, &at, end, &len)) {
		return -1;
	}
	r = eg_find(e, at, len, EG_LIT("\nbuild\t-race=true\n"));
	if (r != 0) {
		return r;
	}
	r = eg_find(e, at, len, EG_LIT("\nbuild\t"));
	if (r != 0) {
		return r > 0 ? 0 : -1;
	}
	/* no build settings (a test binary of Go <= 1.19, which go test
	 * links stripped): the race runtime's Go side among the function
	 * names of .gopclntab (race_amd64.s, built with -race only) */
	if (gs_elf_sec_find(e, ".gopclntab", &st) != 0) {
		return -1;
	}
	return eg_find(e, st.offset, st.size, EG_LIT("\0runtime.racecallbackthunk\0"));
}
