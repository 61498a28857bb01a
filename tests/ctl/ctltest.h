/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the goshimctl tests: craft rings with the real writer,
 * build record payloads, run goshimctl as a subprocess, parse its JSON. */
#ifndef GS_CTLTEST_H
#define GS_CTLTEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_write.h"
#include "tlv.h"

/* A fresh directory under /tmp; static storage until the next call. */
const char *ct_tmpdir(void);

/* Remove a tree made by ct_tmpdir (best effort). */
void ct_rmtree(const char *dir);

/* dir + "/" + name in static storage (one of 8 rotating buffers). */
const char *ct_path(const char *dir, const char *name);

/* Create a ring of data_size bytes at path; aborts the test on failure. */
void ct_ring_new(struct gs_ring *r, const char *path, uint64_t data_size);

/* A payload under construction (one record). */
struct ct_rec {
	struct gs_tlv t;
	uint8_t buf[GOSHIM_REC_RAW_MAX];
};

/* Start a payload with the identity fields every record carries. */
void ct_rec_begin(struct ct_rec *c, uint64_t time_ns, uint32_t pid, uint32_t tid,
		  const char *exe);

/* Append a T_MODULE field. */
void ct_rec_module(struct ct_rec *c, uint64_t start, uint64_t end, uint64_t bias,
		   const uint8_t *build_id, unsigned build_id_len, const char *path);

/* Close the payload and write it as one record, stored RAW or compressed
 * with ZSTD_compress (codec GOSHIM_CODEC_ZSTD).  Returns the position. */
int64_t ct_rec_write(struct ct_rec *c, struct gs_ring *r, uint16_t type, uint16_t codec);

/* Result of running goshimctl. */
struct ct_run {
	int status;   /* exit code, or 128 + signal */
	char *out;    /* stdout, NUL-terminated, malloc'd */
	char *err;    /* stderr */
};

/* Run $GOSHIMCTL with the NULL-terminated argument list (argv[0] is
 * supplied).  Aborts the test if it cannot be started.  A run still going
 * after 300 s is ended by SIGALRM (status 128 + 14): a hang fails the
 * test, never the suite. */
void ct_run(struct ct_run *res, const char *const args[]);

/* Same, with the real, effective and saved uid and gid switched to uid
 * (and no supplementary groups) in the child; uid -1: unchanged. */
void ct_run_as(struct ct_run *res, const char *const args[], int uid);

void ct_run_free(struct ct_run *res);

/* Parse every line of out as JSON; aborts the test on any invalid line.
 * Returns an array of objects (caller json_decref's it). */
json_t *ct_json_lines(const char *out);

/* Object member as a string (NULL when absent or not a string). */
const char *ct_jstr(json_t *o, const char *key);

/* Object member as an integer (aborts when absent or not an integer). */
long long ct_jint(json_t *o, const char *key);

/* Number of lines (\n) in s. */
size_t ct_count_lines(const char *s);

#endif
