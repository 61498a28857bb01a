/* SPDX-License-Identifier: Apache-2.0 */
/* decode --json on hostile and heavy input: recorded strings and member
 * names that are not UTF-8, inlined frames, allocation failures.  The
 * in-process tests count the JSON writer's allocations
 * (gs_json_set_realloc) and refuse them one by one. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"
#include "event.h"
#include "output.h"
#include "symbolize.h"

/* The writer's allocations: how many were asked for, and the one
 * (counted from 0) to refuse, -1 for none. */
static long js_calls;
static long js_fail_at = -1;
static long js_refused;

static void *count_realloc(void *p, size_t n)
{
	js_calls++;
	if (js_fail_at >= 0 && js_fail_at-- == 0) {
		js_refused++;
		return NULL;
	}
	return realloc(p, n);
}

static void count_init(void)
{
	gs_json_set_realloc(count_realloc);
}

/* A PROCESS record whose environment holds a name that is not UTF-8,
 * then a value that is not, then a good pair. */
static void add_env(struct ct_rec *c)
{
	gs_tlv_str(&c->t, GOSHIM_T_ENV, "GO\xff=1");
	gs_tlv_str(&c->t, GOSHIM_T_ENV, "GOPATH=/h\xfe/go");
	gs_tlv_str(&c->t, GOSHIM_T_ENV, "GOFLAGS=-mod=mod");
}

Test(json, env_name_not_utf8)
{
	const char *d = ct_tmpdir(), *ring = ct_path(d, "ring");
	struct gs_ring r;
	struct ct_rec c;
	struct ct_run res;
	const char *args[] = { "decode", "--json", "--type", "all", ring, NULL };

	/* exactly the crafted record: pid, tid, exe and one env "GO\xff=1" */
	ct_ring_new(&r, ring, GOSHIM_RING_MIN_DATA);
	gs_tlv_init(&c.t, c.buf, sizeof(c.buf));
	gs_tlv_u32(&c.t, GOSHIM_T_PID, 7);
	gs_tlv_u32(&c.t, GOSHIM_T_TID, 7);
	gs_tlv_str(&c.t, GOSHIM_T_EXE, "/usr/bin/go");
	gs_tlv_str(&c.t, GOSHIM_T_ENV, "GO\xff=1");
	ct_rec_write(&c, &r, GOSHIM_REC_PROCESS, GOSHIM_CODEC_RAW);
	/* and one with more around it */
	ct_rec_begin(&c, 1700000000000000000ull, 8, 8, "/usr/bin/g\xc3\x28");
	add_env(&c);
	ct_rec_write(&c, &r, GOSHIM_REC_PROCESS, GOSHIM_CODEC_ZSTD);
	gs_ring_detach(&r);

	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "exit %d, stderr: %s", res.status, res.err);
	cr_assert_str_empty(res.err);
	json_t *a = ct_json_lines(res.out);
	cr_assert_eq(json_array_size(a), 2, "both records shown:\n%s", res.out);

	json_t *env = json_object_get(json_array_get(a, 0), "env");
	cr_assert_eq(json_object_size(env), 1, "the name is kept, made UTF-8: %s", res.out);
	cr_assert_str_eq(ct_jstr(env, "GO\xef\xbf\xbd"), "1");

	json_t *o = json_array_get(a, 1);
	env = json_object_get(o, "env");
	cr_assert_eq(json_object_size(env), 3, "%s", res.out);
	cr_assert_str_eq(ct_jstr(env, "GO\xef\xbf\xbd"), "1");
	cr_assert_str_eq(ct_jstr(env, "GOPATH"), "/h\xef\xbf\xbd/go");
	cr_assert_str_eq(ct_jstr(env, "GOFLAGS"), "-mod=mod");
	cr_assert_str_eq(ct_jstr(o, "exe"), "/usr/bin/g\xef\xbf\xbd(");
	json_decref(a);
	ct_run_free(&res);

	/* the text output escapes the same bytes */
	const char *targs[] = { "decode", "--type", "process", ring, NULL };
	ct_run(&res, targs);
	cr_assert_eq(res.status, 0, "exit %d, stderr: %s", res.status, res.err);
	cr_assert_not_null(strstr(res.out, "  env GO\\xff=1\n"), "%s", res.out);
	cr_assert_not_null(strstr(res.out, "  env GOPATH=/h\\xfe/go\n"), "%s", res.out);
	ct_run_free(&res);
	ct_rmtree(d);
}

/* An EVENT payload with n frames; frame 0 carries a physical name and
 * two inlined calls, frame 1 one inlined call. */
