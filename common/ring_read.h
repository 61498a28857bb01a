/* SPDX-License-Identifier: Apache-2.0 */
/* Ring reader (format: include/goshim/ring.h).  For goshimctl: it may
 * allocate.  It never trusts the file: every offset and length is checked,
 * and a damaged file yields what is intact plus a list of problems. */
#ifndef GS_RING_READ_H
#define GS_RING_READ_H

#include <stddef.h>
#include <stdint.h>
#include "goshim/ring.h"

enum gs_ring_problem {
	GS_RP_NONE = 0,
	GS_RP_EMPTY,        /* zero-length file                                 */
	GS_RP_SHORT_HDR,    /* smaller than the header page                     */
	GS_RP_FOREIGN,      /* no goshim magic: not a ring file                 */
	GS_RP_NEWER,        /* version newer than this reader                   */
	GS_RP_ENDIAN,       /* written on a host of the other byte order        */
	GS_RP_BAD_HDR,      /* header checksum or fields inconsistent           */
	GS_RP_TRUNCATED,    /* file shorter than header + data_size             */
	GS_RP_TORN,         /* records that failed their checksum (torn/corrupt) */
	GS_RP_BAD_RECORD,   /* records whose payload did not decode             */
};

/* One problem found, with a human sentence. */
struct gs_ring_issue {
	enum gs_ring_problem what;
	uint64_t count;      /* how many (records, granules, bytes: see msg) */
	char msg[200];
};

/* A record found in the ring: within a lane in position order, the lanes
 * merged by the records' CLOCK_MONOTONIC time. */
struct gs_rec {
	uint64_t pos;        /* position in its lane */
	unsigned lane;       /* enum goshim_lane (0 in a version 1 ring) */
	uint16_t type;       /* enum goshim_rec_type */
	uint16_t codec;
	uint32_t engine;
	uint32_t count;      /* aggregation count, >= 1 */
	uint32_t raw_len;
	uint8_t *payload;    /* decoded payload (raw_len bytes), owned by the reader */
	const char *error;   /* non-NULL: payload could not be decoded (why); payload NULL */
	/* A cross-process repeat (GOSHIM_T_REPEAT_OF, common/repeat.h): the
	 * routine-lane position of its original, and whether the payload was
	 * expanded from it (GS_REC_REPEAT) or stands alone because the
	 * original was overwritten (GS_REC_REPEAT_ALONE: identity, call,
	 * errno and path only). */
	uint64_t repeat_of;
	enum { GS_REC_WHOLE = 0, GS_REC_REPEAT, GS_REC_REPEAT_ALONE } repeat;
};

/* One lane of the data area as the reader found it. */
struct gs_ring_lane {
	uint64_t base, size; /* bytes of the data area */
	uint64_t head;       /* the lane's head counter (0 without a valid header) */
	uint64_t committed;  /* records committed into it (ditto)               */
	uint64_t found;      /* records found in it                             */
};

struct gs_ring_reader {
	/* the file */
	int fd;
	const uint8_t *map;
	size_t file_size;
	/* header as found; hdr_ok = magic+version+crc check passed */
	struct goshim_ring_hdr hdr;
	int hdr_ok;
	uint64_t data_size;  /* from the header, or inferred when it is bad */
	/* results */
	struct gs_rec *recs;
	size_t nrecs;
	struct gs_ring_issue issues[16];
	size_t nissues;
	uint64_t torn;       /* granules that looked like record headers but failed */
	uint64_t repeats;    /* records that were cross-process repeats          */
	uint64_t repeats_alone; /* of which their original was overwritten      */
	/* the lanes scanned: from the header, or guessed when it is damaged */
	struct gs_ring_lane lanes[GOSHIM_RING_LANES_MAX];
	unsigned nlanes;
	/* zstd dictionaries the reader knows, by id (set before gs_ring_load);
	 * NULL: the one built into goshim (common/dict.h) */
	const void *(*dict_lookup)(uint32_t dict_id, size_t *len);
};

/* Open and scan a ring file.  Returns 0 when the file was readable at all
 * (look at r->issues for damage: records found are still in r->recs), or
 * -errno when it could not be opened or read: -EINVAL when path is not a
 * regular file (a FIFO, a device: opened without blocking, never read).
 * At most GS_RING_FILE_MAX bytes are read.  A file that is plainly
 * not a ring (GS_RP_FOREIGN with no valid record) also returns 0 with that
 * issue recorded; the caller decides the exit status. */
int gs_ring_load(struct gs_ring_reader *r, const char *path);

/* Same, from a file opened with gs_ring_file_open (ring_file.h), st its
 * fstat: the caller can look at the file (its owner) before reading it.
 * The file is mapped read-only and scanned under gs_ring_file_guard, each
 * record's bytes copied out as they are checked: a ring its owner
 * truncates during the scan is read again with pread, short (reported as
 * truncated), and one truncated after it loses nothing; it never kills
 * the reader.  Nothing stays mapped.  fd stays the caller's. */
struct stat;
int gs_ring_load_fd(struct gs_ring_reader *r, int fd, const struct stat *st);

/* Same, from a buffer the caller owns and keeps alive (used by the fuzzer). */
int gs_ring_load_mem(struct gs_ring_reader *r, const uint8_t *buf, size_t len);

/* Records lost: committed per the header minus records found (0 if the
 * header is not trustworthy). */
uint64_t gs_ring_lost(const struct gs_ring_reader *r);

/* The same for lane i alone (0 for a lane the ring does not have). */
uint64_t gs_ring_lane_lost(const struct gs_ring_reader *r, unsigned i);

/* The name of lane i of a version 2 ring: "routine", "process", "vital",
 * else "lane N" (buf, at least 16 bytes). */
const char *gs_ring_lane_name(unsigned i, char *buf, size_t size);

/* "routine 486, process 0, vital 0": the records lost in each lane, into
 * buf; "" for a ring of one lane.  Returns buf. */
char *gs_ring_lost_lanes(const struct gs_ring_reader *r, char *buf, size_t size);

void gs_ring_unload(struct gs_ring_reader *r);

#endif
