// SPDX-License-Identifier: Apache-2.0
/*
 * What the hand-over needs to know, read cheaply: is an exec target
 * static, is the host a Go program, who traces us.  Raw system calls and
 * stack buffers only (exec wrappers may run in a vfork child).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goshim/handover.h"
#include "handover.h"
#include "rec/rec.h"
#include "sys.h"

#define HE_MAX_PHNUM 64
#define HE_NT_GO_BUILDID 4

static long he_pread(int fd, void *buf, size_t len, long off)
{
	return gs_sys4(SYS_pread64, fd, buf, len, off);
}

/* Scan phdrs (either class) for PT_INTERP: 1 found, 0 not, -1 bad. */
static int he_has_interp(int fd, int cls, uint64_t phoff, unsigned phnum,
			 unsigned phentsize)
{
	unsigned char ph[HE_MAX_PHNUM * sizeof(Elf64_Phdr)];
	size_t want = (size_t)phnum * phentsize;

	if (phnum == 0 || phnum > HE_MAX_PHNUM || want > sizeof(ph) ||
	    phentsize != (cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	    he_pread(fd, ph, want, (long)phoff) != (long)want) {
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		uint32_t type;

		memcpy(&type, ph + (size_t)i * phentsize, sizeof(type)); /* p_type first */
		if (type == PT_INTERP) {
			return 1;
		}
	}
	return 0;
}

int gs_ho_elf_static(int fd)
{
	unsigned char h[sizeof(Elf64_Ehdr)];
	long n = he_pread(fd, h, sizeof(h), 0);

	if (n < (long)sizeof(Elf32_Ehdr) || memcmp(h, ELFMAG, SELFMAG) != 0) {
		return 0;
	}
	if (h[EI_CLASS] == ELFCLASS64 && n >= (long)sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr e;

		memcpy(&e, h, sizeof(e));
		return he_has_interp(fd, ELFCLASS64, e.e_phoff, e.e_phnum, e.e_phentsize) == 0;
	}
	if (h[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;

		memcpy(&e, h, sizeof(e));
		return he_has_interp(fd, ELFCLASS32, e.e_phoff, e.e_phnum, e.e_phentsize) == 0;
	}
	return 0;
}

/* Notes of one PT_NOTE segment in memory: a "Go" note of type 4? */
static int he_go_note(const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr nh;

		memcpy(&nh, p + off, sizeof(nh));
		off += sizeof(nh);
		/* Go writes the name "Go\0\0" with n_namesz 4 */
		if ((nh.n_namesz == 3 || nh.n_namesz == 4) &&
		    nh.n_type == HE_NT_GO_BUILDID && off + 3 <= len &&
		    memcmp(p + off, "Go", 3) == 0) {
			return 1;
		}
		off += ((size_t)nh.n_namesz + 3) & ~(size_t)3;
		off += ((size_t)nh.n_descsz + 3) & ~(size_t)3;
	}
	return 0;
}

/* dl_iterate_phdr visits the main program first: look at it only. */
static int he_main_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	int *is_go = data;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];

		if (p->p_type == PT_NOTE &&
		    he_go_note((const unsigned char *)(info->dlpi_addr + p->p_vaddr),
			       p->p_memsz)) {
			*is_go = 1;
			break;
		}
	}
	return 1; /* stop after the first object */
}

int gs_ho_is_go(void)
{
	int is_go = 0;

	dl_iterate_phdr(he_main_cb, &is_go);
	return is_go;
}

int gs_ho_supervised(void)
{
	return gs_sys5(SYS_prctl, GOSHIM_PROBE_PRCTL, 0, 0, 0, 0) == -GOSHIM_PROBE_ERRNO;
}
