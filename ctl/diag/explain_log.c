/* SPDX-License-Identifier: Apache-2.0 */
#include "explain_log.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

void gs_xlog_unescape(char *s, size_t *len)
{
	size_t r = 0, w = 0, n = *len;

	while (r < n) {
		if (s[r] != '\033') {
			s[w++] = s[r++];
			continue;
		}
		r++;
		if (r < n && s[r] == '[') {        /* CSI: parameters, final byte */
			r++;
			while (r < n && !(s[r] >= 0x40 && s[r] <= 0x7e)) {
				r++;
			}
			r++;
		} else if (r < n && s[r] == ']') { /* OSC: up to BEL or ESC \ */
			while (r < n && s[r] != '\a' && !(s[r] == '\033' && r + 1 < n &&
							    s[r + 1] == '\\')) {
				r++;
			}
			r += r < n && s[r] == '\033' ? 2 : 1;
		} else {
			r++;
		}
	}
	*len = w;
}

/* n digits at s? */
static int xl_digits(const char *s, size_t len, size_t at, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (at + i >= len || !isdigit((unsigned char)s[at + i])) {
			return 0;
		}
	}
	return 1;
}

/* Length of a leading "2024-05-01T10:00:00[.123][Z|+01:00] " (or in
 * brackets, Jenkins' timestamper) and of GitLab's stream tag "00O " or
 * "00E+ " after it; 0 when there is none. */
static size_t xl_stamp(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i = 0, k, br = len && s[0] == '[';

	for (; shape[i]; i++) {
		k = i + br;
		if (k >= len || (shape[i] == 'd' ? !isdigit((unsigned char)s[k]) : s[k] != shape[i])) {
			return 0;
		}
	}
	i += br;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && isdigit((unsigned char)s[i]); i++) {
		}
	}
	if (i < len && s[i] == 'Z') {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-') && xl_digits(s, len, i + 1, 2)) {
		i += 3;
		i += i < len && s[i] == ':';
		i += xl_digits(s, len, i, 2) ? 2 : 0;
	}
	if (br && (i >= len || s[i++] != ']')) {
		return 0;
	}
	if (i >= len || s[i] != ' ') {
		return 0;
	}
	i++;
	if (i + 3 < len && isxdigit((unsigned char)s[i]) && isxdigit((unsigned char)s[i + 1]) &&
	    (s[i + 2] == 'O' || s[i + 2] == 'E')) {
		k = i + 3 + (s[i + 3] == '+');
		if (k < len && s[k] == ' ') {
			i = k + 1;
		}
	}
	return i;
}

static int xl_emit(size_t no, char *s, size_t len, gs_xline_fn fn, void *arg)
{
	struct gs_xline l = { .no = no, .s = s };

	while (len && (s[len - 1] == '\r' || s[len - 1] == '\n')) {
		len--;
	}
	gs_xlog_unescape(s, &len);
	l.len = len > GS_XLOG_MAX ? GS_XLOG_MAX : len;
	return fn(&l, arg);
}

/* A verdict of go test -json: a package that passed (a test's pass is
 * part of it), anything that failed. */
static int xl_action(size_t no, json_t *j, gs_xline_fn fn, void *arg)
{
	static const char *const verdicts[] = { "pass", "fail", "build-fail" };
	const char *a = json_string_value(json_object_get(j, "Action"));
	struct gs_xline l = { .no = no, .s = "" };

	for (size_t i = 0; a && i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		if (strcmp(a, verdicts[i]) == 0 && (i || !json_object_get(j, "Test"))) {
			l.action = verdicts[i];
			return fn(&l, arg);
		}
	}
	return 0;
}

/* The lines of a JSON line's "Output"; -1 when it is no JSON object (a
 * plain line), else fn's verdict (0 for an object without output). */
static int xl_json(size_t no, const char *s, size_t len, gs_xline_fn fn, void *arg)
{
	json_t *j, *o;
	char *text;
	size_t n;
	int rc = 0;

	while (len && isspace((unsigned char)s[len - 1])) {
		len--;
	}
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (len < 2 || s[0] != '{' || s[len - 1] != '}' ||
	    !(j = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL))) {
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	o = json_object_get(j, "Output");
	rc = xl_action(no, j, fn, arg);
	if (rc == 0 && json_is_string(o)) {
		n = json_string_length(o);
		text = memcpy(gs_xrealloc(NULL, n + 1), json_string_value(o), n);
		text[n] = 0;
		for (char *p = text, *end = text + n; p < end && rc == 0;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

			rc = xl_emit(no, p, k, fn, arg);
			p += k + 1;
		}
		free(text);
	}
	json_decref(j);
	return rc;
}

long gs_xlog_read(FILE *f, gs_xline_fn fn, void *arg)
{
	char *buf = NULL;
	size_t cap = 0, no = 0;
	ssize_t n;
	int stop = 0;

	errno = 0;
	while (!stop && (n = getline(&buf, &cap, f)) >= 0) {
		size_t len = (size_t)n, skip;
		char *s = buf;

		no++;
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
			len--;
		}
		gs_xlog_unescape(s, &len);
		skip = xl_stamp(s, len);
		s += skip;
		len -= skip;
		stop = xl_json(no, s, len, fn, arg);
		if (stop < 0) {
			stop = xl_emit(no, s, len, fn, arg);
		}
	}
	free(buf);
	if (ferror(f)) {
		return -1;
	}
	return (long)no;
}
