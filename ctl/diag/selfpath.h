/* SPDX-License-Identifier: Apache-2.0 */
/* Where goshimctl's data is: found from where the running binary is, so
 * an installed tree works wherever it was moved to (a DESTDIR install, a
 * tarball unpacked anywhere, an image), and no build-tree path is
 * compiled in. */
#ifndef GS_DIAG_SELFPATH_H
#define GS_DIAG_SELFPATH_H

#include <stddef.h>

/* The first readable file of, in order:
 *   1. $env, when set and not empty (the override: taken as is, even if
 *      it cannot be read — the load then says why);
 *   2. DIR/rel for each rel of rels (NULL-terminated), DIR being the
 *      directory of /proc/self/exe;
 *   3. fallback (the configured prefix's copy).
 * When none is readable, fallback.  Writes the path into buf (len bytes)
 * and returns buf. */
const char *gs_self_find(char *buf, size_t len, const char *env,
			 const char *const *rels, const char *fallback);

#endif
