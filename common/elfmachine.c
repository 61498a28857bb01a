/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of machines: e_machine, its name in reports, and the
 * uname -m and GOARCH names that run it natively. */
#include "elfread.h"

#include <elf.h>
#include <fnmatch.h>

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

static const struct {
	unsigned em;
	const char *name;
	const char *globs[4];  /* uname -m and GOARCH spellings */
} em_table[] = {
	{ EM_X86_64, "x86_64", { "x86_64", "amd64" } },
	{ EM_386, "i386", { "i[3-6]86", "386" } },
	{ EM_AARCH64, "aarch64", { "aarch64*", "arm64" } },
	{ EM_ARM, "arm", { "arm*" } },
	{ EM_RISCV, "riscv", { "riscv*" } },
	{ EM_PPC64, "ppc64", { "ppc64*" } },
	{ EM_PPC, "ppc", { "ppc" } },
	{ EM_S390, "s390", { "s390*" } },
	{ EM_MIPS, "mips", { "mips*" } },
	{ EM_LOONGARCH, "loongarch", { "loongarch*", "loong64" } },
	{ EM_SPARCV9, "sparc64", { "sparc64" } },
	{ EM_IA_64, "ia64", { "ia64" } },
};

#define EM_N (sizeof(em_table) / sizeof(em_table[0]))

const char *gs_machine_name(unsigned em)
{
	for (size_t i = 0; i < EM_N; i++) {
		if (em_table[i].em == em) {
			return em_table[i].name;
		}
	}
	return NULL;
}

int gs_machine_em(const char *machine)
{
	for (size_t i = 0; i < EM_N; i++) {
		for (size_t k = 0; k < 4 && em_table[i].globs[k]; k++) {
			if (fnmatch(em_table[i].globs[k], machine, 0) == 0) {
				return (int)em_table[i].em;
			}
		}
	}
	return -1;
}
