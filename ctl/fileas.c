/* SPDX-License-Identifier: Apache-2.0 */
#include "fileas.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define AS_NOBODY 65534

static struct {
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t groups[256];
} as_saved;

void gs_as_of_ring(const struct stat *ring, struct gs_as *as)
{
	as->uid = ring->st_uid;
	as->gid = ring->st_gid;
	if (ring->st_mode & S_IWOTH) {
		as->uid = AS_NOBODY;
		as->gid = AS_NOBODY;
	} else if (ring->st_mode & S_IWGRP) {
		as->uid = AS_NOBODY;
	}
	/* only a privileged invoker could read more than the writer */
	as->other = geteuid() == 0 && (as->uid != 0 || as->gid != getegid());
}

int gs_as_enter(const struct gs_as *as)
{
	if (!as || !as->other) {
		return 0;
	}
	int n = (int)syscall(SYS_getgroups, 256, as_saved.groups);

	if (n < 0) {
		return -1;
	}
	as_saved.ngroups = n;
	as_saved.fsuid = (uid_t)syscall(SYS_setfsuid, -1);
	as_saved.fsgid = (gid_t)syscall(SYS_setfsgid, -1);
	if (syscall(SYS_setgroups, 1, &as->gid) < 0) {
		return -1;
	}
	syscall(SYS_setfsgid, as->gid);
	syscall(SYS_setfsuid, as->uid);
	if ((gid_t)syscall(SYS_setfsgid, -1) != as->gid ||
	    (uid_t)syscall(SYS_setfsuid, -1) != as->uid) {
		gs_as_leave();
		return -1;
	}
	return 1;
}

void gs_as_leave(void)
{
	syscall(SYS_setfsuid, as_saved.fsuid);
	syscall(SYS_setfsgid, as_saved.fsgid);
	syscall(SYS_setgroups, as_saved.ngroups, as_saved.groups);
}

int gs_open_as(const char *path, const struct gs_as *as)
{
	char link[32];
	struct stat st;
	int in = gs_as_enter(as), pfd, fd = -1, err = EPERM;

	if (in < 0) {
		errno = EPERM;
		return -1;
	}
	pfd = open(path, O_PATH | O_CLOEXEC);
	err = errno;
	if (pfd >= 0) {
		if (fstat(pfd, &st) < 0) {
			err = errno;
		} else if (!S_ISREG(st.st_mode)) {
			err = EINVAL;
		} else {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
			fd = open(link, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			err = errno;
		}
		close(pfd);
	}
	if (in > 0) {
		gs_as_leave();
	}
	errno = err;
	return fd;
}
