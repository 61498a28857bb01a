/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp-deny NAME[,NAME...] -- COMMAND...: load a filter that answers
 * the named system calls with EPERM (native and i386), as an old container
 * runtime's profile does, then exec COMMAND under it (bench/repeats.sh). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (argc < 4 || strcmp(argv[2], "--") != 0 || !ctx ||
	    seccomp_arch_add(ctx, SCMP_ARCH_X86) != 0) {
		fprintf(stderr, "usage: seccomp-deny NAME[,NAME...] -- COMMAND...\n");
		return 2;
	}
	for (char *name = strtok(argv[1], ","); name; name = strtok(NULL, ",")) {
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0)) {
			fprintf(stderr, "seccomp-deny: %s: unknown system call\n", name);
			return 2;
		}
	}
	if (seccomp_load(ctx) != 0) {
		perror("seccomp-deny: seccomp_load");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
