/* SPDX-License-Identifier: Apache-2.0 */
/* The payload parser and the flag tables, in-process. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "ctltest.h"
#include "event.h"
#include "flags.h"
#include "output.h"
#include "symbolize.h"

static size_t sample(uint8_t *buf, size_t cap)
{
	struct gs_tlv t;

	gs_tlv_init(&t, buf, cap);
	gs_tlv_u32(&t, GOSHIM_T_PID, 42);
	gs_tlv_str(&t, GOSHIM_T_PATH, "/a/b");
	gs_tlv_u32(&t, 9999, 7);                      /* unknown tag */
	gs_tlv_str(&t, GOSHIM_T_ARGV, "x");
	gs_tlv_str(&t, GOSHIM_T_ARGV, "y");
	gs_tlv_u64(&t, GOSHIM_T_FRAME, 0x1000);
	gs_tlv_u64(&t, GOSHIM_T_FRAME, 0x2000);
	gs_tlv_i32(&t, GOSHIM_T_ERRNO, EPERM);
	return t.len;
}

/* n pseudo-random bytes into b, from the state *s. */
static void random_bytes(uint8_t *b, size_t n, uint64_t *s)
{
	for (size_t k = 0; k < n; k++) {
		*s = *s * 6364136223846793005ull + 1442695040888963407ull;
		b[k] = (uint8_t)(*s >> 56);
	}
}

Test(event, parses_and_skips_unknown)
{
	uint8_t buf[512];
	size_t n = sample(buf, sizeof(buf));
	struct gs_event e;

	cr_assert_eq(gs_event_parse(&e, buf, n), 0);
	cr_assert_null(e.error);
	cr_assert_eq(e.pid, 42);
	cr_assert_str_eq(e.path, "/a/b");
	cr_assert_eq(e.argv.n, 2);
	cr_assert_str_eq(gs_evt_strs(&e.argv)[1], "y");
	cr_assert_eq(e.frames.n, 2);
	cr_assert_eq(gs_evt_frames(&e)[1], 0x2000);
	cr_assert(gs_evt_has(&e, GS_E_ERRNO));
	cr_assert_eq(e.err, EPERM);
	cr_assert(!gs_evt_has(&e, GS_E_TID));
	gs_event_free(&e);
}

/* Every prefix of a good payload: no crash, fields before the cut kept,
 * an error exactly when the cut is inside a field. */
Test(event, every_truncation)
{
	uint8_t buf[512];
	size_t n = sample(buf, sizeof(buf));

	for (size_t cut = 0; cut <= n; cut++) {
		struct gs_event e;
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, buf, cut);
		int rc = gs_event_parse(&e, copy, cut);
		if (cut >= 8) {
			cr_assert_eq(e.pid, 42, "cut %zu", cut);
		}
		if (rc < 0) {
			cr_assert_not_null(e.error);
			cr_assert(strstr(e.error, "malformed"), "%s", e.error);
		}
		cr_assert_eq(rc == 0, cut == n || cut == 0 || cut == 8 || cut == 16 ||
			     cut == 24 || cut == 29 || cut == 34 || cut == 46 || cut == 58,
			     "cut %zu rc %d", cut, rc);
		gs_event_free(&e);
		free(copy);
	}
}

