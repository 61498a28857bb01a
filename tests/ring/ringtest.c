/* SPDX-License-Identifier: Apache-2.0 */
#include "ringtest.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include "crc32c.h"
#include "goshim/record.h"
#include "tlv.h"

#define RT_T_SEQ    GOSHIM_T_TIME_MONO
#define RT_T_WRITER GOSHIM_T_PID
#define RT_T_FILL   GOSHIM_T_NOTE
#define RT_T_CHECK  GOSHIM_T_ERRNO

const char *rt_tmpdir(void)
{
	static char dir[64];

	strcpy(dir, "/tmp/gs-ring-test.XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %m");
	return dir;
}

static int rt_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p) < 0 ? 0 : 0;
}

void rt_rmtree(const char *dir)
{
	nftw(dir, rt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

uint64_t rt_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

size_t rt_payload(uint8_t *buf, size_t cap, uint32_t writer, uint64_t seq, size_t filler)
{
	struct gs_tlv t;
	char fill[GOSHIM_STR_MAX + 1];
	uint64_t st = seq * 31 + writer + 1;

	if (filler > GOSHIM_STR_MAX) {
		filler = GOSHIM_STR_MAX;
	}
	for (size_t i = 0; i < filler; i++) {
		fill[i] = (char)('a' + rt_rand(&st) % 26);
	}
	fill[filler] = 0;
	gs_tlv_init(&t, buf, cap);
	gs_tlv_u32(&t, RT_T_WRITER, writer);
	gs_tlv_u64(&t, RT_T_SEQ, seq);
	gs_tlv_str(&t, RT_T_FILL, fill);
	gs_tlv_u32(&t, RT_T_CHECK, gs_crc32c(0, buf, t.len));
	cr_assert(!t.full, "test payload did not fit");
	return t.len;
}

int rt_check(const uint8_t *buf, size_t len, uint32_t *writer, uint64_t *seq)
{
	struct gs_tlv_field f;
	size_t off = 0, before = 0;
	int got = 0;
	uint32_t check;

	while (gs_tlv_next(buf, len, &off, &f) == 1) {
		if (f.tag == RT_T_WRITER && !gs_tlv_get_u32(&f, writer)) {
			got |= 1;
		} else if (f.tag == RT_T_SEQ && !gs_tlv_get_u64(&f, seq)) {
			got |= 2;
		} else if (f.tag == RT_T_CHECK && !gs_tlv_get_u32(&f, &check)) {
			if (off != len || check != gs_crc32c(0, buf, before)) {
				return -1;
			}
			return got == 3 ? 0 : -1;
		}
		before = off;
	}
	return -1;
}

int64_t rt_write_type(struct gs_ring *r, uint16_t type, uint32_t writer, uint64_t seq,
		      size_t filler)
{
	uint8_t raw[GOSHIM_REC_RAW_MAX], z[GOSHIM_REC_MAX];
	size_t n = rt_payload(raw, sizeof(raw), writer, seq, filler);

	if (seq % 3 == 1) {
		size_t zn = ZSTD_compress(z, sizeof(z), raw, n, 1);
		if (!ZSTD_isError(zn)) {
			return gs_ring_write(r, type, GOSHIM_CODEC_ZSTD,
					     GOSHIM_ENGINE_PRELOAD, z, (uint32_t)zn, (uint32_t)n);
		}
	}
	return gs_ring_write(r, type, GOSHIM_CODEC_RAW, GOSHIM_ENGINE_PRELOAD,
			     raw, (uint32_t)n, (uint32_t)n);
}

int64_t rt_write(struct gs_ring *r, uint32_t writer, uint64_t seq, size_t filler)
{
	return rt_write_type(r, GOSHIM_REC_EVENT, writer, seq, filler);
}

uint8_t *rt_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	cr_assert_not_null(f, "open %s: %m", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	cr_assert_not_null(b);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

void rt_spit(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	cr_assert_geq(fd, 0, "create %s: %m", path);
	cr_assert_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

int rt_has_issue(const struct gs_ring_reader *r, enum gs_ring_problem what)
{
	for (size_t i = 0; i < r->nissues; i++) {
		if (r->issues[i].what == what) {
			return 1;
		}
	}
	return 0;
}

uint64_t rt_make_ring(const char *path, uint64_t n, uint64_t seed)
{
	struct gs_ring r;
	uint64_t head;

	cr_assert_eq(gs_ring_attach(&r, path, GOSHIM_RING_MIN_DATA, 0600, 0), 0);
	for (uint64_t s = 0; s < n; s++) {
		size_t fill = rt_rand(&seed) % 10 == 0 ? 900 : rt_rand(&seed) % 200;
		cr_assert_geq(rt_write(&r, 1, s, fill), 0);
	}
	head = r.hdr->head;
	gs_ring_detach(&r);
	return head;
}

struct gs_lane rt_lane(const struct gs_ring *r, unsigned lane)
{
	struct gs_lane l[GOSHIM_RING_LANES_MAX];
	unsigned n = gs_ring_lanes(r->hdr, r->size, l);

	return l[lane < n ? lane : 0];
}

int rt_as_nobody(int (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();
	int st;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setresgid(RT_NOBODY, RT_NOBODY, RT_NOBODY) ||
		    setresuid(RT_NOBODY, RT_NOBODY, RT_NOBODY)) {
			_exit(100);
		}
		_exit(fn(arg));
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}
