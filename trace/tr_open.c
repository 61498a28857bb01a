/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one way the engine opens a file it does not own (an exec target, a
 * mapped object, a path a failed call named): as the traced process
 * would, and without side effects.
 *
 *   - The path is resolved inside the process's root (/proc/PID/root,
 *     RESOLVE_IN_ROOT: its mount namespace, its chroot, symbolic links
 *     kept inside it), with its credentials: fsuid, fsgid, supplementary
 *     groups and no capability it lacks.  The engine is single-threaded,
 *     so it takes them itself for the duration of the open: setfsuid,
 *     setfsgid, setgroups and capset as raw system calls change the
 *     calling thread only, and the permitted set is kept, so the
 *     engine's own credentials come back right after.  (An access check
 *     for those credentials before the open instead would have to repeat
 *     the kernel's rules: search permission on every directory of the
 *     walk, ACLs, capabilities of a user namespace; taking them lets the
 *     kernel decide.)  A process in another user namespace keeps no
 *     capability here.  When they cannot be taken (an unprivileged
 *     engine, which traces only processes with its own credentials
 *     anyway) nothing is opened.
 *   - First an O_PATH descriptor: opening one runs no driver, wakes no
 *     FIFO writer, blocks on nothing.  A read is then granted only on a
 *     regular file, reopened through /proc/self/fd/N (the same inode)
 *     with O_NONBLOCK | O_NOCTTY | O_CLOEXEC: a FIFO, a device, a socket
 *     is refused (-EINVAL), never opened.
 * The caller reads a bounded amount and closes the descriptor before the
 * call it is about is answered (tr_event.c): nothing stays open in the
 * process's filesystems, which it may unmount next.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tr.h"

#define OP_GROUPS 64

struct op_cred {
	uint32_t fsuid, fsgid;
	uint32_t ngroups;
	gid_t groups[OP_GROUPS];
	uint64_t capeff;
};

/* The n-th number after key in a status text (0-based), or -1. */
static long long op_field(const char *status, const char *key, unsigned n)
{
	const char *l = strstr(status, key);
	char *end;

	if (!l) {
		return -1;
	}
	l += strlen(key);
	for (unsigned i = 0;; i++) {
		long long v = strtoll(l, &end, 10);

		if (end == l) {
			return -1;
		}
		if (i == n) {
			return v;
		}
		l = end;
	}
}

/* pid's filesystem credentials from /proc/PID/status; -1 when unknown. */
static int op_cred_of(pid_t pid, struct op_cred *c, int other_userns)
{
	char status[4096];
	const char *g, *cap;

	if (tr_proc_read(pid, "status", status, sizeof(status)) <= 0) {
		return -1;
	}
	long long u = op_field(status, "\nUid:", 3), gi = op_field(status, "\nGid:", 3);

	g = strstr(status, "\nGroups:");
	cap = strstr(status, "\nCapEff:");
	if (u < 0 || gi < 0 || !g || !cap) {
		return -1;
	}
	c->fsuid = (uint32_t)u;
	c->fsgid = (uint32_t)gi;
	c->ngroups = 0;
	for (g += 8; *g && *g != '\n';) {
		char *end;
		unsigned long v = strtoul(g, &end, 10);

		if (end == g) {
			g++;
			continue;
		}
		if (c->ngroups == OP_GROUPS) {
			return -1; /* more than we can take: not at all */
		}
		c->groups[c->ngroups++] = (gid_t)v;
		g = end;
	}
	c->capeff = other_userns ? 0 : strtoull(cap + 8, NULL, 16);
	return 0;
}

static int op_caps(uint64_t *eff, uint64_t *perm)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0) {
		return -1;
	}
	*eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	*perm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	return 0;
}

static int op_set_eff(uint64_t eff)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0) {
		return -1;
	}
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

/* The engine's own credentials, to come back to. */
static struct op_cred op_self;
static uint64_t op_self_perm;

static int op_self_read(void)
{
	gid_t g[OP_GROUPS];
	int n = (int)syscall(SYS_getgroups, OP_GROUPS, g);

	if (n < 0 || op_caps(&op_self.capeff, &op_self_perm) < 0) {
		return -1;
	}
	/* setfsuid returns the previous value and, given an id it may not
	 * take (-1), changes nothing */
	op_self.fsuid = (uint32_t)syscall(SYS_setfsuid, -1);
	op_self.fsgid = (uint32_t)syscall(SYS_setfsgid, -1);
	op_self.ngroups = (uint32_t)n;
	memcpy(op_self.groups, g, (size_t)n * sizeof(gid_t));
	return 0;
}

