/* SPDX-License-Identifier: Apache-2.0 */
/* The rules file: the shipped one loads and covers every pattern of the
 * fact base; bad files fail with FILE:LINE; templates, Go's defaults and
 * the GitHub escaping behave. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts.h"
#include "goenv.h"
#include "out.h"
#include "pred.h"
#include "ringmake.h"
#include "rules.h"

static const char *const pattern_ids[] = {
	"gocache-init-denied", "gocache-readonly", "gocache-foreign-owner", "gocache-noexec",
	"gocache-undefined", "gomodcache-denied", "tmpdir-noexec", "tmpdir-unusable",
	"elf-interpreter-missing", "exec-format", "exec-text-busy", "exec-denied-lsm",
	"cgo-compiler-missing", "seccomp-memfd-denied", "seccomp-time64-denied",
	"seccomp-legacy-profile", "race-shadow-mmap", "race-personality-denied",
	"disk-full", "fd-limit", "vendor-inconsistent", "setid-no-new-privs",
	"elf-version-missing", "cgo-header-missing", "cgo-library-missing",
	"lsm-denied", "gomodcache-file-readonly", "pids-limit", "go-toolchain-unavailable",
	"module-fetch-failed", "exec-not-executable", "address-space-limit",
	/* goshim's own prerequisites (doctor), and what it could not record */
	"goshim-no-seccomp-notify", "goshim-ptrace-refused", "goshim-ring-unreachable",
	"goshim-seccomp-listener",
};

static const char *const benign_ids[] = {
	"benign-gopath-probe", "benign-go-work-mod-lookup", "benign-vendor-probe",
	"benign-gccgo-lookup", "benign-fuzz-corpus", "benign-cache-testexpire",
	"benign-cache-miss", "benign-work-probe", "benign-go-env-file",
	"benign-go-mod-under-file", "benign-pidfd-probe", "benign-faccessat2-go",
	"benign-path-search-denied", "benign-go-telemetry-dir", "benign-modcache-side-lock",
	"benign-go-arena-retry",
};

Test(rules, shipped_file_covers_every_pattern)
{
	struct gs_rules rs = { 0 };
	char err[512] = "";
	size_t nerr = 0;

	cr_assert_eq(gs_rules_load(&rs, getenv("GOSHIM_RULES"), err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < sizeof(pattern_ids) / sizeof(pattern_ids[0]); i++) {
		const struct gs_rule *r = gs_rules_find(&rs, pattern_ids[i]);
		cr_expect_not_null(r, "no rule for %s", pattern_ids[i]);
		if (r) {
			cr_expect_neq(r->sev, GS_SEV_BENIGN, "%s", pattern_ids[i]);
			cr_expect_not_null(r->remedy);
		}
	}
	for (size_t i = 0; i < sizeof(benign_ids) / sizeof(benign_ids[0]); i++) {
		const struct gs_rule *r = gs_rules_find(&rs, benign_ids[i]);
		cr_expect(r && r->sev == GS_SEV_BENIGN, "no benign rule %s", benign_ids[i]);
	}
	for (size_t i = 0; i < rs.n; i++) {
		nerr += rs.r[i].sev != GS_SEV_BENIGN;
	}
	cr_expect_eq(nerr, sizeof(pattern_ids) / sizeof(pattern_ids[0]),
		     "a non-benign rule outside the fact base");
	cr_expect_eq(gs_rules_find(&rs, "gocache-foreign-owner")->sev, GS_SEV_WARNING);
	gs_rules_free(&rs);
}

/* The fact base lists claims that are false: they must not be in the rules
 * or their documentation. */
static void no_false_claims_in(const char *path)
{
	static const char *const banned[] = {
		".meta", "memfile", "os/user", "user.Current",
	};
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;

	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		n++;
		for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++) {
			cr_expect_null(strstr(line, banned[i]), "%s:%d mentions %s", path, n, banned[i]);
		}
	}
	fclose(f);
}

Test(rules, no_false_claims)
{
	no_false_claims_in(getenv("GOSHIM_RULES"));
	no_false_claims_in(getenv("GOSHIM_DIAG_DOCS"));
}