Test(event, wrong_sizes_and_garbage)
{
	uint8_t buf[64];
	struct gs_tlv t;
	struct gs_event e;

	gs_tlv_init(&t, buf, sizeof(buf));
	gs_tlv_u32(&t, GOSHIM_T_PID, 5);
	gs_tlv_u64(&t, GOSHIM_T_TID, 6);            /* u32 tag with 8 bytes */
	gs_tlv_put(&t, GOSHIM_T_EV_STAT, "abc", 3); /* struct too short */
	gs_tlv_put(&t, GOSHIM_T_MODULE, "ab", 2);
	gs_tlv_str(&t, GOSHIM_T_EXE, "/bin/x");
	cr_assert_eq(gs_event_parse(&e, buf, t.len), -1);
	cr_assert_not_null(e.error);
	cr_assert(strstr(e.error, "bad length"), "%s", e.error);
	cr_assert_eq(e.pid, 5);
	cr_assert(!gs_evt_has(&e, GS_E_TID));
	cr_assert(!gs_evt_has(&e, GS_E_EV_STAT));
	cr_assert_eq(e.modules.n, 0);
	cr_assert_str_eq(e.exe, "/bin/x");
	gs_event_free(&e);

	/* random bytes: never a crash */
	uint64_t s = 1;
	for (int i = 0; i < 20000; i++) {
		uint8_t rnd[64];
		random_bytes(rnd, sizeof(rnd), &s);
		gs_event_parse(&e, rnd, (size_t)(s % sizeof(rnd)));
		gs_event_free(&e);
	}
	cr_assert_eq(gs_event_parse(&e, NULL, 0), 0);
	gs_event_free(&e);
}

/* Leaving the backtrace out changes nothing else: every other field, and
 * the same error for the same damage (a malformed frame or module is
 * still one), on good, damaged and random payloads. */
Test(event, parse_without_backtrace)
{
	static const uint16_t bt[] = { GOSHIM_T_FRAME, GOSHIM_T_MODULE, GOSHIM_T_FRAME_SYM };
	uint8_t buf[512], bad[64];
	size_t n = sample(buf, sizeof(buf));
	struct gs_event a, b;
	struct gs_tlv t;

	cr_assert_eq(gs_event_parse_without(&b, buf, n, bt, 3), 0);
	cr_assert_eq(b.frames.n, 0);
	cr_assert_null(b.frames.v);
	cr_assert_eq(b.argv.n, 2, "a MANY tag not left out is kept");
	cr_assert_str_eq(b.path, "/a/b");
	cr_assert_eq(b.err, EPERM);
	gs_event_free(&b);

	gs_tlv_init(&t, bad, sizeof(bad));
	gs_tlv_u32(&t, GOSHIM_T_PID, 5);
	gs_tlv_u32(&t, GOSHIM_T_FRAME, 6);         /* a u64 tag with 4 bytes */
	cr_assert_eq(gs_event_parse_without(&b, bad, t.len, bt, 3), -1);
	cr_assert_not_null(b.error);
	cr_assert(strstr(b.error, "bad length"), "%s", b.error);
	gs_event_free(&b);
	gs_tlv_init(&t, bad, sizeof(bad));
	gs_tlv_put(&t, GOSHIM_T_MODULE, "ab", 2);  /* shorter than its struct */
	cr_assert_eq(gs_event_parse_without(&b, bad, t.len, bt, 3), -1);
	cr_assert_eq(b.modules.n, 0);
	gs_event_free(&b);

	uint64_t s = 7;
	for (int i = 0; i < 20000; i++) {
		uint8_t rnd[96];
		random_bytes(rnd, sizeof(rnd), &s);
		if (i % 2) {
			memcpy(rnd, buf, n < sizeof(rnd) ? n : sizeof(rnd));
			rnd[s % sizeof(rnd)] ^= (uint8_t)(s >> 8);
		}
		size_t len = (size_t)(s % sizeof(rnd));
		int ra = gs_event_parse(&a, rnd, len), rb = gs_event_parse_without(&b, rnd, len, bt, 3);
		cr_assert_eq(ra, rb);
		cr_assert_eq(a.has, b.has);
		cr_assert_eq(a.pid, b.pid);
		cr_assert_eq(a.argv.n, b.argv.n);
		cr_assert_str_eq(a.error ? a.error : "", b.error ? b.error : "");
		cr_assert_eq(b.frames.n + b.modules.n + b.frame_syms.n, 0);
		gs_event_free(&a);
		gs_event_free(&b);
	}
}

