/* SPDX-License-Identifier: Apache-2.0 */
/* Damaged and foreign input: a clear message per problem on stderr, every
 * intact record still printed, and the documented exit status. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "ctltest.h"
#include "ring_hdr.h"

#define NREC 20

static const char *dir, *ring;
static int64_t pos[NREC];

static void setup(void)
{
	struct gs_ring r;

	dir = ct_tmpdir();
	ring = tl_ring_in(dir, &r, GOSHIM_RING_MIN_DATA);
	for (int i = 0; i < NREC; i++) {
		struct ct_rec c;
		char p[32];

		snprintf(p, sizeof(p), "/p/%d", i);
		ct_rec_begin(&c, 1700000000000000000ull + (uint64_t)i, 10, 10, "/bin/x");
		tl_payload_failed(&c, GOSHIM_CALL_stat, ENOENT, p);
		pos[i] = ct_rec_write(&c, &r, GOSHIM_REC_EVENT,
				      i % 2 ? GOSHIM_CODEC_ZSTD : GOSHIM_CODEC_RAW);
	}
	gs_ring_detach(&r);
}

static void teardown(void)
{
	ct_rmtree(dir);
}

TestSuite(damaged, .init = setup, .fini = teardown);

static uint8_t *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *b;

	cr_assert_geq(fd, 0);
	fstat(fd, &st);
	b = malloc((size_t)st.st_size);
	cr_assert_eq(read(fd, b, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

static const char *spit(const char *name, const void *b, size_t len)
{
	const char *p = ct_path(dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, b, len), (ssize_t)len);
	close(fd);
	return p;
}

/* Decode path as JSON; returns the paths shown, one per record, in a
 * bitmask of record indexes. */
static unsigned decode_mask(const char *path, struct ct_run *res, size_t *damaged)
{
	const char *args[] = { "decode", "--json", path, NULL };
	unsigned mask = 0;

	ct_run(res, args);
	json_t *a = ct_json_lines(res->out);
	*damaged = 0;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		const char *p = ct_jstr(o, "path");

		if (strcmp(ct_jstr(o, "type"), "damaged") == 0 || ct_jstr(o, "error")) {
			(*damaged)++;
		}
		if (p) {
			cr_assert_eq(strncmp(p, "/p/", 3), 0);
			mask |= 1u << atoi(p + 3);
		}
	}
	json_decref(a);
	return mask;
}

Test(damaged, clean_ring_exit_0)
{
	struct ct_run res;
	size_t dmg;

	cr_assert_eq(decode_mask(ring, &res, &dmg), (1u << NREC) - 1);
	cr_assert_eq(res.status, 0);
	cr_assert_eq(dmg, 0);
	cr_assert_str_empty(res.err);
	ct_run_free(&res);
}

Test(damaged, truncated)
{
	size_t len;
	uint8_t *b = slurp(ring, &len);
	/* cut in the middle of record 10 */
	size_t cut = GOSHIM_RING_HDR_SIZE + (size_t)pos[10] + 20;
	const char *p = spit("trunc", b, cut);
	struct ct_run res;
	size_t dmg;
	char want[600];

	cr_assert_eq(decode_mask(p, &res, &dmg), (1u << 10) - 1, "stderr: %s", res.err);
	cr_assert_eq(res.status, 1);
	snprintf(want, sizeof(want), "goshimctl: %s: file truncated", p);
	cr_assert(strstr(res.err, want), "stderr: %s", res.err);
	ct_run_free(&res);
	free(b);
}

Test(damaged, flipped_bytes_in_one_record)
{
	size_t len;
	uint8_t *b = slurp(ring, &len);
	struct ct_run res;
	size_t dmg;

	b[GOSHIM_RING_HDR_SIZE + pos[7] + GOSHIM_REC_HDR_SIZE + 3] ^= 0x5a;
	b[GOSHIM_RING_HDR_SIZE + pos[7] + GOSHIM_REC_HDR_SIZE + 9] ^= 0xff;
	const char *p = spit("flip", b, len);
	cr_assert_eq(decode_mask(p, &res, &dmg), ((1u << NREC) - 1) & ~(1u << 7),
		     "stderr: %s", res.err);
	cr_assert_eq(res.status, 1);
	cr_assert(strstr(res.err, "torn or corrupt"), "stderr: %s", res.err);
	ct_run_free(&res);
	free(b);
}

/* Recompute a record's CRC after changing its payload, so that the reader
 * accepts the record and the damage is met while decoding it. */
static void recrc(uint8_t *b, int64_t p)
{
	struct goshim_rec_hdr h;
	uint8_t *rec = b + GOSHIM_RING_HDR_SIZE + p;

	memcpy(&h, rec, sizeof(h));
	h.crc = gs_crc32c(0, rec + 16, h.len - 16);
	memcpy(rec, &h, sizeof(h));
}

