/* SPDX-License-Identifier: Apache-2.0 */
/* Command dispatch: help, version, unknown commands and options. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctltest.h"

static void run(const char *const args[], int status, const char *out, const char *err)
{
	struct ct_run res;

	ct_run(&res, args);
	cr_assert_eq(res.status, status, "%s: exit %d", args[0], res.status);
	if (out) {
		cr_assert(strstr(res.out, out), "%s: stdout: %s", args[0], res.out);
	} else {
		cr_assert_str_empty(res.out, "%s: stdout: %s", args[0], res.out);
	}
	if (err) {
		cr_assert(strstr(res.err, err), "%s: stderr: %s", args[0], res.err);
	} else {
		cr_assert_str_empty(res.err, "%s: stderr: %s", args[0], res.err);
	}
	ct_run_free(&res);
}

Test(cli, help_and_version)
{
	run((const char *[]){ "--help", NULL }, 0,
	    "  decode     print the records of a ring file", NULL);
	run((const char *[]){ "-h", NULL }, 0, "usage: goshimctl", NULL);
	run((const char *[]){ "--version", NULL }, 0, "goshimctl 0.1.0\n", NULL);
	run((const char *[]){ "help", NULL }, 0, "usage: goshimctl", NULL);
	run((const char *[]){ "help", "decode", NULL }, 0,
	    "usage: goshimctl decode [OPTIONS] RING", NULL);
	run((const char *[]){ "decode", "--help", NULL }, 0,
	    "  --errno NAME|NUM", NULL);
}

Test(cli, usage_errors)
{
	run((const char *[]){ NULL }, 2, NULL, "usage: goshimctl");
	run((const char *[]){ "frob", NULL }, 2, NULL, "goshimctl: unknown command: frob");
	run((const char *[]){ "help", "frob", NULL }, 2, NULL, "unknown command: frob");
	run((const char *[]){ "--frob", NULL }, 2, NULL,
	    "goshimctl: unrecognized option '--frob'\nTry 'goshimctl --help'.\n");
	run((const char *[]){ "-x", NULL }, 2, NULL,
	    "goshimctl: invalid option -- 'x'\nTry 'goshimctl --help'.\n");
	run((const char *[]){ "decode", NULL }, 2, NULL, "decode: no ring file given");
	run((const char *[]){ "decode", "a", "b", NULL }, 2, NULL,
	    "decode: more than one ring file given");
}

/* Every subcommand parses its options the same way and says so in one
 * style: the error, then the hint, exit 2, nothing on stdout. */
Test(cli, one_error_style_for_every_subcommand)
{
	static const struct {
		const char *cmd, *opt, *msg;
	} bad[] = {
		{ "decode", "--pid", "option '--pid' requires an argument" },
		{ "decode", "-x", "invalid option -- 'x'" },
		{ "decode", "--frob", "unrecognized option '--frob'" },
		{ "decode", "--color=sometimes", "--color: expected auto, always or never" },
		{ "report", "--rules", "option '--rules' requires an argument" },
		{ "report", "--frob", "unrecognized option '--frob'" },
		{ "report", "-x", "invalid option -- 'x'" },
		{ "report", "--all=yes", "option '--all' doesn't allow an argument" },
		{ "report", "--format=xml", "--format: expected text, json, github, markdown or junit" },
		{ "report", "--format", "option '--format' requires an argument" },
		{ "report", "--color=sometimes", "--color: expected auto, always or never" },
		{ "doctor", "--rules", "option '--rules' requires an argument" },
		{ "doctor", "--frob", "unrecognized option '--frob'" },
		{ "doctor", "--color", "option '--color' requires an argument" },
		{ "doctor", "--format=junit", "--format: expected text, json or github (markdown and "
		  "junit are report's)" },
		{ "run", "--ring", "option '--ring' requires an argument" },
		{ "run", "--frob", "unrecognized option '--frob'" },
		{ "shims", "--frob", "unrecognized option '--frob'" },
		{ "shims", "-x", "invalid option -- 'x'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];

		snprintf(want, sizeof(want), "goshimctl %s: %s", bad[i].cmd, bad[i].msg);
		run((const char *[]){ bad[i].cmd, bad[i].opt, NULL }, 2, NULL, want);
		snprintf(want, sizeof(want), "\nTry 'goshimctl %s --help'.\n", bad[i].cmd);
		run((const char *[]){ bad[i].cmd, bad[i].opt, NULL }, 2, NULL, want);
	}
}

/* -h and --help: the usage on stdout, exit 0, for every subcommand. */
Test(cli, help_for_every_subcommand)
{
	static const char *const cmds[] = { "decode", "report", "doctor", "run", "shims" };

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char want[64];

		snprintf(want, sizeof(want), "usage: goshimctl %s", cmds[i]);
		run((const char *[]){ cmds[i], "-h", NULL }, 0, want, NULL);
		run((const char *[]){ cmds[i], "--help", NULL }, 0, want, NULL);
	}
}

