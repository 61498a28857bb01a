/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_fs.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TL_DIRS 8

const char *tl_tmpdir(const char *tag)
{
	static char dirs[TL_DIRS][256];
	static unsigned next;
	char *d = dirs[next++ % TL_DIRS];

	snprintf(d, sizeof(dirs[0]), "/tmp/gs-%s-XXXXXX", tag);
	cr_assert_not_null(mkdtemp(d), "mkdtemp %s: %s", d, strerror(errno));
	return d;
}

static int tl_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	if (flag == FTW_DP) {
		chmod(p, 0700);
	}
	remove(p);
	return 0;
}

static int tl_open_up(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	if (flag == FTW_D || flag == FTW_DNR) {
		chmod(p, 0700);
	}
	return 0;
}

void tl_rmtree(const char *dir)
{
	if (dir && dir[0]) {
		nftw(dir, tl_open_up, 16, FTW_PHYS);
		nftw(dir, tl_rm, 16, FTW_DEPTH | FTW_PHYS);
	}
}

char *tl_slurp_fd(int fd, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *b = malloc(cap);
	ssize_t r;

	cr_assert_not_null(b);
	while ((r = pread(fd, b + n, cap - n - 1, (off_t)n)) > 0) {
		n += (size_t)r;
		if (cap - n < 2) {
			cap *= 2;
			b = realloc(b, cap);
			cr_assert_not_null(b);
		}
	}
	b[n] = '\0';
	if (len) {
		*len = n;
	}
	return b;
}

char *tl_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *b;

	if (fd < 0) {
		return NULL;
	}
	b = tl_slurp_fd(fd, len);
	close(fd);
	return b;
}

char *tl_slurp(const char *path, size_t *len)
{
	char *b = tl_read(path, len);

	cr_assert_not_null(b, "open %s: %s", path, strerror(errno));
	return b;
}

int tl_private_tmpfs(const char *mnt, unsigned long flags, const char *opts)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		return -1;
	}
	return mnt ? mount("tmpfs", mnt, "tmpfs", flags, opts) : 0;
}

void tl_spit(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, buf, len), (ssize_t)len, "write %s", path);
	cr_assert_eq(close(fd), 0);
}

void tl_write(const char *path, const char *text)
{
	tl_spit(path, text, strlen(text), 0644);
}
