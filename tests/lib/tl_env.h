/* SPDX-License-Identifier: Apache-2.0 */
/* The test programs' environment: what meson test sets (tests/meson.build,
 * test_vars) and the paths built from it.  A missing variable fails the
 * test: the suites run through `meson test`. */
#ifndef GS_TL_ENV_H
#define GS_TL_ENV_H

/* The value of an environment variable meson test sets; fails the test
 * when it is unset or empty. */
const char *tl_env(const char *name);

/* $GOSHIM_BUILD_ROOT/rel and $GOSHIM_SOURCE_ROOT/rel, each in one of 8
 * rotating buffers. */
const char *tl_build(const char *rel);
const char *tl_source(const char *rel);

/* dir + "/" + name, in one of 8 rotating buffers. */
const char *tl_path(const char *dir, const char *name);

#endif
