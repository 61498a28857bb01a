/* SPDX-License-Identifier: Apache-2.0 */
/* The goshimctl tests' names for tests/lib: rings crafted with the real
 * writer, goshimctl run as a subprocess, its JSON.  Forwarding only; new
 * tests use tests/lib directly. */
#ifndef GS_CTLTEST_H
#define GS_CTLTEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_write.h"
#include "tl_compat.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_json.h"
#include "tl_ring.h"
#include "tl_run.h"
#include "tlv.h"

/* The identity fields every record carries (TIME_MONO: time_ns / 1000). */
static inline void ct_rec_begin(struct tl_payload *c, uint64_t time_ns, uint32_t pid,
				uint32_t tid, const char *exe)
{
	struct tl_ident id = { .time_real = time_ns, .time_mono = (int64_t)(time_ns / 1000),
			       .pid = pid, .tid = tid, .exe = exe };

	tl_payload_begin(c, &id);
}

/* Written by the preload engine, once. */
static inline int64_t ct_rec_write(struct tl_payload *c, struct gs_ring *r, uint16_t type,
				   uint16_t codec)
{
	return tl_payload_write(c, r, type, codec, GOSHIM_ENGINE_PRELOAD, 1);
}

/* Result of running goshimctl. */
struct ct_run {
	int status;   /* exit code, or 128 + signal */
	char *out;    /* stdout, NUL-terminated, malloc'd */
	char *err;    /* stderr */
};

/* Run $GOSHIMCTL with args (NULL-terminated, argv[0] supplied) as uid (-1:
 * unchanged); a run still going after 300 s ends by SIGALRM (status 128 +
 * 14): a hang fails the test, never the suite. */
static inline void ct_run_as(struct ct_run *res, const char *const args[], int uid)
{
	const char *argv[64] = { tl_env("GOSHIMCTL") };
	struct tl_cmd c = { .argv = argv, .uid = uid, .limit_s = 300, .capture = 1 };
	struct tl_res r;

	for (size_t i = 0; args[i] && i < 62; i++) {
		argv[i + 1] = args[i];
	}
	res->status = tl_spawn(&c, &r);
	res->out = r.out;
	res->err = r.err;
}

static inline void ct_run(struct ct_run *res, const char *const args[])
{
	ct_run_as(res, args, -1);
}

static inline void ct_run_free(struct ct_run *res)
{
	struct tl_res r = { .out = res->out, .err = res->err };

	tl_res_free(&r);
}

/* Number of lines (\n) in s. */
static inline size_t ct_count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		n += *s == '\n';
	}
	return n;
}

#endif
