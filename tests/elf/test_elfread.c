/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF reader (common/elfread.h): the four class and byte-order
 * combinations, the exec facts, "#!" lines, and hostile input —
 * truncations at every length, huge counts, offsets beyond the end,
 * note sizes that overflow, random damage.  Built with ASan and UBSan:
 * a read out of bounds aborts. */
#include <criterion/criterion.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfimg.h"
#include "elfread.h"

static const struct ei_opts variants[] = {
	{ ELFCLASS64, 0, EM_X86_64, 0, 0 },
	{ ELFCLASS64, 1, EM_S390, 0, 0 },
	{ ELFCLASS32, 0, EM_386, 0, 0 },
	{ ELFCLASS32, 1, EM_PPC, 0, 0 },
};

#define NV (sizeof(variants) / sizeof(variants[0]))

/* A memory input that counts the callback's calls. */
struct counted {
	struct gs_elf_mem m;
	unsigned calls;
};

static long counted_read(void *ctx, void *buf, size_t len, uint64_t pos)
{
	struct counted *c = ctx;

	c->calls++;
	return gs_elf_read_mem(&c->m, buf, len, pos);
}

static int open_mem(struct gs_elf *e, struct gs_elf_mem *m, const uint8_t *b, size_t n)
{
	*m = (struct gs_elf_mem){ b, n };
	return gs_elf_open(e, gs_elf_read_mem, m, NULL, 0);
}

Test(elfread, four_layouts)
{
	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];
		uint8_t img[EI_SIZE], id[20];
		char buf[64];
		struct gs_elf_mem m;
		struct gs_elf e;

		ei_build(img, o);
		cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0, "variant %zu", v);
		cr_assert_eq(e.cls, o->cls);
		cr_assert_eq(e.data, o->big ? ELFDATA2MSB : ELFDATA2LSB);
		cr_assert_eq(e.machine, o->machine, "variant %zu: machine %u", v, e.machine);
		cr_assert_eq(e.type, ET_EXEC);
		cr_assert_eq(e.phnum, 3);
		cr_assert_eq(e.shnum, 4);
		cr_assert_eq(e.load_delta, EI_VADDR);
		cr_assert_eq(gs_elf_interp(&e, buf, sizeof(buf)), 1);
		cr_assert_str_eq(buf, EI_INTERP);
		cr_assert_eq(gs_elf_build_id(&e, id), 20);
		cr_assert_arr_eq(id, ei_build_id, 20);
		cr_assert_eq(gs_elf_go_note(&e, buf, sizeof(buf)), 1);
		cr_assert_str_eq(buf, EI_GO_ID);

		struct gs_elf_sec s;
		cr_assert_eq(gs_elf_sec_find(&e, ".gopclntab", &s), 0);
		cr_assert_eq(s.type, SHT_PROGBITS);
		cr_assert_eq(s.offset, EI_INTERP_AT);
		cr_assert_eq(s.addr, EI_VADDR + EI_INTERP_AT);
		cr_assert_eq(s.size, 16);
		cr_assert_eq(gs_elf_sec_find(&e, ".gopclnta", &s), -1);
		cr_assert_eq(gs_elf_sec_find(&e, ".text", &s), -1);
	}
}

/* Go's linker covers only .note.go.buildid with PT_NOTE: the build-id
 * is found in the SHT_NOTE sections too. */
Test(elfread, notes_in_sections)
{
	struct ei_opts o = variants[1];
	uint8_t img[EI_SIZE], id[20];
	struct gs_elf_mem m;
	struct gs_elf e;

	o.no_phnotes = 1;
	ei_build(img, &o);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_build_id(&e, id), 20);
	cr_assert_arr_eq(id, ei_build_id, 20);
	cr_assert_eq(gs_elf_open_mapped(&e, gs_elf_read_mem, &m, 0), 0);
	cr_assert_eq(gs_elf_build_id(&e, id), 0, "a loaded image has no sections");
}

Test(elfread, static_program)
{
	struct ei_opts o = variants[0];
	uint8_t img[EI_SIZE];
	struct gs_elf_mem m;
	struct gs_elf e;
	char buf[8] = "x";

	o.no_interp = 1;
	ei_build(img, &o);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_interp(&e, buf, sizeof(buf)), 0);
	cr_assert_eq(gs_elf_interp(&e, NULL, 0), 0);
}

