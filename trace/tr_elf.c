/* SPDX-License-Identifier: Apache-2.0 */
/* ELF facts (class, machine, PT_INTERP, first PT_LOAD, GNU build-id) and
 * the exec target evidence built from them. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"

#define ELF_MAX_PHDRS 64
#define ELF_NOTE_MAX  4096
#define ELF_MAX_SHDRS 128

/* One program header, whichever the class. */
struct elf_ph {
	uint32_t type;
	uint64_t offset, vaddr, filesz;
};

static int elf_phdr(int fd, const struct tr_elf_info *e, uint64_t phoff,
		    unsigned i, unsigned phentsize, struct elf_ph *ph)
{
	union {
		Elf64_Phdr p64;
		Elf32_Phdr p32;
	} u;
	size_t want = e->ei_class == ELFCLASS64 ? sizeof(u.p64) : sizeof(u.p32);

	if (phentsize < want ||
	    pread(fd, &u, want, (off_t)(phoff + (uint64_t)i * phentsize)) != (ssize_t)want) {
		return -1;
	}
	if (e->ei_class == ELFCLASS64) {
		*ph = (struct elf_ph){ u.p64.p_type, u.p64.p_offset, u.p64.p_vaddr,
				       u.p64.p_filesz };
	} else {
		*ph = (struct elf_ph){ u.p32.p_type, u.p32.p_offset, u.p32.p_vaddr,
				       u.p32.p_filesz };
	}
	return 0;
}

static void elf_build_id(int fd, const struct elf_ph *ph, struct tr_elf_info *e)
{
	uint8_t n[ELF_NOTE_MAX];
	size_t len = ph->filesz < sizeof(n) ? (size_t)ph->filesz : sizeof(n);
	ssize_t got = pread(fd, n, len, (off_t)ph->offset);
	size_t off = 0;

	while (got > 0 && off + 12 <= (size_t)got) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, n + off, 4);
		memcpy(&descsz, n + off + 4, 4);
		memcpy(&type, n + off + 8, 4);
		size_t name_at = off + 12;
		size_t desc_at = name_at + ((namesz + 3u) & ~3u);

		if (desc_at + descsz > (size_t)got) {
			return;
		}
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    memcmp(n + name_at, "GNU", 4) == 0) {
			e->build_id_len = descsz > 20 ? 20 : (uint8_t)descsz;
			memcpy(e->build_id, n + desc_at, e->build_id_len);
			return;
		}
		off = desc_at + ((descsz + 3u) & ~3u);
	}
}

/* Go's linker covers only .note.go.buildid with PT_NOTE: look for the GNU
 * note in the SHT_NOTE sections too. */
static void elf_build_id_sections(int fd, struct tr_elf_info *e, const Elf64_Ehdr *h)
{
	uint64_t shoff;
	unsigned shnum, shentsize;

	if (e->ei_class == ELFCLASS64) {
		shoff = h->e_shoff;
		shnum = h->e_shnum;
		shentsize = h->e_shentsize;
	} else {
		const Elf32_Ehdr *h32 = (const Elf32_Ehdr *)h;

		shoff = h32->e_shoff;
		shnum = h32->e_shnum;
		shentsize = h32->e_shentsize;
	}
	for (unsigned i = 0; shoff && i < shnum && i < ELF_MAX_SHDRS && !e->build_id_len; i++) {
		union {
			Elf64_Shdr s64;
			Elf32_Shdr s32;
		} u;
		size_t want = e->ei_class == ELFCLASS64 ? sizeof(u.s64) : sizeof(u.s32);
		struct elf_ph ph = { .type = PT_NOTE };

		if (shentsize < want ||
		    pread(fd, &u, want, (off_t)(shoff + (uint64_t)i * shentsize)) != (ssize_t)want) {
			return;
		}
		if (e->ei_class == ELFCLASS64 && u.s64.sh_type == SHT_NOTE) {
			ph.offset = u.s64.sh_offset;
			ph.filesz = u.s64.sh_size;
		} else if (e->ei_class == ELFCLASS32 && u.s32.sh_type == SHT_NOTE) {
			ph.offset = u.s32.sh_offset;
			ph.filesz = u.s32.sh_size;
		} else {
			continue;
		}
		elf_build_id(fd, &ph, e);
	}
}

