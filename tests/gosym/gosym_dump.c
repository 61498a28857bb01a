/* SPDX-License-Identifier: Apache-2.0 */
/* gosym-dump FILE [PC...]: the Go symbol table of FILE as this project's
 * reader sees it.  Without PCs: one line per function (entry, name).  With
 * PCs (hex, link-time): the logical frames at each, innermost first. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "gopclntab.h"

int main(int argc, char **argv)
{
	const char *err = NULL;
	struct gs_gopcln *t;

	if (argc < 2) {
		fprintf(stderr, "usage: gosym-dump FILE [PC...]\n");
		return 2;
	}
	t = gs_gopcln_open(argv[1], &err);
	if (!t) {
		fprintf(stderr, "gosym-dump: %s: %s\n", argv[1], err);
		return 1;
	}
	printf("format %d, %zu functions\n", gs_gopcln_format(t), gs_gopcln_nfunc(t));
	if (argc == 2) {
		for (size_t i = 0; i < gs_gopcln_nfunc(t); i++) {
			struct gs_gopcln_frame f;
			uint64_t e = gs_gopcln_entry(t, i);

			if (gs_gopcln_lookup(t, e, &f) == 0) {
				printf("%#" PRIx64 " %s %s:%u\n", e, f.func,
				       f.file ? f.file : "?", f.line);
			}
		}
	}
	for (int a = 2; a < argc; a++) {
		struct gs_gopcln_frame fr[32];
		uint64_t pc = strtoull(argv[a], NULL, 16);
		size_t n = gs_gopcln_frames(t, pc, fr, 32);

		printf("%#" PRIx64 ":\n", pc);
		for (size_t i = 0; i < n; i++) {
			printf("  %s %s:%u%s\n", fr[i].func, fr[i].file ? fr[i].file : "?",
			       fr[i].line, fr[i].inlined ? " (inlined)" : "");
		}
	}
	gs_gopcln_close(t);
	return 0;
}
