// SPDX-License-Identifier: Apache-2.0
/*
 * Preloaded in libgoshim.so's place, built with its resolver
 * (preload/rec/nextsym.c): its constructor looks every row of real.def up
 * with gs_ns_syms and with dlsym(RTLD_NEXT), and writes to $NEXTSYM_OUT, per
 * name, "NAME found same OBJECT" (found: gs_next_syms found it; same: both
 * gave one address; OBJECT: the file that defines it), then which version
 * of pthread_create and fstat it got.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nextsym.h"
#include "real.h"

static const char ns_names[] =
#define GS_REAL(ret, name, params, args, fb) #name "\0"
#define GS_REAL_VA(ret, name, params, args, flags, fb) #name "\0"
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
	;

enum {
#define GS_REAL(ret, name, params, args, fb) NS_##name,
#define GS_REAL_VA(ret, name, params, args, flags, fb) NS_##name,
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
	NS_N
};

/* "1" when p is name@version of the next objects. */
static int ns_is(void *p, const char *name, const char *version)
{
	return p && p == dlvsym(RTLD_NEXT, name, version);
}

__attribute__((constructor)) static void ns_probe(void)
{
	const char *out = getenv("NEXTSYM_OUT");
	void *addr[NS_N];
	unsigned char found[NS_N];
	const char *name = ns_names;
	FILE *f;

	if (!out || !(f = fopen(out, "w"))) {
		return;
	}
	fprintf(f, "rows %d found %zu\n", NS_N,
		gs_ns_syms(GS_NS_NEXT, ns_names, NS_N, addr, found));
	for (int i = 0; i < NS_N; i++, name += strlen(name) + 1) {
		void *dl = dlsym(RTLD_NEXT, name);
		Dl_info di = { 0 };

		if (found[i] != GS_NS_FOUND) {
			addr[i] = NULL;
		}
		dladdr(addr[i], &di);
		fprintf(f, "%s %d %d %s\n", name, found[i] == GS_NS_FOUND, addr[i] == dl,
			di.dli_fname ? strrchr(di.dli_fname, '/') + 1 : "-");
		if (strcmp(name, "pthread_create") == 0) {
			fprintf(f, "pthread_create@@GLIBC_2.34 %d\n",
				ns_is(addr[i], name, "GLIBC_2.34"));
		}
		if (strcmp(name, "fstat") == 0) {
			fprintf(f, "fstat@@NEXTSYM_2 %d\n", ns_is(addr[i], name, "NEXTSYM_2"));
		}
	}
	fclose(f);
}