static size_t inlined_event(struct ct_rec *c, unsigned nframes)
{
	static const struct {
		unsigned frame, inlined, line;
		const char *func, *file;
	} syms[] = {
		{ 0, 1, 10, "strings.IndexByte", "/go/src/strings/strings.go" },
		{ 0, 1, 20, "os.(*File).Read", "/go/src/os/file.go" },
		{ 0, 0, 30, "main.main", "/src/m/main.go" },
		{ 1, 1, 40, "runtime.main\xff", "" },
	};

	ct_rec_begin(c, 1700000000000000000ull, 9, 9, "/tmp/m.test");
	gs_tlv_u32(&c->t, GOSHIM_T_CALL, 1);
	gs_tlv_i32(&c->t, GOSHIM_T_ERRNO, 2);
	gs_tlv_str(&c->t, GOSHIM_T_PATH, "/nonexistent\xff");
	for (unsigned i = 0; i < nframes; i++) {
		gs_tlv_u64(&c->t, GOSHIM_T_FRAME, 0x401000 + 16 * i);
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		uint8_t b[256];
		struct goshim_t_frame_sym fs = { .frame = syms[i].frame, .line = syms[i].line,
						 .inlined = syms[i].inlined };
		size_t fl = strlen(syms[i].func), ll = strlen(syms[i].file);

		fs.func_len = (uint32_t)fl;
		memcpy(b, &fs, sizeof(fs));
		memcpy(b + sizeof(fs), syms[i].func, fl);
		memcpy(b + sizeof(fs) + fl, syms[i].file, ll);
		gs_tlv_put(&c->t, GOSHIM_T_FRAME_SYM, b, sizeof(fs) + fl + ll);
	}
	gs_tlv_finish(&c->t);
	cr_assert_eq(c->t.full, 0);
	return c->t.len;
}

/* Render one record as JSON into a string (malloc'd); *rc gets
 * gs_json_record's result. */
static char *render(const uint8_t *payload, size_t len, uint16_t type, int *rc)
{
	struct gs_rec rec = { .pos = 64, .type = type, .engine = GOSHIM_ENGINE_TRACE,
			      .count = 1, .raw_len = (uint32_t)len };
	struct gs_event e;
	struct gs_symbolizer *sym = gs_sym_new(0);
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);

	cr_assert(sym && f);
	cr_assert_eq(gs_event_parse(&e, payload, len), 0, "%s", e.error);
	struct gs_shown s = { 0, &rec, &e };
	*rc = gs_json_record(f, sym, &s);
	fclose(f);
	gs_event_free(&e);
	gs_sym_free(sym);
	return out;
}

Test(json, inlined_frames_and_no_allocation_per_record, .init = count_init)
{
	struct ct_rec c;
	size_t len = inlined_event(&c, 40);
	int rc;

	free(render(c.buf, len, GOSHIM_REC_EVENT, &rc));
	cr_assert_eq(rc, 0);
	long first = js_calls;
	char *out = render(c.buf, len, GOSHIM_REC_EVENT, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_gt(first, 0, "the first record allocates the line");
	cr_assert_eq(js_calls, first, "%ld allocations for the same record again: the "
		     "line's buffer is kept", js_calls - first);

	json_error_t err;
	json_t *o = json_loads(out, 0, &err);
	cr_assert_not_null(o, "%s: %s", err.text, out);
	json_t *bt = json_object_get(o, "backtrace");
	cr_assert_eq(json_array_size(bt), 40);
	json_t *f0 = json_array_get(bt, 0), *f1 = json_array_get(bt, 1);
	cr_assert_str_eq(ct_jstr(f0, "function"), "main.main");
	cr_assert_eq(json_array_size(json_object_get(f0, "inlined")), 2);
	cr_assert_str_eq(ct_jstr(json_array_get(json_object_get(f0, "inlined"), 1), "function"),
			 "os.(*File).Read");
	cr_assert_str_eq(ct_jstr(json_array_get(json_object_get(f1, "inlined"), 0), "function"),
			 "runtime.main\xef\xbf\xbd");
	cr_assert_null(json_object_get(json_array_get(bt, 2), "inlined"));
	cr_assert_str_eq(ct_jstr(o, "path"), "/nonexistent\xef\xbf\xbd");
	json_decref(o);
	free(out);
}

/* Each allocation the writer makes for one record (its buffers released
 * first) fails in turn, the others succeed: the record is then not
 * written (-1), and nothing is freed twice.  Returns how many there were. */
static long fail_each_allocation(const uint8_t *payload, size_t len, uint16_t type)
{
	long n;

	for (n = 0;; n++) {
		int rc;

		gs_json_set_realloc(count_realloc);
		js_refused = 0;
		js_fail_at = n;
		char *out = render(payload, len, type, &rc);
		js_fail_at = -1;
		if (!js_refused) {
			/* n is past the last allocation: all succeeded */
			cr_assert_eq(rc, 0);
			cr_assert_gt(strlen(out), 10);
			json_error_t err;
			json_t *o = json_loads(out, 0, &err);
			cr_assert_not_null(o, "%s: %s", err.text, out);
			json_decref(o);
			free(out);
			break;
		}
		cr_assert_eq(rc, -1, "allocation %ld refused, yet the record was written: %s",
			     n, out);
		cr_assert_str_empty(out, "a failed record writes nothing");
		free(out);
		cr_assert_lt(n, 100);
	}
	return n;
}

Test(json, allocation_failures_event, .init = count_init)
{
	struct ct_rec c;
	/* a line longer than the first buffer: it grows half-way */
	size_t len = inlined_event(&c, 200);

	cr_assert_geq(fail_each_allocation(c.buf, len, GOSHIM_REC_EVENT), 2,
		      "the line's buffer is allocated, then grown");
}

Test(json, allocation_failures_process, .init = count_init)
{
	struct ct_rec c;

	ct_rec_begin(&c, 1700000000000000000ull, 8, 8, "/usr/bin/go");
	add_env(&c);
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "go");
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "t\xffst");
	gs_tlv_finish(&c.t);
	cr_assert_geq(fail_each_allocation(c.buf, c.t.len, GOSHIM_REC_PROCESS), 1,
		      "the line's buffer is allocated");
}