/* A cut PT_INTERP is cut at the buffer, still NUL-terminated. */
Test(elfread, interp_cut_at_buffer)
{
	uint8_t img[EI_SIZE];
	struct gs_elf_mem m;
	struct gs_elf e;
	char buf[8];

	ei_build(img, &variants[0]);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_interp(&e, buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "/lib/ld");
}

/* Every truncation: a header cut short is not ELF; a cut program header
 * table makes PT_INTERP unknown (-1); a cut segment yields what is
 * there.  Nothing reads beyond the input. */
Test(elfread, truncated_at_every_length)
{
	for (size_t v = 0; v < NV; v++) {
		uint8_t img[EI_SIZE];
		size_t ehsize = variants[v].cls == ELFCLASS64 ? 64 : 52;
		size_t ph_end = ei_phdr_at(&variants[v], 2); /* PT_INTERP is the second */

		ei_build(img, &variants[v]);
		for (size_t n = 0; n <= EI_SIZE; n++) {
			uint8_t *cut = malloc(n ? n : 1), id[20];
			struct gs_elf_mem m;
			struct gs_elf e;
			char buf[64];

			memcpy(cut, img, n);
			int r = open_mem(&e, &m, cut, n);
			cr_assert_eq(r, n < ehsize ? -1 : 0, "variant %zu, %zu bytes", v, n);
			if (r == 0) {
				int i = gs_elf_interp(&e, buf, sizeof(buf));
				cr_assert_eq(i, n < ph_end ? -1 : 1, "%zu bytes: %d", n, i);
				if (i == 1 && n < EI_INTERP_AT + sizeof(EI_INTERP)) {
					cr_assert_eq(strlen(buf), n > EI_INTERP_AT ? n - EI_INTERP_AT : 0);
				}
				unsigned idn = gs_elf_build_id(&e, id);
				cr_assert(idn == 0 || idn == 20);
				gs_elf_go_note(&e, buf, sizeof(buf));
			}
			free(cut);
		}
	}
}

/* e_phnum 65535: not read one by one, PT_INTERP unknown. */
Test(elfread, phnum_huge)
{
	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];
		uint8_t img[EI_SIZE], id[20];
		struct counted c = { { img, sizeof(img) }, 0 };
		struct gs_elf e;

		ei_build(img, o);
		ei_put(img + (o->cls == ELFCLASS64 ? 56 : 44), 2, 0xffff, o->big);
		cr_assert_eq(gs_elf_open(&e, counted_read, &c, NULL, 0), 0);
		cr_assert(e.ph_bad);
		cr_assert_eq(gs_elf_interp(&e, NULL, 0), -1);
		gs_elf_build_id(&e, id);
		cr_assert(c.calls < 64, "%u reads for a hostile e_phnum", c.calls);
	}
}

/* e_phoff near 2^64: the table would wrap. */
Test(elfread, phoff_wraps)
{
	const struct ei_opts *o = &variants[0];
	uint8_t img[EI_SIZE];
	struct gs_elf_mem m;
	struct gs_elf e;

	ei_build(img, o);
	ei_put(img + 32, 8, UINT64_MAX - 16, 0);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_interp(&e, NULL, 0), -1);
}

/* PT_INTERP's p_offset beyond the end of the file, or wrapping: present,
 * path unknown. */
Test(elfread, p_offset_beyond_eof)
{
	static const uint64_t offs[] = { EI_SIZE, EI_SIZE + 1, 1ull << 40, UINT64_MAX,
					 UINT64_MAX - 3 };

	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];
		int w = o->cls == ELFCLASS64 ? 8 : 4;

		for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
			uint8_t img[EI_SIZE];
			struct gs_elf_mem m;
			struct gs_elf e;
			char buf[64] = "junk";

			uint64_t off = w == 8 ? offs[k] : (uint32_t)offs[k];

			if (off < EI_SIZE) {
				continue; /* 1 << 40 in 32 bits */
			}
			ei_build(img, o);
			ei_put(img + ei_phdr_at(o, 1) + (w == 8 ? 8 : 4), w, off, o->big);
			cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
			cr_assert_eq(gs_elf_interp(&e, buf, sizeof(buf)), 1);
			cr_assert_str_eq(buf, "");
		}
	}
}

