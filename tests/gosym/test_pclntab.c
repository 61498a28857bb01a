/* SPDX-License-Identifier: Apache-2.0 */
/* The pclntab reader against the Go toolchains' own answers: `go tool
 * addr2line` for the physical function and file:line of many pcs, and
 * runtime.CallersFrames (inside a Go program) for inlined frames.  Both
 * toolchains (pcHeader formats 1.20+ and 1.18), stripped and not, and a
 * file without section headers. */
#include <criterion/criterion.h>
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gg.h"
#include "tl_table.h"
#include "gopclntab.h"

static struct gs_gopcln *pt_open(const char *path)
{
	const char *err = NULL;
	struct gs_gopcln *t = gs_gopcln_open(path, &err);

	cr_assert(t, "%s: %s", path, err ? err : "?");
	return t;
}

/* Every function's entry, middle and last byte, compared with addr2line. */
static void pt_addr2line(enum gg_go g, const char *kind, int format)
{
	const char *bin = gg_bin(g, kind);
	struct gs_gopcln *t = pt_open(bin);
	char *dir = gg_tmpdir("a2l"), pcf[512];
	size_t nf = gs_gopcln_nfunc(t), npc = 0, bad = 0;
	uint64_t *pcs = calloc(3 * nf, sizeof(*pcs));
	FILE *f;
	int st;

	cr_assert_eq(gs_gopcln_format(t), format, "%s: format %d", bin, gs_gopcln_format(t));
	cr_assert_gt(nf, 1000, "%s: only %zu functions", bin, nf);
	for (size_t i = 0; i + 1 < nf; i++) {
		uint64_t a = gs_gopcln_entry(t, i), b = gs_gopcln_entry(t, i + 1);

		if (b <= a) {
			continue;
		}
		pcs[npc++] = a;
		if (b - a > 2) {
			pcs[npc++] = a + (b - a) / 2;
		}
		if (b - a > 1) {
			pcs[npc++] = b - 1;
		}
	}
	snprintf(pcf, sizeof(pcf), "%s/pcs", dir);
	f = fopen(pcf, "w");
	cr_assert(f);
	for (size_t i = 0; i < npc; i++) {
		fprintf(f, "%#" PRIx64 "\n", pcs[i]);
	}
	fclose(f);
	gg_go_env();
	char *out = gg_out(&st, "'%s' tool addr2line '%s' < '%s'", gg_go(GG_GO_OFFICIAL), bin, pcf);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "go tool addr2line failed");

	char *save = NULL, *fn = strtok_r(out, "\n", &save);

	for (size_t i = 0; i < npc; i++) {
		char *fl = strtok_r(NULL, "\n", &save), mine[4096];
		struct gs_gopcln_frame fr;

		cr_assert(fn && fl, "addr2line gave fewer answers (%zu) than pcs (%zu)", i, npc);
		if (gs_gopcln_lookup(t, pcs[i], &fr) < 0) {
			snprintf(mine, sizeof(mine), "?\n?:0");
		} else {
			snprintf(mine, sizeof(mine), "%s\n%s:%u", fr.func, fr.file ? fr.file : "?",
				 fr.line);
		}
		char want[4096];

		/* addr2line: ":-1" where no line is known (padding after a
		 * function's code), other negative lines for marker symbols
		 * without a table (go:textfipsstart, decoded from pctab's
		 * start); the reader: no file, line 0 */
		if (strncmp(fl, ":-", 2) == 0) {
			fl = "?:0";
		}
		snprintf(want, sizeof(want), "%s\n%s", fn, fl);
		if (strcmp(mine, want) != 0) {
			if (bad++ < 10) {
				cr_log_error("%s %#" PRIx64 ": addr2line [%s] reader [%s]", kind,
					     pcs[i], want, mine);
			}
		}
		fn = strtok_r(NULL, "\n", &save);
	}
	fprintf(stderr, "gosym: %s %s: %zu functions, %zu pcs compared with addr2line, "
		"%zu mismatches\n", gg_go_name(g), kind, nf, npc, bad);
	cr_expect_eq(bad, 0, "%zu of %zu pcs differ from addr2line", bad, npc);
	free(out);
	free(pcs);
	gs_gopcln_close(t);
	gg_sh("rm -rf '%s'", dir);
	free(dir);
}

Test(gosym, addr2line_official_stripped, .timeout = 120)
{
	pt_addr2line(GG_GO_OFFICIAL, "test-s", 120);
}

Test(gosym, addr2line_official, .timeout = 120)
{
	pt_addr2line(GG_GO_OFFICIAL, "inl", 120);
}

Test(gosym, addr2line_debian119_stripped, .timeout = 120)
{
	pt_addr2line(GG_GO_DEBIAN, "test-s", 118);
}

Test(gosym, addr2line_debian119, .timeout = 120)
{
	pt_addr2line(GG_GO_DEBIAN, "inl", 118);
}

/* runtime.Callers gives one pc per logical frame (inlined calls included)
 * and CallersFrames names it; the reader's expansion of a pc must match
 * the run of frames the runtime reported from there. */