static int op_same(const struct op_cred *t)
{
	return t->fsuid == op_self.fsuid && t->fsgid == op_self.fsgid &&
	       t->ngroups == op_self.ngroups &&
	       memcmp(t->groups, op_self.groups, t->ngroups * sizeof(gid_t)) == 0 &&
	       (t->capeff & op_self.capeff) == op_self.capeff;
}

static void op_restore(void)
{
	op_set_eff(op_self.capeff);
	syscall(SYS_setfsuid, op_self.fsuid);
	syscall(SYS_setfsgid, op_self.fsgid);
	syscall(SYS_setgroups, op_self.ngroups, op_self.groups);
}

/* Take t's credentials on this thread.  0, or -1 (nothing changed). */
static int op_take(const struct op_cred *t)
{
	if (syscall(SYS_setgroups, t->ngroups, t->groups) < 0) {
		return -1;
	}
	syscall(SYS_setfsgid, t->fsgid);
	syscall(SYS_setfsuid, t->fsuid);
	if ((uint32_t)syscall(SYS_setfsgid, -1) != t->fsgid ||
	    (uint32_t)syscall(SYS_setfsuid, -1) != t->fsuid ||
	    op_set_eff(op_self.capeff & t->capeff) < 0) {
		op_restore();
		return -1;
	}
	return 0;
}

/* Is pid in another user namespace than the engine? */
static int op_other_userns(pid_t pid)
{
	char p[64];
	struct stat a, b;

	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	return stat(p, &a) < 0 || stat("/proc/self/ns/user", &b) < 0 || a.st_ino != b.st_ino ||
	       a.st_dev != b.st_dev;
}

/* Become pid for an open: 1 switched, 0 no need, -1 impossible. */
static int op_become(pid_t pid)
{
	static int self_ok;
	struct op_cred t;

	if (pid <= 0) {
		return 0;
	}
	if (!self_ok) {
		if (op_self_read() < 0) {
			return -1;
		}
		self_ok = 1;
	}
	if (op_cred_of(pid, &t, op_other_userns(pid)) < 0) {
		return -1;
	}
	if (op_same(&t)) {
		return 0;
	}
	return op_take(&t) == 0 ? 1 : -1;
}

/* pathfd (O_PATH) reopened for reading when it is a regular file. */
static int op_reopen(int pathfd, int flags)
{
	char link[32];
	struct stat st;
	int fd;

	if (fstat(pathfd, &st) < 0) {
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		return -EINVAL;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", pathfd);
	fd = open(link, (flags & ~(O_CREAT | O_TRUNC | O_APPEND | O_ACCMODE)) | O_RDONLY |
			      O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int tr_root_open(pid_t pid, const char *path, int flags)
{
	char root[64];
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (flags & O_NOFOLLOW),
		.resolve = RESOLVE_IN_ROOT,
	};
	int fd, rfd, as;

	snprintf(root, sizeof(root), pid > 0 ? "/proc/%d/root" : "/", (int)pid);
	rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		return -errno;
	}
	as = op_become(pid);
	if (as < 0) {
		close(rfd);
		return -EPERM;
	}
	fd = (int)syscall(SYS_openat2, rfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) { /* before Linux 5.6 */
		char full[4096 + 64];

		snprintf(full, sizeof(full), "%s%s", pid > 0 ? root : "", path);
		fd = open(full, O_PATH | O_CLOEXEC | (flags & O_NOFOLLOW));
	}
	fd = fd < 0 ? -errno : fd;
	close(rfd);
	if (fd >= 0 && !(flags & O_PATH)) {
		int rd = op_reopen(fd, flags);

		close(fd);
		fd = rd;
	}
	if (as > 0) {
		op_restore();
	}
	return fd;
}

int tr_file_reopen(pid_t pid, int pathfd)
{
	int as = op_become(pid), fd;

	if (as < 0) {
		return -EPERM;
	}
	fd = op_reopen(pathfd, 0);
	if (as > 0) {
		op_restore();
	}
	return fd;
}
