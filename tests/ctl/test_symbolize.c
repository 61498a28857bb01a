/* SPDX-License-Identifier: Apache-2.0 */
/* Offline symbolization: this test (built with -g) records its own frames
 * and the modules they fall in exactly as the preload does (start and end
 * of the mapping, bias = l_addr, build-id from the ELF note), then checks
 * that goshimctl names the functions and lines; and that stripped,
 * mismatched and missing files degrade to function+offset or
 * module+offset without a crash. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctltest.h"
#include "elfread.h"
#include "event.h"
#include "symbolize.h"

struct mod {
	uint64_t start, end, bias;
	uint8_t bid[20];
	unsigned bid_len;
	char path[512];
};

struct bid_find {
	uint64_t addr;
	struct mod *m;
};

/* The build-id from the object's image in memory (common/elfread.h). */
static int bid_cb(struct dl_phdr_info *info, size_t size, void *ctx)
{
	struct bid_find *f = ctx;
	struct gs_elf_mem mem = { (const uint8_t *)info->dlpi_phdr, SIZE_MAX / 2 };
	struct gs_elf e;

	(void)size;
	if (info->dlpi_addr != f->m->bias) {
		return 0;
	}
	gs_elf_open_loaded(&e, gs_elf_read_mem, &mem, info->dlpi_phnum,
			   (uint64_t)(uintptr_t)info->dlpi_phdr - info->dlpi_addr);
	f->m->bid_len = gs_elf_build_id(&e, f->m->bid);
	return f->m->bid_len != 0;
}

/* The module holding pc, as the preload records it. */
static void module_of(uint64_t pc, struct mod *m)
{
	struct dl_find_object dlfo;
	struct bid_find f = { pc, m };

	memset(m, 0, sizeof(*m));
	cr_assert_eq(_dl_find_object((void *)pc, &dlfo), 0);
	m->start = (uintptr_t)dlfo.dlfo_map_start;
	m->end = (uintptr_t)dlfo.dlfo_map_end;
	m->bias = dlfo.dlfo_link_map->l_addr;
	if (dlfo.dlfo_link_map->l_name[0]) {
		snprintf(m->path, sizeof(m->path), "%s", dlfo.dlfo_link_map->l_name);
	} else {
		ssize_t n = readlink("/proc/self/exe", m->path, sizeof(m->path) - 1);
		cr_assert_gt(n, 0);
		m->path[n] = '\0';
	}
	dl_iterate_phdr(bid_cb, &f);
	cr_assert_gt(m->bid_len, 0, "no build-id in %s", m->path);
}

/* Frames to symbolize, all return addresses as the preload records them:
 * into failer_inner (from here_pc), into failer_outer, and one past the
 * start of libc's getpid (as if a call were getpid's first byte). */
static volatile uint64_t sink;
static int outer_line;

uint64_t here_pc(void);
void failer_inner(uint64_t *pcs);
void failer_outer(uint64_t *pcs);

__attribute__((noinline, noclone)) uint64_t here_pc(void)
{
	return (uintptr_t)__builtin_return_address(0);
}

enum { INNER_LINE = __LINE__ + 3 };
__attribute__((noinline, noclone)) void failer_inner(uint64_t *pcs)
{
	pcs[0] = here_pc();
	pcs[1] = (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0));
	sink = pcs[0];
}

__attribute__((noinline, noclone)) void failer_outer(uint64_t *pcs)
{
	outer_line = __LINE__ + 1;
	failer_inner(pcs);
	sink++;
}

static const char *dir;
static uint64_t pcs[3];
static struct mod self, libc;

static void setup(void)
{
	dir = ct_tmpdir();
	failer_outer(pcs);
	pcs[2] = (uintptr_t)dlsym(RTLD_DEFAULT, "getpid") + 1;
	module_of(pcs[0], &self);
	module_of(pcs[2] - 1, &libc);
	cr_assert_neq(self.bias, libc.bias);
}

static void teardown(void)
{
	ct_rmtree(dir);
}

TestSuite(symbolize, .init = setup, .fini = teardown);

