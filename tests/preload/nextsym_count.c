// SPDX-License-Identifier: Apache-2.0
/*
 * Preloaded after libgoshim.so: interposes dlsym and dladdr and counts
 * the dlsym(RTLD_NEXT) look-ups, the other dlsym look-ups and the dladdr
 * calls made in the process, which it writes to $NEXTSYM_OUT at exit
 * ("rtld_next N dlsym M dladdr K").  The look-ups are passed on to
 * libc's dlsym from here: the objects after this one are those after
 * libgoshim.so but this one, which defines nothing libgoshim.so wraps.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void *(*nc_real)(void *, const char *);
static int (*nc_real_addr)(const void *, Dl_info *);
static unsigned nc_next, nc_other, nc_addr;

void *dlsym(void *handle, const char *name)
{
	if (!nc_real) {
		nc_real = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym",
								  "GLIBC_2.34");
	}
	__atomic_add_fetch(handle == RTLD_NEXT ? &nc_next : &nc_other, 1, __ATOMIC_RELAXED);
	return nc_real ? nc_real(handle, name) : NULL;
}

int dladdr(const void *addr, Dl_info *info)
{
	if (!nc_real_addr) {
		nc_real_addr = (int (*)(const void *, Dl_info *))dlvsym(RTLD_NEXT, "dladdr",
									 "GLIBC_2.34");
	}
	__atomic_add_fetch(&nc_addr, 1, __ATOMIC_RELAXED);
	return nc_real_addr ? nc_real_addr(addr, info) : 0;
}

__attribute__((destructor)) static void nc_report(void)
{
	const char *out = getenv("NEXTSYM_OUT");
	FILE *f = out ? fopen(out, "w") : NULL;

	if (f) {
		fprintf(f, "rtld_next %u dlsym %u dladdr %u\n", nc_next, nc_other, nc_addr);
		fclose(f);
	}
}
