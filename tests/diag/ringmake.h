/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers: build rings holding exactly the records a capture engine
 * writes for a pattern (common/ring_write.h, codec RAW), and run the
 * diagctl driver capturing its output. */
#ifndef GS_TEST_RINGMAKE_H
#define GS_TEST_RINGMAKE_H

#include <stddef.h>
#include <stdint.h>

#include "ring_write.h"
#include "tl_compat.h"
#include "tl_json.h"
#include "tl_ring.h"
#include "tl_run.h"
#include "tlv.h"

struct rm_ring {
	struct gs_ring ring;
	char path[256];
};


/* Create a fresh ring file in a temp dir; aborts the test on failure. */
void rm_create(struct rm_ring *r);
/* Detach the ring and remove it with its temp dir. */
void rm_close(struct rm_ring *r);

/* Start a record with identity fields (exe may be NULL). */
void rm_begin(struct rm_rec *b, uint32_t pid, uint32_t ppid, const char *exe);

/* The call by shown name: kind 'S' (trace engine) or 'L' (preload). */
void rm_call(struct rm_rec *b, const char *name, char kind, int err);
void rm_stat(struct rm_rec *b, const char *ev_path, uint32_t mode, uint32_t uid,
	     uint32_t missing);
void rm_statfs(struct rm_rec *b, uint64_t fstype, uint64_t flags, const char *mount);
void rm_cred(struct rm_rec *b, uint32_t euid);

/* A fresh ring (rm_create) with the PROCESS record of pid (parent 1,
 * rm_process without AS limit) and b begun as its failed call. */
void rm_failed_call(struct rm_ring *r, struct rm_rec *b, uint32_t engine, uint32_t pid,
		    const char *exe, const char *const *env, int seccomp_mode, const char *call,
		    char kind, int err);

/* Commit the record (type GOSHIM_REC_*, engine GOSHIM_ENGINE_*), count
 * times aggregated. */
void rm_commit(struct rm_ring *r, struct rm_rec *b, uint16_t type, uint32_t engine,
	       uint32_t count);

/* A PROCESS record: env is a NULL-terminated "NAME=value" list;
 * seccomp_mode -1: no T_SECCOMP; as_limit 0: no T_RLIMIT for AS. */
void rm_process(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		const char *exe, const char *const *env, int seccomp_mode,
		uint64_t as_limit);

/* The same with T_GORACE: gorace 1 a Go program built with -race, 0 one
 * without, -1 no tag (not Go, or not looked at). */
void rm_process_go(struct rm_ring *r, uint32_t engine, uint32_t pid, uint32_t ppid,
		   const char *exe, const char *const *env, int seccomp_mode, uint64_t as_limit,
		   int gorace);

/* An EXIT record for pid with wait(2) status. */
void rm_exit(struct rm_ring *r, uint32_t engine, uint32_t pid, int status);

/* Run $DIAGCTL with args (NULL-terminated); stdout and stderr are
 * returned malloc'd.  Returns the exit status (or 128+signal). */
int rm_run(const char *const *args, char **out, char **err);

/* Run argv (PATH lookup) with `pre` called in the child just before
 * exec (may be NULL: set limits, load a seccomp filter ...). */
int rm_run_cmd(const char *const *argv, void (*pre)(void), char **out, char **err);


/* Run `report --json [extra...] ring` and parse its output; the exit
 * status must be want_rc. */
struct json_t *rm_report(const struct rm_ring *r, int want_rc, const char *const *extra);

/* rm_report, then expect the findings to be exactly ids (comma-joined,
 * NULL: none) and nothing unclassified.  Returns the report; *n (may be
 * NULL) gets the number of findings. */
struct json_t *rm_expect(const struct rm_ring *r, const char *ids, int want_rc, size_t *n);

/* Rules files the loader must refuse: text, and the start of its error
 * message ("NAME:LINE: ..."). */
struct rm_bad_rules {
	const char *text;
	const char *want;
};

/* Load each case as rules file "t": it must fail with its message (and,
 * with none_loaded, leave no rule loaded). */
void rm_expect_bad_rules(const struct rm_bad_rules *cases, size_t n, int none_loaded);

/* Write text to a fresh temp file; returns its path (static buffer per
 * call site is the caller's: copy it). */
void rm_tmpfile(const char *text, char *path, size_t size);

#endif
