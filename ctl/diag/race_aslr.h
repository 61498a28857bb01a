/* SPDX-License-Identifier: Apache-2.0 */
/* What vm.mmap_rnd_bits (the kernel's ASLR entropy for mmap) means for
 * `go test -race`, by the race runtime of GOARCH.  Above 28 bits C/C++
 * ThreadSanitizer runtimes older than LLVM 18 die with "FATAL:
 * ThreadSanitizer: unexpected memory mapping" (google/sanitizers#1716,
 * #1614).  Go's own race runtimes (the .syso files of runtime/race, read for Go
 * 1.19.8 and 1.26.8) are built in TSan's Go mode, which has no such
 * check: linux/amd64, arm64 and s390x neither print that message nor call
 * personality(); only ppc64le's re-execs itself without ASLR through
 * personality(ADDR_NO_RANDOMIZE). */
#ifndef GS_DIAG_RACE_ASLR_H
#define GS_DIAG_RACE_ASLR_H

#include <stddef.h>

/* The default here and in most distributions; every TSan runtime copes */
#define GS_RACE_RND_BITS_SAFE 28

enum gs_race_aslr { GS_RACE_ASLR_FITS, GS_RACE_ASLR_NO_CHECK, GS_RACE_ASLR_REEXEC,
		    GS_RACE_ASLR_NO_RUNTIME };

/* The verdict for bits of entropy and the race runtime of goarch
 * ("amd64"), with the reason in why (a static string). */
enum gs_race_aslr gs_race_aslr(const char *goarch, long bits, const char **why);

/* vm.mmap_rnd_bits read from path (/proc/sys/vm/mmap_rnd_bits), or -1. */
long gs_race_rnd_bits(const char *path);

#endif
