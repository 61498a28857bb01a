/* SPDX-License-Identifier: Apache-2.0 */
/* End to end: a real program fails real calls under libgoshim.so; the ring
 * it leaves is decoded, with the program's own functions and lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"

/* Run the failer under the preload; fills the expected lines. */
static void run_failer(const char *ring, const char *missing, const char *ro,
		       int *openat_line, int *mkdir_line)
{
	const char *pre = getenv("GOSHIM_PRELOAD");
	const char *root = getenv("GOSHIM_BUILD_ROOT");
	char failer[600], cmd[2400];
	FILE *p;

	cr_assert(pre && root, "GOSHIM_PRELOAD / GOSHIM_BUILD_ROOT not set");
	snprintf(failer, sizeof(failer), "%s/tests/ctl/ctl-failer", root);
	snprintf(cmd, sizeof(cmd), "GOSHIM_RING='%s' LD_PRELOAD='%s' '%s' '%s' '%s'", ring, pre,
		 failer, missing, ro);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "openat %d\nmkdir %d\n", openat_line, mkdir_line), 2);
	cr_assert_eq(pclose(p), 0);
}

/* The event of this call family (openat is openat64 with 64-bit off_t). */
static json_t *find(json_t *a, const char *family)
{
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		const char *s = ct_jstr(o, "family");

		if (s && strcmp(s, family) == 0) {
			return o;
		}
	}
	cr_assert_fail("no %s event", family);
	return NULL;
}

static void assert_frame0(json_t *evt, const char *fn, int line)
{
	json_t *f = json_array_get(json_object_get(evt, "backtrace"), 0);
	const char *file;

	cr_assert_not_null(f, "no backtrace");
	cr_assert_str_eq(ct_jstr(f, "function"), fn);
	file = ct_jstr(f, "file");
	cr_assert(file && strstr(file, "failer.c"), "file %s", file);
	cr_assert_eq(ct_jint(f, "line"), line);
}

