// SPDX-License-Identifier: Apache-2.0
/*
 * The real functions are found the way dlsym(RTLD_NEXT) finds them, in one
 * pass over the next objects' hash tables (preload/rec/nextsym.c): every row of
 * real.def gets dlsym's address, with another library after ours that
 * interposes one of them and defines another in two versions; libgoshim.so
 * passes its calls to that library; and its constructor makes no
 * dlsym(RTLD_NEXT) look-up in a process where every name is in libc.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tl_env.h"
#include "tl_fs.h"
#include "tl_run.h"

TestSuite(nextsym);

static char ns_preload[1024], ns_out[512], ns_ring[512];
static int ns_no_ctl; /* run without $GOSHIMCTL: the hand-over finds its own */

static void ns_env(void)
{
	setenv("LD_PRELOAD", ns_preload, 1);
	setenv("NEXTSYM_OUT", ns_out, 1);
	setenv("GOSHIM_RING", ns_ring, 1);
	if (ns_no_ctl) {
		unsetenv("GOSHIMCTL");
		unsetenv("GOSHIM_HANDOVER");
	}
}

/* Run argv with LD_PRELOAD=preload; returns what it wrote to $NEXTSYM_OUT
 * (malloc'd, NULL if nothing), its stdout in *out when out is not NULL. */
static char *ns_run(const char *preload, const char *const *argv, char **out)
{
	char dir[256];
	struct tl_cmd c = { .argv = argv, .uid = -1, .pre = ns_env, .capture = 1 };
	struct tl_res res;
	char *file;

	snprintf(dir, sizeof(dir), "%s", tl_tmpdir("nextsym"));
	snprintf(ns_preload, sizeof(ns_preload), "%s", preload);
	snprintf(ns_out, sizeof(ns_out), "%s/out", dir);
	snprintf(ns_ring, sizeof(ns_ring), "%s/ring", dir);
	cr_assert_eq(tl_spawn(&c, &res), 0, "%s: exit %d: %s", argv[0], res.code, res.err);
	file = tl_read(ns_out, NULL);
	tl_rmtree(dir);
	if (out) {
		*out = res.out;
		res.out = NULL;
	}
	tl_res_free(&res);
	return file;
}

/* The same, asserting that the run wrote $NEXTSYM_OUT. */
static char *ns_report(const char *preload, const char *const *argv)
{
	char *file = ns_run(preload, argv, NULL);

	cr_assert_not_null(file, "%s under %s wrote no report", argv[0], preload);
	return file;
}

static const char *ns_built(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	fl_built(buf[i], sizeof(buf[i]), name);
	return buf[i];
}

/* The probe's line for name: found, same, object. */
static void ns_row(const char *report, const char *name, int *found, int *same,
		   char *obj, size_t objlen)
{
	char key[64], fmt[32];
	const char *p;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(report, key);
	cr_assert_not_null(p, "no row %s in:\n%s", name, report);
	snprintf(fmt, sizeof(fmt), "%%d %%d %%%zus", objlen - 1);
	cr_assert_eq(sscanf(p + strlen(key), fmt, found, same, obj), 3, "%s", p);
}

/* Every row found and equal to dlsym's; returns the report. */
static char *ns_probe(const char *preload)
{
	static const char *const argv[] = { "/bin/true", NULL };
	char *rep = ns_report(preload, argv);
	int rows = 0, nfound = 0, n = 0;
	const char *p = rep;

	cr_assert_eq(sscanf(rep, "rows %d found %d", &rows, &nfound), 2, "%s", rep);
	cr_assert_geq(rows, 60, "%s", rep);
	cr_expect_eq(nfound, rows, "not every row found in one pass:\n%s", rep);
	while ((p = strchr(p, '\n')) && *++p) {
		char name[64], obj[256];
		int found, same;

		if (sscanf(p, "%63s %d %d %255s", name, &found, &same, obj) != 4 ||
		    strchr(name, '@')) {
			continue;
		}
		n++;
		cr_expect(found && same, "%s: found %d, the same as dlsym(RTLD_NEXT): %d",
			  name, found, same);
	}
	cr_expect_eq(n, rows, "%d rows of %d:\n%s", n, rows, rep);
	return rep;
}

Test(nextsym, every_row_as_dlsym)
{
	char *rep = ns_probe(ns_built("libnextsym-probe.so"));
	int found, same;
	char obj[256];

	ns_row(rep, "stat", &found, &same, obj, sizeof(obj));
	cr_expect(strstr(obj, "libc.so") != NULL, "stat from %s", obj);
	/* pthread_create@GLIBC_2.2.5 is hidden: the default, 2.34 */
	cr_expect_not_null(strstr(rep, "\npthread_create@@GLIBC_2.34 1\n"), "%s", rep);
	free(rep);
}

Test(nextsym, another_preload_after_ours)
{
	char preload[1100];
	char *rep;
	int found, same;
	char obj[256];

	snprintf(preload, sizeof(preload), "%s:%s", ns_built("libnextsym-probe.so"),
		 ns_built("libnextsym-interpose.so"));
	rep = ns_probe(preload);
	ns_row(rep, "stat", &found, &same, obj, sizeof(obj));
	cr_expect_str_eq(obj, "libnextsym-interpose.so", "stat from %s", obj);
	ns_row(rep, "fstat", &found, &same, obj, sizeof(obj));
	cr_expect_str_eq(obj, "libnextsym-interpose.so", "fstat from %s", obj);
	cr_expect_not_null(strstr(rep, "\nfstat@@NEXTSYM_2 1\n"), "not the default version:\n%s",
			   rep);
	ns_row(rep, "open", &found, &same, obj, sizeof(obj));
	cr_expect(strstr(obj, "libc.so") != NULL, "open from %s", obj);
	free(rep);
}

Test(nextsym, goshim_calls_the_next_preload)
{
	const char *const argv[] = { ns_built("nextsym-main"), NULL };
	char preload[1100];
	char *out;

	snprintf(preload, sizeof(preload), "%s:%s", fl_preload(),
		 ns_built("libnextsym-interpose.so"));
	free(ns_run(preload, argv, &out));
	cr_expect_str_eq(out, "stat 0 4242 fstat 0 2\n");
	free(out);
}

/* A start asks the loader nothing through dlsym or dladdr (they take its
 * lock, and cost a binding each): the real functions and _dl_find_object
 * come from one pass over the hash tables, the hand-over's goshimctl next
 * to this library is found from _dl_find_object at the first hand-over. */
Test(nextsym, no_dlsym_at_start)
{
	static const char *const argv[] = { "/bin/true", NULL };
	char preload[1100];
	char *rep;

	snprintf(preload, sizeof(preload), "%s:%s", fl_preload(),
		 ns_built("libnextsym-count.so"));
	ns_no_ctl = 1;
	rep = ns_report(preload, argv);
	ns_no_ctl = 0;
	cr_expect_str_eq(rep, "rtld_next 0 dlsym 0 dladdr 0\n",
			 "the constructor asked the loader: %s", rep);
	free(rep);
}