/* A note whose sizes overflow the segment (or 32 bits) ends the walk. */
Test(elfread, note_sizes_overflow)
{
	static const uint32_t sizes[][2] = {
		{ 0xffffffff, 20 }, { 4, 0xffffffff }, { 0xfffffffd, 0xfffffffd },
		{ 4, 0x7fffffff }, { 4, 1000 }, { 100, 4 },
	};

	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];

		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			uint8_t img[EI_SIZE], id[20];
			struct gs_elf_mem m;
			struct gs_elf e;

			ei_build(img, o);
			ei_put(img + EI_NOTE_AT, 4, sizes[k][0], o->big);
			ei_put(img + EI_NOTE_AT + 4, 4, sizes[k][1], o->big);
			cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
			cr_assert_eq(gs_elf_build_id(&e, id), 0, "sizes %x %x", sizes[k][0],
				     sizes[k][1]);
			cr_assert_eq(gs_elf_go_note(&e, NULL, 0), 0);
		}
	}
}

/* A segment of many empty notes: the walk stops after GS_ELF_NOTES_MAX. */
Test(elfread, many_notes_bounded)
{
	static uint8_t big[1 << 16];
	const struct ei_opts *o = &variants[0];
	struct counted c = { { big, sizeof(big) }, 0 };
	struct gs_elf e;

	ei_build(big, o);
	ei_put(big + ei_phdr_at(o, 2) + 32, 8, sizeof(big) - EI_NOTE_AT, 0); /* p_filesz */
	memset(big + EI_NOTE_AT, 0, sizeof(big) - EI_NOTE_AT);              /* 12-byte notes */
	ei_put(big + 60, 2, 0, 0);                                          /* no sections */
	cr_assert_eq(gs_elf_open(&e, counted_read, &c, NULL, 0), 0);
	cr_assert_eq(gs_elf_go_note(&e, NULL, 0), 0);
	cr_assert(c.calls < 4 * GS_ELF_NOTES_MAX, "%u reads", c.calls);
}

Test(elfread, not_elf)
{
	static const char *const inputs[] = {
		"", "\x7f", "\x7f" "ELF", "\x7f" "ELF\x03\x01", "\x7f" "ELF\x02\x03", "MZ\x90",
		"\x7f" "ELf\x02\x01",
	};

	for (size_t k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++) {
		uint8_t b[64] = { 0 };
		struct gs_elf_mem m;
		struct gs_elf e;

		memcpy(b, inputs[k], strlen(inputs[k]));
		cr_assert_eq(open_mem(&e, &m, b, sizeof(b)), -1, "input %zu", k);
	}
}

Test(elfread, shebang)
{
	static const struct {
		const char *line;
		int is;
		const char *interp;
	} cases[] = {
		{ "#!/bin/sh\n", 1, "/bin/sh" },
		{ "#! /usr/bin/env python3 -u\n", 1, "/usr/bin/env" },
		{ "#!\t/bin/bash\t-e", 1, "/bin/bash" },
		{ "#!/bin/bash\r\n", 1, "/bin/bash\r" },  /* the kernel keeps the \r too */
		{ "#!", 1, "" },
		{ "#!   \n/bin/sh", 1, "" },
		{ "#/bin/sh", 0, "" },
		{ "!#/bin/sh", 0, "" },
		{ "", 0, "" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char buf[32] = "";

		cr_assert_eq(gs_shebang((const uint8_t *)cases[k].line, strlen(cases[k].line), buf,
					sizeof(buf)), cases[k].is, "case %zu", k);
		cr_assert_str_eq(buf, cases[k].interp, "case %zu: %s", k, buf);
	}
	char small[5];
	cr_assert_eq(gs_shebang((const uint8_t *)"#!/usr/bin/perl", 15, small, sizeof(small)), 1);
	cr_assert_str_eq(small, "/usr");
}

/* The evidence both engines record, from one function. */
Test(elfread, exec_facts)
{
	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];
		uint8_t img[EI_SIZE], cache[256];
		struct gs_elf_mem m = { img, sizeof(img) };
		struct goshim_t_elf ev = { 0 };
		char interp[64];

		ei_build(img, o);
		gs_exec_facts(&ev, interp, sizeof(interp), gs_elf_read_mem, &m, cache, sizeof(cache));
		cr_assert_eq(ev.kind, 1);
		cr_assert_eq(ev.ei_class, o->cls);
		cr_assert_eq(ev.ei_data, o->big ? 2 : 1);
		cr_assert_eq(ev.e_machine, o->machine);
		cr_assert_eq(ev.e_type, ET_EXEC);
		cr_assert_eq(ev.has_interp, 1);
		cr_assert_str_eq(interp, EI_INTERP);
	}
	static const struct {
		const char *text;
		uint32_t kind;
		uint16_t has_interp;
		const char *interp;
	} others[] = {
		{ "#!/nonexistent/interp -x\n", 2, 1, "/nonexistent/interp" },
		{ "#!\n", 2, 0, "" },
		{ "\x7f" "ELF\x02\x01\x01", 3, 0, "" },   /* a header cut short */
		{ "plain text\n", 3, 0, "" },
		{ "", 3, 0, "" },
	};
	for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
		struct gs_elf_mem m = { (const uint8_t *)others[k].text, strlen(others[k].text) };
		struct goshim_t_elf ev = { 0 };
		uint8_t cache[64];
		char interp[64];

		gs_exec_facts(&ev, interp, sizeof(interp), gs_elf_read_mem, &m,
			      k % 2 ? cache : NULL, k % 2 ? sizeof(cache) : 0);
		cr_assert_eq(ev.kind, others[k].kind, "case %zu: kind %u", k, ev.kind);
		cr_assert_eq(ev.has_interp, others[k].has_interp, "case %zu", k);
		cr_assert_str_eq(interp, others[k].interp, "case %zu", k);
	}
}