static void add_event(struct ct_rec *c, const struct mod *ms, const struct mod *ml)
{
	ct_rec_begin(c, 1700000000000000000ull, (uint32_t)getpid(), (uint32_t)getpid(),
		     self.path);
	tl_payload_failed(c, GOSHIM_CALL_open, ENOENT, "/nonexistent");
	for (int i = 0; i < 3; i++) {
		gs_tlv_u64(&c->t, GOSHIM_T_FRAME, pcs[i]);
	}
	ct_rec_module(c, ms->start, ms->end, ms->bias, ms->bid, ms->bid_len, ms->path);
	ct_rec_module(c, ml->start, ml->end, ml->bias, ml->bid, ml->bid_len, ml->path);
}

/* Write one event with these modules to a ring; decode it as JSON. */
static json_t *decode_one(const struct mod *ms, const struct mod *ml, const char *extra,
			  struct ct_run *res)
{
	const char *ring = ct_path(dir, "ring");
	struct gs_ring r;
	struct ct_rec c;
	const char *args[] = { "decode", "--json", extra ? extra : ring, extra ? ring : NULL,
			       NULL };

	unlink(ring);
	ct_ring_new(&r, ring, GOSHIM_RING_MIN_DATA);
	add_event(&c, ms, ml);
	ct_rec_write(&c, &r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
	gs_ring_detach(&r);
	ct_run(res, args);
	cr_assert_eq(res->status, 0, "exit %d: %s", res->status, res->err);
	json_t *a = ct_json_lines(res->out);
	cr_assert_eq(json_array_size(a), 1);
	json_t *bt = json_incref(json_object_get(json_array_get(a, 0), "backtrace"));
	cr_assert_eq(json_array_size(bt), 3);
	json_decref(a);
	return bt;
}

static void assert_offsets(json_t *bt, const struct mod *ms, const struct mod *ml)
{
	char hex[32];

	for (int i = 0; i < 3; i++) {
		json_t *f = json_array_get(bt, (size_t)i);
		const struct mod *m = i < 2 ? ms : ml;

		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)pcs[i]);
		cr_assert_str_eq(ct_jstr(f, "pc"), hex);
		cr_assert_str_eq(ct_jstr(f, "module"), m->path);
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(pcs[i] - m->bias));
		cr_assert_str_eq(ct_jstr(f, "offset"), hex, "frame %d", i);
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

Test(symbolize, names_functions_and_lines)
{
	struct ct_run res;
	json_t *bt = decode_one(&self, &libc, NULL, &res);
	json_t *f0 = json_array_get(bt, 0), *f1 = json_array_get(bt, 1),
	       *f2 = json_array_get(bt, 2);

	assert_offsets(bt, &self, &libc);
	cr_assert_str_eq(ct_jstr(f0, "function"), "failer_inner");
	cr_assert(ends_with(ct_jstr(f0, "file"), "tests/ctl/test_symbolize.c"), "%s",
		  ct_jstr(f0, "file"));
	/* every frame is a return address, looked up at pc - 1: the line of
	 * the call */
	cr_assert_eq(ct_jint(f0, "line"), INNER_LINE);
	cr_assert_str_eq(ct_jstr(f1, "function"), "failer_outer");
	cr_assert_eq(ct_jint(f1, "line"), outer_line);
	/* libc: .dynsym, or its debug file when installed */
	cr_assert(strstr(ct_jstr(f2, "function"), "getpid"), "%s", ct_jstr(f2, "function"));
	cr_assert_str_eq(ct_jstr(f2, "function_offset"), "0x1");
	json_decref(bt);
	ct_run_free(&res);

	/* text: "#1 0x... failer_outer+0x.. (test_symbolize.c:N)  [path]" */
	const char *args[] = { "decode", ct_path(dir, "ring"), NULL };
	char want[700];
	ct_run(&res, args);
	cr_assert_eq(res.status, 0);
	snprintf(want, sizeof(want), "    #1 0x%016llx failer_outer+0x",
		 (unsigned long long)pcs[1]);
	cr_assert(strstr(res.out, want), "%s", res.out);
	snprintf(want, sizeof(want), " (test_symbolize.c:%d)  [%s]\n", outer_line, self.path);
	cr_assert(strstr(res.out, want), "%s", res.out);
	ct_run_free(&res);
}