Test(e2e, preload_ring_decodes)
{
	const char *dir = ct_tmpdir();
	/* /proc takes no new directories, for root too */
	const char *nodir = "/proc/goshim-ctl-test";
	char ring[300], missing[300];
	int lo, lm;
	struct ct_run res;

	snprintf(ring, sizeof(ring), "%s/ring", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/file", dir);
	run_failer(ring, missing, nodir, &lo, &lm);

	const char *args[] = { "decode", "--json", ring, NULL };
	ct_run_as(&res, args, -1);
	cr_assert_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	json_t *a = ct_json_lines(res.out);
	json_t *o = find(a, "open");
	cr_assert_eq(strncmp(ct_jstr(o, "syscall"), "openat", 6), 0);
	cr_assert_str_eq(ct_jstr(o, "errno"), "ENOENT");
	cr_assert_str_eq(ct_jstr(o, "path"), missing);
	cr_assert_str_eq(ct_jstr(o, "engine"), "preload");
	cr_assert_eq(ct_jint(o, "pid"), ct_jint(o, "tid"));
	assert_frame0(o, "fail_openat", lo);
	json_t *ev = json_object_get(o, "evidence");
	cr_assert_str_eq(ct_jstr(ev, "path"), dir);
	cr_assert_eq(ct_jint(ev, "missing"), 3);
	o = find(a, "mkdir");
	cr_assert_str_eq(ct_jstr(o, "syscall"), "mkdir");
	cr_assert_str_eq(ct_jstr(o, "errno"), "ENOENT");
	cr_assert_str_eq(ct_jstr(o, "path"), nodir);
	cr_assert_str_eq(ct_jstr(json_object_get(o, "args"), "mode_sym"), "0755");
	assert_frame0(o, "fail_mkdir", lm);
	json_decref(a);
	ct_run_free(&res);
	ct_rmtree(dir);
}

/* Checks every line of decode --json on stdin with python3's json: each
 * parses alone; each frame of an event names its module; "modules" lists
 * each module a frame names, once, as {path, build_id}, and no other.
 * Prints "lines L events E frames F modules M"; exits 1 on a problem. */
static const char jsonl_check[] =
	"import json, sys\n"
	"lines = events = frames = mods = 0\n"
	"for line in sys.stdin:\n"
	"    o = json.loads(line); lines += 1\n"
	"    if o['type'] != 'event': continue\n"
	"    events += 1\n"
	"    named = [f['module'] for f in o['backtrace']]\n"
	"    frames += len(named)\n"
	"    listed = [m['path'] for m in o['modules']]\n"
	"    mods += len(listed)\n"
	"    assert all(sorted(m) == ['build_id', 'path'] for m in o['modules']), o['modules']\n"
	"    assert len(listed) == len(set(listed)) and set(listed) == set(named), (listed, named)\n"
	"print('lines', lines, 'events', events, 'frames', frames, 'modules', mods)\n";

/* An openat whose four frames fall in three modules, a fourth module
 * named by no frame. */
static void put_three_module_event(const char *ring)
{
	static const uint8_t bid[3][20] = { { 0xaa, 1 }, { 0xbb, 2 }, { 0xcc, 3 } };
	static const uint64_t pcs[] = { 0x401234, 0x7f0000001100, 0x7f1000002200, 0x401300 };
	struct gs_ring r;
	struct ct_rec c;

	tl_ring_new(&r, ring, GOSHIM_RING_MIN_DATA);
	ct_rec_begin(&c, 1700000000000000000ull, 4242, 4242, "/usr/bin/app");
	tl_payload_failed(&c, 20, 2, "/no/such/file");
	for (size_t i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
		gs_tlv_u64(&c.t, GOSHIM_T_FRAME, pcs[i]);
	}
	tl_payload_module(&c, 0x400000, 0x500000, 0, bid[0], 20, "/usr/bin/app");
	tl_payload_module(&c, 0x7f0000000000, 0x7f0000100000, 0x7f0000000000, bid[1], 20,
			  "/usr/lib/libone.so");
	tl_payload_module(&c, 0x7f1000000000, 0x7f1000100000, 0x7f1000000000, bid[2], 20,
			  "/usr/lib/libtwo.so");
	tl_payload_module(&c, 0x7f2000000000, 0x7f2000100000, 0x7f2000000000, NULL, 0,
			  "/usr/lib/unused.so");
	ct_rec_write(&c, &r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
	gs_ring_detach(&r);
}

Test(e2e, json_lines_parse_and_name_each_frames_module)
{
	const char *dir = ct_tmpdir();
	char ring[300], missing[300];
	int lo, lm, status;

	snprintf(ring, sizeof(ring), "%s/ring", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/file", dir);
	run_failer(ring, missing, "/proc/goshim-ctl-test", &lo, &lm);
	put_three_module_event(ring);

	char *out = tl_sh_out(&status, "'%s' decode --json --no-symbols '%s' | python3 -c \"$(cat <<'PY'\n%sPY\n)\"",
			      getenv("GOSHIMCTL"), ring, jsonl_check);
	cr_assert_eq(status, 0, "decode --json | python3 json: %s", out);
	unsigned lines, events, frames, mods;
	cr_assert_eq(sscanf(out, "lines %u events %u frames %u modules %u", &lines, &events,
			    &frames, &mods), 4, "%s", out);
	/* the failer's openat and mkdir (main, libc at least), the crafted event */
	cr_assert_eq(events, 3, "%s", out);
	cr_assert_geq(frames, 2 * 2 + 4, "%s", out);
	cr_assert_geq(mods, 2 * 2 + 3, "%s", out);
	free(out);

	/* the same lines as jq reads them, when it is installed */
	out = tl_sh_out(&status, "command -v jq >/dev/null || { echo no-jq; exit 0; }; "
			"'%s' decode --json '%s' | jq -c '[.backtrace[].module] | length'",
			getenv("GOSHIMCTL"), ring);
	cr_assert_eq(status, 0, "jq: %s", out);
	cr_assert(strcmp(out, "no-jq\n") == 0 || strstr(out, "4\n"), "%s", out);
	free(out);
	ct_rmtree(dir);
}
