/* SPDX-License-Identifier: Apache-2.0 */
/* Ring writer (format: include/goshim/ring.h).  Used by libgoshim.so and by
 * the trace engine.  Async-signal-safe after gs_ring_attach: no allocation,
 * no locks, no stdio; all system calls are raw (common/sys.h), so errno is
 * never touched and no interposed libc function is re-entered. */
#ifndef GS_RING_WRITE_H
#define GS_RING_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "goshim/ring.h"

struct gs_ring {
	struct goshim_ring_hdr *hdr; /* NULL when not attached */
	uint8_t *data;
	uint64_t size;               /* data_size */
	size_t map_len;
};

/* The permission bits of a ring.  A writer attaches only to a ring that
 * no other uid can write or truncate: a ring cut short under a writer's
 * MAP_SHARED mapping kills the writer with SIGBUS at its next store. */
#define GS_RING_MODE_OWNER 0600   /* always set: the owner reads and writes  */
#define GS_RING_MODE_OK    0644   /* the bits a new ring may carry           */
#define GS_RING_MODE_BAD   07022  /* refused on an existing ring: group or
				   * other write, setuid, setgid, sticky     */

/* Open the ring at path, creating it if it does not exist, and map it.
 *
 * Creation is safe in shared, sticky directories such as /tmp: the file is
 * built complete under a unique temporary name (O_EXCL, O_NOFOLLOW, the
 * given mode) in the same directory and published with link(2), so nobody
 * ever sees a half-initialised ring and a pre-planted file or symlink at
 * `path` is never followed or truncated.  Every block of a new ring is
 * reserved before it is published (fallocate; zeros written where the
 * filesystem has no fallocate): a store into the mapping never needs
 * space, so a full filesystem cannot kill a writer with SIGBUS.  A ring
 * that cannot be backed (-ENOSPC, -EDQUOT) is not published.  A new ring
 * is version 2, with the lanes of gs_ring_lanes_default; a version 1 ring
 * is written as one lane.
 *
 * An existing ring is used only if it is a regular file (not a symlink),
 * has one link, is owned by the effective uid, carries no bit of
 * GS_RING_MODE_BAD, and has a v1 or v2 header whose size matches the file;
 * a sparse one gets its blocks first (fallocate; refused when that fails
 * for want of space).  Otherwise nothing is written to it.  What is left:
 * the owner itself (or root) truncating the ring while writers run kills
 * those writers with SIGBUS; no other uid can.
 *
 * data_size is rounded up to a power of two and clamped to
 * [GOSHIM_RING_MIN_DATA, GOSHIM_RING_MAX_DATA]; an existing ring keeps its
 * own size.  dict_id is stored in a new ring's header.
 *
 * mode: only GS_RING_MODE_OK bits are kept and GS_RING_MODE_OWNER is
 * always added (0 and 0600 give 0600, 06777 gives 0644); it is applied
 * exactly (fchmod: the umask does not narrow it).
 *
 * Returns 0, or -errno (-EEXIST is never returned: a concurrent creator
 * winning the race is handled by opening its file).  -EPROTO: the file
 * exists but is not a usable v1 or v2 ring (not a regular file, more than one
 * link, wrong header or size).  -EPERM: it belongs to another user.
 * -EACCES: its mode lets other users write it (GS_RING_MODE_BAD).
 * -ELOOP: path is a symbolic link.  -ENOSPC/-EDQUOT: no room to back
 * the ring's blocks. */
int gs_ring_attach(struct gs_ring *r, const char *path, uint64_t data_size,
		   unsigned mode, uint32_t dict_id);

/* Unmap.  Safe on a ring that was never attached. */
void gs_ring_detach(struct gs_ring *r);

/* Reserve, fill and commit one record in the lane of its type
 * (goshim_lane_of; lane 0 when the ring has no such lane).  payload is
 * stored as is (already encoded with `codec`); raw_len is its decoded
 * length.  Returns the record's position in its lane (>= 0), or -1 when
 * the record is larger than GOSHIM_REC_MAX (counted in hdr->dropped). */
int64_t gs_ring_write(struct gs_ring *r, uint16_t type, uint16_t codec,
		      uint32_t engine, const void *payload, uint32_t len,
		      uint32_t raw_len);

/* Count one more occurrence of the routine-lane record (a failed call,
 * GOSHIM_REC_EVENT) written at pos.  Returns 0, or -1 when that record has
 * been overwritten since (write a new one). */
int gs_ring_agg_bump(struct gs_ring *r, uint64_t pos);
/* The same for n more occurrences at once (n counted in one step). */
int gs_ring_agg_add(struct gs_ring *r, uint64_t pos, uint64_t n);
/* 1 when that record is still there and can be counted into. */
int gs_ring_agg_live(const struct gs_ring *r, uint64_t pos);

/* Whether the routine-lane record written at pos lies in the newer half of
 * its lane and is still there whole (committed, its position, its CRC), so
 * that a cross-process repeat may name it (common/repeat.h): a repeat is
 * never more than half a lane younger than its original, and only the
 * oldest half of a lane can hold repeats whose original was overwritten
 * by later laps.  Within the window, a writer lapped while it filled an
 * older record may have cut into it: such a record is not named, the
 * failure is written whole again.  0 on a ring that is not attached. */
int gs_ring_recent(const struct gs_ring *r, uint64_t pos);

/* The shared repeat index (goshim/ring.h, GOSHIM_REPEAT_SLOTS): the
 * position of the routine-lane record written whole for this repeat key
 * (common/repeat.h) when it is still in the newer half of the lane:
 * 0 and *pos; else -1.  Lock-free; safe in a signal handler or a vfork
 * child. */
int gs_ring_repeat_find(struct gs_ring *r, uint64_t key, uint64_t *pos);

/* Remember that the record for key was written whole at pos: an empty
 * slot or the key's own is claimed with a compare-and-swap; when the
 * key's neighbourhood is full its home slot is replaced. */
void gs_ring_repeat_store(struct gs_ring *r, uint64_t key, uint64_t pos);

/* Count one repeat record written (hdr->repeats). */
void gs_ring_count_repeat(struct gs_ring *r);

/* Count a record the caller gave up on (hdr->dropped). */
void gs_ring_count_drop(struct gs_ring *r);

#endif