/* The test program itself, through a descriptor: what ld.so and the
 * kernel say it is. */
Test(elfread, this_program_by_fd)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct goshim_t_elf ev = { 0 };
	uint8_t cache[4096];
	char interp[256];

	cr_assert(fd >= 0);
	gs_exec_facts(&ev, interp, sizeof(interp), gs_elf_read_fd, (void *)(intptr_t)fd, cache,
		      sizeof(cache));
	close(fd);
	cr_assert_eq(ev.kind, 1);
	cr_assert_eq(ev.ei_class, sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32);
#if defined(__x86_64__)
	cr_assert_eq(ev.e_machine, EM_X86_64);
#endif
	cr_assert_eq(ev.has_interp, 1);
	cr_assert(access(interp, X_OK) == 0, "PT_INTERP %s", interp);
}

static int main_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(struct dl_phdr_info *)data = *info;
	return 1; /* the main program comes first */
}

/* The build-id read from the loaded image (the hand-over's way) is the
 * file's. */
Test(elfread, loaded_image_is_the_file)
{
	uint8_t file_id[20], mem_id[20], cache[4096];
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct dl_phdr_info info;
	struct gs_elf e;

	cr_assert(fd >= 0);
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	unsigned n = gs_elf_build_id(&e, file_id);
	close(fd);
	cr_assert(n > 0, "the test program has no build-id (linked with --build-id=none?)");

	dl_iterate_phdr(main_cb, &info);
	uintptr_t ph = (uintptr_t)info.dlpi_phdr;
	struct gs_elf_mem m = { (const uint8_t *)ph, SIZE_MAX / 2 };
	gs_elf_open_loaded(&e, gs_elf_read_mem, &m, info.dlpi_phnum, ph - info.dlpi_addr);
	cr_assert_eq(gs_elf_build_id(&e, mem_id), n);
	cr_assert_arr_eq(mem_id, file_id, n);
}

Test(elfread, machine_table)
{
	cr_assert_str_eq(gs_machine_name(EM_S390), "s390");
	cr_assert_str_eq(gs_machine_name(EM_X86_64), "x86_64");
	cr_assert_str_eq(gs_machine_name(EM_386), "i386");
	cr_assert_null(gs_machine_name(5632));
	cr_assert_eq(gs_machine_em("s390x"), EM_S390);
	cr_assert_eq(gs_machine_em("x86_64"), EM_X86_64);
	cr_assert_eq(gs_machine_em("amd64"), EM_X86_64);
	cr_assert_eq(gs_machine_em("i686"), EM_386);
	cr_assert_eq(gs_machine_em("386"), EM_386);
	cr_assert_eq(gs_machine_em("arm64"), EM_AARCH64);
	cr_assert_eq(gs_machine_em("armv7l"), EM_ARM);
	cr_assert_eq(gs_machine_em("ppc64le"), EM_PPC64);
	cr_assert_eq(gs_machine_em("vax"), -1);
}

