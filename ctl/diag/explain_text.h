/* SPDX-License-Identifier: Apache-2.0 */
/* The texts Go and the tools print, as `text` lines of the rules file
 * (docs/rules.md): a small matcher, no regular expressions.
 *
 *   text  fork/exec {path:/tmp/go-build[0-9]*}: permission denied
 *
 * A text is found anywhere in a log line (case-sensitive).  In it:
 *   *            any run of characters, maybe none
 *   {NAME}       a word: a run of non-blank characters, at least one,
 *                kept as the fact NAME (path, base ...)
 *   {NAME:GLOB}  such a word that also matches the shell pattern GLOB
 *                (fnmatch(3) without flags: `*` crosses `/`)
 *   anything else stands for itself.
 * A text starts with literal characters, and a {word} follows literal
 * characters (never `*` or another word).  Matching is leftmost: each
 * piece after a `*` is tried at the first place it fits, a {word} ends at
 * the first place the next characters of the text fit (or at the end of
 * the word when nothing literal follows). */
#ifndef GS_DIAG_EXPLAIN_TEXT_H
#define GS_DIAG_EXPLAIN_TEXT_H

#include <stddef.h>

#include "facts.h"

struct gs_xtext;

/* Compile src.  Returns the text, or NULL with why (up to n bytes) saying
 * what is wrong with it. */
struct gs_xtext *gs_xtext_compile(const char *src, char *why, size_t n);

/* Does the text occur in line[0..len)?  1 yes (its words set as facts in
 * caps, when caps is not NULL), 0 no. */
int gs_xtext_match(const struct gs_xtext *t, const char *line, size_t len,
		   struct gs_facts *caps);

/* How many {NAME:GLOB} words the text has: a text whose words must fit a
 * pattern says more than one that takes any word. */
int gs_xtext_constrained(const struct gs_xtext *t);

/* The text as written in the rules file. */
const char *gs_xtext_src(const struct gs_xtext *t);

void gs_xtext_free(struct gs_xtext *t);

#endif