static const struct rm_bad_rules bad_cases[] = {
	{ "[a]\nseverity error\nsummary s\nremedy r\nmatch no-such-pred x\n", "t:5: unknown predicate \"no-such-pred\"" },
	{ "# c\n\n[a]\nsummary s\nremedy r\nmatch errno EPERM\n", "t:3: [a]: severity missing" },
	{ "[a]\nseverity fatal\n", "t:2: severity must be error, warning or benign" },
	{ "[a]\nseverity error\nmatch errno ENOTANERRNO\n", "t:3: errno: unknown errno" },
	{ "severity error\n", "t:1: \"severity\" outside a [pattern-id] section" },
	{ "[a]\nseverity benign\ncolour red\n", "t:3: unknown key \"colour\"" },
	{ "[a]\nseverity benign\nor\n", "t:3: \"or\" must follow at least one match line" },
	{ "[a]\nseverity benign\nmatch errno\n", "t:3: predicate \"errno\" takes 1 argument, not 0" },
	{ "[a]\nseverity error\nsummary x {path\nremedy r\nmatch errno EPERM\n", "t:3: summary: unterminated" },
	{ "[A_b]\n", "t:1: pattern id \"A_b\"" },
	{ "[a]\nseverity benign\nmatch errno EPERM\n[a]\n", "t:4: [a] already defined at line 1" },
	{ "[a]\nseverity error\nmatch errno EPERM\n", "t:1: [a]: error rules need a summary and a remedy" },
	{ "[a]\nseverity benign\nmatch errno EPERM\nor\n", "t:1: [a]: no match lines after the last \"or\"" },
	{ "[a]\nseverity benign\nmatch mount-flag noexex\n", "t:3: mount-flag: unknown mount flag \"noexex\"" },
	{ "[a]\nseverity benign\nmatch mmap-length-ge 12Q\n", "t:3: mmap-length-ge: \"12Q\" is not a size" },
	{ "[a]\nseverity benign\nmatch call-family exe\n", "t:3: call-family: unknown family" },
	{ "[a]\nseverity benign\nmatch flags-has O_CREATE\n", "t:3: flags-has: unknown flag" },
	{ "[a]\nseverity benign\nmatch mount-flag noexec|rdonly\n", "t:3: mount-flag: unknown mount flag \"noexec|rdonly\" (noexec" },
	{ "[a]\nseverity benign\nmatch rlimit-finite CPU\n", "t:3: rlimit-finite: unknown resource \"CPU\"" },
	{ "[a]\nseverity benign\nmatch exit-code 2|256\n", "t:3: exit-code: \"2|256\" is not a list of exit statuses" },
	{ "[a]\nseverity benign\nmatch exit-code two\n", "t:3: exit-code: \"two\" is not a list of exit statuses" },
	{ "[a]\nseverity benign\nmatch elf-kind pe\n", "t:3: elf-kind: kind must be elf, script" },
	{ "[a]\nseverity benign\nmatch engine ebpf\n", "t:3: engine: engine must be preload or trace" },
	{ "[a]\nseverity benign\nmatch fact role\n", "t:3: predicate \"fact\" cannot be used on event rules" },
	{ "[a]\nseverity benign\nsubject process\nmatch errno EPERM\n", "t:4: predicate \"errno\" cannot be used on process rules" },
	{ "# nothing\n", "t:1: no rules in file" },
};

Test(rules, bad_files_name_the_line)
{
	rm_expect_bad_rules(bad_cases, sizeof(bad_cases) / sizeof(bad_cases[0]), 1);
}

