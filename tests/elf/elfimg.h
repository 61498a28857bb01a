/* SPDX-License-Identifier: Apache-2.0 */
/* Small ELF images built in memory for the reader's tests and the fuzz
 * target's seeds: either class and byte order, a PT_LOAD, a PT_INTERP,
 * a PT_NOTE with a GNU build-id and a Go note, Go build information,
 * and section headers
 * (.shstrtab, a SHT_NOTE over the same notes, .gopclntab). */
#ifndef GS_TEST_ELFIMG_H
#define GS_TEST_ELFIMG_H

#include <stddef.h>
#include <stdint.h>

#define EI_SIZE      0x400u  /* bytes of an image                      */
#define EI_INTERP_AT 0x200u
#define EI_NOTE_AT   0x240u
#define EI_BINFO_AT  0x290u  /* Go build information (read through a */
#define EI_SH_AT     0x2c0u  /* writable PT_LOAD: tests set PF_W)    */
#define EI_STR_AT    0x3c0u
#define EI_VADDR     0x400000u
#define EI_INTERP    "/lib/ld-goshim-test.so.1"
#define EI_GO_ID     "go-build-id/xyz"
#define EI_GO_VER    "go1.99.1"

struct ei_opts {
	int cls;          /* 1 = ELFCLASS32, 2 = ELFCLASS64 */
	int big;          /* big-endian                      */
	uint16_t machine;
	int no_interp;    /* leave PT_INTERP out (PT_NULL)   */
	int no_phnotes;   /* the notes in sections only      */
};

/* Write the image into buf (EI_SIZE bytes). */
void ei_build(uint8_t *buf, const struct ei_opts *o);

/* The build-id ei_build writes (20 bytes: 1, 2, ..., 20). */
extern const uint8_t ei_build_id[20];

/* Where the fields are, to damage them: a field of the header or of
 * program header i, by its 64-bit-layout name. */
size_t ei_phdr_at(const struct ei_opts *o, unsigned i);

/* Store an n-byte value at p in the image's byte order. */
void ei_put(uint8_t *p, unsigned n, uint64_t v, int big);

#endif
