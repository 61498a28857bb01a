/* SPDX-License-Identifier: Apache-2.0 */
/* Files of the tests: scratch directories, whole-file reads and writes.
 * Each fails the test when the file system says no, unless said. */
#ifndef GS_TL_FS_H
#define GS_TL_FS_H

#include <stddef.h>
#include <sys/types.h>

/* A fresh directory /tmp/gs-TAG-XXXXXX (mode 0700), in one of 8 rotating
 * buffers. */
const char *tl_tmpdir(const char *tag);

/* Remove a tree (best effort; directories a test made unreadable are
 * opened up first). */
void tl_rmtree(const char *dir);

/* A whole file into a malloc'd NUL-terminated buffer; *len (may be NULL)
 * gets its size.  tl_read returns NULL when the file cannot be opened;
 * tl_slurp fails the test then.  tl_slurp_fd reads fd from offset 0. */
char *tl_read(const char *path, size_t *len);
char *tl_slurp(const char *path, size_t *len);
char *tl_slurp_fd(int fd, size_t *len);

/* In a child that is about to exec: a private mount namespace of its own
 * (mounts vanish with it), with a tmpfs mounted at mnt (flags, options)
 * unless mnt is NULL.  Returns 0, or -1 with errno set. */
int tl_private_tmpfs(const char *mnt, unsigned long flags, const char *opts);

/* Write buf to path (created with mode, truncated); tl_write writes a
 * string, mode 0644. */
void tl_spit(const char *path, const void *buf, size_t len, mode_t mode);
void tl_write(const char *path, const char *text);

#endif