Test(event, flag_tables)
{
	char b[256];

	cr_assert_str_eq(gs_flags_str(&gs_fs_open, O_RDONLY, b, sizeof(b)), "O_RDONLY");
	cr_assert_str_eq(gs_flags_str(&gs_fs_open, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				      b, sizeof(b)), "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	cr_assert_str_eq(gs_flags_str(&gs_fs_open, O_RDWR | O_SYNC, b, sizeof(b)),
			 "O_RDWR|O_SYNC");
	cr_assert_str_eq(gs_flags_str(&gs_fs_open, O_RDWR | O_TMPFILE, b, sizeof(b)),
			 "O_RDWR|O_TMPFILE");
	cr_assert_str_eq(gs_flags_str(&gs_fs_open, O_DIRECTORY | 0x40000000, b, sizeof(b)),
			 "O_RDONLY|O_DIRECTORY|0x40000000");
	cr_assert_str_eq(gs_flags_str(&gs_fs_prot, 0, b, sizeof(b)), "PROT_NONE");
	cr_assert_str_eq(gs_flags_str(&gs_fs_prot, PROT_READ | PROT_EXEC, b, sizeof(b)),
			 "PROT_READ|PROT_EXEC");
	cr_assert_str_eq(gs_flags_str(&gs_fs_amode, 0, b, sizeof(b)), "F_OK");
	cr_assert_str_eq(gs_flags_str(&gs_fs_amode, 5, b, sizeof(b)), "R_OK|X_OK");
	cr_assert_str_eq(gs_flags_str(&gs_fs_at, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, b,
				      sizeof(b)), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	cr_assert_str_eq(gs_errno_name(ENOENT), "ENOENT");
	cr_assert_str_eq(gs_errno_desc(EACCES), "Permission denied");
	cr_assert_eq(gs_errno_parse("eacces"), EACCES);
	cr_assert_eq(gs_errno_parse("13"), 13);
	cr_assert_eq(gs_errno_parse("ENOPE"), -1);
	cr_assert_str_eq(gs_signal_name(9), "SIGKILL");
	cr_assert_str_eq(gs_clock_name(1), "CLOCK_MONOTONIC");
	cr_assert_str_eq(gs_fstype_name(0x01021994), "tmpfs");
	cr_assert_str_eq(gs_machine_name(183), "aarch64");
}

/* Frames are looked up in their own record's modules; no file is opened
 * when symbols are off. */
Test(event, module_offset_without_symbols)
{
	uint8_t buf[512];
	struct ct_rec *c = malloc(sizeof(*c));
	struct gs_event e;
	struct gs_frame_info fi;
	struct gs_symbolizer *s = gs_sym_new(0);

	ct_rec_begin(c, 1, 1, 1, "/x");
	gs_tlv_u64(&c->t, GOSHIM_T_FRAME, 0x7f0000001234);
	gs_tlv_u64(&c->t, GOSHIM_T_FRAME, 0x7f0000002000); /* looked up at -1 */
	gs_tlv_u64(&c->t, GOSHIM_T_FRAME, 0x1234);
	ct_rec_module(c, 0x7f0000000000, 0x7f0000002000, 0x7f0000000000, NULL, 0,
		      "/usr/lib/x86_64-linux-gnu/libc.so.6");
	memcpy(buf, c->buf, c->t.len);
	cr_assert_eq(gs_event_parse(&e, buf, c->t.len), 0);
	gs_sym_frame(s, &e, 0, &fi);
	cr_assert_str_eq(fi.module, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_eq(fi.offset, 0x1234);
	cr_assert_null(fi.function);
	gs_sym_frame(s, &e, 1, &fi);
	cr_assert_not_null(fi.module);
	cr_assert_eq(fi.offset, 0x2000);
	gs_sym_frame(s, &e, 2, &fi);
	cr_assert_null(fi.module);
	cr_assert_eq(gs_sym_opened(s), 0);
	gs_sym_free(s);
	gs_event_free(&e);
	free(c);
}

Test(event, utf8)
{
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xe2\x82\xac"), 3);
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80"), 4);
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xff"), 0);
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xc0\xaf"), 0);     /* overlong */
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xed\xa0\x80"), 0); /* surrogate */
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xe2\x82"), 0);     /* cut short */
	cr_assert_eq(gs_utf8_len((const unsigned char *)"\xf4\x90\x80\x80"), 0);
}
