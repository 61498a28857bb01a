/* SPDX-License-Identifier: Apache-2.0 */
#include "explain_text.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XT_MAX_EL 32

enum xt_kind { XT_LIT, XT_STAR, XT_WORD };

struct xt_el {
	enum xt_kind k;
	char *s;        /* LIT: the characters; WORD: the fact's name */
	size_t len;     /* LIT: their number                          */
	char *glob;     /* WORD: the shell pattern it must fit, or NULL */
};

struct gs_xtext {
	char *src;
	struct xt_el el[XT_MAX_EL];
	size_t n;
	int nglob;
};

/* Where each word of the text matched, by element. */
struct xt_caps {
	size_t at[XT_MAX_EL], len[XT_MAX_EL];
};

void gs_xtext_free(struct gs_xtext *t)
{
	if (!t) {
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		free(t->el[i].s);
		free(t->el[i].glob);
	}
	free(t->src);
	free(t);
}

static char *xt_dup(const char *s, size_t n)
{
	char *d = gs_xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static int xt_fail(struct gs_xtext *t, char *why, size_t n, const char *msg)
{
	snprintf(why, n, "%s", msg);
	gs_xtext_free(t);
	return -1;
}

static struct xt_el *xt_add(struct gs_xtext *t, enum xt_kind k)
{
	if (t->n == XT_MAX_EL) {
		return NULL;
	}
	memset(&t->el[t->n], 0, sizeof(t->el[t->n]));
	t->el[t->n].k = k;
	return &t->el[t->n++];
}

/* "{NAME}" or "{NAME:GLOB}" at s (s[0] == '{'); returns its length, or 0. */
static size_t xt_word(struct gs_xtext *t, const char *s, const char **msg)
{
	const char *end = strchr(s, '}'), *colon;
	size_t nl;
	struct xt_el *e;

	*msg = "a {word} must follow literal characters, not * or another {word}";
	if (t->n == 0 || t->el[t->n - 1].k != XT_LIT) {
		return 0;
	}
	*msg = "unterminated {word}";
	if (!end) {
		return 0;
	}
	colon = memchr(s, ':', (size_t)(end - s));
	nl = (size_t)((colon ? colon : end) - s - 1);
	*msg = "a {word} needs a name of a-z, 0-9 and _";
	for (size_t i = 1; i <= nl; i++) {
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_') {
			return 0;
		}
	}
	if (nl == 0 || (colon && colon + 1 == end)) {
		*msg = nl ? "empty pattern after ':' in {word:pattern}" : *msg;
		return 0;
	}
	*msg = "too many pieces (at most 32)";
	if (!(e = xt_add(t, XT_WORD))) {
		return 0;
	}
	e->s = xt_dup(s + 1, nl);
	if (colon) {
		e->glob = xt_dup(colon + 1, (size_t)(end - colon - 1));
		t->nglob++;
	}
	return (size_t)(end - s) + 1;
}

struct gs_xtext *gs_xtext_compile(const char *src, char *why, size_t n)
{
	struct gs_xtext *t = calloc(1, sizeof(*t));
	const char *s = src, *msg;

	if (!t) {
		abort();
	}
	t->src = gs_xstrdup(src);
	if (*s == '*' || *s == '{' || !*s) {
		xt_fail(t, why, n, "a text starts with literal characters");
		return NULL;
	}
	while (*s) {
		size_t k = strcspn(s, "*{");
		struct xt_el *e;

		if (*s == '{') {
			if (!(k = xt_word(t, s, &msg))) {
				xt_fail(t, why, n, msg);
				return NULL;
			}
		} else if (*s == '*') {
			k = strspn(s, "*");
			if (!xt_add(t, XT_STAR)) {
				xt_fail(t, why, n, "too many pieces (at most 32)");
				return NULL;
			}
		} else {
			if (!(e = xt_add(t, XT_LIT))) {
				xt_fail(t, why, n, "too many pieces (at most 32)");
				return NULL;
			}
			e->s = xt_dup(s, k);
			e->len = k;
		}
		s += k;
	}
	return t;
}

static int xt_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int xt_fits(const struct xt_el *e, const char *w, size_t len)
{
	char buf[1024];

	if (!e->glob) {
		return 1;
	}
	if (len >= sizeof(buf)) {
		return 0;
	}
	memcpy(buf, w, len);
	buf[len] = 0;
	return fnmatch(e->glob, buf, 0) == 0;
}

static int xt_float(const struct gs_xtext *t, size_t i, const char *l, size_t len, size_t pos,
		    struct xt_caps *c);

/* el[i..] anchored at pos: 1 matched, 0 not here, -1 not anywhere
 * further right either (a `*` found no place for the rest: a later start
 * only leaves it less room). */
static int xt_at(const struct gs_xtext *t, size_t i, const char *l, size_t len, size_t pos,
		 struct xt_caps *c)
{
	for (; i < t->n; i++) {
		const struct xt_el *e = &t->el[i], *next = i + 1 < t->n ? &t->el[i + 1] : NULL;
		size_t end = pos;

		if (e->k == XT_STAR) {
			return xt_float(t, i + 1, l, len, pos, c);
		}
		if (e->k == XT_LIT) {
			if (len - pos < e->len || memcmp(l + pos, e->s, e->len) != 0) {
				return 0;
			}
			pos += e->len;
			continue;
		}
		while (end < len && !xt_blank(l[end])) {
			end++;
		}
		if (end == pos) {
			return 0;
		}
		c->at[i] = pos;
		if (!next || next->k != XT_LIT) {
			c->len[i] = end - pos;
			if (!xt_fits(e, l + pos, end - pos)) {
				return 0;
			}
			pos = end;
			continue;
		}
		/* the word ends where the literal after it fits */
		for (size_t q = pos + 1; q <= end; q++) {
			int r;

			if (len - q < next->len || memcmp(l + q, next->s, next->len) != 0 ||
			    !xt_fits(e, l + pos, q - pos)) {
				continue;
			}
			c->len[i] = q - pos;
			if ((r = xt_at(t, i + 1, l, len, q, c)) != 0) {
				return r;
			}
		}
		return 0;
	}
	return 1;
}

/* el[i..] anywhere at or after pos (el[i] is literal, or the end). */
static int xt_float(const struct gs_xtext *t, size_t i, const char *l, size_t len, size_t pos,
		    struct xt_caps *c)
{
	const struct xt_el *e = &t->el[i];

	if (i == t->n) {
		return 1;
	}
	while (pos <= len) {
		const char *p = memmem(l + pos, len - pos, e->s, e->len);
		int r;

		if (!p) {
			return -1;
		}
		if ((r = xt_at(t, i, l, len, (size_t)(p - l), c)) != 0) {
			return r;
		}
		pos = (size_t)(p - l) + 1;
	}
	return -1;
}

int gs_xtext_match(const struct gs_xtext *t, const char *line, size_t len,
		   struct gs_facts *caps)
{
	struct xt_caps c;

	if (xt_float(t, 0, line, len, 0, &c) != 1) {
		return 0;
	}
	for (size_t i = 0; caps && i < t->n; i++) {
		if (t->el[i].k == XT_WORD) {
			gs_facts_set(caps, t->el[i].s, "%.*s", (int)c.len[i], line + c.at[i]);
		}
	}
	return 1;
}

int gs_xtext_constrained(const struct gs_xtext *t)
{
	return t->nglob;
}

const char *gs_xtext_src(const struct gs_xtext *t)
{
	return t->src;
}
