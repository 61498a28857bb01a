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

/* The first n bytes at p within h[0..hn), or NULL: a path is short and
 * a part of a pattern rare in it, so its first byte is looked for and
 * the rest compared (memmem sets up tables for every call). */
static const char *gl_find(const char *h, size_t hn, const char *p, size_t n)
{
	while (hn >= n) {
		const char *at = memchr(h, p[0], hn - n + 1);
		if (!at) {
			return NULL;
		}
		if (memcmp(at + 1, p + 1, n - 1) == 0) {
			return at;
		}
		hn -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	return NULL;
}

/* s[0..n) against g, both literal bytes and '*', s known to end with
 * g's tail: the part before the first star starts s, and each part
 * between two stars is found, leftmost, after the one before it and
 * before the tail (the leftmost place leaves the most room to the
 * others, so no other choice can match where it does not). */
static int gl_star(const struct gs_glob *g, const char *s, size_t n)
{
	const char *pat = g->pat, *star = strchr(pat, '*');
	const char *lo, *hi = s + n - g->tail_len;
	size_t len = (size_t)(star - pat);

	if (n < len || memcmp(s, pat, len) != 0) {
		return 0;
	}
	lo = s + len;
	if (hi < lo) {
		return 0; /* the head and the tail overlap */
	}
	for (pat = star + 1; pat < g->tail; pat = star + 1) {
		star = strchr(pat, '*');
		len = (size_t)(star - pat);
		if (len) {
			const char *at = gl_find(lo, (size_t)(hi - lo), pat, len);
			if (!at) {
				return 0;
			}
			lo = at + len;
		}
	}
	return 1;
}

int gs_glob_match(const struct gs_glob *g, const char *s, size_t n)
{
	if (g->fnm) {
		return fnmatch(g->pat, s, 0) == 0;
	}
	if (!g->star) {
		return n == g->tail_len && memcmp(s, g->pat, n) == 0;
	}
	/* what follows the last star ends s: most records fail here */
	if (n < g->tail_len || memcmp(s + n - g->tail_len, g->tail, g->tail_len) != 0) {
		return 0;
	}
	return gl_star(g, s, n);
}
