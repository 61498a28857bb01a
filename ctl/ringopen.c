/* SPDX-License-Identifier: Apache-2.0 */
/* Opening a ring for decode and report (ringopen.h). */
#include "ringopen.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ring_file.h"

static void ro_owner(char *owner, size_t len, const char *path, const struct stat *st)
{
	uid_t me = geteuid();
	struct passwd *pw;

	owner[0] = 0;
	if (st->st_uid == me) {
		return;
	}
	pw = getpwuid(st->st_uid);
	snprintf(owner, len, "%s belongs to uid %u%s%s%s, not to you (uid %u): its records "
		 "are whatever that user wrote, and your own programs may have recorded "
		 "nothing into it", path, (unsigned)st->st_uid, pw ? " (" : "",
		 pw ? pw->pw_name : "", pw ? ")" : "", (unsigned)me);
}

int gs_ctl_ring_load(struct gs_ring_reader *r, const char *path, char *err, size_t errlen,
		     char *owner, size_t ownerlen)
{
	struct stat st;
	int fd, rc;

	owner[0] = 0;
	fd = gs_ring_file_open(path, &st);
	if (fd == -EINVAL) {
		snprintf(err, errlen, "%s: is %s, not a ring file", path,
			 gs_ring_file_kind(st.st_mode));
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, fd == -ENOENT ? "" : "cannot read: ",
			 strerror(-fd));
		return -1;
	}
	ro_owner(owner, ownerlen, path, &st);
	rc = gs_ring_load_fd(r, fd, &st);
	close(fd);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}
