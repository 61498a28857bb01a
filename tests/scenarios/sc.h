/* SPDX-License-Identifier: Apache-2.0 */
/* Scenario tests: create a real broken condition, run a real workload
 * under goshim (trace engine or LD_PRELOAD), then hold the report and the
 * doctor to it.  Every scenario runs in its own forked child; one that
 * mounts things unshares its mount namespace first. */
#ifndef GS_TEST_SC_H
#define GS_TEST_SC_H

#include <jansson.h>
#include <stddef.h>

#include "tl_compat.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_json.h"
#include "tl_run.h"

/* The Go toolchain of the scenarios: the official one, or the one
 * $GOSHIM_SC_GO names (bench/accuracy.sh: Debian's Go 1.19).  Its bin
 * directory comes first on the scenarios' PATH. */
const char *sc_go(void);
#define SC_GO ((char *)sc_go())
#define SC_NOBODY TL_NOBODY

/* GOSHIM_SC_ENGINE=preload (bench/accuracy.sh) runs the workloads a
 * scenario would trace under the preload instead: a dynamic go (Debian's)
 * hands itself over to the trace engine, a static one records nothing. */
enum sc_engine { SC_TRACE, SC_PRELOAD };

struct sc {
	char dir[128];        /* the scenario's temp dir (mode 0755)          */
	char ring[192];       /* dir/r.ring                                   */
	char out[192];        /* dir/out.txt: the workload's stdout+stderr    */
	char doc[192];        /* dir/doctor.json: doctor --json in the same   */
	char mnt[192];        /* dir/mnt: a mount point for mounts()          */
	char home[192];       /* dir/home: HOME (owned by the workload's uid) */
	char tmp[192];        /* dir/tmp: TMPDIR (mode 1777)                  */
	char mod[192];        /* the Go module of sc_go_start                  */
	const char *cwd;      /* where the workload runs (NULL: dir)          */
	enum sc_engine engine;
	int nobody;           /* run workload and doctor as uid/gid 65534     */
	int doctor;           /* also run goshimctl doctor --json             */
	/* In the private mount namespace, before anything runs; returns 0 or
	 * fails with a message on stderr.  NULL: no namespace of our own. */
	int (*mounts)(struct sc *s);
	/* In the workload's (and doctor's) process just before exec: limits,
	 * seccomp filters.  May be NULL. */
	void (*pre)(void);
	int status;           /* wait status of the workload                  */
};

/* Fail loudly (cr_skip with the reason) unless root; fail when the
 * official Go toolchain is missing and go is set. */
void sc_need(int root, int go);

/* Fresh scenario: temp dir, ring/out/doctor paths, HOME and TMPDIR, and a
 * controlled Go environment in this (per-test) process: GOTOOLCHAIN=local,
 * GOFLAGS=-mod=mod, GOPROXY=off, the shared warm GOCACHE, CGO_ENABLED=0,
 * PATH=/usr/local/go/bin:/usr/bin:/bin.  nobody: HOME is chowned to 65534. */
void sc_init(struct sc *s, const char *tag, enum sc_engine engine, int nobody);

/* The shared warm build cache of this build dir. */
const char *sc_gocache(void);


/* A Go module example.com/NAME in dir/NAME, from NULL-terminated pairs of
 * file name and contents; chowned to 65534 for a nobody scenario.  Returns
 * its path in buf. */
void sc_module(struct sc *s, const char *name, char *buf, size_t size, ...)
	__attribute__((sentinel));

/* The usual start of a Go scenario: root and the official Go needed,
 * sc_init under the trace engine, the module `name` of the NULL-terminated
 * file pairs in s->mod, and the workload's cwd there. */
void sc_go_start(struct sc *s, const char *tag, int nobody, const char *name, ...)
	__attribute__((sentinel));

/* Run argv (absolute path) under the scenario's engine, in the
 * scenario's conditions; then doctor when s->doctor.  Sets s->status;
 * returns it. */
int sc_run(struct sc *s, char *const argv[]);

/* The workload's output (malloc'd). */
char *sc_output(const struct sc *s);
/* Its last SC_TAIL bytes, for assertion messages. */
#define SC_TAIL 6000
/* and its first SC_HEAD bytes, where a crash says what failed */
#define SC_HEAD 2000
const char *sc_tail(const char *out);

