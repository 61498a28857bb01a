/* SPDX-License-Identifier: Apache-2.0 */
/* Recorded strings as JSON wants them (prototypes in output.h): decode's
 * records and report's findings alike. */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

size_t gs_utf8_put(const unsigned char *q, const unsigned char *end, char **o)
{
	int k = *q < 0x80 ? 1 : gs_utf8_len(q);

	if (k && q + k <= end) {
		memcpy(*o, q, (size_t)k);
		*o += k;
		return (size_t)k;
	}
	memcpy(*o, "\xef\xbf\xbd", 3);
	*o += 3;
	return 1;
}

const char *gs_utf8_valid(const char *s, char **copy)
{
	const unsigned char *q = (const unsigned char *)s;
	size_t n = 0, bad = 0;
	char *t, *p;

	*copy = NULL;
	while (q[n]) {
		int k = q[n] < 0x80 ? 1 : gs_utf8_len(q + n);

		bad += k == 0;
		n += k ? (size_t)k : 1;
	}
	if (!bad) {
		return s;
	}
	t = malloc(n + 2 * bad + 1);
	if (!t) {
		return NULL;
	}
	p = t;
	for (const unsigned char *end = q + n; q < end;) {
		q += gs_utf8_put(q, end, &p);
	}
	*p = '\0';
	*copy = t;
	return t;
}

json_t *gs_json_str(const char *s)
{
	char *copy;
	const char *u = s ? gs_utf8_valid(s, &copy) : NULL;
	json_t *j = u ? json_string(u) : NULL;

	if (u) {
		free(copy);
	}
	return j;
}