/* `shims DIR` on a fresh HOME: DIR and its parents are made, 0755 each
 * (like mkdir -p under umask 022), and hold the link. */
Test(cli, shims_makes_its_directory_and_parents)
{
	const char *home = tl_tmpdir("shims");
	char dir[512], link[600], parent[512];
	struct stat st;

	snprintf(parent, sizeof(parent), "%s", tl_path(home, ".goshim"));
	snprintf(dir, sizeof(dir), "%s", tl_path(parent, "bin"));
	snprintf(link, sizeof(link), "%s", tl_path(dir, "go"));
	umask(022);
	run((const char *[]){ "shims", dir, NULL }, 0, NULL, NULL);
	cr_assert_eq(stat(parent, &st), 0, "%s not made", parent);
	cr_expect(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0755, "%s: mode %o", parent,
		  st.st_mode);
	cr_assert_eq(stat(dir, &st), 0, "%s not made", dir);
	cr_expect(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0755, "%s: mode %o", dir,
		  st.st_mode);
	cr_expect_eq(lstat(link, &st), 0, "no link %s", link);
	cr_expect(S_ISLNK(st.st_mode), "%s is not a link", link);
	/* again: already there */
	run((const char *[]){ "shims", dir, NULL }, 0, NULL, NULL);
	/* a file where a directory should be */
	run((const char *[]){ "shims", tl_path(link, "x"), NULL }, 1, NULL, "Not a directory");
	tl_rmtree(home);
}

/* A ring in a fresh directory holding one failed openat (ENOENT) when
 * failed is set, else nothing; returns its path (malloc'd), *dir the
 * directory. */
static char *cli_ring(const char **dir, int failed)
{
	struct gs_ring r;
	struct tl_payload c;
	char *ring;

	*dir = tl_tmpdir("cli");
	ring = tl_ring_in(*dir, &r, GOSHIM_RING_MIN_DATA);
	if (failed) {
		ct_rec_begin(&c, 1000000000, 100, 101, "/usr/bin/go");
		tl_payload_failed(&c, GOSHIM_CALL_openat, ENOENT, "/src/go.mod");
		ct_rec_write(&c, &r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
	}
	gs_ring_detach(&r);
	return ring;
}

/* decode --color: always colours the errno name even on a pipe, never and
 * the default (a pipe) do not. */
Test(cli, decode_color_option)
{
	const char *dir;
	char *ring = cli_ring(&dir, 1);

	unsetenv("NO_COLOR");
	run((const char *[]){ "decode", "--color=always", ring, NULL }, 0,
	    "\033[1;31mENOENT\033[0m (", NULL);
	run((const char *[]){ "decode", "--color=never", ring, NULL }, 0, " ENOENT (", NULL);
	run((const char *[]){ "decode", ring, NULL }, 0, " ENOENT (", NULL);
	free(ring);
	tl_rmtree(dir);
}

/* An empty ring is said in every format, on stderr too, and exits 0. */
Test(cli, report_says_the_ring_is_empty_in_every_format)
{
	static const struct {
		const char *opt, *says;
	} fmts[] = {
		{ "--format=text", "ring: the ring holds no records: no call failed under goshim" },
		{ "--json", "\"message\": \"the ring holds no records: no call failed under goshim" },
		{ "--format=github", "::notice title=goshim ring::the ring holds no records" },
	};
	const char *dir;
	char *ring = cli_ring(&dir, 0);

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct ct_run res;

		ct_run(&res, (const char *[]){ "report", fmts[i].opt, ring, NULL });
		cr_expect_eq(res.status, 0, "%s: exit %d: %s", fmts[i].opt, res.status, res.err);
		cr_expect(strstr(res.out, fmts[i].says), "%s: %s", fmts[i].opt, res.out);
		cr_expect(strstr(res.err, "the ring holds no records"), "%s: stderr: %s",
			  fmts[i].opt, res.err);
		ct_run_free(&res);
	}
	free(ring);
	tl_rmtree(dir);
}

/* report without RING: $GOSHIM_RING, else the default ring of run and
 * the preload; which one is said on stderr. */
