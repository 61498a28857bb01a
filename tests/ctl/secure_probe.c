/* SPDX-License-Identifier: Apache-2.0 */
/* Loads libgoshim.so (argv[1]) the way /etc/ld.so.preload would load it
 * into a setuid program: test_hostile.c makes a setuid copy of this
 * program, so its constructor runs with AT_SECURE set. */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/auxv.h>

int main(int argc, char **argv)
{
	if (argc < 2 || !getauxval(AT_SECURE)) {
		return 2; /* not the secure process the test wants */
	}
	return dlopen(argv[1], RTLD_NOW) ? 0 : 3;
}
