// SPDX-License-Identifier: Apache-2.0
/*
 * Preloaded after libgoshim.so: interposes dlsym and counts the
 * dlsym(RTLD_NEXT) look-ups made in the process, which it writes to
 * $NEXTSYM_OUT at exit ("rtld_next N").  The look-ups are passed on to
 * libc's dlsym from here: the objects after this one are those after
 * libgoshim.so but this one, which defines nothing libgoshim.so wraps.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void *(*nc_real)(void *, const char *);
static unsigned nc_next;

void *dlsym(void *handle, const char *name)
{
	if (!nc_real) {
		nc_real = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym",
								  "GLIBC_2.34");
	}
	if (handle == RTLD_NEXT) {
		__atomic_add_fetch(&nc_next, 1, __ATOMIC_RELAXED);
	}
	return nc_real ? nc_real(handle, name) : NULL;
}

__attribute__((destructor)) static void nc_report(void)
{
	const char *out = getenv("NEXTSYM_OUT");
	FILE *f = out ? fopen(out, "w") : NULL;

	if (f) {
		fprintf(f, "rtld_next %u\n", nc_next);
		fclose(f);
	}
}
