/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain's parts: the text matcher (explain_text.h), the log
 * reader (explain_log.h), the ranking of causes that share a text, the
 * shipped texts against what the fact base says Go prints, and the fuzz
 * harness on mutated logs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "explain_fuzz.h"
#include "explain_log.h"
#include "explain_text.h"
#include "facts.h"
#include "rules.h"
#include "tl_fs.h"
#include "tl_rand.h"

/* Does src match line?  The word `name` (may be NULL) in *word. */
static int xt_try(const char *src, const char *line, const char *name, char *word, size_t n)
{
	char why[160];
	struct gs_xtext *t = gs_xtext_compile(src, why, sizeof(why));
	struct gs_facts f = { 0 };
	int m;

	cr_assert_not_null(t, "%s: %s", src, why);
	m = gs_xtext_match(t, line, strlen(line), &f);
	if (name && word) {
		snprintf(word, n, "%s", gs_facts_get(&f, name) ? gs_facts_get(&f, name) : "");
	}
	gs_facts_free(&f);
	gs_xtext_free(t);
	return m;
}

Test(explain_text, words_and_globs)
{
	static const char noexec[] = "fork/exec {path:*/go-build[0-9]*/*}: permission denied";
	char w[256];

	cr_expect(xt_try(noexec, "fork/exec /tmp/go-build12/b001/m.test: permission denied",
			 "path", w, sizeof(w)));
	cr_expect_str_eq(w, "/tmp/go-build12/b001/m.test");
	/* a GOCACHE entry is no $WORK path */
	cr_expect(!xt_try(noexec, "fork/exec /c/4f/4f90-d/m: permission denied", NULL, NULL, 0));
	/* a word has no blanks */
	cr_expect(!xt_try("fork/exec {path}: permission denied",
			  "fork/exec /a b: permission denied", NULL, NULL, 0));
	/* the first place that fits is not the first "fork/exec" */
	cr_expect(xt_try(noexec, "x fork/exec a b fork/exec /t/go-build1/b/x: permission denied",
			 "path", w, sizeof(w)));
	cr_expect_str_eq(w, "/t/go-build1/b/x");
	/* a word ends where the text after it fits; a star takes the rest */
	cr_expect(xt_try("failed to initialize build cache at {path}: * permission denied",
			 "failed to initialize build cache at /.cache/go-build: mkdir /.cache: "
			 "permission denied", "path", w, sizeof(w)));
	cr_expect_str_eq(w, "/.cache/go-build");
	/* a word at the end is the whole word */
	cr_expect(xt_try("ld: cannot find -l{base}", "/usr/bin/ld: cannot find -lfoo", "base", w,
			 sizeof(w)));
	cr_expect_str_eq(w, "foo");
	cr_expect(!xt_try("too many open files", "too many open file", NULL, NULL, 0));
	cr_expect(xt_try("version `*' not found (required by {path})",
			 "/lib/libc.so.6: version `GLIBC_2.34' not found (required by ./x)", "path",
			 w, sizeof(w)));
	cr_expect_str_eq(w, "./x");
}

Test(explain_text, bad_texts)
{
	static const char *const bad[] = {
		"", "*x", "{p}x", "a*{p}", "a{p}{q}", "a{P}", "a{p", "a{p:}", "a{}",
		"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a",
	};
	char why[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gs_xtext *t = gs_xtext_compile(bad[i], why, sizeof(why));
		cr_expect_null(t, "\"%s\" compiled", bad[i]);
		gs_xtext_free(t);
	}
}

static int xl_collect(const struct gs_xline *l, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	if (l->action) {
		snprintf(out + n, 4096 - n, "%zu:=%s|", l->no, l->action);
	} else {
		snprintf(out + n, 4096 - n, "%zu:%.*s|", l->no, (int)l->len, l->s);
	}
	return 0;
}

/* Stamps (GitHub, GitLab, Jenkins), colours, JSON "Output" (and JSON
 * without it: a verdict is an empty line carrying it), \r\n. */
Test(explain_log, forms)
{
	static char in[] =
		"2024-05-01T10:00:00.1234567Z \033[36;1mgo test\033[0m\r\n"
		"{\"Action\":\"output\",\"Output\":\"a\\nb\\n\"}\n"
		"  {\"Action\":\"pass\"}\n"
		"2024-05-01T10:00:00+02:00 00E+ \033]0;title\007x\n"
		"{not json}\n"
		"[2024-05-01T10:00:00.123Z] {\"Output\":\"j\\n\"}\n"
		"[2024-05-01T10:00:00Z no stamp\n";
	char out[4096] = "";
	FILE *f = fmemopen(in, strlen(in), "r");

	cr_assert_eq(gs_xlog_read(f, xl_collect, out), 7);
	fclose(f);
	cr_expect_str_eq(out, "1:go test|2:a|2:b|3:=pass|4:x|5:{not json}|6:j|"
			 "7:[2024-05-01T10:00:00Z no stamp|");
}