int tr_elf_parse(int fd, struct tr_elf_info *e)
{
	Elf64_Ehdr h;
	uint64_t phoff;
	unsigned phnum, phentsize;
	int have_load = 0;

	memset(e, 0, sizeof(*e));
	if (pread(fd, &h, sizeof(h), 0) < (ssize_t)sizeof(Elf32_Ehdr) ||
	    memcmp(h.e_ident, ELFMAG, SELFMAG) != 0) {
		return -1;
	}
	e->is_elf = 1;
	e->ei_class = h.e_ident[EI_CLASS];
	e->ei_data = h.e_ident[EI_DATA];
	e->e_type = h.e_type;
	e->e_machine = h.e_machine;
	if (e->ei_class == ELFCLASS64) {
		phoff = h.e_phoff;
		phnum = h.e_phnum;
		phentsize = h.e_phentsize;
	} else if (e->ei_class == ELFCLASS32) {
		const Elf32_Ehdr *h32 = (const Elf32_Ehdr *)&h;

		phoff = h32->e_phoff;
		phnum = h32->e_phnum;
		phentsize = h32->e_phentsize;
	} else {
		return 0;
	}
	for (unsigned i = 0; i < phnum && i < ELF_MAX_PHDRS; i++) {
		struct elf_ph ph;

		if (elf_phdr(fd, e, phoff, i, phentsize, &ph) < 0) {
			break;
		}
		if (ph.type == PT_LOAD && !have_load) {
			e->load_delta = ph.vaddr - ph.offset;
			have_load = 1;
		} else if (ph.type == PT_INTERP) {
			size_t n = ph.filesz < sizeof(e->interp) ? (size_t)ph.filesz
								 : sizeof(e->interp) - 1;
			ssize_t got = pread(fd, e->interp, n, (off_t)ph.offset);

			e->interp[got > 0 ? got : 0] = 0;
			e->has_interp = 1;
		} else if (ph.type == PT_NOTE && !e->build_id_len) {
			elf_build_id(fd, &ph, e);
		}
	}
	if (!e->build_id_len) {
		elf_build_id_sections(fd, e, &h);
	}
	return 0;
}

/* "#!" line: interp := the program named on it. */
static int elf_shebang(int fd, char *interp, size_t cap)
{
	char line[256];
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);
	char *p, *end;

	if (n < 2 || line[0] != '#' || line[1] != '!') {
		return 0;
	}
	line[n] = 0;
	p = line + 2;
	p += strspn(p, " \t");
	end = p + strcspn(p, " \t\n");
	*end = 0;
	snprintf(interp, cap, "%s", p);
	return 1;
}

void tr_ev_exec(struct gs_tlv *t, pid_t pid, const char *abspath)
{
	struct goshim_t_elf ev = { 0 };
	struct tr_elf_info e;
	int fd = tr_root_open(pid, abspath, O_RDONLY);
	const char *interp = NULL;

	if (fd < 0) {
		ev.open_errno = -fd;
		gs_tlv_put(t, GOSHIM_T_EV_ELF, &ev, sizeof(ev));
		return;
	}
	if (tr_elf_parse(fd, &e) == 0) {
		ev.kind = 1;
		ev.ei_class = e.ei_class;
		ev.ei_data = e.ei_data;
		ev.e_type = e.e_type;
		ev.e_machine = e.e_machine;
		ev.has_interp = (uint16_t)e.has_interp;
		interp = e.has_interp ? e.interp : NULL;
	} else if (elf_shebang(fd, e.interp, sizeof(e.interp))) {
		ev.kind = 2;
		ev.has_interp = 1;
		interp = e.interp;
	} else {
		ev.kind = 3;
	}
	close(fd);
	gs_tlv_put(t, GOSHIM_T_EV_ELF, &ev, sizeof(ev));
	if (interp && interp[0]) {
		int ifd = tr_root_open(pid, interp, O_PATH);

		gs_tlv_str(t, GOSHIM_T_EV_INTERP, interp);
		gs_tlv_i32(t, GOSHIM_T_EV_INTERP_ERR, ifd < 0 ? -ifd : 0);
		if (ifd >= 0) {
			close(ifd);
		}
	}
}
