/* SPDX-License-Identifier: Apache-2.0 */
#include "sc_landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ABI 3 (Linux 6.2); older headers lack it. */
#define SC_LL_TRUNCATE (1ULL << 14)

/* Every write right up to ABI 3 (TRUNCATE); REFER (ABI 2) is left out:
 * handling it forbids cross-directory renames, which go makes. */
static uint64_t sc_ll_write_rights(int abi)
{
	uint64_t w = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
		     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
		     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
		     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
		     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;

	return abi >= 3 ? w | SC_LL_TRUNCATE : w;
}

static int sc_ll_abi(void)
{
	return (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			    LANDLOCK_CREATE_RULESET_VERSION);
}

int sc_landlock_available(void)
{
	return sc_ll_abi() >= 1;
}

int sc_landlock(uint64_t handled, const char *const *allowed)
{
	int abi = sc_ll_abi(), rs;

	if (abi < 1) {
		fprintf(stderr, "landlock: not available: %s\n", strerror(errno));
		return -1;
	}
	if (handled == SC_LL_WRITE) {
		handled = sc_ll_write_rights(abi);
	}
	struct landlock_ruleset_attr attr = { .handled_access_fs = handled };
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0) {
		fprintf(stderr, "landlock_create_ruleset: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; allowed[i]; i++) {
		struct landlock_path_beneath_attr pb = { .allowed_access = handled };
		pb.parent_fd = open(allowed[i], O_PATH | O_CLOEXEC);
		if (pb.parent_fd < 0) {
			continue; /* a directory this system lacks (/lib64) */
		}
		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0) {
			fprintf(stderr, "landlock_add_rule %s: %s\n", allowed[i], strerror(errno));
			close(pb.parent_fd);
			close(rs);
			return -1;
		}
		close(pb.parent_fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		fprintf(stderr, "landlock_restrict_self: %s\n", strerror(errno));
		close(rs);
		return -1;
	}
	close(rs);
	return 0;
}
