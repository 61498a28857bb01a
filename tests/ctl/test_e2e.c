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
