/* SPDX-License-Identifier: Apache-2.0 */
/* Do owner, group and mode bits give a process an access?  The DAC check
 * of the kernel, without capabilities other than root's and without ACLs:
 * what `mode-allows` (report) and doctor's `perm_allows` fact decide. */
#ifndef GS_DIAG_PERM_H
#define GS_DIAG_PERM_H

#include <stddef.h>
#include <stdint.h>

struct gs_perm_who {
	uint32_t euid, egid;
	const uint32_t *groups;  /* supplementary groups */
	size_t ngroups;
	int partial;             /* groups is only the start of the list */
};

/* need: 4 r, 2 w, 1 x (or'ed).  1 granted, 0 refused, -1 unknown (the
 * group bits would grant it and the group list is partial).  Root is
 * granted all but x on a regular file without any x bit; x on anything
 * but a directory or regular file is refused, as exec does. */
int gs_perm_grants(uint32_t mode, uint32_t uid, uint32_t gid,
		   const struct gs_perm_who *w, unsigned need);

#endif