Test(symbolize, no_symbols_option)
{
	struct ct_run res;
	json_t *bt = decode_one(&self, &libc, "--no-symbols", &res);

	assert_offsets(bt, &self, &libc);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_null(json_object_get(json_array_get(bt, i), "function"));
	}
	json_decref(bt);
	ct_run_free(&res);
}

Test(symbolize, stripped_copy)
{
	struct mod s = self;
	struct ct_run res;
	char cmd[1200];

	snprintf(s.path, sizeof(s.path), "%s/stripped", dir);
	snprintf(cmd, sizeof(cmd), "objcopy --strip-all '%s' '%s'", self.path, s.path);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	json_t *bt = decode_one(&s, &libc, NULL, &res);
	assert_offsets(bt, &s, &libc);
	for (size_t i = 0; i < 2; i++) {
		json_t *f = json_array_get(bt, i);
		const char *fn = ct_jstr(f, "function");

		/* .dynsym has no failer_*: no name, or a dynamic one, never a wrong line */
		cr_assert(!fn || strncmp(fn, "failer_", 7) != 0, "%s", fn);
		cr_assert_null(json_object_get(f, "file"));
	}
	json_decref(bt);
	ct_run_free(&res);
}

/* Where the debug file of a build-id lives. */
static const char *debug_file(const struct mod *m)
{
	static char p[128];
	int n = snprintf(p, sizeof(p), "/usr/lib/debug/.build-id/%02x/", m->bid[0]);

	for (unsigned i = 1; i < m->bid_len; i++) {
		n += snprintf(p + n, sizeof(p) - (size_t)n, "%02x", m->bid[i]);
	}
	snprintf(p + n, sizeof(p) - (size_t)n, ".debug");
	return p;
}

/* A build-id that does not match the file: the file is not used.  A file
 * that is gone: its /usr/lib/debug/.build-id file is used if installed. */
Test(symbolize, build_id_mismatch_and_missing_file)
{
	struct mod s = self, l = libc;
	struct ct_run res;
	int have_dbg = access(debug_file(&libc), R_OK) == 0;

	s.bid[0] ^= 0xff;
	snprintf(l.path, sizeof(l.path), "/nonexistent/libc.so.6");
	json_t *bt = decode_one(&s, &l, NULL, &res);
	assert_offsets(bt, &s, &l);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_null(json_object_get(json_array_get(bt, i), "function"));
	}
	const char *fn = ct_jstr(json_array_get(bt, 2), "function");
	if (have_dbg) {
		cr_log_info("libc debug file %s is installed: used for the missing file",
			    debug_file(&libc));
		cr_assert(fn && strstr(fn, "getpid"), "%s", fn);
	} else {
		cr_assert_null(fn);
	}
	json_decref(bt);
	ct_run_free(&res);

	const char *args[] = { "decode", ct_path(dir, "ring"), NULL };
	char want[1200];
	const char *base = strrchr(self.path, '/') + 1;
	ct_run(&res, args);
	snprintf(want, sizeof(want), "    #1 0x%016llx %s+0x%llx  [%s]\n",
		 (unsigned long long)pcs[1], base, (unsigned long long)(pcs[1] - self.bias),
		 self.path);
	cr_assert(strstr(res.out, want), "want %s in %s", want, res.out);
	if (!have_dbg) {
		snprintf(want, sizeof(want), "    #2 0x%016llx libc.so.6+0x%llx  "
			 "[/nonexistent/libc.so.6]\n", (unsigned long long)pcs[2],
			 (unsigned long long)(pcs[2] - libc.bias));
		cr_assert(strstr(res.out, want), "%s", res.out);
	}
	ct_run_free(&res);
}

/* A file without its debug info and without a build-id to find it by. */
Test(symbolize, no_build_id_recorded)
{
	struct mod l = libc;
	struct ct_run res;

	l.bid_len = 0;
	snprintf(l.path, sizeof(l.path), "/nonexistent/libc.so.6");
	json_t *bt = decode_one(&self, &l, NULL, &res);
	assert_offsets(bt, &self, &l);
	cr_assert_str_eq(ct_jstr(json_array_get(bt, 1), "function"), "failer_outer");
	cr_assert_null(json_object_get(json_array_get(bt, 2), "function"));
	json_decref(bt);
	ct_run_free(&res);
}

