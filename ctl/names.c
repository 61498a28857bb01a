/* SPDX-License-Identifier: Apache-2.0 */
/* Enumerations to names (prototypes in flags.h). */
#include "flags.h"

#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "goshim/record.h"
#include "tags.h"

struct gs_name {
	uint64_t v;
	const char *name;
};

#define N(x, s) { x, s }
#define NN(tab) (sizeof(tab) / sizeof(tab[0]))

static const char *name_find(const struct gs_name *t, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].v == v) {
			return t[i].name;
		}
	}
	return NULL;
}

const char *gs_errno_name(int err)
{
	return err > 0 ? strerrorname_np(err) : NULL;
}

const char *gs_errno_desc(int err)
{
	return err > 0 ? strerrordesc_np(err) : NULL;
}

int gs_errno_parse(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s && !*end) {
		return v > 0 && v < 4096 ? (int)v : -1;
	}
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && strcasecmp(n, s) == 0) {
			return e;
		}
	}
	return -1;
}

int gs_errno_is(const char *s, int err)
{
	const char *n, *d = s + (*s == '+' || *s == '-');

	/* a word of a rule has no blank: a number is [+-]digits */
	if (*d && strspn(d, "0123456789") == strlen(d)) {
		return gs_errno_parse(s) == err;
	}
	/* glibc names each value once: the first value named s is err
	 * exactly when err's name is s */
	n = gs_errno_name(err);
	return err > 0 && n && strcasecmp(n, s) == 0;
}

const char *gs_signal_name(int sig)
{
	static char buf[16];
	const char *a = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (!a) {
		return NULL;
	}
	strcpy(buf, "SIG");
	strncat(buf, a, sizeof(buf) - 4);
	return buf;
}

static const struct gs_name clocks[] = {
	N(CLOCK_REALTIME, "CLOCK_REALTIME"), N(CLOCK_MONOTONIC, "CLOCK_MONOTONIC"),
	N(CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"),
	N(CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"),
	N(CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"),
	N(CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"),
	N(CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"),
	N(CLOCK_BOOTTIME, "CLOCK_BOOTTIME"), N(CLOCK_REALTIME_ALARM, "CLOCK_REALTIME_ALARM"),
	N(CLOCK_BOOTTIME_ALARM, "CLOCK_BOOTTIME_ALARM"), N(CLOCK_TAI, "CLOCK_TAI"),
};

const char *gs_clock_name(int clk)
{
	return clk < 0 ? NULL : name_find(clocks, NN(clocks), (uint64_t)clk);
}

static const struct gs_name fstypes[] = {
	N(TMPFS_MAGIC, "tmpfs"), N(EXT4_SUPER_MAGIC, "ext4"), N(XFS_SUPER_MAGIC, "xfs"),
	N(BTRFS_SUPER_MAGIC, "btrfs"), N(OVERLAYFS_SUPER_MAGIC, "overlay"),
	N(PROC_SUPER_MAGIC, "proc"), N(SYSFS_MAGIC, "sysfs"), N(NFS_SUPER_MAGIC, "nfs"),
	N(SQUASHFS_MAGIC, "squashfs"), N(0x65735546, "fuse"), N(RAMFS_MAGIC, "ramfs"),
	N(DEVPTS_SUPER_MAGIC, "devpts"), N(CGROUP2_SUPER_MAGIC, "cgroup2"),
	N(CGROUP_SUPER_MAGIC, "cgroup"), N(V9FS_MAGIC, "9p"), N(MSDOS_SUPER_MAGIC, "vfat"),
	N(0x2fc12fc1, "zfs"), N(F2FS_SUPER_MAGIC, "f2fs"), N(CIFS_SUPER_MAGIC, "cifs"),
	N(SMB2_SUPER_MAGIC, "smb2"), N(NSFS_MAGIC, "nsfs"), N(BPF_FS_MAGIC, "bpf"),
	N(TRACEFS_MAGIC, "tracefs"), N(DEBUGFS_MAGIC, "debugfs"),
	N(SECURITYFS_MAGIC, "securityfs"), N(EFIVARFS_MAGIC, "efivarfs"),
	N(ISOFS_SUPER_MAGIC, "iso9660"), N(HUGETLBFS_MAGIC, "hugetlbfs"),
	N(EROFS_SUPER_MAGIC_V1, "erofs"), N(0x5346544e, "ntfs"),
};

const char *gs_fstype_name(uint64_t magic)
{
	return name_find(fstypes, NN(fstypes), magic);
}

static const struct gs_name rlimits[] = {
	N(RLIMIT_CPU, "CPU"), N(RLIMIT_FSIZE, "FSIZE"), N(RLIMIT_DATA, "DATA"),
	N(RLIMIT_STACK, "STACK"), N(RLIMIT_CORE, "CORE"), N(RLIMIT_RSS, "RSS"),
	N(RLIMIT_NPROC, "NPROC"), N(RLIMIT_NOFILE, "NOFILE"),
	N(RLIMIT_MEMLOCK, "MEMLOCK"), N(RLIMIT_AS, "AS"), N(RLIMIT_LOCKS, "LOCKS"),
	N(RLIMIT_SIGPENDING, "SIGPENDING"), N(RLIMIT_MSGQUEUE, "MSGQUEUE"),
	N(RLIMIT_NICE, "NICE"), N(RLIMIT_RTPRIO, "RTPRIO"), N(RLIMIT_RTTIME, "RTTIME"),
};

const char *gs_rlimit_name(unsigned res)
{
	return name_find(rlimits, NN(rlimits), res);
}

static const struct gs_name filetypes[] = {
	N(S_IFREG, "file"), N(S_IFDIR, "dir"), N(S_IFLNK, "symlink"),
	N(S_IFCHR, "chardev"), N(S_IFBLK, "blockdev"), N(S_IFIFO, "fifo"),
	N(S_IFSOCK, "socket"),
};

const char *gs_filetype_name(uint32_t mode)
{
	const char *n = name_find(filetypes, NN(filetypes), mode & S_IFMT);

	return n ? n : "unknown";
}

const char *gs_tag_name(uint16_t tag)
{
	const struct gs_tag_info *i = gs_tag_info(tag);

	return i ? i->name : NULL;
}
