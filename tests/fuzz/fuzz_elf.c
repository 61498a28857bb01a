/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer entry point: any bytes, as an ELF file or exec target, read
 * by common/elfread.h every way goshim reads one (through its cache and
 * without, as a file and as a loaded image).  Seeds in
 * tests/fuzz/corpus/elf (the four layouts of tests/elf/elfimg.c);
 * tests/fuzz/run.sh runs it. */
#include <stddef.h>
#include <stdint.h>

#include "elfread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fe_ver(void *arg, const char *file, const char *version)
{
	(void)arg;
	return file && file[0] == version[0] && version[0] == 'x';
}

static void fe_queries(const struct gs_elf *e)
{
	struct gs_elf_sec s;
	uint8_t id[20];
	char buf[64];

	gs_elf_interp(e, buf, sizeof(buf));
	gs_elf_build_id(e, id);
	gs_elf_go_note(e, buf, sizeof(buf));
	gs_elf_sec_find(e, ".gopclntab", &s);
	gs_elf_verneed(e, fe_ver, NULL);
	gs_elf_verdef(e, fe_ver, NULL);
	gs_elf_go_version(e, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gs_elf_mem m = { data, size };
	struct goshim_t_elf ev = { 0 };
	uint8_t cache[512];
	char interp[256];
	struct gs_elf e;

	gs_exec_facts(&ev, interp, sizeof(interp), gs_elf_read_mem, &m, cache, sizeof(cache));
	if (gs_elf_open(&e, gs_elf_read_mem, &m, NULL, 0) == 0) {
		fe_queries(&e);
	}
	if (gs_elf_open_mapped(&e, gs_elf_read_mem, &m, size / 2) == 0) {
		fe_queries(&e);
	}
	if (size > 4) {
		gs_elf_open_loaded(&e, gs_elf_read_mem, &m, data[0], data[1]);
		fe_queries(&e);
	}
	return 0;
}
