/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Backtraces: raw return addresses, innermost first, from the caller of
 * the wrapper outwards.
 *
 * libunwind's local unw_backtrace() is preferred.  libunwind.so.8 is
 * loaded with dlopen(RTLD_LOCAL), never as DT_NEEDED: it exports
 * _Unwind_* symbols that, in the global scope, would interpose the host's
 * C++ exception unwinding.  Without it, glibc's backtrace() (libgcc's
 * unwinder) is used.  Both are called once in gs_setup, because their
 * first call may dlopen and allocate.
 */
#include "rec.h"

#include <dlfcn.h>
#include <execinfo.h>

typedef int (*bt_fn)(void **, int);

static bt_fn bt_impl;
static const char *bt_name = "none";

static int bt_glibc(void **buf, int n)
{
	return backtrace(buf, n);
}

static __attribute__((noinline)) int bt_warm(void)
{
	void *buf[8];

	return bt_impl(buf, 8);
}

void gs_bt_setup(void)
{
	if (!gs_rec.conf.backtrace) {
		return;
	}
	void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
	if (h) {
		bt_impl = (bt_fn)dlsym(h, "unw_backtrace");
		bt_name = "libunwind";
	}
	if (!bt_impl) {
		gs_rec_debug("libunwind.so.8 not loaded, using glibc backtrace()", NULL, 0, 0);
		bt_impl = bt_glibc;
		bt_name = "glibc";
	}
	if (bt_warm() <= 0) {
		gs_rec_debug("unwinder returned no frame: backtraces off", NULL, 0, 0);
		bt_impl = NULL;
		bt_name = "none";
	}
}

const char *gs_bt_backend(void)
{
	return bt_name;
}

unsigned gs_bt_take(struct gs_slot *s, const void *caller, int *cut)
{
	int n, skip = 0;

	*cut = 0;
	if (!bt_impl) {
		return 0;
	}
	n = bt_impl(s->frames, GS_REC_BT_RAW);
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
