/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshim ring file, format version 2 — the on-disk contract between the
 * capture engines (libgoshim.so, the trace engine in goshimctl) and every
 * reader (goshimctl decode/report).  docs/ring-format.md says the same in
 * prose; where they disagree, this header wins.
 *
 * A ring file is one header page followed by a data area:
 *
 *   offset 0                 struct goshim_ring_hdr      (GOSHIM_RING_HDR_SIZE)
 *   offset GOSHIM_RING_HDR_SIZE   data area, data_size bytes (a power of two)
 *
 * All integers are little-endian (the only byte order goshim writes; a reader
 * on a big-endian host must swap).  The file is mapped MAP_SHARED by every
 * process and thread that writes to it.  Writers never take a lock:
 *
 *   1. reserve: pos = atomic_fetch_add(&hdr->head, span), where span is the
 *      record length rounded up to GOSHIM_RING_GRANULE.  pos is an absolute,
 *      ever-growing byte position; the record lives at data[pos % data_size]
 *      and may wrap around the end of the data area (it is then written, and
 *      read, in two pieces).
 *   2. write: commit := 0, then every other header field and the payload.
 *   3. commit: store-release commit := GOSHIM_REC_COMMIT.
 *
 * Reserving overwrites the oldest bytes; nothing else is ever cleaned up.
 *
 * Lanes (version 2).  The data area is cut into up to GOSHIM_RING_LANES_MAX
 * consecutive lanes, listed in the header (`nlanes`, `lane_granules`); each
 * lane is a ring of its own, with its own head counter and its own position
 * space: a record of lane L reserved at position p lives at
 * data[base(L) + p % size(L)], wraps within its lane, and only ever
 * overwrites records of its lane.  A writer routes a record by its type
 * (goshim_lane_of): failed calls, the bulk, go to the routine lane; process
 * records to the process lane; exits and engine notes, which a diagnosis
 * stands on and which are few, to the vital lane.  Routine noise can
 * therefore never overwrite a process record, a note or an exit.  A version
 * 1 ring is read (and written) as a ring of one lane, the whole data area.
 *
 * A reader accepts a record at position p only if commit == GOSHIM_REC_COMMIT,
 * rec.pos == p, the length is sane and the CRC matches.  Everything else —
 * a record overwritten by a later lap, a writer killed between reserve and
 * commit, random bytes — fails one of those checks.  After a bad granule the
 * reader moves on one granule at a time until it finds a valid header again,
 * so a torn or corrupt record costs only itself.
 *
 * Repeats across processes.  A failed call that another process already
 * recorded whole (same repeat key, common/repeat.h) while that record is in
 * the newer half of the routine lane is written as a short EVENT naming it
 * (GOSHIM_T_REPEAT_OF, goshim/record.h): identity, call, errno, path.
 * Readers expand it from the original, or read it alone once the original
 * was overwritten.  Preloaded writers find originals through the shared
 * index in the header page (repeat_index); docs/ring-format.md, REPEATS
 * ACROSS PROCESSES.
 *
 * Which records were lost is derived, not stored: the header counts what
 * writers committed, dropped and aggregated; a reader that decodes fewer
 * records than were committed knows the rest were overwritten or torn.
 */
#ifndef GOSHIM_RING_H
#define GOSHIM_RING_H

#include <stdint.h>

#define GOSHIM_RING_MAGIC     "GOSHIMRG"  /* 8 bytes, no NUL stored */
#define GOSHIM_RING_VERSION   2u  /* readers also read version 1         */
#define GOSHIM_RING_ENDIAN    0x01020304u /* reads 0x04030201 on a swapped host */
#define GOSHIM_RING_HDR_SIZE  4096u
#define GOSHIM_RING_GRANULE   64u         /* records start on a granule */

#define GOSHIM_RING_MIN_DATA  (64u * 1024u)            /* 64 KiB */
#define GOSHIM_RING_MAX_DATA  (1024ull * 1024 * 1024)  /* 1 GiB */
#define GOSHIM_RING_DEF_DATA  (4u * 1024u * 1024u)     /* 4 MiB */

/* Largest record (header + stored payload) a writer may reserve.  A writer
 * whose record would be larger truncates what it can (backtrace, argv) and
 * otherwise drops it, counting it in hdr->dropped. */
#define GOSHIM_REC_MAX        (16u * 1024u)
/* Largest decoded payload; a reader refuses raw_len beyond it. */
#define GOSHIM_REC_RAW_MAX    (64u * 1024u)

/* Lanes: at most this many (the header has room for 12). */
#define GOSHIM_RING_LANES_MAX_ 12
#define GOSHIM_RING_LANES_MAX  12u

