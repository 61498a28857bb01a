/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl-static loads no shared object (linked with --wrap=dlopen,
 * ctl/meson.build).  The one caller is libdw's debuginfod client, which
 * loads libdebuginfod.so when DEBUGINFOD_URLS is set: a shared object
 * built for a dynamic glibc, in a process whose glibc is static, in an
 * image that may have another libc.  Symbolization then goes without
 * debuginfod, as it does where libdebuginfod is not installed. */
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);

void *__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}
