/* SPDX-License-Identifier: Apache-2.0 */
/* --pid, --call, --errno, --path and --type each select exactly the
 * expected records. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"

static const char *dir, *ring;

static const struct {
	uint16_t type;
	uint32_t pid;
	uint32_t call;
	int err;
	const char *path;
} recs[] = {
	/* 0 */ { GOSHIM_REC_PROCESS, 10, 0, 0, NULL },
	/* 1 */ { GOSHIM_REC_EVENT, 10, GOSHIM_CALL_openat, ENOENT, "/home/u/go.mod" },
	/* 2 */ { GOSHIM_REC_EVENT, 10, GOSHIM_CALL_execve, EACCES, "/tmp/go-build1/x.test" },
	/* 3 */ { GOSHIM_REC_EVENT, 20, GOSHIM_CALL_stat, ENOENT, "/tmp/go-build1/b001" },
	/* 4 */ { GOSHIM_REC_EVENT, 20, GOSHIM_CALL_sys_openat, EACCES, "/root/.cache/go-build" },
	/* 5 */ { GOSHIM_REC_EXIT, 20, 0, 0, NULL },
	/* 6 */ { GOSHIM_REC_EVENT, 30, GOSHIM_CALL_mkdirat, EROFS, "/ro/go-build" },
	/* 7 */ { GOSHIM_REC_NOTE, 30, 0, 0, NULL },
};

#define NRECS (sizeof(recs) / sizeof(recs[0]))

static void setup(void)
{
	struct gs_ring r;

	dir = ct_tmpdir();
	ring = tl_ring_in(dir, &r, GOSHIM_RING_MIN_DATA);
	for (size_t i = 0; i < NRECS; i++) {
		struct ct_rec c;

		/* times in writing order, as a real ring's: the reader merges
		 * the lanes (process, exit, note) with the failed calls by time */
		ct_rec_begin(&c, 1700000000000000000ull + i * 1000, recs[i].pid, recs[i].pid, "/bin/x");
		if (recs[i].call) {
			tl_payload_failed(&c, recs[i].call, recs[i].err, recs[i].path);
		}
		if (recs[i].type == GOSHIM_REC_EXIT) {
			gs_tlv_u32(&c.t, GOSHIM_T_CHILD, 99);
			gs_tlv_i32(&c.t, GOSHIM_T_STATUS, 0);
		}
		ct_rec_write(&c, &r, recs[i].type, i % 2 ? GOSHIM_CODEC_ZSTD : GOSHIM_CODEC_RAW);
	}
	gs_ring_detach(&r);
}

static void teardown(void)
{
	ct_rmtree(dir);
}

TestSuite(filters, .init = setup, .fini = teardown);

/* Run decode --json with extra options; returns the bitmask of seqs. */
static unsigned sel(const char *o1, const char *v1, const char *o2, const char *v2)
{
	const char *args[10] = { "decode", "--json" };
	size_t n = 2;
	struct ct_run res;
	unsigned mask = 0;

	if (o1) {
		args[n++] = o1;
		args[n++] = v1;
	}
	if (o2) {
		args[n++] = o2;
		args[n++] = v2;
	}
	args[n++] = ring;
	args[n] = NULL;
	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "%s %s: exit %d: %s", o1, v1, res.status, res.err);
	json_t *a = ct_json_lines(res.out);
	for (size_t i = 0; i < json_array_size(a); i++) {
		mask |= 1u << ct_jint(json_array_get(a, i), "seq");
	}
	json_decref(a);
	ct_run_free(&res);
	return mask;
}

#define B(x) (1u << (x))

Test(filters, each)
{
	cr_assert_eq(sel(NULL, NULL, NULL, NULL), B(1) | B(2) | B(3) | B(4) | B(6));
	cr_assert_eq(sel("--pid", "10", NULL, NULL), B(1) | B(2));
	cr_assert_eq(sel("--pid", "20", "--type", "all"), B(3) | B(4) | B(5));
	cr_assert_eq(sel("--pid", "99", NULL, NULL), 0);
	/* the shown name: libc openat and the openat syscall alike */
	cr_assert_eq(sel("--call", "openat", NULL, NULL), B(1) | B(4));
	cr_assert_eq(sel("--call", "execve", NULL, NULL), B(2));
	cr_assert_eq(sel("--call", "stat", "--type", "all"), B(3));
	cr_assert_eq(sel("--errno", "ENOENT", NULL, NULL), B(1) | B(3));
	cr_assert_eq(sel("--errno", "eacces", NULL, NULL), B(2) | B(4));
	cr_assert_eq(sel("--errno", "30", NULL, NULL), B(6));
	cr_assert_eq(sel("--path", "go-build", NULL, NULL), B(2) | B(3) | B(4) | B(6));
	cr_assert_eq(sel("--path", "/tmp/", NULL, NULL), B(2) | B(3));
	cr_assert_eq(sel("--path", "go-build", "--errno", "EACCES"), B(2) | B(4));
	cr_assert_eq(sel("--call", "openat", "--pid", "20"), B(4));
	cr_assert_eq(sel("--type", "process,exit", NULL, NULL), B(0) | B(5));
	cr_assert_eq(sel("--type", "note", NULL, NULL), B(7));
	cr_assert_eq(sel("--type", "all", NULL, NULL), 0xff);
}

static void usage_error(const char *opt, const char *val, const char *msg)
{
	const char *args[] = { "decode", opt, val, ring, NULL };
	struct ct_run res;

	ct_run(&res, args);
	cr_assert_eq(res.status, 2, "%s %s: exit %d", opt, val, res.status);
	cr_assert_str_empty(res.out);
	cr_assert(strstr(res.err, msg), "%s %s: stderr: %s", opt, val, res.err);
	ct_run_free(&res);
}

Test(filters, bad_values)
{
	usage_error("--pid", "abc", "--pid: not a process id: abc");
	usage_error("--call", "frobnicate", "--call: unknown call: frobnicate");
	usage_error("--errno", "ENOPE", "--errno: unknown errno: ENOPE");
	usage_error("--type", "events", "--type: expected event, process, exit, note or all");
	usage_error("--bogus", "x", "unrecognized option '--bogus'");
}
