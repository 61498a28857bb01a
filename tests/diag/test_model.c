/* SPDX-License-Identifier: Apache-2.0 */
/* The model report reads a ring into: what it keeps of each record.  A
 * big ring holds hundreds of thousands of failed calls; the model keeps
 * what the rules and the outputs read, and nothing else. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/magic.h>
#include <string.h>

#include "goshim/record.h"
#include "model.h"
#include "pred.h"
#include "rules.h"
#include "sieve.h"
#include "ringmake.h"

static const char *const env_ci[] = {
	"PATH=/usr/local/go/bin:/usr/bin:/bin", "HOME=/home/ci", NULL,
};

/* A failed open with its evidence (EV_PATH, EV_STAT, EV_STATFS, EV_MOUNT)
 * and a backtrace, and the model of that ring. */
static const struct gs_mev *model_of_failed_open(struct rm_ring *r, struct gs_model *m)
{
	struct rm_rec b;
	char err[512];

	rm_failed_call(r, &b, GOSHIM_ENGINE_PRELOAD, 200, "/usr/bin/x", env_ci, -1, "openat",
		       'L', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, "/data/f");
	rm_stat(&b, "/data", 040700, 0, 0);
	rm_statfs(&b, TMPFS_MAGIC, 0, "/data tmpfs rw,relatime");
	gs_tlv_u64(&b.t, GOSHIM_T_FRAME, 0x401000);
	gs_tlv_u64(&b.t, GOSHIM_T_FRAME, 0x401100);
	rm_commit(r, &b, GOSHIM_REC_EVENT, GOSHIM_ENGINE_PRELOAD, 1);
	cr_assert_eq(gs_model_load(m, r->path, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < m->nev; i++) {
		if (m->ev[i].origin == GS_ORIGIN_CALL) {
			return &m->ev[i];
		}
	}
	cr_assert_fail("no failed call in the model");
	return NULL;
}

/* The evidence the rules read is kept (ev_path, ev_stat, ev_statfs,
 * ev_mount); the list of path + statfs pairs, which only an EXIT record's
 * decode shows, and the backtrace are not: no memory per record for them. */
Test(model, failed_call_keeps_evidence_not_fs_list_nor_backtrace)
{
	struct rm_ring r;
	struct gs_model m;
	const struct gs_mev *e = model_of_failed_open(&r, &m);

	cr_assert_str_eq(e->ev.path, "/data/f");
	cr_assert_str_eq(e->ev.ev_path, "/data");
	cr_assert(gs_evt_has(&e->ev, GS_E_EV_STAT));
	cr_assert(gs_evt_has(&e->ev, GS_E_EV_STATFS));
	cr_assert_eq(e->ev.ev_statfs.type, TMPFS_MAGIC);
	cr_assert_str_eq(e->ev.ev_mount, "/data tmpfs rw,relatime");
	cr_assert_eq(e->ev.fs.n, 0, "the fs list is not kept");
	cr_assert_null(e->ev.fs.v, "nothing allocated for the fs list");
	cr_assert_eq(e->ev.frames.n, 0, "the backtrace is not kept");
	cr_assert_null(e->ev.frames.v);
	gs_model_free(&m);
	rm_close(&r);
}

/* GS_EVT_NO_FS leaves the fs list empty and changes nothing else: the
 * same fields, the same last EV_PATH / EV_STATFS, the same verdict on a
 * damaged payload. */
Test(model, parse_without_fs_list)
{
	static const uint16_t nofs[] = { GS_EVT_NO_FS };
	struct gs_tlv t;
	uint8_t buf[512];
	struct goshim_t_statfs sf = { .type = TMPFS_MAGIC, .bsize = 4096 };
	struct gs_event a, b;

	gs_tlv_init(&t, buf, sizeof(buf));
	gs_tlv_u32(&t, GOSHIM_T_PID, 7);
	gs_tlv_str(&t, GOSHIM_T_EV_PATH, "/a");
	gs_tlv_put(&t, GOSHIM_T_EV_STATFS, &sf, sizeof(sf));
	gs_tlv_str(&t, GOSHIM_T_EV_PATH, "/b");
	gs_tlv_put(&t, GOSHIM_T_EV_STATFS, &sf, sizeof(sf));
	cr_assert_eq(gs_event_parse(&a, buf, t.len), 0);
	cr_assert_eq(gs_event_parse_without(&b, buf, t.len, nofs, 1), 0);
	cr_assert_eq(a.fs.n, 2);
	cr_assert_eq(b.fs.n, 0);
	cr_assert_null(b.fs.v);
	cr_assert_eq(a.has, b.has);
	cr_assert_str_eq(b.ev_path, "/b");
	cr_assert_eq(b.ev_statfs.type, TMPFS_MAGIC);
	gs_event_free(&a);
	gs_event_free(&b);

	gs_tlv_u32(&t, GOSHIM_T_PID, 7); /* ... and a bad tail */
	buf[t.len++] = 1;
	cr_assert_eq(gs_event_parse(&a, buf, t.len), -1);
	cr_assert_eq(gs_event_parse_without(&b, buf, t.len, nofs, 1), -1);
	cr_assert_str_eq(a.error, b.error);
	gs_event_free(&a);
	gs_event_free(&b);
}

/* The rule sets a record could pass, kept per distinct (subject, family,
 * errno) by gs_sieve_sets, are those gs_rule_sets works out for each
 * record, and matching with them is matching as before: over more keys
 * than the cache has slots (every slot taken over at least once), in
 * order and back again. */
Test(model, sieve_sets_are_the_rules_sets)
{
	static const char *const calls[] = {
		"openat", "newfstatat", "execve", "mkdir", "mmap", "memfd_create", "fallocate", "access",
	};
	static const int errs[] = {
		ENOENT, EACCES, EPERM, ENOSPC, ENOEXEC, EROFS, ENOTDIR, EEXIST, ENOMEM, ETXTBSY,
	};
	static const char *const paths[] = {
		"/home/ci/go", "/x/vendor/modules.txt", "/tmp/go-build1/b001/x.test", "/usr/include/z.h",
	};
	struct rm_ring r;
	struct rm_rec b;
	struct gs_model m;
	struct gs_rules rs = { 0 };
	struct gs_sieve sv;
	char err[512];
	size_t n = 0;

	rm_failed_call(&r, &b, GOSHIM_ENGINE_TRACE, 300, "/usr/local/go/bin/go", env_ci, -1,
		       "openat", 'S', ENOENT);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, GOSHIM_ENGINE_TRACE, 1);
	for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
		for (size_t k = 0; k < sizeof(errs) / sizeof(errs[0]); k++) {
			rm_begin(&b, 300, 1, "/usr/local/go/bin/go");
			rm_call(&b, calls[c], 'S', errs[k]);
			gs_tlv_str(&b.t, GOSHIM_T_PATH, paths[(c + k) % 4]);
			rm_commit(&r, &b, GOSHIM_REC_EVENT, GOSHIM_ENGINE_TRACE, 1);
		}
	}
	rm_begin(&b, 300, 1, "/usr/local/go/bin/go"); /* a call without an errno */
	rm_call(&b, "openat", 'S', 0);
	rm_commit(&r, &b, GOSHIM_REC_EVENT, GOSHIM_ENGINE_TRACE, 1);
	cr_assert_eq(gs_model_load(&m, r.path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(gs_rules_load_all(&rs, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_gt(m.nev, GS_SIEVE_SLOTS, "more keys than slots");
	gs_sieve_init(&sv, &rs);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t j = 0; j < m.nev; j++) {
			const struct gs_mev *e = &m.ev[pass ? m.nev - 1 - j : j];
			struct gs_ctx x = { &m, e, gs_model_proc(&m, e->ev.pid), e->ev.pid,
					    GS_SUBJ_EVENT, NULL };
			const uint64_t *sets = gs_sieve_sets(&sv, &x);
			for (size_t k = 0; k < rs.n; k++) {
				cr_assert_eq(sets[k], gs_rule_sets(&rs.r[k], &x), "rule %s, event %zu",
					     rs.r[k].id, j);
				cr_assert_eq(gs_rule_matches_sets(&rs.r[k], &x, sets[k]),
					     gs_rule_matches(&rs.r[k], &x));
				n += gs_rule_matches(&rs.r[k], &x);
			}
		}
	}
	cr_assert_gt(n, 0, "some rule matched some record");
	gs_sieve_free(&sv);
	gs_rules_free(&rs);
	gs_model_free(&m);
	rm_close(&r);
}
