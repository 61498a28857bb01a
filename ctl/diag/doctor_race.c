/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: the kernel's ASLR entropy against the installed go's race
 * runtime (race_aslr.h). */
#include <stddef.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "race_aslr.h"

#define DR_RND_BITS "/proc/sys/vm/mmap_rnd_bits"

void gs_doctor_race(struct gs_doc *d)
{
	const char *arch = gs_doc_go(d, "GOARCH"), *ver = gs_doc_go(d, "GOVERSION"), *why;
	long bits = gs_race_rnd_bits(DR_RND_BITS);

	if (bits < 0) {
		gs_doc_check(d, "vm.mmap_rnd_bits", GS_CHK_SKIPPED, "%s unreadable", DR_RND_BITS);
		return;
	}
	if (!arch || !*arch) {
		gs_doc_check(d, "vm.mmap_rnd_bits", GS_CHK_SKIPPED, "%ld; no go answered", bits);
		return;
	}
	enum gs_race_aslr v = gs_race_aslr(arch, bits, &why);

	gs_doc_check(d, "vm.mmap_rnd_bits", v == GS_RACE_ASLR_FITS ? GS_CHK_OK : GS_CHK_NOTE,
		     "%ld (%s %s): %s", bits, ver && *ver ? ver : "go", arch,
		     v == GS_RACE_ASLR_FITS ? "every ThreadSanitizer runtime supports it" : why);
}