static void pt_inline(enum gg_go g, const char *kind)
{
	const char *bin = gg_bin(g, kind);
	struct gs_gopcln *t = pt_open(bin);
	char *out, *save = NULL;
	uint64_t pcs[512];
	char *names[512];
	size_t n = 0, checked = 0, inl = 0;
	int st;

	out = gg_out(&st, "'%s'", bin);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed", bin);
	for (char *l = strtok_r(out, "\n", &save); l && n < 512; l = strtok_r(NULL, "\n", &save)) {
		if (l[0] == 'P') {
			pcs[n] = strtoull(l + 2, NULL, 16);
		} else if (l[0] == 'F') {
			names[n++] = l + 2;
		}
	}
	cr_assert_gt(n, 20, "the oracle printed %zu frames", n);
	for (size_t j = 0; j < n;) {
		struct gs_gopcln_frame fr[32];
		size_t m = gs_gopcln_frames(t, pcs[j] - 1, fr, 32);

		cr_assert_gt(m, 0, "%#" PRIx64 " (%s): no frames", pcs[j], names[j]);
		for (size_t k = 0; k < m; k++) {
			char mine[4096];

			cr_assert_lt(j + k, n, "expansion of %#" PRIx64 " runs past the stack", pcs[j]);
			snprintf(mine, sizeof(mine), "%s %s %u", fr[k].func, fr[k].file ? fr[k].file : "?",
				 fr[k].line);
			cr_assert_str_eq(mine, names[j + k], "pc %#" PRIx64 " frame %zu", pcs[j], k);
			cr_assert_eq(fr[k].inlined, k + 1 < m);
			checked++;
			inl += fr[k].inlined;
		}
		j += m;
	}
	fprintf(stderr, "gosym: %s %s: %zu logical frames match runtime.CallersFrames, "
		"%zu of them inlined\n", gg_go_name(g), kind, checked, inl);
	cr_assert_geq(inl, 3, "the oracle program should exercise inlining");
	free(out);
	gs_gopcln_close(t);
}

Test(gosym, inline_official, .timeout = 120)
{
	pt_inline(GG_GO_OFFICIAL, "inl");
}

Test(gosym, inline_official_stripped, .timeout = 120)
{
	pt_inline(GG_GO_OFFICIAL, "inl-s");
}

Test(gosym, inline_debian119, .timeout = 120)
{
	pt_inline(GG_GO_DEBIAN, "inl");
}

Test(gosym, inline_debian119_stripped, .timeout = 120)
{
	pt_inline(GG_GO_DEBIAN, "inl-s");
}

/* Without section headers the table is found by its magic. */
static void pt_noshdr(enum gg_go g)
{
	const char *bin = gg_bin(g, "test-s");
	char *dir = gg_tmpdir("noshdr"), copy[512];
	Elf64_Ehdr eh;
	int fd;

	snprintf(copy, sizeof(copy), "%s/bin", dir);
	gg_sh("cp '%s' '%s'", bin, copy);
	fd = open(copy, O_RDWR);
	cr_assert(fd >= 0 && pread(fd, &eh, sizeof(eh), 0) == sizeof(eh));
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = 0;
	cr_assert(pwrite(fd, &eh, sizeof(eh), 0) == sizeof(eh));
	close(fd);

	struct gs_gopcln *a = pt_open(bin), *b = pt_open(copy);
	size_t nf = gs_gopcln_nfunc(a);

	cr_assert_eq(gs_gopcln_format(a), gs_gopcln_format(b));
	cr_assert_eq(nf, gs_gopcln_nfunc(b));
	for (size_t i = 0; i + 1 < nf; i += 3) {
		struct gs_gopcln_frame fa[16], fb[16];
		uint64_t pc = gs_gopcln_entry(a, i) + 5;
		size_t na = gs_gopcln_frames(a, pc, fa, 16), nb = gs_gopcln_frames(b, pc, fb, 16);

		cr_assert_eq(na, nb, "pc %#" PRIx64, pc);
		for (size_t k = 0; k < na; k++) {
			cr_assert_str_eq(fa[k].func, fb[k].func);
			cr_assert_eq(fa[k].line, fb[k].line);
		}
	}
	gs_gopcln_close(a);
	gs_gopcln_close(b);
	gg_sh("rm -rf '%s'", dir);
	free(dir);
}

static const enum gg_go pt_gos[] = { GG_GO_OFFICIAL, GG_GO_DEBIAN };

/* no_section_headers_official and no_section_headers_debian119, as rows. */
TL_TABLE_TEST(enum gg_go, pt_gos, gosym, no_section_headers, .timeout = 120)
{
	pt_noshdr(*c);
}

Test(gosym, not_go)
{
	const char *err = NULL;

	cr_assert_null(gs_gopcln_open("/bin/sh", &err));
	cr_assert_str_eq(err, "no Go pclntab");
	cr_assert_null(gs_gopcln_open("/etc/passwd", &err));
	cr_assert_null(gs_gopcln_open("/nonexistent", &err));
}