struct vers {
	unsigned n, glibc;
	int libc;
};

static int ver_cb(void *arg, const char *file, const char *version)
{
	struct vers *v = arg;

	v->n++;
	v->glibc += strncmp(version, "GLIBC_2.", 8) == 0;
	v->libc += file && strcmp(file, "libc.so.6") == 0;
	return 0;
}

static int ver_of(const char *path, int def, struct vers *v)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t cache[4096];
	struct gs_elf e;
	int r;

	cr_assert(fd >= 0, "%s", path);
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	*v = (struct vers){ 0 };
	r = def ? gs_elf_verdef(&e, ver_cb, v) : gs_elf_verneed(&e, ver_cb, v);
	close(fd);
	return r;
}

static int libc_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (strstr(info->dlpi_name, "/libc.so.6")) {
		snprintf(data, 512, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

/* This program needs glibc versions of libc.so.6; libc.so.6 defines
 * them; a static image has neither table. */
Test(elfread, symbol_versions)
{
	char libc[512] = "";
	struct vers v;
	int r = ver_of("/proc/self/exe", 0, &v);

	cr_assert(r > 0 && r == (int)v.n && v.glibc > 0 && v.libc > 0,
		  "verneed: %d calls, %u GLIBC_2.*, %u of libc.so.6", r, v.glibc, v.libc);
	dl_iterate_phdr(libc_cb, libc);
	cr_assert(libc[0], "libc.so.6 is not loaded");
	r = ver_of(libc, 1, &v);
	cr_assert(r > 10 && r == (int)v.n && v.glibc > 10 && v.libc == 0,
		  "verdef of %s: %d calls, %u GLIBC_2.*", libc, r, v.glibc);
	cr_assert_eq(ver_of(libc, 0, &v) > 0, 1, "libc.so.6 needs ld.so's versions");

	uint8_t img[EI_SIZE];
	struct gs_elf_mem m;
	struct gs_elf e;
	ei_build(img, &variants[1]);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_verneed(&e, ver_cb, &v), -1);
	cr_assert_eq(gs_elf_verdef(&e, ver_cb, &v), -1);
}

static int open_plain(void *ctx, const char *path)
{
	(void)ctx;
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int open_none(void *ctx, const char *path)
{
	(void)ctx, (void)path;
	return -1;
}

/* Every library opened is this program: no version definitions. */
static int open_self(void *ctx, const char *path)
{
	(void)ctx, (void)path;
	return open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
}

/* What this program needs, its libraries have; a library not found or
 * without version definitions is no finding (ld.so exits 127, or warns). */
Test(elfread, version_needs_met)
{
	char why[256] = "x";
	uint8_t cache[4096];
	struct gs_elf e;
	int fd = open("/proc/self/exe", O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	cr_assert_eq(gs_elf_ver_missing(&e, NULL, open_plain, NULL, why, sizeof(why)), 0, "%s",
		     why);
	cr_assert_str_eq(why, "");
	cr_assert_eq(gs_elf_ver_missing(&e, "/nonexistent:", open_plain, NULL, why, sizeof(why)),
		     0, "%s", why);
	cr_assert_eq(gs_elf_ver_missing(&e, NULL, open_none, NULL, why, sizeof(why)), 0);
	cr_assert_eq(gs_elf_ver_missing(&e, NULL, open_self, NULL, why, sizeof(why)), 0);
	close(fd);

	uint8_t img[EI_SIZE];
	struct gs_elf_mem m;
	ei_build(img, &variants[1]);
	cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
	cr_assert_eq(gs_elf_ver_missing(&e, NULL, open_plain, NULL, why, sizeof(why)), -1);
}

/* Go's build information: found in the data segment of an image without
 * a .go.buildinfo section, cut short safely, and read from the Go
 * toolchain's own binary (which has the section). */
Test(elfread, go_version)
{
	for (size_t v = 0; v < NV; v++) {
		const struct ei_opts *o = &variants[v];
		uint8_t img[EI_SIZE], cache[256];
		struct gs_elf_mem m;
		struct gs_elf e;
		char buf[32];

		ei_build(img, o);
		cr_assert_eq(open_mem(&e, &m, img, sizeof(img)), 0);
		cr_assert_eq(gs_elf_go_version(&e, buf, sizeof(buf)), 0, "no writable segment");
		ei_put(img + ei_phdr_at(o, 0) + (o->cls == ELFCLASS64 ? 4 : 24), 4, PF_R | PF_W,
		       o->big);
		cr_assert_eq(gs_elf_open(&e, gs_elf_read_mem, &m, cache, sizeof(cache)), 0);
		cr_assert_eq(gs_elf_go_version(&e, buf, sizeof(buf)), 1, "variant %zu", v);
		cr_assert_str_eq(buf, EI_GO_VER);
		cr_assert_eq(gs_elf_go_version(&e, buf, 5), 1);
		cr_assert_str_eq(buf, "go1.");
		cr_assert_eq(gs_elf_go_version(&e, NULL, 0), 1);
		for (size_t n = EI_BINFO_AT; n < EI_BINFO_AT + 42; n++) {
			m.size = n;  /* the input ends inside it */
			cr_assert_eq(gs_elf_open(&e, gs_elf_read_mem, &m, NULL, 0), 0);
			int r = gs_elf_go_version(&e, buf, sizeof(buf));
			cr_assert(r == 0 || (n >= EI_BINFO_AT + 41 && strcmp(buf, EI_GO_VER) == 0),
				  "%zu bytes: %d %s", n, r, buf);
		}
	}
	const char *go = "/usr/local/go/bin/go";
	int fd = open(go, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cr_skip("%s: not installed, the real binary is not checked", go);
	}
	uint8_t cache[4096];
	struct gs_elf e;
	char buf[64], want[64] = "";
	FILE *p = popen("/usr/local/go/bin/go env GOVERSION", "r");
	cr_assert(p && fgets(want, sizeof(want), p));
	pclose(p);
	want[strcspn(want, "\n")] = 0;
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	cr_assert_eq(gs_elf_go_version(&e, buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, want);
	char id[128];
	cr_assert_eq(gs_elf_go_note(&e, id, sizeof(id)), 1, "go has a Go note");
	close(fd);
}

/* -race in the build information: not in the Go toolchain's own go (0),
 * no build information at all in this C program (-1).  A -race binary
 * (1) is the scenario limits/race_under_low_ulimit_v's. */
Test(elfread, go_race)
{
	uint8_t cache[4096];
	struct gs_elf e;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0);
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	cr_assert_eq(gs_elf_go_race(&e), -1);
	close(fd);
	fd = open("/usr/local/go/bin/go", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cr_skip("/usr/local/go/bin/go: not installed, the real binary is not checked");
	}
	cr_assert_eq(gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)), 0);
	cr_assert_eq(gs_elf_go_race(&e), 0);
	close(fd);
}

/* Random damage to the header, program headers and notes of each
 * layout, then every query.  Fixed seed. */
Test(elfread, random_damage)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (unsigned trial = 0; trial < 20000; trial++) {
		const struct ei_opts *o = &variants[trial % NV];
		uint8_t img[EI_SIZE], id[20], cache[128];
		char buf[64];
		struct goshim_t_elf ev;
		struct gs_elf_mem m;
		struct gs_elf e;

		ei_build(img, o);
		for (unsigned k = 0; k < 1 + trial % 6; k++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			size_t at = (seed >> 8) % (trial % 3 ? 0x100 : EI_SIZE);
			img[at] = (uint8_t)(seed >> 40);
		}
		size_t n = trial % 5 ? EI_SIZE : (seed >> 20) % EI_SIZE;
		m = (struct gs_elf_mem){ img, n };
		if (gs_elf_open(&e, gs_elf_read_mem, &m, trial % 2 ? cache : NULL, sizeof(cache)) == 0) {
			struct gs_elf_sec s;
			gs_elf_interp(&e, buf, sizeof(buf));
			gs_elf_build_id(&e, id);
			gs_elf_go_note(&e, buf, sizeof(buf));
			gs_elf_sec_find(&e, ".gopclntab", &s);
			gs_elf_go_version(&e, buf, sizeof(buf));
			gs_elf_go_race(&e);
		}
		gs_exec_facts(&ev, buf, sizeof(buf), gs_elf_read_mem, &m, NULL, 0);
		cr_assert(ev.kind >= 1 && ev.kind <= 3);
		cr_assert(strlen(buf) < sizeof(buf));
	}
}
