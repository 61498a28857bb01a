/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /proc/PID/mountinfo: the one parser, and the one way to find the mount
 * that holds a path.  Used by the preload's recorder, the trace engine and
 * doctor, so it is malloc-free, libc-free and async-signal-safe: the
 * caller supplies the bytes (a read callback) and every buffer.
 *
 * A mountinfo line (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id parent maj:min root point options [optional...] - fstype source super-options
 * The kernel escapes space, tab, newline and backslash in every string
 * field as \ooo (\040 \011 \012 \134); the parser undoes it in each.
 *
 * The mount of a path: the line whose mount id is the path's (statx
 * STATX_MNT_ID, Linux 5.8; ids are unique across mount namespaces); when
 * the id is unknown or no line has it, the longest mount point that is a
 * prefix of the path (the last one on ties: it is mounted on top), which
 * a bind mount or a path with symbolic links can fool.
 *
 * The result is the record's EV_MOUNT text, "point fstype options", each
 * field escaped again as mountinfo escapes it so that the three split at
 * spaces; gs_mount_split takes it apart.
 */
#ifndef GS_MOUNTINFO_H
#define GS_MOUNTINFO_H

#include <stddef.h>
#include <stdint.h>

/* One parsed line; the strings point into the line, unescaped. */
struct gs_mi_line {
	uint64_t id, parent;
	uint32_t major, minor;
	char *root, *point, *opts, *fstype, *source, *super;
};

/* Parse a NUL-terminated line (no newline) in place.  0, or -1 when it
 * is not a mountinfo line. */
int gs_mi_parse(char *line, struct gs_mi_line *m);

/* Where the bytes come from, read(2)-like: bytes read, 0 at the end,
 * < 0 on an error (the scan stops there). */
typedef long (*gs_mi_read_fn)(void *ctx, char *buf, size_t n);

/* The reader of a descriptor: ctx points to an int fd (raw read(2),
 * EINTR retried, errno untouched). */
long gs_mi_read_fd(void *ctx, char *buf, size_t n);

/* Called for each line; nonzero stops the scan. */
typedef int (*gs_mi_line_fn)(void *ctx, const struct gs_mi_line *m);

/* Every line of the stream, parsed, to fn, read through work (cap bytes;
 * a line longer than cap - 1 is skipped).  Returns 0 at the end or when
 * fn stopped, -1 on a read error. */
int gs_mi_each(gs_mi_read_fn rd, void *rctx, char *work, size_t cap,
	       gs_mi_line_fn fn, void *fctx);

/* The mount that holds path (absolute, as the mountinfo's reader sees it)
 * as "point fstype options" into out.  mnt_id: the path's mount id, 0
 * when unknown.  Returns the length, or -1 when no line holds path (or
 * its text does not fit in cap): then nothing is known, nothing is said. */
long gs_mount_find(gs_mi_read_fn rd, void *rctx, const char *path, uint64_t mnt_id,
		   char *out, size_t cap, char *work, size_t work_cap);

/* Does the mount point (unescaped) hold path: is it a prefix of it at a
 * component boundary?  Its length, or -1. */
long gs_mount_holds(const char *point, const char *path);

/* Split an EV_MOUNT text in place into its three fields, unescaped.
 * 0, or -1 when it has fewer than three. */
int gs_mount_split(char *s, char **point, char **fstype, char **opts);

#endif
