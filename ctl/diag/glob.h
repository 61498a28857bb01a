/* SPDX-License-Identifier: Apache-2.0 */
/* The shell patterns of rules (path-glob, basename-glob, exe-glob, fact
 * ...), taken apart once when the rule is loaded: a pattern of literal
 * bytes and '*' only is matched in place, its tail first (most records
 * fail there); any other goes to fnmatch(pat, s, 0).  Either way the
 * answer is fnmatch's: without FNM_PATHNAME or FNM_PERIOD a '*' matches
 * any bytes, '/' and '.' too. */
#ifndef GS_DIAG_GLOB_H
#define GS_DIAG_GLOB_H

#include <stddef.h>

struct gs_glob {
	const char *pat;    /* the pattern (not owned)                    */
	const char *tail;   /* what follows its last '*' (pat: none)      */
	size_t tail_len;
	int star;           /* it holds a '*'                              */
	int fnm;            /* it holds '?', '[' or '\\': fnmatch decides  */
};

/* Take pat apart (pat must outlive g). */
void gs_glob_make(struct gs_glob *g, const char *pat);

/* Does s, of length n, match g? */
int gs_glob_match(const struct gs_glob *g, const char *s, size_t n);

#endif
