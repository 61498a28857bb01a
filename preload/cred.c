// SPDX-License-Identifier: Apache-2.0
/*
 * Credentials and the root directory.  The ring is attached at the first
 * failure (rec/attach.c); a process that drops root, leaves groups or
 * chroots first might then be unable to open it.  So these attach it
 * before they change anything (once; nothing when recording is off or
 * attached already), and pass the call on.  Their own failures are not
 * recorded.
 */
#include <grp.h>

#include "real.h"

#define CR_WRAP(name, params, args) \
	GS_WRAP_WITH(int, name, params, gs_rec_prepare(), gs_real.name args, 0, (void)0)

CR_WRAP(setuid, (uid_t u), (u))
CR_WRAP(setgid, (gid_t g), (g))
CR_WRAP(seteuid, (uid_t u), (u))
CR_WRAP(setegid, (gid_t g), (g))
CR_WRAP(setreuid, (uid_t ru, uid_t eu), (ru, eu))
CR_WRAP(setregid, (gid_t rg, gid_t eg), (rg, eg))
CR_WRAP(setresuid, (uid_t ru, uid_t eu, uid_t su), (ru, eu, su))
CR_WRAP(setresgid, (gid_t rg, gid_t eg, gid_t sg), (rg, eg, sg))
CR_WRAP(setgroups, (size_t n, const gid_t *list), (n, list))
CR_WRAP(chroot, (const char *path), (path))