/* The lanes a version-2 writer creates, and which records go where.  A
 * record whose lane the ring does not have (a v1 ring has only lane 0) goes
 * to lane 0. */
enum goshim_lane {
	GOSHIM_LANE_ROUTINE = 0, /* failed calls (GOSHIM_REC_EVENT), unknown types */
	GOSHIM_LANE_PROCESS = 1, /* GOSHIM_REC_PROCESS                            */
	GOSHIM_LANE_VITAL   = 2, /* GOSHIM_REC_EXIT, GOSHIM_REC_NOTE               */
	GOSHIM_LANES_DEFAULT = 3,
};

/* Shares of a new ring's data area, in 64ths: routine 44 (11/16), process 16
 * (1/4), vital 4 (1/16); a lane is never smaller than GOSHIM_REC_MAX (the
 * routine lane gives way).  Stored in the header: readers take the sizes
 * from there, never from these numbers. */
#define GOSHIM_LANE_SHARE_PROCESS 16u
#define GOSHIM_LANE_SHARE_VITAL   4u

/* The shared repeat index: GOSHIM_REPEAT_SLOTS words, each 0 (empty) or
 *   (the high 40 bits of a repeat key, low bit forced to 1) << 24
 *   | (routine-lane position / GOSHIM_RING_GRANULE) mod 2^24
 * naming the record written whole for that key.  2^24 granules are 1 GiB,
 * the largest lane, so with the lane's head the position is exact: a
 * writer trusts a slot only for a record in the newer half of the lane.
 * Words are claimed and replaced with one compare-and-swap (or one
 * atomic store): a writer killed at any point leaves a valid word. */
#define GOSHIM_REPEAT_SLOTS 256
#define GOSHIM_REPEAT_SLOT(key, pos) \
	((((uint64_t)(key) >> 24) | 1u) << 24 | (((pos) / GOSHIM_RING_GRANULE) & 0xffffffu))
#define GOSHIM_REPEAT_SLOT_KEY(w)  ((uint64_t)(w) >> 24)
#define GOSHIM_REPEAT_SLOT_GIDX(w) ((uint32_t)((w) & 0xffffffu))

/* Header page.  Fields above `head` are written once by the creator before
 * the file is published (see ring creation in docs/ring-format.md) and never
 * change.  The counters each own a cache line. */
struct goshim_ring_hdr {
	char     magic[8];        /*   0: GOSHIM_RING_MAGIC                    */
	uint32_t version;         /*   8: GOSHIM_RING_VERSION                  */
	uint32_t endian;          /*  12: GOSHIM_RING_ENDIAN                   */
	uint32_t hdr_size;        /*  16: GOSHIM_RING_HDR_SIZE                 */
	uint32_t granule;         /*  20: GOSHIM_RING_GRANULE                  */
	uint64_t data_size;       /*  24: data area bytes, power of two        */
	uint64_t created_ns;      /*  32: CLOCK_REALTIME at creation, ns       */
	uint32_t dict_id;         /*  40: zstd dictionary id for codec DICT    */
	uint32_t creator_pid;     /*  44                                       */
	uint32_t creator_uid;     /*  48                                       */
	uint32_t flags;           /*  52: 0                                    */
	char     machine[16];     /*  56: uname -m of the creator, NUL-padded  */
	char     node[64];        /*  72: uname -n of the creator              */
	char     release[64];     /* 136: uname -r of the creator              */
	uint32_t hdr_crc;         /* 200: v1: crc32c of bytes [0, 200); v2:    */
				  /*      of [0, 200) then [204, 256)          */
	/* v2 (zero in v1): the lanes, in data-area order, sizes in granules;
	 * lane 0 starts at offset 0, each next one where the previous ends,
	 * and the sizes add up to data_size. */
	uint32_t nlanes;          /* 204: 1..GOSHIM_RING_LANES_MAX             */
	uint32_t lane_granules[GOSHIM_RING_LANES_MAX_]; /* 208..256             */
	/* shared, atomically updated counters (offsets are part of the ABI)   */
	uint64_t head;            /* 256: lane 0's next position to reserve    */
	uint8_t  _pad1[56];
	uint64_t committed;       /* 320: records committed, all lanes         */
	uint8_t  _pad2[56];
	uint64_t dropped;         /* 384: records a writer gave up on          */
	uint8_t  _pad3[56];
	uint64_t aggregated;      /* 448: repeats folded into an existing rec  */
	uint8_t  _pad4[56];
	uint64_t writers;         /* 512: processes that attached as writers   */
	uint8_t  _pad5[56];
	/* v2: lanes 1.. (lane 0 is `head` above; its committed count is
	 * `committed` minus the other lanes') */
	struct goshim_ring_lane_ctr {
		uint64_t head;      /* next position to reserve in the lane    */
		uint8_t  _pad6[56];
		uint64_t committed; /* records committed into the lane         */
		uint8_t  _pad7[56];
	} lane[GOSHIM_RING_LANES_MAX_ - 1]; /* 576, 128 bytes each             */
	/* Cross-process repeats (zero in rings of older writers, which never
	 * touch them): repeat records written, and the shared index that
	 * lets a writer find another process's record of the same failure
	 * (GOSHIM_REPEAT_SLOT_*; readers ignore it). */
	uint64_t repeats;         /* 1984: repeat records written (REPEAT_OF) */
	uint8_t  _pad8[56];
	uint64_t repeat_index[GOSHIM_REPEAT_SLOTS]; /* 2048..4096               */
};

