/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filters tests put a workload under, as a container runtime
 * does (libseccomp, loaded in the workload's process before exec). */
#ifndef GS_TL_SECCOMP_H
#define GS_TL_SECCOMP_H

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* One rule: action for syscall nr, whatever its arguments. */
struct tl_rule {
	uint32_t action;
	int nr;
};

#define TL_EPERM(name) { SCMP_ACT_ERRNO(EPERM), SCMP_SYS(name) }

/* Load a filter that allows everything but the n rules (for the i386 ABI
 * too with x86).  For a child about to exec: returns 0, or -1 when the
 * filter could not be built or loaded; asserts nothing. */
int tl_seccomp_load(const struct tl_rule *rules, size_t n, int x86);

#endif
