/* SPDX-License-Identifier: Apache-2.0 */
#include "ccpkg.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/* Debian's names, by the compiler's basename: `as_is` packages are named
 * like the program; a cross compiler TRIPLET-gcc[-N] comes from
 * gcc[-N]-TRIPLET. */
static const struct {
	const char *glob;
	const char *pkg;  /* NULL: the basename itself */
} cc_table[] = {
	{ "gcc", "gcc" }, { "cc", "gcc" }, { "c99", "gcc" },
	{ "musl-gcc", "musl-tools" },
	{ "clang", "clang" }, { "clang-[0-9]*", NULL },
	{ "gcc-[0-9]*", NULL },
	{ "tcc", "tcc" },
};

/* TRIPLET-gcc or TRIPLET-gcc-N */
static char *cc_cross(const char *base, char *buf, size_t size)
{
	const char *g = strstr(base, "-gcc");

	if (!g || g == base || (g[4] && (g[4] != '-' || !g[5]))) {
		return NULL;
	}
	snprintf(buf, size, "gcc%s-%.*s", g[4] ? g + 4 : "", (int)(g - base), base);
	return buf;
}

char *gs_cc_package(const char *prog, char *buf, size_t size)
{
	const char *base = strrchr(prog, '/');

	base = base ? base + 1 : prog;
	for (size_t i = 0; i < sizeof(cc_table) / sizeof(cc_table[0]); i++) {
		if (fnmatch(cc_table[i].glob, base, 0) == 0) {
			snprintf(buf, size, "%s", cc_table[i].pkg ? cc_table[i].pkg : base);
			return buf;
		}
	}
	return cc_cross(base, buf, size);
}
