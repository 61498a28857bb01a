/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_seccomp.h"

int tl_seccomp_load(const struct tl_rule *rules, size_t n, int x86)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = ctx ? 0 : -1;

	if (!rc && x86) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	}
	for (size_t i = 0; !rc && i < n; i++) {
		rc = seccomp_rule_add(ctx, rules[i].action, rules[i].nr, 0);
	}
	if (!rc) {
		rc = seccomp_load(ctx);
	}
	if (ctx) {
		seccomp_release(ctx);
	}
	return rc ? -1 : 0;
}
