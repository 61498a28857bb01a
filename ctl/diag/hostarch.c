/* SPDX-License-Identifier: Apache-2.0 */
#include "hostarch.h"

#include <elf.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *glob;
	int em;
} ha_table[] = {
	{ "x86_64", EM_X86_64 }, { "amd64", EM_X86_64 },
	{ "i[3-6]86", EM_386 },
	{ "aarch64*", EM_AARCH64 }, { "arm64", EM_AARCH64 },
	{ "arm*", EM_ARM },
	{ "riscv*", EM_RISCV },
	{ "ppc64*", EM_PPC64 }, { "ppc", EM_PPC },
	{ "s390*", EM_S390 },
	{ "mips*", EM_MIPS },
	{ "loongarch*", 258 },
	{ "sparc64", EM_SPARCV9 },
};

int gs_machine_em(const char *machine)
{
	for (size_t i = 0; i < sizeof(ha_table) / sizeof(ha_table[0]); i++) {
		if (fnmatch(ha_table[i].glob, machine, 0) == 0) {
			return ha_table[i].em;
		}
	}
	return -1;
}

int gs_host_em(const char *uname, const char *ring_machine)
{
	if (uname) {
		const char *m = strrchr(uname, ' ');
		int em = gs_machine_em(m ? m + 1 : uname);
		if (em >= 0) {
			return em;
		}
	}
	return ring_machine && *ring_machine ? gs_machine_em(ring_machine) : -1;
}
