/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_env.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#define TL_PATHS 8
#define TL_PATH_MAX 4096

const char *tl_env(const char *name)
{
	const char *v = getenv(name);

	cr_assert(v && *v, "%s is not set: run the tests with `meson test`", name);
	return v;
}

const char *tl_path(const char *dir, const char *name)
{
	static char bufs[TL_PATHS][TL_PATH_MAX];
	static unsigned next;
	char *b = bufs[next++ % TL_PATHS];

	snprintf(b, TL_PATH_MAX, "%s/%s", dir, name);
	return b;
}

const char *tl_build(const char *rel)
{
	return tl_path(tl_env("GOSHIM_BUILD_ROOT"), rel);
}

const char *tl_source(const char *rel)
{
	return tl_path(tl_env("GOSHIM_SOURCE_ROOT"), rel);
}
