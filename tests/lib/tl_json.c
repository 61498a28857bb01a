/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_json.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

json_t *tl_json(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	cr_assert_not_null(j, "output is not JSON (%s): %s", je.text, text);
	return j;
}

json_t *tl_json_lines(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;
	size_t line = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_error_t err;
		json_t *o;

		line++;
		o = json_loadb(p, len, 0, &err);
		cr_assert_not_null(o, "line %zu is not JSON: %s: %.*s", line, err.text,
				   (int)(len > 200 ? 200 : len), p);
		cr_assert(json_is_object(o), "line %zu is not an object", line);
		json_array_append_new(arr, o);
		p += len + (nl ? 1 : 0);
	}
	return arr;
}

const char *tl_jstr(json_t *obj, const char *k)
{
	return json_string_value(json_object_get(obj, k));
}

const char *tl_jstr0(json_t *obj, const char *k)
{
	const char *v = tl_jstr(obj, k);

	return v ? v : "";
}

long long tl_jint(json_t *obj, const char *k)
{
	json_t *v = json_object_get(obj, k);

	cr_assert(json_is_integer(v), "member %s missing or not an integer", k);
	return json_integer_value(v);
}

size_t tl_patterns(json_t *root, const char *sev, char *buf, size_t size)
{
	json_t *fa = json_object_get(root, "findings"), *f;
	size_t i, n = 0;

	buf[0] = 0;
	cr_assert(json_is_array(fa), "no findings array");
	json_array_foreach(fa, i, f) {
		const char *p = tl_jstr(f, "pattern");
		size_t l = strlen(buf);

		if (!sev || strcmp(tl_jstr0(f, "severity"), sev) == 0) {
			snprintf(buf + l, size - l, "%s%s", n++ ? "," : "", p ? p : "?");
		}
	}
	return n;
}
