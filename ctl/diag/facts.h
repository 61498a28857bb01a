/* SPDX-License-Identifier: Apache-2.0 */
/* Facts: an ordered list of name=value strings that describe one finding
 * (the path, the mount, the owner ...).  Rules' summary and remedy
 * templates are filled from them: "{path}" is replaced by the value of
 * the fact "path". */
#ifndef GS_DIAG_FACTS_H
#define GS_DIAG_FACTS_H

#include <stddef.h>

struct gs_facts {
	char **name;
	char **value;
	size_t n, cap;
};

/* Set (or replace) fact `name` to the printf-formatted value.  A NULL fmt
 * removes nothing and sets nothing.  Aborts on allocation failure. */
void gs_facts_set(struct gs_facts *f, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The value of fact `name`, or NULL when it is not set. */
const char *gs_facts_get(const struct gs_facts *f, const char *name);

/* Copy every fact of src into dst (replacing same names). */
void gs_facts_merge(struct gs_facts *dst, const struct gs_facts *src);

void gs_facts_free(struct gs_facts *f);

/* The facts of a path p: "path", its last component "base", its
 * directory "dir" ("." for a bare name), and when exec is set "target":
 * "the test binary" for a *.test, else "the program". */
void gs_facts_path(struct gs_facts *f, const char *p, int exec);

/* Expand a template: "{name}" becomes the fact's value; a fact that is not
 * set becomes "<name>" so that the gap is visible, never silently empty,
 * unless the template gives a default: "{name|default text}"; "{{" is a
 * literal "{".  Returns a malloc'd string (NULL tmpl: NULL). */
char *gs_tmpl_expand(const char *tmpl, const struct gs_facts *f);

/* The names a template refers to are checked at rules load time: returns
 * 0 when every "{...}" is closed, else -1 with *bad at the offending
 * brace. */
int gs_tmpl_check(const char *tmpl, const char **bad);

/* malloc'd copy of s; aborts on allocation failure.  xmalloc likewise. */
char *gs_xstrdup(const char *s);
void *gs_xrealloc(void *p, size_t n);

/* An array p of n items of size bytes, made room for item n: grown to the
 * next power of two when n is one (its capacity is never stored), else
 * p itself.  For arrays that only grow one item at a time, from NULL. */
void *gs_xgrow(void *p, size_t n, size_t size);

#endif
