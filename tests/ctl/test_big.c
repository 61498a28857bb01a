/* SPDX-License-Identifier: Apache-2.0 */
/* A full 4 MiB ring that wrapped several times (~10k records, RAW and
 * ZSTD, with backtraces into this very binary): every JSON line parses,
 * every record found is shown once.  The times are printed for a reader;
 * no test asserts a time on a shared machine (the figures belong to
 * bench/). */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctltest.h"
#include "ring_read.h"

#define NWRITE 30000

static const char *dir, *ring;

static void setup(void)
{
	struct gs_ring r;
	struct ct_rec *c = malloc(sizeof(*c));
	struct dl_find_object dlfo;
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	uint64_t seed = 7;

	cr_assert_gt(n, 0);
	exe[n] = '\0';
	cr_assert_eq(_dl_find_object((void *)(uintptr_t)setup, &dlfo), 0);
	dir = ct_tmpdir();
	ring = tl_ring_in(dir, &r, GOSHIM_RING_DEF_DATA);
	for (int i = 0; i < NWRITE; i++) {
		char p[64];
		uint64_t start = (uintptr_t)dlfo.dlfo_map_start, end = (uintptr_t)dlfo.dlfo_map_end;

		snprintf(p, sizeof(p), "/tmp/go-build%d/b%03d/x\xff\"\\.test", i, i % 997);
		ct_rec_begin(c, 1700000000000000000ull + (uint64_t)i * 1000, 100 + i % 50,
			     100 + i % 77, "/usr/lib/go-1.19/bin/go");
		tl_payload_failed(c, i % 3 ? GOSHIM_CALL_openat : GOSHIM_CALL_execve, i % 5 ? ENOENT : EACCES, NULL);
		gs_tlv_i32(&c->t, GOSHIM_T_DIRFD, AT_FDCWD);
		gs_tlv_str(&c->t, GOSHIM_T_PATH, p);
		gs_tlv_str(&c->t, GOSHIM_T_ABSPATH, p);
		gs_tlv_u64(&c->t, GOSHIM_T_FLAGS, O_RDONLY | O_CLOEXEC);
		gs_tlv_str(&c->t, GOSHIM_T_EV_PATH, "/tmp");
		gs_tlv_u32(&c->t, GOSHIM_T_EV_MISSING, 2);
		for (int k = 0; k < 8; k++) {
			seed = seed * 6364136223846793005ull + 1;
			gs_tlv_u64(&c->t, GOSHIM_T_FRAME, start + (seed >> 33) % (end - start));
		}
		ct_rec_module(c, start, end, dlfo.dlfo_link_map->l_addr, NULL, 0, exe);
		ct_rec_module(c, 0x7f0000000000, 0x7f0000100000, 0x7f0000000000, NULL, 0,
			      "/nonexistent/libfoo.so");
		ct_rec_write(c, &r, GOSHIM_REC_EVENT, i % 2 ? GOSHIM_CODEC_ZSTD : GOSHIM_CODEC_RAW);
	}
	gs_ring_detach(&r);
	free(c);
}

static void teardown(void)
{
	ct_rmtree(dir);
}

TestSuite(big, .init = setup, .fini = teardown);

static double run_timed(const char *const args[], struct ct_run *res)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ct_run(res, args);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

Test(big, json_every_line_parses, .timeout = 60)
{
	struct gs_ring_reader r;
	struct ct_run res;
	const char *args[] = { "decode", "--json", "--type", "all", ring, NULL };

	memset(&r, 0, sizeof(r));
	cr_assert_eq(gs_ring_load(&r, ring), 0);
	cr_assert_eq(r.nissues, 0, "%s", r.issues[0].msg);
	cr_assert_gt(r.nrecs, 5000);
	double s = run_timed(args, &res);
	cr_assert_eq(res.status, 0, "%s", res.err);
	json_t *a = ct_json_lines(res.out);
	cr_assert_eq(json_array_size(a), r.nrecs);
	for (size_t i = 0; i < r.nrecs; i++) {
		json_t *o = json_array_get(a, i);
		cr_assert_eq(ct_jint(o, "seq"), (long long)i);
		cr_assert_eq(ct_jint(o, "pos"), (long long)r.recs[i].pos);
		cr_assert_eq(json_array_size(json_object_get(o, "backtrace")), 8);
		const char *p = ct_jstr(o, "path");
		cr_assert(p && strstr(p, "\xef\xbf\xbd\"\\.test"), "path %s", p);
	}
	cr_log_info("decode --json of %zu records (%zu bytes out): %.3f s", r.nrecs,
		    strlen(res.out), s);
	fprintf(stderr, "big: decode --json of %zu records: %.3f s\n", r.nrecs, s);
	json_decref(a);
	ct_run_free(&res);
	gs_ring_unload(&r);
}

Test(big, text_and_no_symbols_timing, .timeout = 60)
{
	struct ct_run res;
	const char *a1[] = { "decode", ring, NULL };
	const char *a2[] = { "decode", "--no-symbols", "--json", ring, NULL };

	double s1 = run_timed(a1, &res);
	cr_assert_eq(res.status, 0, "%s", res.err);
	size_t lines = ct_count_lines(res.out);
	cr_assert_gt(lines, 5000 * 10);
	ct_run_free(&res);
	double s2 = run_timed(a2, &res);
	cr_assert_eq(res.status, 0, "%s", res.err);
	ct_run_free(&res);
	fprintf(stderr, "big: decode text %.3f s, --json --no-symbols %.3f s\n", s1, s2);
}
