/* SPDX-License-Identifier: Apache-2.0 */
/* The bundled example (examples/explain.sh, the end of examples/demo.sh,
 * the README's first command): report names every failure it makes, with
 * the pattern the example stands for, and leaves nothing unclassified. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctltest.h"

static const char *const advertised[] = {
	"elf-interpreter-missing", /* a musl binary on glibc         */
	"exec-not-executable",     /* a script without the x bit     */
	"cgo-compiler-missing",    /* $CC not installed               */
	"gocache-init-denied",     /* $GOCACHE below a regular file   */
	"seccomp-memfd-denied",    /* a sandbox denying memfd_create  */
};

static int has_pattern(json_t *findings, const char *id)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		if (strcmp(ct_jstr(f, "pattern"), id) == 0) {
			return 1;
		}
	}
	return 0;
}

Test(demo, every_advertised_failure_is_explained, .timeout = 120)
{
	const char *dir = ct_tmpdir();
	char cmd[2048], ring[512];
	struct ct_run res;
	json_t *j, *findings;

	snprintf(cmd, sizeof(cmd), "DEMO_QUIET=1 DEMO_WORK='%s' bash '%s/examples/explain.sh' '%s' >/dev/null",
		 dir, tl_env("GOSHIM_SOURCE_ROOT"), tl_env("GOSHIM_BUILD_ROOT"));
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	snprintf(ring, sizeof(ring), "%s/example.ring", dir);
	const char *args[] = { "report", "--json", ring, NULL };
	ct_run(&res, args);
	cr_assert_eq(res.status, 1, "report: %s", res.err);
	j = json_loads(res.out, 0, NULL);
	cr_assert_not_null(j, "%s", res.out);
	findings = json_object_get(j, "findings");
	for (size_t i = 0; i < sizeof(advertised) / sizeof(advertised[0]); i++) {
		cr_expect(has_pattern(findings, advertised[i]), "no %s in %s", advertised[i], res.out);
	}
	cr_expect_eq(json_array_size(findings), sizeof(advertised) / sizeof(advertised[0]), "%s",
		     res.out);
	cr_expect_eq(json_array_size(json_object_get(j, "unclassified")), 0, "%s", res.out);
	/* a summary says what the ring holds and no more: the example is C and
	 * records no credentials for ENOTDIR, so no "go runs as uid ?" */
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		const char *s = ct_jstr(f, "summary");
		cr_expect(!strstr(s, "uid ?") && !strstr(s, "mode ?") && !strstr(s, "go runs as"),
			  "%s: %s", ct_jstr(f, "pattern"), s);
	}
	json_decref(j);
	ct_run_free(&res);
}
