/* SPDX-License-Identifier: Apache-2.0 */
/* What an exec target is (ELF, "#!" script, other): the evidence both
 * capture engines record, from one function. */
#include "elfread.h"

#define EX_LINE 256 /* the kernel reads this much of a "#!" line */

enum { EX_ELF = 1, EX_SCRIPT = 2, EX_OTHER = 3 };

int gs_shebang(const uint8_t *buf, size_t n, char *interp, size_t cap)
{
	size_t i = 2, o = 0;

	if (n < 2 || buf[0] != '#' || buf[1] != '!') {
		return 0;
	}
	while (i < n && (buf[i] == ' ' || buf[i] == '\t')) {
		i++;
	}
	while (i < n && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] &&
	       o + 1 < cap) {
		interp[o++] = (char)buf[i++];
	}
	if (cap) {
		interp[o] = 0;
	}
	return 1;
}

void gs_exec_facts(struct goshim_t_elf *ev, char *interp, size_t cap, gs_elf_read_fn rd,
		   void *ctx, void *cache, size_t cache_cap)
{
	struct gs_elf e;
	uint8_t line[EX_LINE];

	if (cap) {
		interp[0] = 0;
	}
	if (gs_elf_open(&e, rd, ctx, cache, cache_cap) == 0) {
		ev->kind = EX_ELF;
		ev->ei_class = e.cls;
		ev->ei_data = e.data;
		ev->e_type = e.type;
		ev->e_machine = e.machine;
		ev->has_interp = gs_elf_interp(&e, interp, cap) == 1;
		return;
	}
	/* not ELF: the start of the file is in the cache, if any */
	const uint8_t *b = e.cache_len ? e.cache : line;
	long n = e.cache_len ? (long)e.cache_len : rd(ctx, line, sizeof(line), 0);

	if (n > EX_LINE) {
		n = EX_LINE;
	}
	if (n > 0 && gs_shebang(b, (size_t)n, interp, cap)) {
		ev->kind = EX_SCRIPT;
		ev->has_interp = cap && interp[0] != 0;
		return;
	}
	ev->kind = EX_OTHER;
}