Test(damaged, undecodable_zstd_payload)
{
	size_t len;
	uint8_t *b = slurp(ring, &len);
	struct ct_run res;
	size_t dmg;

	/* record 3 is ZSTD: break its frame magic */
	b[GOSHIM_RING_HDR_SIZE + pos[3] + GOSHIM_REC_HDR_SIZE] ^= 0xff;
	recrc(b, pos[3]);
	const char *p = spit("badzstd", b, len);
	cr_assert_eq(decode_mask(p, &res, &dmg), ((1u << NREC) - 1) & ~(1u << 3),
		     "stderr: %s", res.err);
	cr_assert_eq(res.status, 1);
	cr_assert_eq(dmg, 1, "one {\"type\":\"damaged\"} line");
	cr_assert(strstr(res.err, "record #3 at position"), "stderr: %s", res.err);
	ct_run_free(&res);
	free(b);
}

Test(damaged, malformed_tlv_keeps_prefix)
{
	size_t len;
	uint8_t *b = slurp(ring, &len);
	struct ct_run res;
	struct goshim_rec_hdr h;
	uint8_t *rec = b + GOSHIM_RING_HDR_SIZE + pos[4];

	/* record 4 is RAW: make its last field claim more bytes than exist */
	memcpy(&h, rec, sizeof(h));
	uint8_t *payload = rec + GOSHIM_REC_HDR_SIZE;
	size_t off = 0;
	while (off + 4 <= h.raw_len) {
		size_t flen = payload[off + 2] | payload[off + 3] << 8;
		if (off + 4 + flen == h.raw_len) {
			payload[off + 2] = 0xff;
			break;
		}
		off += 4 + flen;
	}
	recrc(b, pos[4]);
	const char *p = spit("badtlv", b, len);
	const char *args[] = { "decode", "--json", p, NULL };
	ct_run(&res, args);
	cr_assert_eq(res.status, 1, "stderr: %s", res.err);
	json_t *a = ct_json_lines(res.out);
	cr_assert_eq(json_array_size(a), NREC);
	json_t *o = json_array_get(a, 4);
	cr_assert(strstr(ct_jstr(o, "error"), "malformed"), "%s", ct_jstr(o, "error"));
	cr_assert_eq(ct_jint(o, "pid"), 10);
	cr_assert_str_eq(ct_jstr(o, "errno"), "ENOENT");
	cr_assert(strstr(res.err, "record #4 at position"), "stderr: %s", res.err);
	json_decref(a);
	ct_run_free(&res);
	free(b);
}

static void newer(uint8_t *b)
{
	struct goshim_ring_hdr h;

	memcpy(&h, b, sizeof(h));
	h.version = GOSHIM_RING_VERSION + 1;
	h.hdr_crc = gs_ring_hdr_crc(&h);
	memcpy(b, &h, sizeof(h));
}

Test(damaged, newer_version)
{
	size_t len;
	uint8_t *b = slurp(ring, &len);
	struct ct_run res;
	size_t dmg;

	newer(b);
	const char *p = spit("newer", b, len);
	/* the v1 records in it are still read, and said to be uncertain */
	cr_assert_eq(decode_mask(p, &res, &dmg), (1u << NREC) - 1);
	cr_assert_eq(res.status, 1);
	cr_assert(strstr(res.err, "is newer than this goshimctl"), "stderr: %s", res.err);
	ct_run_free(&res);

	/* nothing decodable: exit 2 */
	memset(b + GOSHIM_RING_HDR_SIZE, 0, len - GOSHIM_RING_HDR_SIZE);
	p = spit("newer-empty", b, len);
	const char *args[] = { "decode", p, NULL };
	ct_run(&res, args);
	cr_assert_eq(res.status, 2);
	cr_assert_str_empty(res.out);
	cr_assert(strstr(res.err, "is newer than this goshimctl"), "stderr: %s", res.err);
	ct_run_free(&res);
	free(b);
}

static void expect2(const char *path, const char *msg)
{
	struct ct_run res;
	const char *args[] = { "decode", path, NULL };
	char want[600];

	ct_run(&res, args);
	cr_assert_eq(res.status, 2, "%s: exit %d", path, res.status);
	cr_assert_str_empty(res.out, "%s: stdout: %s", path, res.out);
	snprintf(want, sizeof(want), "goshimctl: %s: %s", path, msg);
	cr_assert(strstr(res.err, want), "%s: stderr: %s", path, res.err);
	ct_run_free(&res);
}

Test(damaged, not_a_ring)
{
	expect2("/bin/true", "not a goshim ring: magic is \"\\x7fELF");
	expect2(spit("empty", "", 0), "the file is empty");
	expect2(dir, "is a directory");
	expect2(ct_path(dir, "missing"), "No such file or directory");
	expect2(spit("short", "GOSHIMRG", 8), "file is 8 bytes, shorter than the 4096-byte ring header");
}

/* A ring the caller may not read: run goshimctl as nobody on a 0600 file. */
Test(damaged, unreadable_file)
{
	struct ct_run res;
	char want[600];

	if (geteuid() != 0) {
		cr_skip("needs root to switch to uid %d", 65534);
	}
	cr_assert_eq(chmod(dir, 0755), 0);
	cr_assert_eq(chmod(ring, 0600), 0);
	const char *args[] = { "decode", ring, NULL };
	ct_run_as(&res, args, 65534);
	cr_assert_eq(res.status, 2, "exit %d: %s", res.status, res.err);
	cr_assert_str_empty(res.out);
	snprintf(want, sizeof(want), "goshimctl: %s: cannot read: Permission denied", ring);
	cr_assert(strstr(res.err, want), "stderr: %s", res.err);
	ct_run_free(&res);
}
