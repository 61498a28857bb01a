// SPDX-License-Identifier: Apache-2.0
/*
 * Preloaded after libgoshim.so (or the resolver's probe): it interposes
 * stat, and defines fstat in two versions, fstat@NEXTSYM_1 (hidden) and
 * fstat@@NEXTSYM_2 (the default), as glibc does with realpath.  What a
 * call reached shows in st_size: 4242 for stat, the version for fstat.
 */
#include <string.h>
#include <sys/stat.h>

int stat(const char *path, struct stat *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->st_size = 4242;
	return 0;
}

__attribute__((used)) static int ni_fstat_1(int fd, struct stat *st)
{
	(void)fd;
	memset(st, 0, sizeof(*st));
	st->st_size = 1;
	return 0;
}

__attribute__((used)) static int ni_fstat_2(int fd, struct stat *st)
{
	(void)fd;
	memset(st, 0, sizeof(*st));
	st->st_size = 2;
	return 0;
}

__asm__(".globl ni_fstat_1_sym\n.set ni_fstat_1_sym, ni_fstat_1\n"
	".symver ni_fstat_1_sym, fstat@NEXTSYM_1\n"
	".globl ni_fstat_2_sym\n.set ni_fstat_2_sym, ni_fstat_2\n"
	".symver ni_fstat_2_sym, fstat@@NEXTSYM_2\n");
