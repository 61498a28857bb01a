/* SPDX-License-Identifier: Apache-2.0 */
/* Rules' shell patterns, taken apart once (glob.h). */
#include "glob.h"

#include <fnmatch.h>
#include <string.h>

void gs_glob_make(struct gs_glob *g, const char *pat)
{
	const char *last = strrchr(pat, '*');

	g->pat = pat;
	g->star = last != NULL;
	g->tail = last ? last + 1 : pat;
	g->tail_len = strlen(g->tail);
	g->fnm = strpbrk(pat, "?[\\") != NULL;
}

/* pat against s, both literal bytes and '*': the star matched last takes
 * one byte more on a mismatch. */
static int gl_star(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*') {
		pat++;
	}
	return !*pat;
}

int gs_glob_match(const struct gs_glob *g, const char *s, size_t n)
{
	if (g->fnm) {
		return fnmatch(g->pat, s, 0) == 0;
	}
	/* what follows the last star ends s: most records fail here */
	if (g->star && (n < g->tail_len || memcmp(s + n - g->tail_len, g->tail, g->tail_len))) {
		return 0;
	}
	return gl_star(g->pat, s);
}
