/* SPDX-License-Identifier: Apache-2.0 */
#include "flags.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "goshim/record.h"

#define F(x) { x, 0, #x }

/* The kernel's O_LARGEFILE, which 64-bit glibc defines as 0. */
#if O_LARGEFILE == 0
#define GS_O_LARGEFILE 0100000
#else
#define GS_O_LARGEFILE O_LARGEFILE
#endif
#define FSET(name, tab, z) \
	const struct gs_flagset name = { tab, sizeof(tab) / sizeof(tab[0]), z }

static const struct gs_flag open_flags[] = {
	{ O_RDONLY, O_ACCMODE, "O_RDONLY" },
	{ O_WRONLY, O_ACCMODE, "O_WRONLY" },
	{ O_RDWR, O_ACCMODE, "O_RDWR" },
	{ O_ACCMODE, O_ACCMODE, "O_ACCMODE" },
	/* composite symbols first: they share bits with simpler ones */
	{ O_TMPFILE, O_TMPFILE, "O_TMPFILE" },
	{ O_SYNC, O_SYNC, "O_SYNC" },
	F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC), F(O_APPEND),
	F(O_NONBLOCK), F(O_DSYNC), F(O_ASYNC), F(O_DIRECT), { GS_O_LARGEFILE, 0, "O_LARGEFILE" },
	F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), F(O_CLOEXEC), F(O_PATH),
};
FSET(gs_fs_open, open_flags, NULL);

static const struct gs_flag at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_REMOVEDIR), F(AT_SYMLINK_FOLLOW),
	F(AT_NO_AUTOMOUNT), F(AT_EMPTY_PATH), F(AT_EACCESS),
	F(AT_STATX_FORCE_SYNC), F(AT_STATX_DONT_SYNC), F(AT_RECURSIVE),
};
FSET(gs_fs_at, at_flags, NULL);

/* faccessat(2) and faccessat2: 0x200 is AT_EACCESS here, not AT_REMOVEDIR
 * (the same bit: each *at call gives it its own meaning). */
static const struct gs_flag access_at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_EACCESS), F(AT_EMPTY_PATH),
};
static FSET(gs_fs_access_at, access_at_flags, NULL);

static const struct gs_flag prot_flags[] = {
	F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC), F(PROT_GROWSDOWN), F(PROT_GROWSUP),
};
FSET(gs_fs_prot, prot_flags, "PROT_NONE");

static const struct gs_flag mmap_flags[] = {
	{ MAP_SHARED, MAP_TYPE, "MAP_SHARED" },
	{ MAP_PRIVATE, MAP_TYPE, "MAP_PRIVATE" },
	{ MAP_SHARED_VALIDATE, MAP_TYPE, "MAP_SHARED_VALIDATE" },
	F(MAP_FIXED), F(MAP_ANONYMOUS), F(MAP_32BIT), F(MAP_GROWSDOWN),
	F(MAP_DENYWRITE), F(MAP_EXECUTABLE), F(MAP_LOCKED), F(MAP_NORESERVE),
	F(MAP_POPULATE), F(MAP_NONBLOCK), F(MAP_STACK), F(MAP_HUGETLB),
	F(MAP_SYNC), F(MAP_FIXED_NOREPLACE),
};
FSET(gs_fs_mmap, mmap_flags, NULL);

static const struct gs_flag memfd_flags[] = {
	F(MFD_CLOEXEC), F(MFD_ALLOW_SEALING), F(MFD_HUGETLB),
};
FSET(gs_fs_memfd, memfd_flags, NULL);

static const struct gs_flag amode_flags[] = {
	F(R_OK), F(W_OK), F(X_OK),
};
FSET(gs_fs_amode, amode_flags, "F_OK");

static const struct gs_flag statx_flags[] = {
	{ STATX_BASIC_STATS, STATX_BASIC_STATS, "STATX_BASIC_STATS" },
	F(STATX_TYPE), F(STATX_MODE), F(STATX_NLINK), F(STATX_UID), F(STATX_GID),
	F(STATX_ATIME), F(STATX_MTIME), F(STATX_CTIME), F(STATX_INO),
	F(STATX_SIZE), F(STATX_BLOCKS), F(STATX_BTIME), F(STATX_MNT_ID),
};
FSET(gs_fs_statx, statx_flags, NULL);