/* goshimctl report --json of the ring (the test fails when it is not
 * JSON). */
json_t *sc_report(const struct sc *s);

/* goshimctl decode --json of the ring: an array of its records. */
json_t *sc_decode(const struct sc *s);

/* goshimctl report (text) of the ring into dir/report.txt; returns its
 * exit status (0 no error finding, 1 error findings, 2 the ring could not
 * be read, 3 the run failed and nothing explains it). */
int sc_report_status(const struct sc *s);

/* The first recorded failure on abspath, as goshimctl decode --json
 * gives it (the test fails when there is none).  The caller releases
 * it. */
json_t *sc_record(const struct sc *s, const char *abspath);

/* doctor --json output of the last sc_run (s->doctor set). */
json_t *sc_doctor(const struct sc *s);

/* Assert that the report holds exactly one finding of severity sev
 * ("error" or "warning") with pattern id, and no finding of the other
 * severity.  On a mismatch the report and the ring's significant
 * failures are printed first.  Returns the finding (borrowed). */
json_t *sc_expect(const struct sc *s, json_t *rep, const char *id, const char *sev);

/* Assert a clean report: no finding at all, nothing unclassified. */
void sc_expect_clean(const struct sc *s, json_t *rep);

/* Assert the doctor has a finding with pattern id; returns it. */
json_t *sc_doctor_expect(const struct sc *s, json_t *doc, const char *id);

/* Evidence fact k of a finding ("" when absent). */
const char *sc_fact(json_t *finding, const char *k);

/* The first event of a finding (fails when there is none). */
json_t *sc_event(json_t *finding);

/* What one run of a scenario must show. */
#define SC_NONZERO (-1) /* exit: any status but 0 */
struct sc_kv {
	const char *k, *v;
};
struct sc_want {
	int exit;                   /* the workload's exit status, or SC_NONZERO */
	const char *out[3];         /* its output holds each of these            */
	const char *out_or[3];      /* or else each of these (a failure that
				     * takes one of two ways, by timing)         */
	const char *id, *sev;       /* the report's one finding (sc_expect)      */
	struct sc_kv fact[6];       /* evidence facts of the finding, exactly    */
	struct sc_kv event[4];      /* members of its first event, exactly       */
	const char *doctor;         /* a finding doctor must have (NULL: none)   */
	struct sc_kv doctor_fact[2];/* evidence facts of that one, exactly       */
};

/* sc_run(argv), then assert the exit status and output of w. */
void sc_run_want(struct sc *s, char *const argv[], const struct sc_want *w);

/* sc_run(argv), then: the exit status and output (asserted), the report's
 * finding (sc_expect), its facts and event members and doctor's finding
 * (cr_expect).  Returns the report (json_decref it) and the finding in
 * *finding (may be NULL). */
json_t *sc_check(struct sc *s, char *const argv[], const struct sc_want *w, json_t **finding);

/* Go sources of the tiny modules: a main package using strings,
 * encoding/json, net/url and os, its test; a cgo main package and a cgo
 * file plus test for `go test` with cgo. */
extern const char sc_go_main[], sc_go_test[];
extern const char sc_go_cgo[], sc_go_cgo_test[], sc_go_cgo_lib[];

/* A remedy applied (by the caller, in the environment or the files):
 * run argv again, without doctor; the workload must exit 0 and the report
 * be clean (sc_expect_clean).  what names the remedy in messages. */
void sc_rerun_clean(struct sc *s, char *const argv[], const char *what);

/* Remove the scenario's dir. */
/* A scenario of uid 65534 under the trace engine (root needed) whose
 * PATH is dir/priv/bin and dir/priv (root's, 0700: it cannot search
 * them), then `rest` (":/usr/bin:/bin", or ""); a C file t.c in HOME,
 * the workload's cwd. */
void sc_denied_path_start(struct sc *s, const char *tag, const char *rest);

void sc_done(struct sc *s);

/* A GOPROXY directory (for a file:// URL) serving example.com/dep v1.0.0,
 * a package dep without imports. */
void sc_dep_proxy(const char *proxy);

/* Add broken.go, a compile error, to the module s->mod and run go build
 * (Go 1.26) there: it must fail with "undefined", and the report hold no
 * finding of pattern id (id NULL: no finding at all). */
void sc_compile_error_without(struct sc *s, const char *id);

#endif
