/* SPDX-License-Identifier: Apache-2.0 */
#include "ring_write.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "crc32c.h"
#include "ring_hdr.h"
#include "sys.h"

#define RW_TRIES     16      /* attempts to open-or-create before giving up */
#define RW_PATH_MAX  4096

static int rw_is_err(long v)
{
	return (unsigned long)v > -4096ul;
}

static void rw_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--) {
		*d++ = *s++;
	}
}

static uint64_t rw_clock(int clk)
{
	struct timespec ts = { 0, 0 };

	gs_sys2(SYS_clock_gettime, clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rw_round_size(uint64_t want)
{
	uint64_t s = GOSHIM_RING_MIN_DATA;

	while (s < want && s < GOSHIM_RING_MAX_DATA) {
		s <<= 1;
	}
	return s;
}

/* Append "." and v in hex to buf at *n; 0, or -1 when it does not fit. */
static int rw_put_hex(char *buf, size_t *n, uint64_t v)
{
	char tmp[17];
	int k = 0;

	do {
		tmp[k++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	if (*n + 1 + (size_t)k + 1 > RW_PATH_MAX) {
		return -1;
	}
	buf[(*n)++] = '.';
	while (k) {
		buf[(*n)++] = tmp[--k];
	}
	buf[*n] = 0;
	return 0;
}

/* path + ".tmp.<pid>.<tid>.<counter>.<monotonic ns>": unique among
 * concurrent creators without rand(); O_EXCL catches the rest. */
static int rw_tmp_name(char *buf, const char *path)
{
	static uint64_t counter;
	const char sfx[] = ".tmp";
	size_t n = 0;

	while (path[n]) {
		if (n + sizeof(sfx) >= RW_PATH_MAX) {
			return -ENAMETOOLONG;
		}
		buf[n] = path[n];
		n++;
	}
	rw_copy(buf + n, sfx, sizeof(sfx));
	n += sizeof(sfx) - 1;
	if (rw_put_hex(buf, &n, (uint64_t)gs_sys0(SYS_getpid)) ||
	    rw_put_hex(buf, &n, (uint64_t)gs_sys0(SYS_gettid)) ||
	    rw_put_hex(buf, &n, __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED)) ||
	    rw_put_hex(buf, &n, rw_clock(CLOCK_MONOTONIC))) {
		return -ENAMETOOLONG;
	}
	return 0;
}

static void rw_fill_hdr(struct goshim_ring_hdr *h, uint64_t size, uint32_t dict_id)
{
	struct utsname u;

	rw_copy(h->magic, GOSHIM_RING_MAGIC, 8);
	h->version = GOSHIM_RING_VERSION;
	h->endian = GOSHIM_RING_ENDIAN;
	h->hdr_size = GOSHIM_RING_HDR_SIZE;
	h->granule = GOSHIM_RING_GRANULE;
	h->data_size = size;
	h->created_ns = rw_clock(CLOCK_REALTIME);
	h->dict_id = dict_id;
	h->creator_pid = (uint32_t)gs_sys0(SYS_getpid);
	h->creator_uid = (uint32_t)gs_sys0(SYS_geteuid);
	h->flags = 0;
	gs_ring_lanes_default(h, size);
	if (gs_sys1(SYS_uname, &u) == 0) {
		/* the fields are zero (a new file): copy leaving a NUL at the end */
		for (size_t i = 0; i < sizeof(h->machine) - 1 && u.machine[i]; i++) {
			h->machine[i] = u.machine[i];
		}
		for (size_t i = 0; i < sizeof(h->node) - 1 && u.nodename[i]; i++) {
			h->node[i] = u.nodename[i];
		}
		for (size_t i = 0; i < sizeof(h->release) - 1 && u.release[i]; i++) {
			h->release[i] = u.release[i];
		}
	}
	h->hdr_crc = gs_ring_hdr_crc(h);
}

static int rw_map(struct gs_ring *r, int fd, uint64_t size)
{
	size_t len = GOSHIM_RING_HDR_SIZE + size;
	long p = gs_sys6(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (rw_is_err(p)) {
		return (int)p;
	}
	r->hdr = (struct goshim_ring_hdr *)p;
	r->data = (uint8_t *)p + GOSHIM_RING_HDR_SIZE;
	r->size = size;
	r->map_len = len;
	return 0;
}

#define RW_ZEROS (1u << 16)

/* Write zeros over [0, len) of fd: the blocks a store into the mapping
 * would otherwise have to find on a full filesystem.  The zeros are a
 * read-only anonymous mapping made for the occasion (the kernel's zero
 * page), not a buffer every process that loads the writer would carry. */
static int rw_zero_fill(long fd, uint64_t len)
{
	long zeros = gs_sys6(SYS_mmap, 0, RW_ZEROS, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t off = 0;
	int rc = 0;

	if ((unsigned long)zeros > -4096ul) {
		return (int)zeros;
	}
	while (off < len) {
		uint64_t n = len - off < RW_ZEROS ? len - off : RW_ZEROS;
		long w = gs_sys4(SYS_pwrite64, fd, zeros, (long)n, (long)off);

		if (w == -EINTR) {
			continue;
		}
		if (w <= 0) {
			rc = w < 0 ? (int)w : -ENOSPC;
			break;
		}
		off += (uint64_t)w;
	}
	gs_sys2(SYS_munmap, zeros, RW_ZEROS);
	return rc;
}

/* Give [0, len) of fd its blocks now, so that no store into a MAP_SHARED
 * mapping of it can ever fault for want of space (SIGBUS).  fallocate;
 * where the filesystem has none, zeros written (only on a file nobody
 * else has seen: zero_ok).  0, or -errno (-ENOSPC: the filesystem is
 * full). */
static int rw_back(long fd, uint64_t len, int zero_ok)
{
	long rc;

	do {
		rc = gs_sys4(SYS_fallocate, fd, 0, 0, (long)len);
	} while (rc == -EINTR);
	if (rc == -EOPNOTSUPP && zero_ok) {
		return rw_zero_fill(fd, len);
	}
	if (rc == -EOPNOTSUPP) {
		return 0; /* an existing ring on such a filesystem: as it is */
	}
	return (int)rc;
}

/* Build a complete ring under a temporary name and publish it at path.
 * 0: r is attached to the new ring; -EEXIST: somebody else's is there.
 * A ring whose blocks cannot all be reserved is never published. */
static int rw_create(struct gs_ring *r, const char *path, uint64_t size,
		     unsigned mode, uint32_t dict_id)
{
	char tmp[RW_PATH_MAX];
	long fd;
	int ret;

	do {
		ret = rw_tmp_name(tmp, path);
		if (ret) {
			return ret;
		}
		fd = gs_sys4(SYS_openat, AT_FDCWD, tmp,
			     O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	} while (fd == -EEXIST);
	if (fd < 0) {
		return (int)fd;
	}
	ret = (int)gs_sys2(SYS_fchmod, fd, mode);
	if (!ret) {
		ret = rw_back(fd, GOSHIM_RING_HDR_SIZE + size, 1);
	}
	if (!ret) {
		ret = rw_map(r, (int)fd, size);
	}
	gs_sys1(SYS_close, fd);
	if (!ret) {
		rw_fill_hdr(r->hdr, size, dict_id);
		ret = (int)gs_sys5(SYS_linkat, AT_FDCWD, tmp, AT_FDCWD, path, 0);
		if (ret) {
			gs_ring_detach(r);
		}
	}
	gs_sys3(SYS_unlinkat, AT_FDCWD, tmp, 0);
	return ret;
}

/* Attach to the ring at path if it is one we may write to.  -ENOENT: there
 * is none (create it). */
static int rw_open(struct gs_ring *r, const char *path)
{
	struct goshim_ring_hdr h;
	struct stat st;
	long fd = gs_sys4(SYS_openat, AT_FDCWD, path,
			  O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	int ret;

	if (fd < 0) {
		return (int)fd;
	}
	ret = (int)gs_sys2(SYS_fstat, fd, &st);
	if (!ret && !S_ISREG(st.st_mode)) {
		ret = -EPROTO;
	}
	/* A second link is either a creator between its linkat and the unlink
	 * of its temporary name (a moment: -EBUSY, try again) or a hard link
	 * planted by somebody else (still there after the retries: refused). */
	if (!ret && st.st_nlink != 1) {
		ret = -EBUSY;
	}
	/* Only a ring no other uid can write or truncate: a store into a
	 * page another user cut off would kill this writer with SIGBUS. */
	if (!ret && st.st_uid != (uid_t)gs_sys0(SYS_geteuid)) {
		ret = -EPERM;
	}
	if (!ret && (st.st_mode & GS_RING_MODE_BAD)) {
		ret = -EACCES;
	}
	if (!ret && gs_sys4(SYS_pread64, fd, &h, sizeof(h), 0) != (long)sizeof(h)) {
		ret = -EPROTO;
	}
	if (!ret && (gs_ring_hdr_check(&h) != GS_RP_NONE ||
		     (uint64_t)st.st_size != GOSHIM_RING_HDR_SIZE + h.data_size)) {
		ret = -EPROTO;
	}
	/* A ring made sparse (by an older goshim, or copied): its blocks now,
	 * or not at all. */
	if (!ret && (uint64_t)st.st_blocks * 512 < (uint64_t)st.st_size) {
		ret = rw_back(fd, (uint64_t)st.st_size, 0);
	}
	if (!ret) {
		ret = rw_map(r, (int)fd, h.data_size);
	}
	gs_sys1(SYS_close, fd);
	return ret;
}

int gs_ring_attach(struct gs_ring *r, const char *path, uint64_t data_size,
		   unsigned mode, uint32_t dict_id)
{
	uint64_t size = rw_round_size(data_size);
	int ret = -ENOENT;

	r->hdr = NULL;
	r->data = NULL;
	r->size = 0;
	r->map_len = 0;
	mode = GS_RING_MODE_OWNER | (mode & GS_RING_MODE_OK);
	for (int i = 0; i < RW_TRIES; i++) {
		ret = rw_open(r, path);
		if (ret == -ENOENT) {
			ret = rw_create(r, path, size, mode, dict_id);
		}
		if (ret == -EBUSY) {
			struct timespec pause = { 0, 1000000 }; /* 1 ms */
			gs_sys2(SYS_nanosleep, &pause, NULL);
			continue;
		}
		if (ret != -EEXIST && ret != -ENOENT) {
			break;
		}
	}
	if (ret == -EEXIST) {
		ret = -EAGAIN;
	}
	if (ret == -EBUSY) {
		ret = -EPROTO; /* more than one link, for good */
	}
	if (!ret) {
		__atomic_fetch_add(&r->hdr->writers, 1, __ATOMIC_RELAXED);
	}
	return ret;
}

void gs_ring_detach(struct gs_ring *r)
{
	if (r->hdr) {
		gs_sys2(SYS_munmap, r->hdr, r->map_len);
	}
	r->hdr = NULL;
	r->data = NULL;
	r->size = 0;
	r->map_len = 0;
}

/* Lane `want` of the ring, or lane 0 when the ring has no such lane (a
 * version 1 ring has only lane 0); its geometry comes from the header but
 * is checked against our own copy of data_size (gs_ring_lanes). */
static unsigned rw_lane(const struct gs_ring *r, unsigned want, struct gs_lane *l)
{
	struct gs_lane all[GOSHIM_RING_LANES_MAX];
	unsigned n = gs_ring_lanes(r->hdr, r->size, all);
	unsigned i = want < n ? want : 0;

	*l = all[i];
	return i;
}

/* Copy n bytes into lane l at lane offset off, wrapping at the lane's end. */
static void rw_put(struct gs_ring *r, const struct gs_lane *l, uint64_t off,
		   const void *src, size_t n)
{
	size_t first = l->size - off < n ? (size_t)(l->size - off) : n;

	rw_copy(r->data + l->base + off, src, first);
	rw_copy(r->data + l->base, (const uint8_t *)src + first, n - first);
}

int64_t gs_ring_write(struct gs_ring *r, uint16_t type, uint16_t codec,
		      uint32_t engine, const void *payload, uint32_t len,
		      uint32_t raw_len)
{
	struct goshim_ring_hdr *h = r->hdr;
	struct gs_lane l;

	if (!h) {
		return -1;
	}
	if (len > GOSHIM_REC_MAX - GOSHIM_REC_HDR_SIZE) {
		__atomic_fetch_add(&h->dropped, 1, __ATOMIC_RELAXED);
		return -1;
	}
	unsigned lane = rw_lane(r, goshim_lane_of(type), &l);
	uint32_t total = GOSHIM_REC_HDR_SIZE + len;
	uint64_t span = (total + GOSHIM_RING_GRANULE - 1) & ~(uint64_t)(GOSHIM_RING_GRANULE - 1);
	uint64_t pos = __atomic_fetch_add(gs_ring_lane_head(h, lane), span, __ATOMIC_RELAXED);
	uint64_t off = pos % l.size;
	struct goshim_rec_hdr *rec = (struct goshim_rec_hdr *)(r->data + l.base + off);

	struct goshim_rec_hdr lh = {
		.pos = pos, .len = total, .codec = codec, .type = type,
		.raw_len = raw_len, .engine = engine,
	};

	/* the header is contiguous: off is a granule, the lane a multiple */
	__atomic_store_n(&rec->commit, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rec->pos = pos;
	rec->len = total;
	rec->codec = codec;
	rec->type = type;
	rec->raw_len = raw_len;
	rec->engine = engine;
	rw_put(r, &l, (off + GOSHIM_REC_HDR_SIZE) % l.size, payload, len);
	rec->crc = gs_crc32c(gs_crc32c(0, &lh.pos, GOSHIM_REC_HDR_SIZE - 16), payload, len);
	rec->agg = GOSHIM_AGG_MAKE(pos, 1);
	__atomic_store_n(&rec->commit, GOSHIM_REC_COMMIT, __ATOMIC_RELEASE);
	if (lane) {
		__atomic_fetch_add(gs_ring_lane_committed(h, lane), 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&h->committed, 1, __ATOMIC_RELAXED);
	return (int64_t)pos;
}

/* The routine-lane record at pos, or NULL. */
static struct goshim_rec_hdr *rw_agg_rec(const struct gs_ring *r, uint64_t pos)
{
	struct gs_lane l;

	if (!r->hdr) {
		return NULL;
	}
	rw_lane(r, GOSHIM_LANE_ROUTINE, &l);
	return (struct goshim_rec_hdr *)(r->data + l.base + pos % l.size);
}

/* rec, whose aggregation word is old, is still the record written at
 * pos and can count n more. */
static int rw_agg_ok(struct goshim_rec_hdr *rec, uint64_t old, uint64_t pos, uint64_t n)
{
	return GOSHIM_AGG_KEY(old) == GOSHIM_AGG_KEY(GOSHIM_AGG_MAKE(pos, 0)) &&
	       n <= (uint64_t)UINT32_MAX - GOSHIM_AGG_COUNT(old) &&
	       __atomic_load_n(&rec->commit, __ATOMIC_ACQUIRE) == GOSHIM_REC_COMMIT &&
	       __atomic_load_n(&rec->pos, __ATOMIC_RELAXED) == pos;
}

int gs_ring_agg_live(const struct gs_ring *r, uint64_t pos)
{
	struct goshim_rec_hdr *rec = rw_agg_rec(r, pos);

	return rec && rw_agg_ok(rec, __atomic_load_n(&rec->agg, __ATOMIC_ACQUIRE), pos, 1);
}

int gs_ring_agg_add(struct gs_ring *r, uint64_t pos, uint64_t n)
{
	struct goshim_rec_hdr *rec = rw_agg_rec(r, pos);

	if (!rec) {
		return -1;
	}
	uint64_t old = __atomic_load_n(&rec->agg, __ATOMIC_ACQUIRE);

	for (;;) {
		if (!rw_agg_ok(rec, old, pos, n)) {
			return -1;
		}
		if (__atomic_compare_exchange_n(&rec->agg, &old, old + n, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			break;
		}
	}
	__atomic_fetch_add(&r->hdr->aggregated, n, __ATOMIC_RELAXED);
	return 0;
}

int gs_ring_agg_bump(struct gs_ring *r, uint64_t pos)
{
	return gs_ring_agg_add(r, pos, 1);
}

/* Whether the record of lane l reserved at pos is still there whole: its
 * commit word, its position and its CRC.  A writer lapped while it filled
 * an older record writes over newer ones of the window, at any offset:
 * only the CRC tells a record it cut into. */
static int rw_whole(const struct gs_ring *r, const struct gs_lane *l, uint64_t pos)
{
	uint64_t off = pos % l->size;
	const struct goshim_rec_hdr *rec = (const struct goshim_rec_hdr *)(r->data + l->base + off);
	struct goshim_rec_hdr h;

	if (__atomic_load_n(&rec->commit, __ATOMIC_ACQUIRE) != GOSHIM_REC_COMMIT) {
		return 0;
	}
	rw_copy(&h, rec, sizeof(h));
	if (h.pos != pos || h.len < GOSHIM_REC_HDR_SIZE || h.len > GOSHIM_REC_MAX) {
		return 0;
	}
	uint64_t at = (off + GOSHIM_REC_HDR_SIZE) % l->size;
	size_t n = h.len - GOSHIM_REC_HDR_SIZE;
	size_t first = l->size - at < n ? (size_t)(l->size - at) : n;
	uint32_t crc = gs_crc32c(0, &h.pos, GOSHIM_REC_HDR_SIZE - 16);

	crc = gs_crc32c(crc, r->data + l->base + at, first);
	crc = gs_crc32c(crc, r->data + l->base, n - first);
	return crc == h.crc;
}

int gs_ring_recent(const struct gs_ring *r, uint64_t pos)
{
	struct gs_lane l;

	if (!r->hdr) {
		return 0;
	}
	unsigned lane = rw_lane(r, GOSHIM_LANE_ROUTINE, &l);
	uint64_t head = __atomic_load_n(gs_ring_lane_head(r->hdr, lane), __ATOMIC_RELAXED);

	return pos <= head && head - pos <= l.size / 2 && pos % GOSHIM_RING_GRANULE == 0 &&
	       rw_whole(r, &l, pos);
}

#define RW_REPEAT_PROBES 8u

int gs_ring_repeat_find(struct gs_ring *r, uint64_t key, uint64_t *pos)
{
	uint64_t want = GOSHIM_REPEAT_SLOT_KEY(GOSHIM_REPEAT_SLOT(key, 0));
	unsigned i = (unsigned)(key % GOSHIM_REPEAT_SLOTS);
	struct gs_lane l;

	if (!r->hdr) {
		return -1;
	}
	unsigned lane = rw_lane(r, GOSHIM_LANE_ROUTINE, &l);
	uint64_t hg = __atomic_load_n(gs_ring_lane_head(r->hdr, lane), __ATOMIC_RELAXED) /
		      GOSHIM_RING_GRANULE;

	for (unsigned n = 0; n < RW_REPEAT_PROBES; n++, i = (i + 1) % GOSHIM_REPEAT_SLOTS) {
		uint64_t w = __atomic_load_n(&r->hdr->repeat_index[i], __ATOMIC_ACQUIRE);
		if (!w) {
			return -1;
		}
		if (GOSHIM_REPEAT_SLOT_KEY(w) != want) {
			continue;
		}
		/* the newest position with those low 24 bits, at or behind head */
		uint64_t back = (hg - GOSHIM_REPEAT_SLOT_GIDX(w)) & 0xffffffu;
		if (back > hg) {
			return -1;
		}
		*pos = (hg - back) * GOSHIM_RING_GRANULE;
		return gs_ring_recent(r, *pos) ? 0 : -1;
	}
	return -1;
}

void gs_ring_repeat_store(struct gs_ring *r, uint64_t key, uint64_t pos)
{
	uint64_t nw = GOSHIM_REPEAT_SLOT(key, pos);
	unsigned home = (unsigned)(key % GOSHIM_REPEAT_SLOTS), i = home;

	if (!r->hdr) {
		return;
	}
	for (unsigned n = 0; n < RW_REPEAT_PROBES; n++, i = (i + 1) % GOSHIM_REPEAT_SLOTS) {
		uint64_t w = __atomic_load_n(&r->hdr->repeat_index[i], __ATOMIC_RELAXED);
		if (w && GOSHIM_REPEAT_SLOT_KEY(w) != GOSHIM_REPEAT_SLOT_KEY(nw)) {
			continue;
		}
		if (__atomic_compare_exchange_n(&r->hdr->repeat_index[i], &w, nw, 0,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
			return;
		}
	}
	__atomic_store_n(&r->hdr->repeat_index[home], nw, __ATOMIC_RELEASE);
}

void gs_ring_count_repeat(struct gs_ring *r)
{
	if (r->hdr) {
		__atomic_fetch_add(&r->hdr->repeats, 1, __ATOMIC_RELAXED);
	}
}

void gs_ring_count_drop(struct gs_ring *r)
{
	if (r->hdr) {
		__atomic_fetch_add(&r->hdr->dropped, 1, __ATOMIC_RELAXED);
	}
}
