/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Backtraces: raw return addresses, innermost first, from the caller of
 * the wrapper outwards, by goshim's own frame walker (unwind.h).
 *
 * No third-party unwinder: libunwind's local unwinding validates memory
 * through a pipe it opens on first use and keeps (two descriptors taken
 * from the host for the life of the process: `cat <&-` then reads the
 * pipe), and it exports _Unwind_* symbols; libgcc's, behind glibc's
 * backtrace(), is dlopened and may allocate.  The walker needs only
 * _dl_find_object (glibc 2.35), looked up once (gs_mod_setup, in the
 * constructor); the walk is tried once when the ring is attached.
 */
#include "rec.h"

static const char *bt_name = "none";

const char *gs_bt_setup(void *find)
{
	gs_uw_find = (gs_uw_find_fn)find;
	bt_name = gs_uw_find ? "eh_frame" : "none";
	return gs_uw_find ? NULL : "no _dl_find_object (glibc < 2.35): backtraces off";
}

const char *gs_bt_check(void)
{
	const char *why = NULL;
	void *buf[8];
	struct gs_slot *s;

	if (!gs_uw_find) {
		return NULL; /* off since gs_bt_setup, which said why */
	}
	s = gs_slot_claim();
	if (!s) {
		return NULL; /* every slot busy: not tried, the walk is guarded anyway */
	}
	if (gs_unwind(buf, 8, &s->uw) == 0) {
		why = "frame walker returned no frame: backtraces off";
		gs_uw_find = NULL;
		bt_name = "none";
	}
	gs_slot_release(s);
	return why;
}

const char *gs_bt_backend(void)
{
	return bt_name;
}

unsigned gs_bt_take(struct gs_slot *s, const void *caller, int *cut)
{
	int n, skip = 0;

	*cut = 0;
	n = (int)gs_unwind(s->frames, GS_REC_BT_RAW, &s->uw);
	if (n <= 0) {
		return 0;
	}
	while (skip < n && s->frames[skip] != caller) {
		skip++;
	}
	if (skip == n) {
		skip = 0; /* caller not seen: keep everything */
	}
	unsigned keep = (unsigned)(n - skip);
	if (keep > GOSHIM_FRAMES_MAX || n == (int)GS_REC_BT_RAW) {
		*cut = 1;
	}
	if (keep > GOSHIM_FRAMES_MAX) {
		keep = GOSHIM_FRAMES_MAX;
	}
	for (unsigned i = 0; skip && i < keep; i++) {
		s->frames[i] = s->frames[i + (unsigned)skip];
	}
	return keep;
}
