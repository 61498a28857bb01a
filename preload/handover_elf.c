// SPDX-License-Identifier: Apache-2.0
/*
 * What the hand-over needs to know, read cheaply: is an exec target
 * static, is the host a Go program, who traces us.  Raw system calls and
 * stack buffers only (exec wrappers may run in a vfork child).
 */
#include <link.h>
#include <stdint.h>

#include "elfread.h"
#include "goshim/handover.h"
#include "handover.h"
#include "rec/rec.h"
#include "sys.h"

int gs_ho_elf_static(int fd)
{
	uint8_t cache[1024]; /* header, program headers: one read */
	struct gs_elf e;

	/* static: ELF with a usable program header table, no PT_INTERP */
	return gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0 &&
	       e.phnum > 0 && gs_elf_interp(&e, NULL, 0) == 0;
}

/* dl_iterate_phdr visits the main program first: look at it only. */
static int he_main_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct gs_elf_mem m = { (const uint8_t *)info->dlpi_phdr, SIZE_MAX / 2 };
	struct gs_elf e;

	(void)size;
	gs_elf_open_loaded(&e, gs_elf_read_mem, &m, info->dlpi_phnum,
			   (uint64_t)(uintptr_t)info->dlpi_phdr - info->dlpi_addr);
	*(int *)data = gs_elf_go_note(&e, NULL, 0);
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