/* Three rules share a text: a text whose word had to fit a pattern
 * first, then the file's order; lines with the same causes are one
 * finding; benign rules may not have texts. */
Test(explain, ranking)
{
	static const char rules[] =
		"[first-any]\nseverity error\nsummary s {path}\nremedy r\n"
		"text fork/exec {path}: permission denied\nmatch errno EACCES\n"
		"[work]\nseverity error\nsummary s\nremedy r\n"
		"text fork/exec {path:*/go-build[0-9]*/*}: permission denied\nmatch errno EACCES\n"
		"[cache]\nseverity warning\nsummary s\nremedy r\n"
		"text fork/exec {path:*/[0-9a-f][0-9a-f]/*-d/*}: permission denied\n"
		"match errno EACCES\n";
	static char log[] =
		"fork/exec /t/go-build1/b001/x.test: permission denied\n"
		"ok\n"
		"fork/exec /c/ab/ab12-d/m: permission denied\n"
		"fork/exec /t/go-build1/b002/y.test: permission denied\n";
	struct gs_rules rs = { 0 };
	struct gs_xres r;
	char err[256];
	FILE *f = fmemopen(log, strlen(log), "r");

	cr_assert_eq(gs_rules_load_text(&rs, "t.rules", rules, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(gs_explain_scan(f, &rs, &r), 0);
	fclose(f);
	cr_assert_eq(r.nf, 2);
	cr_expect_str_eq(r.f[0].c[0].rule->id, "work");
	cr_expect_str_eq(r.f[0].c[1].rule->id, "first-any");
	cr_expect_eq(r.f[0].nc, 2);
	cr_expect_eq(r.f[0].nno, 2);
	cr_expect_eq(r.f[0].no[1], 4);
	cr_expect_str_eq(gs_facts_get(&r.f[0].c[0].facts, "target"), "the test binary");
	cr_expect_str_eq(r.f[1].c[0].rule->id, "cache");
	cr_expect_eq(r.f[1].no[0], 3);
	gs_explain_free(&r);
	gs_rules_free(&rs);
	cr_expect_eq(gs_rules_load_text(&rs, "b.rules",
					 "[b]\nseverity benign\ntext x\nmatch errno EACCES\n", err,
					 sizeof(err)), -1);
	cr_expect(strstr(err, "b.rules:1: [b]: text makes no sense on a benign rule"), "%s", err);
}

/* Did the job of the log pass: go test's verdict lines (plain, -v, -json)
 * against any line that says something failed. */
static const struct {
	const char *log;
	int passed;
} xj_logs[] = {
	{ "=== RUN   TestX\nfork/exec /tmp/t/tool.sh: permission denied\n--- PASS: TestX (0.00s)\n"
	  "PASS\nok  \texample.com/m\t0.004s\n", 1 },
	{ "ok  \texample.com/a\t(cached)\nok  \texample.com/b\t0.1s\n", 1 },
	{ "{\"Action\":\"output\",\"Package\":\"m\",\"Output\":\"fork/exec /t: permission denied\\n\"}\n"
	  "{\"Action\":\"pass\",\"Package\":\"m\",\"Test\":\"TestX\"}\n"
	  "{\"Action\":\"pass\",\"Package\":\"m\",\"Elapsed\":0.1}\n", 1 },
	{ "fork/exec /tmp/t/tool.sh: permission denied\n", 0 },             /* no verdict */
	{ "ok  \texample.com/a\t0.1s\nFAIL\texample.com/b\t0.1s\nFAIL\n", 0 },
	{ "    --- FAIL: TestX/sub (0.00s)\nok  \texample.com/a\t0.1s\n", 0 },
	{ "ok  \texample.com/a\t0.1s\npanic: boom\n", 0 },
	{ "ok  \texample.com/a\t0.1s\nexit status 2\n", 0 },
	{ "PASS\n##[error]Process completed with exit code 1.\n", 0 },
	{ "{\"Action\":\"pass\",\"Package\":\"a\"}\n{\"Action\":\"fail\",\"Package\":\"b\"}\n", 0 },
	{ "ok then\n", 0 },                                                   /* no package */
};

Test(explain, job_passed)
{
	struct gs_rules rs = { 0 };
	char err[512];

	cr_assert_eq(gs_rules_load(&rs, getenv("GOSHIM_RULES"), err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < sizeof(xj_logs) / sizeof(xj_logs[0]); i++) {
		FILE *f = fmemopen((char *)xj_logs[i].log, strlen(xj_logs[i].log), "r");
		struct gs_xres r;

		cr_assert_eq(gs_explain_scan(f, &rs, &r), 0);
		fclose(f);
		cr_expect_eq(gs_xjob_passed(&r.job), xj_logs[i].passed, "log %zu:\n%s", i,
			     xj_logs[i].log);
		gs_explain_free(&r);
	}
	gs_rules_free(&rs);
}

/* Each pattern's text against what the fact base (patterns.md, "what Go
 * prints") and the reproductions say Go and the tools print: the
 * pattern is the first cause. */
static const struct {
	const char *id, *line;
} xs_prints[] = {
	{ "gocache-init-denied", "failed to initialize build cache at /.cache/go-build: mkdir /.cache: permission denied" },
	{ "gocache-readonly", "failed to initialize build cache at /ro/c: mkdir /ro/c: read-only file system" },
	{ "gocache-foreign-owner", "open /home/u/.cache/go-build/ab/ab34f0-d: permission denied" },
	{ "gocache-undefined", "build cache is required, but could not be located: GOCACHE is not defined and neither $XDG_CACHE_HOME nor $HOME are defined" },
	{ "gocache-noexec", "fork/exec /home/u/.cache/go-build/4f/4f909bae-d/m: permission denied" },
	{ "gomodcache-denied", "go: writing stat cache: mkdir /go/pkg/mod/cache/download/x: permission denied" },
	{ "tmpdir-noexec", "fork/exec /tmp/go-build3546781269/b001/m.test: permission denied" },
	{ "tmpdir-unusable", "go: creating work dir: stat /x: no such file or directory" },
	{ "tmpdir-unusable", "go: creating work dir: mkdir /ro/go-build95: read-only file system" },
	{ "elf-interpreter-missing", "fork/exec /w/app: no such file or directory" },
	{ "elf-interpreter-missing", "bash: line 1: ./app: cannot execute: required file not found" },
	{ "exec-format", "fork/exec ./app: exec format error" },
	{ "exec-text-busy", "fork/exec /tmp/go-build1/b001/exe/m: text file busy" },
	{ "exec-denied-lsm", "fork/exec /srv/app: permission denied" },
	{ "cgo-compiler-missing", "cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH" },
	{ "cgo-compiler-missing", "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1" },
	{ "seccomp-memfd-denied", "nsenter: could not ensure we are a cloned binary" },
	{ "seccomp-time64-denied", "Fatal Python error: _PyTime_Init: can't initialize time" },
	{ "seccomp-legacy-profile", "runtime/cgo: pthread_create failed: Operation not permitted" },
	{ "seccomp-legacy-profile", "make: /bin/sh: Operation not permitted" },
	{ "race-shadow-mmap", "==1==ERROR: ThreadSanitizer failed to allocate 0x1000 (4096) bytes at address 0x7b0000000000 (errno: 12)" },
	{ "race-shadow-mmap", "ERROR: ThreadSanitizer: ReserveShadowMemoryRange failed while trying to map 0x1 bytes. Perhaps you're using ulimit -v" },
	{ "race-shadow-mmap", "ThreadSanitizer: internal allocator is out of memory trying to allocate 0x38 bytes" },
	{ "race-shadow-mmap", "==12748==ERROR: ThreadSanitizer: out of memory: failed to allocate 0x20000 (131072) bytes of TracePart (error code: 12)" },
	{ "race-shadow-mmap", "fatal error: too many address space collisions for -race mode" },
	{ "address-space-limit", "fatal error: out of memory" },
	{ "address-space-limit", "runtime: out of memory: cannot allocate 104857600-byte block (637239296 in use)" },
	{ "address-space-limit", "fatal error: failed to reserve page summary memory" },
	{ "address-space-limit", "ThreadSanitizer: CHECK failed: sanitizer_allocator_primary64.h:131 \"((kSpaceBeg)) == ((address_range.Init(TotalSpaceSize, PrimaryAllocatorName, kSpaceBeg)))\" (0x7b0000000000, 0xfffffffffffffff4) (tid=31456)" },
	{ "race-personality-denied", "CHECK failed: tsan_platform_linux.cpp:300 \"((personality(old_personality | ADDR_NO_RANDOMIZE))) != ((-1))\"" },
	{ "disk-full", "write $WORK/b164/_pkg_.a: no space left on device" },
	{ "fd-limit", "open /x/y.go: too many open files" },
	{ "elf-version-missing", "./x: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by ./x)" },
	{ "cgo-header-missing", "./m.go:2:11: fatal error: foo.h: No such file or directory" },
	{ "cgo-library-missing", "/usr/bin/ld: cannot find -lfoo: No such file or directory" },
	{ "pids-limit", "runtime: failed to create new OS thread (have 12 already; errno=11)" },
	{ "pids-limit", "fork/exec /usr/bin/gcc: resource temporarily unavailable" },
	{ "vendor-inconsistent", "go: inconsistent vendoring in /src/m:" },
	{ "go-toolchain-unavailable", "go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)" },
	{ "go-toolchain-unavailable", "go: download go1.99.0 for linux/amd64: toolchain not available" },
	{ "module-fetch-failed", "main.go:2:8: example.com/x@v1.0.0: Get \"http://127.0.0.1:1/example.com/x/@v/v1.0.0.zip\": dial tcp 127.0.0.1:1: connect: connection refused" },
	{ "module-fetch-failed", "main.go:2:8: module lookup disabled by GOPROXY=off" },
	{ "module-fetch-failed", "go: example.com/p@v1.0.0: reading https://proxy.golang.org/example.com/p/@v/v1.0.0.mod: 404 Not Found" },
};

Test(explain, shipped_texts)
{
	struct gs_rules rs = { 0 };
	char err[512];

	cr_assert_eq(gs_rules_load(&rs, getenv("GOSHIM_RULES"), err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < sizeof(xs_prints) / sizeof(xs_prints[0]); i++) {
		char line[512];
		size_t n = (size_t)snprintf(line, sizeof(line), "%s\n", xs_prints[i].line);
		FILE *f = fmemopen(line, n, "r");
		struct gs_xres r;

		cr_assert_eq(gs_explain_scan(f, &rs, &r), 0);
		fclose(f);
		cr_expect(r.nf == 1 && strcmp(r.f[0].c[0].rule->id, xs_prints[i].id) == 0,
			  "\"%s\": %s, want %s", xs_prints[i].line,
			  r.nf ? r.f[0].c[0].rule->id : "nothing", xs_prints[i].id);
		gs_explain_free(&r);
	}
	gs_rules_free(&rs);
}

/* The fuzz harness (tests/fuzz/explain_fuzz.c) in CI: deterministic
 * mutations of the seed logs, each with a hostile text as its first line
 * half of the time.  The libFuzzer target fuzz-explain explores further. */
#define XF_MUTATIONS 300
#define XF_MAX 70000

static const char *const xf_texts[] = {
	"fork/exec {path:*}: *\n", "a*b*c*d*e*f\n", "x{w}y{v}z\n", "fork/exec {p:[}: x\n",
	"{bad\n", "\033[1m{x}\n", "version `*' not found (required by {path})\n",
};

static void xf_mutate(uint8_t *b, size_t *len, uint64_t *st)
{
	size_t at = *len ? (size_t)(tl_rand(st) % *len) : 0, n;

	switch (tl_rand(st) % 5) {
	case 0:
		tl_flip_bits(b, *len, st);
		break;
	case 1:
		tl_scribble(b, *len, at, 64, st);
		break;
	case 2:
		*len = at;
		break;
	case 3: /* repeat a range: long lines, many findings */
		n = tl_rand(st) % 4096;
		if (at + n <= *len && *len + n <= XF_MAX) {
			memmove(b + at + n, b + at, *len - at);
			*len += n;
		}
		break;
	default: /* escapes, newlines, NULs, quotes, braces */
		if (*len) {
			b[at] = (uint8_t[]){ 0x1b, '\n', 0, '"', '{', '}', '*', '\r' }[tl_rand(st) % 8];
		}
		break;
	}
}

Test(explain, fuzz_mutations_of_the_corpus, .timeout = 600)
{
	const char *dir = getenv("GOSHIM_EXPLAIN_CORPUS");
	static const char *const seeds[] = { "tmpdir-test.txt", "tmpdir-test.json",
					     "gocache-run.txt", "job.log", "clean.txt",
					     "cgo-test.json" };
	uint64_t st = 0x0e7a1a1e;
	size_t found = 0;

	cr_assert_not_null(dir, "GOSHIM_EXPLAIN_CORPUS is not set (run through meson test)");
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		char p[4096];
		size_t len0;
		uint8_t *orig;

		snprintf(p, sizeof(p), "%s/%s", dir, seeds[s]);
		orig = (uint8_t *)tl_read(p, &len0);
		cr_assert_not_null(orig, "%s", p);
		found += gs_fuzz_explain(orig, len0);
		for (int k = 0; k < XF_MUTATIONS; k++) {
			uint8_t *b = malloc(XF_MAX);
			const char *t = xf_texts[tl_rand(&st) % (sizeof(xf_texts) / sizeof(xf_texts[0]))];
			size_t len = 0;

			if (tl_rand(&st) % 2) {
				memcpy(b, t, strlen(t));
				len = strlen(t);
			}
			memcpy(b + len, orig, len0 < XF_MAX - len ? len0 : XF_MAX - len);
			len += len0 < XF_MAX - len ? len0 : XF_MAX - len;
			xf_mutate(b, &len, &st);
			b = realloc(b, len ? len : 1);   /* exact size: reads past it are bugs */
			found += gs_fuzz_explain(b, len);
			free(b);
		}
		free(orig);
	}
	cr_expect_gt(found, 0, "the seeds' failures were found");
}
