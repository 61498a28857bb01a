/* SPDX-License-Identifier: Apache-2.0 */
/* Go frames named at capture time from the binary's .gopclntab: `go test`
 * links its binaries with -s -w and deletes them when it ends, so the
 * decoder, later and elsewhere, could not name them. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goshim/record.h"
#include "gopclntab.h"
#include "tr.h"
#include "tr_bt.h"

#define GSY_CACHE  64
#define GSY_INLINE 16   /* logical frames per physical frame, at most */

struct gsy_ent {
	uint64_t dev, ino;      /* ino 0: free slot                */
	uint64_t path;          /* hash of the path (inodes of deleted
				 * go-build binaries are reused)   */
	struct gs_gopcln *t;    /* NULL: not Go, or unreadable     */
};

static struct gsy_ent gsy_cache[GSY_CACHE];
static unsigned gsy_next;

/* fd of the mapped file, checked to be inode ino: its map_files entry
 * (O_PATH, then reopened with pid's credentials, a regular file only),
 * else path inside pid's root. */
static int gsy_open(pid_t pid, uint64_t ino, uint64_t start, uint64_t end, const char *path)
{
	char p[64];
	struct stat st;
	int fd, pfd;

	snprintf(p, sizeof(p), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)start, (unsigned long long)end);
	pfd = open(p, O_PATH | O_CLOEXEC);
	fd = pfd >= 0 ? tr_file_reopen(pid, pfd) : -1;
	if (pfd >= 0) {
		close(pfd);
	}
	if (fd < 0 && pfd < 0 && path[0] == '/') {
		fd = tr_root_open(pid, path, O_RDONLY);
	}
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_ino != ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The tables naming inlined calls from a process's memory until
 * tr_gosym_release, and where they read. */
struct gsy_reader {
	struct gs_gopcln *t;
	pid_t pid;
	uint64_t bias;
};

static struct gsy_reader gsy_readers[GSY_CACHE];
static unsigned gsy_nreaders;

static int gsy_read(void *ctx, uint64_t va, void *buf, size_t len)
{
	const struct gsy_reader *r = ctx;

	return tr_mem_read(r->pid, va + r->bias, buf, len) == (ssize_t)len ? 0 : -1;
}

void tr_gosym_inline(const struct gs_gopcln *g, pid_t pid, uint64_t bias)
{
	for (unsigned i = 0; i < gsy_nreaders; i++) {
		if (gsy_readers[i].t == g) {
			return;
		}
	}
	for (unsigned i = 0; i < GSY_CACHE; i++) {
		if (gsy_cache[i].t == g && gsy_nreaders < GSY_CACHE) {
			struct gsy_reader *r = &gsy_readers[gsy_nreaders++];

			*r = (struct gsy_reader){ gsy_cache[i].t, pid, bias };
			gs_gopcln_set_reader(r->t, gsy_read, r);
			return;
		}
	}
}

void tr_gosym_release(void)
{
	while (gsy_nreaders) {
		gs_gopcln_set_reader(gsy_readers[--gsy_nreaders].t, NULL, NULL);
	}
}

const struct gs_gopcln *tr_gosym_table(pid_t pid, uint64_t dev, uint64_t ino,
				       uint64_t start, uint64_t end, const char *path)
{
	static const char deleted[] = " (deleted)";
	size_t pl = strlen(path), dl = sizeof(deleted) - 1;
	struct gsy_ent *c;
	uint64_t ph;
	int fd;

	if (!ino) {
		return NULL;
	}
	if (pl >= dl && strcmp(path + pl - dl, deleted) == 0) {
		pl -= dl;
	}
	ph = tr_hash(0, path, pl);
	for (unsigned i = 0; i < GSY_CACHE; i++) {
		if (gsy_cache[i].ino == ino && gsy_cache[i].dev == dev && gsy_cache[i].path == ph) {
			return gsy_cache[i].t;
		}
	}
	c = &gsy_cache[gsy_next++ % GSY_CACHE];
	gs_gopcln_close(c->t);
	*c = (struct gsy_ent){ .dev = dev, .ino = ino, .path = ph };
	fd = gsy_open(pid, ino, start, end, path);
	if (fd >= 0) {
		c->t = gs_gopcln_open_fd(fd, NULL);
		gs_gopcln_detach(c->t); /* the engine keeps no file of the tree open */
		close(fd);
	}
	return c->t;
}

unsigned tr_gosym_put(struct gs_tlv *t, const struct gs_gopcln *g, uint32_t frame,
		      uint64_t vaddr)
{
	struct gs_gopcln_frame fr[GSY_INLINE];
	uint8_t buf[sizeof(struct goshim_t_frame_sym) + GOSHIM_STR_MAX];
	size_t n = vaddr ? gs_gopcln_frames(g, vaddr - 1, fr, GSY_INLINE) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *file = fr[i].file ? fr[i].file : "";
		size_t fl = strlen(fr[i].func), sl = strlen(file);
		struct goshim_t_frame_sym s = { .frame = frame, .line = fr[i].line,
						.inlined = (uint32_t)fr[i].inlined };

		if (fl > GOSHIM_STR_MAX) {
			fl = GOSHIM_STR_MAX;
		}
		if (fl + sl > GOSHIM_STR_MAX) {
			sl = GOSHIM_STR_MAX - fl;
			gs_tlv_mark_truncated(t, GOSHIM_T_FRAME_SYM);
		}
		s.func_len = (uint32_t)fl;
		memcpy(buf, &s, sizeof(s));
		memcpy(buf + sizeof(s), fr[i].func, fl);
		memcpy(buf + sizeof(s) + fl, file, sl);
		gs_tlv_put(t, GOSHIM_T_FRAME_SYM, buf, sizeof(s) + fl + sl);
	}
	return (unsigned)n;
}
