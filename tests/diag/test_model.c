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
