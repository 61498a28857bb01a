/* SPDX-License-Identifier: Apache-2.0 */
#include "perm.h"

#include <sys/stat.h>

static int gs_perm_in_group(const struct gs_perm_who *w, uint32_t gid)
{
	if (w->egid == gid) {
		return 1;
	}
	for (size_t i = 0; i < w->ngroups; i++) {
		if (w->groups[i] == gid) {
			return 1;
		}
	}
	return w->partial ? -1 : 0;
}

int gs_perm_grants(uint32_t mode, uint32_t uid, uint32_t gid,
		   const struct gs_perm_who *w, unsigned need)
{
	int grp;

	if ((need & 1) && !S_ISREG(mode) && !S_ISDIR(mode)) {
		return 0;
	}
	if (w->euid == 0) {
		return !(need & 1) || S_ISDIR(mode) || (mode & 0111);
	}
	if (w->euid == uid) {
		return ((mode >> 6) & need) == need;
	}
	grp = gs_perm_in_group(w, gid);
	if (grp == 1) {
		return ((mode >> 3) & need) == need;
	}
	if ((mode & need) == need) {
		return 1;
	}
	return grp < 0 && ((mode >> 3) & need) == need ? -1 : 0;
}
