/* SPDX-License-Identifier: Apache-2.0 */
#ifndef GS_DIAG_CCPKG_H
#define GS_DIAG_CCPKG_H

#include <stddef.h>

/* The Debian package that provides the C compiler `prog` (a name or a
 * path, as $CC names it): "gcc" for gcc and cc, "gcc-aarch64-linux-gnu" for
 * aarch64-linux-gnu-gcc, "gcc-12-aarch64-linux-gnu" for
 * aarch64-linux-gnu-gcc-12, "clang-16" for clang-16, "musl-tools" for
 * musl-gcc.  Writes it to buf and returns buf, or NULL when the name says
 * nothing (a wrapper script, zig cc). */
char *gs_cc_package(const char *prog, char *buf, size_t size);

#endif