/* Record header, at the start of every record (40 bytes, 8-aligned).
 * `agg` and `commit` are outside the CRC: `agg` changes after commit. */
struct goshim_rec_hdr {
	uint64_t agg;     /*  0: (granule index of pos, low 32 bits) << 32 | count */
	uint32_t commit;  /*  8: GOSHIM_REC_COMMIT once complete, else anything   */
	uint32_t crc;     /* 12: crc32c of bytes [16, len) of the record          */
	uint64_t pos;     /* 16: absolute position this record was reserved at    */
	uint32_t len;     /* 24: header + stored payload, bytes (not padded)      */
	uint16_t codec;   /* 28: enum goshim_codec                                */
	uint16_t type;    /* 30: enum goshim_rec_type                             */
	uint32_t raw_len; /* 32: payload length after decoding                    */
	uint32_t engine;  /* 36: enum goshim_engine                               */
	/* 40: stored payload (len - 40 bytes) */
};

#define GOSHIM_REC_HDR_SIZE 40u
#define GOSHIM_REC_COMMIT   0x43525347u /* "GSRC" */

/* The aggregation word: a writer that sees the same failure again does a
 * compare-and-swap on `agg`, expecting the granule index it wrote; if the
 * record was overwritten in the meantime the CAS fails and it writes a new
 * record instead.  count is how many times the failure happened. */
#define GOSHIM_AGG_MAKE(pos, count) \
	((((uint64_t)((pos) / GOSHIM_RING_GRANULE) & 0xffffffffu) << 32) | (uint32_t)(count))
#define GOSHIM_AGG_KEY(agg)   ((uint32_t)((agg) >> 32))
#define GOSHIM_AGG_COUNT(agg) ((uint32_t)(agg))

enum goshim_codec {
	GOSHIM_CODEC_RAW  = 0, /* payload stored as is                     */
	GOSHIM_CODEC_ZSTD = 1, /* one zstd frame, no dictionary             */
	GOSHIM_CODEC_DICT = 2, /* one zstd frame, dictionary hdr->dict_id  */
};

enum goshim_rec_type {
	GOSHIM_REC_EVENT   = 1, /* a failed call                              */
	GOSHIM_REC_PROCESS = 2, /* once per process: identity and environment */
	GOSHIM_REC_EXIT    = 3, /* a process ended (status as wait(2) gives)  */
	GOSHIM_REC_NOTE    = 4, /* an engine's own warning                    */
};

enum goshim_engine {
	GOSHIM_ENGINE_PRELOAD = 1, /* libgoshim.so, in-process libc wrappers */
	GOSHIM_ENGINE_TRACE   = 2, /* goshimctl's seccomp-bpf + ptrace engine */
};

/* The lane a writer puts a record of `type` in (before falling back to
 * lane 0 on a ring with fewer lanes). */
static inline unsigned goshim_lane_of(unsigned type)
{
	static const unsigned char lane[] = {
		[GOSHIM_REC_EVENT] = GOSHIM_LANE_ROUTINE,
		[GOSHIM_REC_PROCESS] = GOSHIM_LANE_PROCESS,
		[GOSHIM_REC_EXIT] = GOSHIM_LANE_VITAL,
		[GOSHIM_REC_NOTE] = GOSHIM_LANE_VITAL,
	};

	return type < sizeof(lane) ? lane[type] : GOSHIM_LANE_ROUTINE;
}

_Static_assert(sizeof(struct goshim_ring_hdr) == GOSHIM_RING_HDR_SIZE, "ring header size");
_Static_assert(sizeof(struct goshim_rec_hdr) == GOSHIM_REC_HDR_SIZE, "record header size");

#endif /* GOSHIM_RING_H */