/* The small vocabularies parse to their values. */
Test(rules, predicate_words_parse)
{
	static const char text[] =
		"[a]\nseverity benign\nmatch elf-kind script\nmatch engine trace\n"
		"match rlimit-hard-lt NOFILE 4K\nmatch mount-flag !noexec ro\n";
	struct gs_rules rs = { 0 };
	char err[256] = "";

	cr_assert_eq(gs_rules_load_text(&rs, "t", text, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(rs.r[0].alt[0].c[0].num, 2);
	cr_expect_eq(rs.r[0].alt[0].c[1].num, GOSHIM_ENGINE_TRACE);
	cr_expect_eq(rs.r[0].alt[0].c[2].num, 4096);
	gs_rules_free(&rs);
}

Test(rules, cli_bad_rules_exit_2_with_file_and_line)
{
	char path[256], arg[300], *out, *err, want[300];
	const char *args[] = { "report", arg, "/nonexistent", NULL };
	const char *dargs[] = { "doctor", arg, NULL };

	rm_tmpfile("[x]\nseverity benign\n\nmatch errno EPERM\nmatch path-glob\n", path, sizeof(path));
	snprintf(arg, sizeof(arg), "--rules=%s", path);
	snprintf(want, sizeof(want), "%s:5: predicate \"path-glob\" takes 1 argument", path);
	cr_expect_eq(rm_run(args, &out, &err), 2);
	cr_expect(strstr(err, want), "stderr: %s", err);
	free(out);
	free(err);
	cr_expect_eq(rm_run(dargs, &out, &err), 2);
	cr_expect(strstr(err, want), "stderr: %s", err);
	free(out);
	free(err);
	unlink(path);
}

Test(rules, cli_missing_shipped_rules_exit_2)
{
	const char *args[] = { "report", "/nonexistent", NULL };
	char *out, *err;

	setenv("GOSHIM_RULES", "/nonexistent/goshim.rules", 1);
	cr_expect_eq(rm_run(args, &out, &err), 2);
	cr_expect(strstr(err, "/nonexistent/goshim.rules: cannot open rules file"), "%s", err);
	free(out);
	free(err);
}

Test(rules, templates)
{
	struct gs_facts f = { 0 };
	char *s;

	gs_facts_set(&f, "path", "/tmp/x");
	gs_facts_set(&f, "n", "%d", 3);
	s = gs_tmpl_expand("{path} ({n}) {missing} {fstype|unknown fs} {{literal}", &f);
	cr_expect_str_eq(s, "/tmp/x (3) <missing> unknown fs {literal}");
	free(s);
	gs_facts_set(&f, "path", "/other");
	s = gs_tmpl_expand("{path}", &f);
	cr_expect_str_eq(s, "/other");
	free(s);
	gs_facts_free(&f);
}

static const char *const *t_env;

static const char *t_get(void *ctx, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; t_env[i]; i++) {
		if (strncmp(t_env[i], name, n) == 0 && t_env[i][n] == '=') {
			return t_env[i] + n + 1;
		}
	}
	return NULL;
}

static void t_dir(const char *name, const char *want)
{
	char *v = gs_go_dir(name, t_get, NULL);

	if (!want) {
		cr_expect_null(v, "%s = %s", name, v);
	} else {
		cr_expect(v && strcmp(v, want) == 0, "%s = %s, want %s", name, v ? v : "NULL", want);
	}
	free(v);
}

Test(rules, go_defaults)
{
	static const char *const e1[] = { "HOME=/home/u", NULL };
	static const char *const e2[] = { "HOME=/home/u", "XDG_CACHE_HOME=/xdg", "GOPATH=/gp:/gp2",
					  "TMPDIR=/t", NULL };
	static const char *const e3[] = { "GOCACHE=/c", "GOMODCACHE=/m", "GOTMPDIR=/gt",
					  "TMPDIR=/t", NULL };
	static const char *const e4[] = { "HOME=/", NULL };
	static const char *const e5[] = { "HOME=", NULL };

	t_env = e1;
	t_dir("GOCACHE", "/home/u/.cache/go-build");
	t_dir("GOPATH", "/home/u/go");
	t_dir("GOMODCACHE", "/home/u/go/pkg/mod");
	t_dir("WORK", "/tmp");
	t_env = e2;
	t_dir("GOCACHE", "/xdg/go-build");
	t_dir("GOMODCACHE", "/gp/pkg/mod");
	t_dir("WORK", "/t");
	t_env = e3;
	t_dir("GOCACHE", "/c");
	t_dir("GOMODCACHE", "/m");
	t_dir("WORK", "/gt");
	t_env = e4;
	t_dir("GOCACHE", "/.cache/go-build");
	t_env = e5;
	t_dir("GOCACHE", NULL);
	t_dir("GOPATH", NULL);
}

Test(rules, github_escape)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	gs_github_escape(m, "a%b\r\nc:d,e", 0);
	fputc('|', m);
	gs_github_escape(m, "a%b\r\nc:d,e", 1);
	fclose(m);
	cr_expect_str_eq(buf, "a%25b%0D%0Ac:d,e|a%25b%0D%0Ac%3Ad%2Ce");
	free(buf);
}

/* The alternatives of a clause, split when the rules load, match as
 * fnmatch(3) and the errno and family names say, whatever the fast paths
 * the evaluators take (a star-only glob, a family bit set, an errno
 * compared by name). */
