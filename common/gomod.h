/* SPDX-License-Identifier: Apache-2.0 */
/* The directives of a go.mod that decide which Go toolchain runs it. */
#ifndef GS_GOMOD_H
#define GS_GOMOD_H

#include <stddef.h>

#define GS_GOMOD_GO        1 /* a "go VERSION" line was found        */
#define GS_GOMOD_TOOLCHAIN 2 /* a "toolchain NAME" line was found    */

/* Find the "go" and "toolchain" lines of the go.mod text text[0..n) and
 * copy their argument ("1.99", "go1.99.0") into go[0..gocap) and
 * tc[0..tccap) (terminated; "" when absent).  A line's argument is its
 * first word after the keyword, without a "//" comment; one longer than
 * the buffer, or with characters no version has, counts as absent.  The
 * first such line wins.  Plain C without libc.  Returns the GS_GOMOD_*
 * bits of the lines found. */
int gs_gomod_directives(const char *text, size_t n, char *go, size_t gocap, char *tc,
			size_t tccap);

#endif
