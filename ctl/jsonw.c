/* SPDX-License-Identifier: Apache-2.0 */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"

void gs_jw_reset(struct gs_jw *w)
{
	w->len = 0;
	w->failed = 0;
}

void gs_jw_free(struct gs_jw *w)
{
	void *(*grow)(void *, size_t) = w->grow;

	free(w->p);
	memset(w, 0, sizeof(*w));
	w->grow = grow;
}

/* Grow the buffer for n more bytes; 0, or -1 (the writer is then failed). */
static int jw_grow(struct gs_jw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 4096;
	char *p;

	if (w->failed) {
		return -1;
	}
	while (cap < w->len + n) {
		if (cap > SIZE_MAX / 2) {
			w->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	p = (w->grow ? w->grow : realloc)(w->p, cap);
	if (!p) {
		w->failed = 1;
		return -1;
	}
	w->p = p;
	w->cap = cap;
	return 0;
}

/* Room for n more bytes; 0, or -1 (the writer is then failed).  A failed
 * writer has no room (cap is then left as it was: len + n may fit, so
 * the test is on failed too). */
static inline int jw_room(struct gs_jw *w, size_t n)
{
	if (__builtin_expect(w->len + n <= w->cap && !w->failed, 1)) {
		return 0;
	}
	return jw_grow(w, n);
}

static inline void jw_byte(struct gs_jw *w, char c)
{
	if (jw_room(w, 1) == 0) {
		w->p[w->len++] = c;
	}
}

void gs_jw_raw(struct gs_jw *w, const char *s, size_t n)
{
	if (jw_room(w, n) == 0) {
		memcpy(w->p + w->len, s, n);
		w->len += n;
	}
}

/* What a byte costs in a string: 0 copied, 1 escaped, 2 starts a
 * multi-byte sequence (checked). */
static const unsigned char jw_class[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 2,
};

static const char jw_short[0x20] = {
	['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
};

/* s[0..n) escaped, quoted; s may hold no NUL before n. */
static void jw_string(struct gs_jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *q = (const unsigned char *)s, *end = q + n;
	char *o;

	if (n > (SIZE_MAX - 2) / 6 || jw_room(w, 6 * n + 2) < 0) {
		w->failed = 1;
		return;
	}
	o = w->p + w->len;
	*o++ = '"';
	while (q < end) {
		const unsigned char *run = q;

		while (q < end && !jw_class[*q]) {
			q++;
		}
		memcpy(o, run, (size_t)(q - run));
		o += q - run;
		if (q == end) {
			break;
		}
		if (jw_class[*q] == 1) {
			*o++ = '\\';
			if (*q == '"' || *q == '\\') {
				*o++ = (char)*q;
			} else if (jw_short[*q]) {
				*o++ = jw_short[*q];
			} else {
				memcpy(o, "u00", 3);
				o[3] = hex[*q >> 4];
				o[4] = hex[*q & 15];
				o += 5;
			}
			q++;
			continue;
		}
		q += gs_utf8_put(q, end, &o);
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
}

/* The comma before a member or element, and the member's name. */
static void jw_key(struct gs_jw *w, const char *k)
{
	if (w->len) {
		char last = w->p[w->len - 1];

		if (last != '{' && last != '[' && last != ':') {
			jw_byte(w, ',');
		}
	}
	if (k) {
		jw_string(w, k, strlen(k));
		jw_byte(w, ':');
	}
}

void gs_jw_obj(struct gs_jw *w, const char *k)
{
	jw_key(w, k);
	jw_byte(w, '{');
}

void gs_jw_obj_end(struct gs_jw *w)
{
	jw_byte(w, '}');
}

void gs_jw_arr(struct gs_jw *w, const char *k)
{
	jw_key(w, k);
	jw_byte(w, '[');
}

void gs_jw_arr_end(struct gs_jw *w)
{
	jw_byte(w, ']');
}

void gs_jw_strn(struct gs_jw *w, const char *k, const char *s, size_t n)
{
	jw_key(w, k);
	jw_string(w, s, n);
}

void gs_jw_str(struct gs_jw *w, const char *k, const char *s)
{
	if (!s) {
		gs_jw_null(w, k);
		return;
	}
	gs_jw_strn(w, k, s, strlen(s));
}

void gs_jw_int(struct gs_jw *w, const char *k, int64_t v)
{
	char b[24], *e = b + sizeof(b), *p = e;
	/* the magnitude, without overflow at INT64_MIN */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0) {
		*--p = '-';
	}
	jw_key(w, k);
	gs_jw_raw(w, p, (size_t)(e - p));
}

void gs_jw_hex(struct gs_jw *w, const char *k, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char b[24], *e = b + sizeof(b), *p = e;

	*--p = '"';
	do {
		*--p = hex[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	jw_key(w, k);
	gs_jw_raw(w, p, (size_t)(e - p));
}

void gs_jw_bool(struct gs_jw *w, const char *k, int v)
{
	jw_key(w, k);
	gs_jw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void gs_jw_null(struct gs_jw *w, const char *k)
{
	jw_key(w, k);
	gs_jw_raw(w, "null", 4);
}