Test(rules, alternatives_match_as_written)
{
	static const char *const globs[] = {
		"*/go", "*/go|*/gofmt", "/usr/*-linux-*/lib/lib*.a", "*.test", "*",
		"*/go-build[0-9]*/*", "*/b?d/*", "/x/\\*y", "*/vendor|*/vendor/*", "|/a",
		"/a*b*c", "**/go", "/usr/lib/*|/usr/local/*",
	};
	static const char *const paths[] = {
		"/usr/bin/go", "/usr/bin/gofmt", "/usr/x86_64-linux-gnu/lib/libc.a", "/t/m.test",
		"", "/tmp/go-build123/b001/x", "/tmp/bad/x", "/x/*y", "/x/zy", "/m/vendor",
		"/m/vendor/a", "/a", "/abc", "/ab", "/a/b/c/go", "/usr/local/bin/x", "go",
	};
	struct gs_rules rs = { 0 };
	char text[512], err[256] = "";

	for (size_t g = 0; g < sizeof(globs) / sizeof(globs[0]); g++) {
		snprintf(text, sizeof(text), "[g]\nseverity benign\nmatch path-glob %s\n"
			 "match call-family stat|open\nmatch errno EACCES|enoent|+1\n", globs[g]);
		cr_assert_eq(gs_rules_load_text(&rs, "t", text, err, sizeof(err)), 0, "%s", err);
		for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
			static const struct {
				uint16_t family;
				int err, match;
			} calls[] = {
				{ GOSHIM_FAM_OPEN, ENOENT, 1 }, { GOSHIM_FAM_STAT, EACCES, 1 },
				{ GOSHIM_FAM_STAT, EPERM, 1 }, { GOSHIM_FAM_EXEC, ENOENT, 0 },
				{ GOSHIM_FAM_OPEN, EEXIST, 0 },
			};
			/* the oracle: fnmatch on each alternative, as written */
			char alts[256], *save = NULL;
			int want = globs[g][0] == '|' && fnmatch("", paths[p], 0) == 0;

			snprintf(alts, sizeof(alts), "%s", globs[g]);
			for (char *a = strtok_r(alts, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
				want |= fnmatch(a, paths[p], 0) == 0;
			}
			for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
				struct gs_mev e = { .family = calls[k].family, .call = "openat" };
				struct gs_ctx x = { .e = &e, .subject = GS_SUBJ_EVENT };

				e.ev.path = (char *)paths[p];
				e.ev.err = calls[k].err;
				e.ev.has = 1ull << GS_E_ERRNO;
				cr_expect_eq(gs_rule_matches(&rs.r[0], &x), want && calls[k].match,
					     "glob %s, path \"%s\", family %u, errno %d", globs[g],
					     paths[p], calls[k].family, calls[k].err);
			}
		}
		gs_rules_free(&rs);
		memset(&rs, 0, sizeof(rs));
	}
}

/* A pattern taken apart at load (glob.h) answers as fnmatch(pat, s, 0):
 * every pattern of up to 6 bytes of "ab*" with '?' or '[' now and then,
 * against every string of up to 5 bytes of "ab", and some longer ones. */
Test(rules, glob_is_fnmatch)
{
	static const char pa[] = "ab*", sa[] = "ab";
	char pat[16], s[16];
	size_t checked = 0;

	for (int plen = 0; plen <= 6; plen++) {
		int np = 1;
		for (int i = 0; i < plen; i++) {
			np *= 3;
		}
		for (int pi = 0; pi < np; pi++) {
			for (int i = 0, v = pi; i < plen; i++, v /= 3) {
				pat[i] = pa[v % 3];
			}
			pat[plen] = 0;
			if (plen && pi % 17 == 0) {
				pat[pi % plen] = pi % 2 ? '?' : '[';
			}
			struct gs_glob g;
			gs_glob_make(&g, pat);
			for (int slen = 0; slen <= 5; slen++) {
				for (int si = 0; si < 1 << slen; si++) {
					for (int i = 0; i < slen; i++) {
						s[i] = sa[(si >> i) & 1];
					}
					s[slen] = 0;
					cr_assert_eq(gs_glob_match(&g, s, (size_t)slen),
						     fnmatch(pat, s, 0) == 0, "\"%s\" on \"%s\"", pat, s);
					checked++;
				}
			}
		}
	}
	static const char *const more[][2] = {
		{ "*/go-build*/b*", "/tmp/go-build123/b001/x" }, { "*/go-build*/b*", "/tmp/go-build" },
		{ "*a*a*a", "aaa" }, { "*a*a*a", "aa" }, { "a*a", "a" }, { "*ab*ab", "abab" },
		{ "*/.config/go/telemetry/*", "/root/.config/go/telemetry/local" },
		{ "*/vendor/*", "/m/vendor/" }, { "**", "" }, { "/a*b*c", "/abxbc" },
	};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		struct gs_glob g;
		gs_glob_make(&g, more[i][0]);
		cr_assert_eq(gs_glob_match(&g, more[i][1], strlen(more[i][1])),
			     fnmatch(more[i][0], more[i][1], 0) == 0, "\"%s\" on \"%s\"",
			     more[i][0], more[i][1]);
	}
	cr_assert_gt(checked, 50000);
}
