/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Opening a ring file to read it, when somebody else may control the path
 * (goshimctl's decode and report, the engines' lock): never blocks, regular
 * files only, reads bounded by the largest valid ring.
 *
 * A FIFO at the ring path would block open(2) until a writer came; a
 * symbolic link to /dev/zero would read forever; a mapping of a file that
 * its owner truncates kills the reader with SIGBUS.  So: open with
 * O_NONBLOCK|O_NOCTTY, fstat the open file, refuse anything but a regular
 * file, and either read it with pread into memory of our own (a file
 * that shrinks meanwhile just reads short) or map it and touch the
 * mapping only under gs_ring_file_guard (a page beyond the end of a file
 * that shrank meanwhile fails the guarded reading, which then starts over
 * with pread).  For goshimctl: uses libc, may allocate.
 */
#ifndef GS_RING_FILE_H
#define GS_RING_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "goshim/ring.h"

/* The most bytes a ring file can hold: header page + largest data area. */
#define GS_RING_FILE_MAX ((uint64_t)GOSHIM_RING_HDR_SIZE + GOSHIM_RING_MAX_DATA)

/* Open path read-only without blocking (O_RDONLY, O_NONBLOCK, O_NOCTTY,
 * O_CLOEXEC; symbolic links are followed) and fstat it into *st.  The fd,
 * or -errno: -EINVAL when it is not a regular file (*st then says what it
 * is; nothing was read from it, and no FIFO writer was waited for). */
int gs_ring_file_open(const char *path, struct stat *st);

/* "a directory", "a FIFO", "a character device", "a block device",
 * "a socket", "a symbolic link", "a regular file", or "a special file". */
const char *gs_ring_file_kind(mode_t mode);

/* Read fd (opened by gs_ring_file_open, st its fstat) from offset 0 into
 * a malloc'd buffer: at most min(st->st_size, GS_RING_FILE_MAX) bytes,
 * fewer when the file shrank meanwhile.  0 with *buf (free it) and *len,
 * or -errno. */
int gs_ring_file_read(int fd, const struct stat *st, uint8_t **buf, size_t *len);

/* Map fd (as gs_ring_file_read reads it) read-only and shared: the same
 * min(st->st_size, GS_RING_FILE_MAX) bytes, without copying them.  0 with
 * *map and *len (munmap it), or -errno (then read it instead).  Touch the
 * mapping only inside gs_ring_file_guard. */
int gs_ring_file_map(int fd, const struct stat *st, const uint8_t **map, size_t *len);

/* Call fn(ctx) with SIGBUS caught, and return what it returns; or
 * -EFAULT when it touched a page of a mapping beyond the end of its file
 * (the file shrank after it was mapped): fn is then abandoned where it
 * was, so it must keep whatever it allocates reachable from ctx for the
 * caller to free, and must not touch the mapping from inside malloc, stdio
 * or another function that holds a lock.  The previous SIGBUS disposition
 * is restored either way.  One guard at a time: not reentrant, and the
 * process must have a single thread. */
int gs_ring_file_guard(int (*fn)(void *ctx), void *ctx);

#endif
