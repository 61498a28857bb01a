/* SPDX-License-Identifier: Apache-2.0 */
/* vm.mmap_rnd_bits against the race runtime of a GOARCH (race_aslr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "race_aslr.h"

/* Go's linux race runtimes, read in runtime/race of Go 1.19.8 and 1.26.8
 * (strings and undefined symbols of race_linux_*.syso) */
static const struct {
	const char *goarch;
	enum gs_race_aslr above; /* the verdict above GS_RACE_RND_BITS_SAFE */
	const char *why;
} ra_table[] = {
	{ "amd64", GS_RACE_ASLR_NO_CHECK,
	  "Go's linux/amd64 race runtime checks no memory layout and calls no personality(): "
	  "it runs with any entropy (C/C++ -fsanitize=thread runtimes older than LLVM 18 die "
	  "above 28 bits with \"unexpected memory mapping\")" },
	{ "arm64", GS_RACE_ASLR_NO_CHECK,
	  "Go's linux/arm64 race runtime checks only the VMA size, not the layout, and calls no "
	  "personality()" },
	{ "s390x", GS_RACE_ASLR_NO_CHECK,
	  "Go's linux/s390x race runtime checks no memory layout and calls no personality()" },
	{ "ppc64le", GS_RACE_ASLR_REEXEC,
	  "Go's linux/ppc64le race runtime re-execs itself without ASLR "
	  "(personality(ADDR_NO_RANDOMIZE)) when the layout does not fit: a seccomp profile "
	  "denying personality then aborts -race (race-personality-denied)" },
};

enum gs_race_aslr gs_race_aslr(const char *goarch, long bits, const char **why)
{
	for (size_t i = 0; i < sizeof(ra_table) / sizeof(ra_table[0]); i++) {
		if (goarch && strcmp(goarch, ra_table[i].goarch) == 0) {
			*why = ra_table[i].why;
			if (bits <= GS_RACE_RND_BITS_SAFE) {
				return GS_RACE_ASLR_FITS;
			}
			return ra_table[i].above;
		}
	}
	*why = "no race runtime for this GOARCH on linux (-race needs amd64, arm64, ppc64le "
	       "or s390x)";
	return GS_RACE_ASLR_NO_RUNTIME;
}

long gs_race_rnd_bits(const char *path)
{
	FILE *f = fopen(path, "re");
	char b[32] = "";
	char *end;

	if (!f) {
		return -1;
	}
	int ok = fgets(b, sizeof(b), f) != NULL;

	fclose(f);
	long v = strtol(b, &end, 10);

	return ok && end != b && v >= 0 ? v : -1;
}