static const struct gs_flag mount_flags[] = {
	{ ST_RDONLY, 0, "ro" }, { ST_NOSUID, 0, "nosuid" }, { ST_NODEV, 0, "nodev" },
	{ ST_NOEXEC, 0, "noexec" }, { ST_SYNCHRONOUS, 0, "sync" },
	{ ST_MANDLOCK, 0, "mand" }, { ST_NOATIME, 0, "noatime" },
	{ ST_NODIRATIME, 0, "nodiratime" }, { ST_RELATIME, 0, "relatime" },
	{ 0x20, 0, NULL }, /* ST_VALID: the kernel's "f_flags is set" marker */
};
FSET(gs_fs_mount, mount_flags, NULL);

static const struct gs_flag container_flags[] = {
	{ GOSHIM_CTR_DOCKERENV, 0, "dockerenv" }, { GOSHIM_CTR_CONTAINERENV, 0, "containerenv" },
	{ GOSHIM_CTR_ENV, 0, "env" }, { GOSHIM_CTR_CGROUP, 0, "cgroup" },
	{ GOSHIM_CTR_PIDNS, 0, "pidns" }, { GOSHIM_CTR_USERNS, 0, "userns" },
	{ GOSHIM_CTR_CGROUPNS, 0, "cgroupns" }, { GOSHIM_CTR_NO_SYS_ADMIN, 0, "no-sys-admin" },
	{ GOSHIM_CTR_NS_READ, 0, NULL }, /* says the ns bits are known */
};
FSET(gs_fs_container, container_flags, "none");

static const struct gs_flagset *const family_flags[] = {
	[GOSHIM_FAM_EXEC] = &gs_fs_at,     /* execveat */
	[GOSHIM_FAM_OPEN] = &gs_fs_open,
	[GOSHIM_FAM_STAT] = &gs_fs_at,
	[GOSHIM_FAM_MMAP] = &gs_fs_mmap,
	[GOSHIM_FAM_MEMFD] = &gs_fs_memfd,
	[GOSHIM_FAM_ACCESS] = &gs_fs_access_at,
};

const struct gs_flagset *gs_flags_for_family(uint16_t family)
{
	if (family < sizeof(family_flags) / sizeof(family_flags[0])) {
		return family_flags[family];
	}
	return NULL;
}

void gs_flags_each(const struct gs_flagset *fs, uint64_t v,
		   void (*fn)(const char *name, void *ctx), void *ctx)
{
	uint64_t left = v;
	int any = 0;

	for (size_t i = 0; i < fs->n; i++) {
		const struct gs_flag *f = &fs->flags[i];
		uint64_t mask = f->mask ? f->mask : f->bits;

		/* a 0-valued symbol (O_RDONLY) only under its own mask;
		 * bits a composite symbol already took are not named twice */
		if ((v & mask) != f->bits || (f->bits == 0 && !f->mask) ||
		    (left & f->bits) != f->bits) {
			continue;
		}
		if (f->name) {
			fn(f->name, ctx);
			any = 1;
		}
		left &= ~mask;
	}
	if (left) {
		char hex[24];

		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)left);
		fn(hex, ctx);
	} else if (!any) {
		fn(fs->zero ? fs->zero : "0", ctx);
	}
}

struct flags_buf {
	char *buf;
	size_t size, len;
};

static void flags_append(const char *name, void *ctx)
{
	struct flags_buf *b = ctx;
	int n;

	if (b->len >= b->size) {
		return;
	}
	n = snprintf(b->buf + b->len, b->size - b->len, "%s%s", b->len ? "|" : "", name);
	if (n > 0) {
		b->len += (size_t)n;
	}
}

char *gs_flags_str(const struct gs_flagset *fs, uint64_t v, char *buf, size_t size)
{
	struct flags_buf b = { buf, size, 0 };

	if (size) {
		buf[0] = '\0';
	}
	gs_flags_each(fs, v, flags_append, &b);
	return buf;
}
