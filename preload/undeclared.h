/* SPDX-License-Identifier: Apache-2.0 */
/* Entry points libgoshim.so wraps that glibc's headers no longer declare
 * (the old stat ABI, glibc >= 2.33) or declare only under _FORTIFY_SOURCE.
 * Shared with the test program that calls each of them
 * (tests/preload/failer.c). */
#ifndef GS_UNDECLARED_H
#define GS_UNDECLARED_H

#include <sys/stat.h>

int __xstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

#endif