/* The cache: 2000 records from the same two modules open each file once,
 * and symbolizing 6000 frames stays fast. */
Test(symbolize, cache)
{
	struct ct_rec *c = malloc(sizeof(*c));
	struct gs_symbolizer *sym = gs_sym_new(1);
	struct timespec t0, t1;

	add_event(c, &self, &libc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 0; k < 2000; k++) {
		struct gs_event e;
		struct gs_frame_info fi;

		cr_assert_eq(gs_event_parse(&e, c->buf, c->t.len), 0);
		for (size_t i = 0; i < e.frames.n; i++) {
			gs_sym_frame(sym, &e, i, &fi);
		}
		cr_assert_str_eq(fi.module, libc.path);
		gs_event_free(&e);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_eq(gs_sym_opened(sym), 2);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	cr_log_info("symbolized 6000 frames in %.1f ms", ms); /* printed, never asserted */
	gs_sym_free(sym);
	free(c);
}

/* Decode one event whose program module is ms (at path) from a ring owned
 * by uid:uid; the backtrace. */
static json_t *decode_owned(const struct mod *ms, int uid, struct ct_run *res)
{
	const char *ring = ct_path(dir, "ring");
	const char *args[] = { "decode", "--json", ring, NULL };
	struct gs_ring r;
	struct ct_rec c;

	unlink(ring);
	ct_ring_new(&r, ring, GOSHIM_RING_MIN_DATA);
	add_event(&c, ms, &libc);
	ct_rec_write(&c, &r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
	gs_ring_detach(&r);
	if (uid >= 0) {
		cr_assert_eq(chown(ring, (uid_t)uid, (gid_t)uid), 0, "chown: %m");
	}
	ct_run(res, args);
	cr_assert_eq(res->status, 0, "exit %d: %s", res->status, res->err);
	json_t *a = ct_json_lines(res->out);
	json_t *bt = json_incref(json_object_get(json_array_get(a, 0), "backtrace"));

	cr_assert_eq(json_array_size(bt), 3);
	json_decref(a);
	return bt;
}

/* A module path that is a FIFO: decode goes on (it never opens it). */
Test(symbolize, fifo_module_does_not_hang, .timeout = 600)
{
	struct mod fifo = self;
	struct ct_run res;

	snprintf(fifo.path, sizeof(fifo.path), "%s", ct_path(dir, "fifo"));
	cr_assert_eq(mkfifo(fifo.path, 0644), 0);
	json_t *bt = decode_owned(&fifo, -1, &res);

	cr_assert_null(json_object_get(json_array_get(bt, 0), "function"));
	json_decref(bt);
	ct_run_free(&res);
}

/* root decoding another user's ring opens its module paths as that user:
 * a copy of this program only root may read is not symbolized (it is,
 * from root's own ring). */
Test(symbolize, others_ring_opens_as_its_owner)
{
	struct mod copy = self;
	struct ct_run res;
	char cmd[2048];

	if (geteuid() != 0) {
		cr_skip_test("needs root: decode as root of a uid-1234 ring");
	}
	snprintf(copy.path, sizeof(copy.path), "%s", ct_path(dir, "root-only"));
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0600 '%s' && chmod 0755 '%s'",
		 self.path, copy.path, copy.path, dir);
	cr_assert_eq(system(cmd), 0);
	json_t *bt = decode_owned(&copy, -1, &res);

	cr_assert_str_eq(ct_jstr(json_array_get(bt, 0), "function"), "failer_inner",
			 "root's own ring: the copy is symbolized");
	json_decref(bt);
	ct_run_free(&res);
	bt = decode_owned(&copy, 1234, &res);
	cr_assert_null(json_object_get(json_array_get(bt, 0), "function"),
		       "uid 1234's ring: root read a file 1234 could not");
	json_decref(bt);
	ct_run_free(&res);
}
