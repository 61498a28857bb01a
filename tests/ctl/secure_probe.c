/* SPDX-License-Identifier: Apache-2.0 */
/* Loads libgoshim.so (argv[1]) the way /etc/ld.so.preload would load it
 * into a setuid program: test_hostile.c makes a setuid copy of this
 * program, so its constructor runs with AT_SECURE set.  Then one call
 * fails through the library's own open: the ring is attached at the first
 * failure, and the test looks at where. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/auxv.h>

int main(int argc, char **argv)
{
	if (argc < 2 || !getauxval(AT_SECURE)) {
		return 2; /* not the secure process the test wants */
	}
	void *h = dlopen(argv[1], RTLD_NOW);
	int (*op)(const char *, int, ...) = h ? (int (*)(const char *, int, ...))dlsym(h, "open")
					      : NULL;

	if (!op) {
		return 3;
	}
	return op("/nonexistent/goshim-secure-probe", O_RDONLY) == -1 ? 0 : 4;
}
