/* SPDX-License-Identifier: Apache-2.0 */
/* A streaming JSON writer into one growing buffer: what `decode --json`
 * writes its lines with (json.c).  No tree, no allocation per value: a
 * line is written member by member, the buffer is reused for the next.
 * Output is compact and byte for byte what jansson's JSON_COMPACT dump of
 * the same object gives: strings escaped as jansson escapes them (\" \\
 * \b \f \n \r \t, other control characters \u00XX), numbers in decimal.
 *
 * Every call takes the member's name k, or NULL for an array element (or
 * the top-level value); commas are placed by the writer.  Names and
 * string values are recorded strings (need not be UTF-8): a byte that
 * does not start a valid UTF-8 sequence (gs_utf8_len) becomes U+FFFD, as
 * gs_utf8_valid does.  A failed allocation marks the writer failed and
 * the rest of the line is dropped (gs_jw_failed). */
#ifndef GS_CTL_JSONW_H
#define GS_CTL_JSONW_H

#include <stddef.h>
#include <stdint.h>

struct gs_jw {
	char *p;
	size_t len, cap;
	int failed;
	/* grows p as realloc does (realloc when NULL); freed with free */
	void *(*grow)(void *p, size_t n);
};

/* Start a new line: empty the buffer (kept), clear the failure. */
void gs_jw_reset(struct gs_jw *w);

/* Release the buffer (grow is kept). */
void gs_jw_free(struct gs_jw *w);

/* 1 when an allocation failed since gs_jw_reset: the line is incomplete. */
static inline int gs_jw_failed(const struct gs_jw *w)
{
	return w->failed;
}

void gs_jw_obj(struct gs_jw *w, const char *k);   /* {  */
void gs_jw_obj_end(struct gs_jw *w);              /* }  */
void gs_jw_arr(struct gs_jw *w, const char *k);   /* [  */
void gs_jw_arr_end(struct gs_jw *w);              /* ]  */

/* A string; s NULL is written as null. */
void gs_jw_str(struct gs_jw *w, const char *k, const char *s);
/* The first n bytes of s as a string (a name cut out of "NAME=value"). */
void gs_jw_strn(struct gs_jw *w, const char *k, const char *s, size_t n);
/* A signed integer (json_int_t's range: what jansson wrote). */
void gs_jw_int(struct gs_jw *w, const char *k, int64_t v);
/* "0x..." lower-case hex, as a string. */
void gs_jw_hex(struct gs_jw *w, const char *k, uint64_t v);
void gs_jw_bool(struct gs_jw *w, const char *k, int v);
void gs_jw_null(struct gs_jw *w, const char *k);

/* Append raw bytes (a newline at the end of the line). */
void gs_jw_raw(struct gs_jw *w, const char *s, size_t n);

#endif
