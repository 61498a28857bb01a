/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl's JSON output as the tests read it (jansson). */
#ifndef GS_TL_JSON_H
#define GS_TL_JSON_H

#include <jansson.h>
#include <stddef.h>

/* text as one JSON value (fails the test, showing text, when it is not). */
json_t *tl_json(const char *text);

/* Every line of text as a JSON object, in an array (fails the test on
 * any other line). */
json_t *tl_json_lines(const char *text);

/* Member k of obj as a string: NULL (tl_jstr) or "" (tl_jstr0) when
 * absent or not a string. */
const char *tl_jstr(json_t *obj, const char *k);
const char *tl_jstr0(json_t *obj, const char *k);

/* Member k as an integer (fails the test when absent or not one). */
long long tl_jint(json_t *obj, const char *k);

/* The pattern ids of the findings of a report or doctor --json object
 * whose severity is sev (NULL: all), comma-joined into buf; returns how
 * many. */
size_t tl_patterns(json_t *root, const char *sev, char *buf, size_t size);

#endif