Test(cli, report_without_a_ring_reads_goshim_ring_or_the_default)
{
	const char *dir;
	char *ring = cli_ring(&dir, 1), want[256];
	struct ct_run res;

	setenv("GOSHIM_RING", ring, 1);
	ct_run(&res, (const char *[]){ "report", "--json", NULL });
	cr_expect(res.status == 0 || res.status == 1, "exit %d: %s", res.status, res.err);
	snprintf(want, sizeof(want), "goshimctl report: reading %s ($GOSHIM_RING)\n", ring);
	cr_expect(strstr(res.err, want), "stderr: %s", res.err);
	snprintf(want, sizeof(want), "\"path\": \"%s\"", ring);
	cr_expect(strstr(res.out, want), "not the ring of GOSHIM_RING: %s", res.out);
	cr_expect(strstr(res.out, "\"empty\": false"), "%s", res.out);
	ct_run_free(&res);

	unsetenv("GOSHIM_RING");
	unsetenv("XDG_RUNTIME_DIR");
	ct_run(&res, (const char *[]){ "report", NULL });
	snprintf(want, sizeof(want), "goshimctl report: reading /tmp/goshim-%u/goshim.ring "
		 "(the default ring)\n", (unsigned)geteuid());
	cr_expect(strstr(res.err, want), "exit %d, stderr: %s", res.status, res.err);
	ct_run_free(&res);
	free(ring);
	tl_rmtree(dir);
}

/* run -v is fit for a CI log: one line per decision of the engine, no raw
 * libbpf messages, no line per process or backtrace; -vv has them. */
Test(cli, verbose_levels_fit_a_ci_log)
{
	const char *dir = ct_tmpdir();
	char ring[300];
	struct ct_run res;
	const char *args[] = { "run", "-v", "--no-probe", "--ring", ring, "--", "/bin/sh", "-c",
			       "cat /nonexistent-goshim-v 2>/dev/null; true", NULL };

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	ct_run(&res, args);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect(!strstr(res.err, "libbpf"), "raw libbpf at -v: %s", res.err);
	cr_expect(!strstr(res.err, "goshim-trace: backtrace "), "a line per backtrace at -v: %s",
		  res.err);
	cr_expect(!strstr(res.err, "goshim-trace: watching process"), "%s", res.err);
	cr_expect_leq(ct_count_lines(res.err), 6, "-v: %s", res.err);
	cr_expect(strstr(res.err, "goshim-trace: in-kernel watcher "), "-v says whether the "
		  "watcher is used: %s", res.err);
	ct_run_free(&res);

	args[1] = "-vv";
	unlink(ring);
	ct_run(&res, args);
	cr_expect(strstr(res.err, "goshim-trace: backtrace "), "-vv: %s", res.err);
	cr_expect(strstr(res.err, "goshim-trace: watching process"), "-vv: %s", res.err);
	ct_run_free(&res);
	ct_rmtree(dir);
}

/* decode and report take --ring RING as run does: the same ring as the
 * operand, and one ring only. */
Test(cli, decode_and_report_take_the_ring_as_run_does)
{
	const char *dir;
	char *ring = cli_ring(&dir, 1);

	run((const char *[]){ "decode", "--ring", ring, NULL }, 0, "openat(\"/src/go.mod\")", NULL);
	run((const char *[]){ "report", "--json", "--ring", ring, NULL }, 0, "\"empty\": false",
	    NULL);
	run((const char *[]){ "decode", "--ring", ring, ring, NULL }, 2, NULL,
	    "decode: more than one ring file given");
	run((const char *[]){ "report", "--ring", ring, "other.ring", NULL }, 2, NULL,
	    "report: one ring only");
	run((const char *[]){ "report", "--ring", NULL }, 2, NULL,
	    "report: option '--ring' requires an argument");
	free(ring);
	tl_rmtree(dir);
}

/* Output that cannot be written (a full disk) is said, and the command
 * exits 2, never 0 as if the report had been delivered. */
Test(cli, output_that_cannot_be_written_exits_2)
{
	static const char *const cmds[] = { "report", "report --json", "report --format=github",
					    "decode" };
	const char *dir;
	char *ring = cli_ring(&dir, 1);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int st;
		char *out = tl_sh_out(&st, "'%s' %s '%s' 2>&1 >/dev/full; echo \"exit $?\"",
				      tl_env("GOSHIMCTL"), cmds[i], ring);

		cr_expect(strstr(out, "writing output: No space left on device"), "%s: %s",
			  cmds[i], out);
		cr_expect(strstr(out, "exit 2\n"), "%s: %s", cmds[i], out);
		cr_expect(!strstr(out, "writing output: No space left on device\ngoshimctl"),
			  "%s: said twice: %s", cmds[i], out);
		free(out);
	}
	free(ring);
	tl_rmtree(dir);
}
