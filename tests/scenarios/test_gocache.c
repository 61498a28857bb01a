/* SPDX-License-Identifier: Apache-2.0 */
/* The build cache: owned by root and used by uid 65534 (empty: fatal;
 * written by root earlier: the silent warning), read-only (bind mount and
 * tmpfs), and not defined at all. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "tl_table.h"

Test(gocache, root_owned_empty_cache_is_fatal_for_uid_65534, .timeout = 240)
{
	struct sc s;
	char cache[256], bin[256];

	sc_go_start(&s, "initdenied", 1, "m", "main.go", sc_go_main, NULL);
	snprintf(cache, sizeof(cache), "%s/cache", s.dir);
	cr_assert(mkdir(cache, 0755) == 0);
	setenv("GOCACHE", cache, 1);
	snprintf(bin, sizeof(bin), "%s/m", s.home);
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", bin, ".", NULL };
	struct sc_want w = {
		.exit = 1, .out = { "failed to initialize build cache", "permission denied" },
		.id = "gocache-init-denied", .sev = "error",
		.fact = { { "gocache", cache }, { "owner", "0" }, { "euid", "65534" } },
		.event = { { "errno", "EACCES" } },
		.doctor = "gocache-init-denied", .doctor_fact = { { "owner", "0" } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	/* the cache exists and is root's: the chown fits (on a host), and
	 * applied as the finding says it works */
	const char *rem = sc_str(f, "remedy");
	cr_expect(*sc_fact(f, "container") || strstr(rem, "sudo chown -R \"$(id -u)\""), "%s", rem);
	json_decref(rep);
	sc_sh("chown -R 65534 %s", cache);
	sc_rerun_clean(&s, argv, "chown -R of the cache");
	sc_done(&s);
}

/* GOCACHE below a regular file (ENOTDIR): no chown, no cache volume; the
 * finding's mv of the file in the way, applied, lets go build. */
Test(gocache, cache_below_a_file_gets_the_mv, .timeout = 240)
{
	struct sc s;
	char file[256], cache[300];

	sc_go_start(&s, "belowfile", 0, "m", "main.go", sc_go_main, NULL);
	snprintf(file, sizeof(file), "%s/file", s.dir);
	snprintf(cache, sizeof(cache), "%s/go-build", file);
	sc_sh(": > %s", file);
	setenv("GOCACHE", cache, 1);
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = { .exit = 1, .out = { "failed to initialize build cache", "not a directory" },
			     .id = "gocache-init-denied", .sev = "error",
			     .event = { { "errno", "ENOTDIR" } } };
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	const char *rem = sc_str(f, "remedy");
	char mv[700];
	snprintf(mv, sizeof(mv), "mv \"%s\" \"%s.bak\"", file, file);
	cr_expect(strstr(rem, mv) && !strstr(rem, "chown") && !strstr(rem, "--user"), "%s", rem);
	json_decref(rep);
	sc_sh("mv %s %s.bak", file, file);
	sc_rerun_clean(&s, argv, "mv of the file in the cache's way");
	sc_done(&s);
}

/* `sudo go build` filled the cache first; uid 65534 then builds a changed
 * package: go cannot store its new entries, says nothing and succeeds. */
Test(gocache, root_written_cache_is_a_silent_warning_for_uid_65534, .timeout = 300)
{
	struct sc s;
	char cache[256], bin[256], rhome[256];

	sc_go_start(&s, "foreign", 1, "m", "main.go", sc_go_main, NULL);
	snprintf(cache, sizeof(cache), "%s/cache", s.dir);
	snprintf(rhome, sizeof(rhome), "%s/roothome", s.dir);
	cr_assert(mkdir(rhome, 0700) == 0);
	sc_sh("cd %s && HOME=%s GOPATH=%s/go GOCACHE=%s %s build -o /dev/null .", s.mod, rhome,
	      rhome, cache, SC_GO);
	sc_sh("printf '\\nfunc unused() int { return 42 }\\n' >> %s/main.go", s.mod);
	setenv("GOCACHE", cache, 1);
	snprintf(bin, sizeof(bin), "%s/m", s.home);
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", bin, ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0 && out[0] == 0,
		  "go build should succeed silently (%#x): %s", s.status, sc_tail(out));
	free(out);
	cr_assert(access(bin, X_OK) == 0, "no binary built");

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "gocache-foreign-owner", "warning");
	json_t *e = sc_event(f);
	cr_expect_str_eq(sc_fact(f, "owner"), "0");
	cr_expect_str_eq(sc_fact(f, "euid"), "65534");
	cr_expect_str_eq(sc_str(e, "errno"), "EACCES");
	const char *p = sc_str(e, "path");
	size_t n = strlen(p);
	cr_expect(strncmp(p, cache, strlen(cache)) == 0 && n > 2 &&
		  (strcmp(p + n - 2, "-d") == 0 || strcmp(p + n - 2, "-a") == 0),
		  "path %s is not a cache entry", p);
	json_t *doc = sc_doctor(&s);
	sc_doctor_expect(&s, doc, "gocache-foreign-owner");
	json_decref(doc);
	json_decref(rep);
	sc_done(&s);
}

/* The same root-written cache, and a test that fails for a reason of its
 * own: go's refused cache writes came along (go exits 1 only after its
 * test binary did) and stay a warning; the failed exit is unexplained
 * (report exits 3), never put on the cache. */
Test(gocache, root_written_cache_does_not_take_a_failing_test, .timeout = 300)
{
	static const char m_go[] = "package m\n\nfunc Two() int { return 2 }\n";
	static const char m_test[] = "package m\n\nimport \"testing\"\n\n"
		"func TestTwo(t *testing.T) { if Two() != 3 { t.Fatal(\"want 3\") } }\n";
	struct sc s;
	char cache[256], rhome[256];

	sc_go_start(&s, "foreignrelay", 1, "m", "m.go", m_go, "m_test.go", m_test, NULL);
	snprintf(cache, sizeof(cache), "%s/cache", s.dir);
	snprintf(rhome, sizeof(rhome), "%s/roothome", s.dir);
	cr_assert(mkdir(rhome, 0700) == 0);
	sc_sh("cd %s && HOME=%s GOPATH=%s/go GOCACHE=%s %s test . >/dev/null 2>&1; true", s.mod,
	      rhome, rhome, cache, SC_GO);
	sc_sh("printf '\\nfunc unused() int { return 42 }\\n' >> %s/m.go", s.mod);
	setenv("GOCACHE", cache, 1);
	char *argv[] = { SC_GO, "test", ".", NULL };
	struct sc_want w = { .exit = 1, .out = { "want 3", "FAIL" } };
	sc_run_want(&s, argv, &w);
	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "gocache-foreign-owner", "warning");
	cr_expect_str_eq(sc_str(f, "exit_link"), "relay");
	cr_expect_eq(json_array_size(json_object_get(rep, "unexplained")), 1);
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3);
	sc_done(&s);
}

static int ro_bind(struct sc *s)
{
	if (mount(s->mnt, s->mnt, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, s->mnt, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
		fprintf(stderr, "ro bind mount %s: %s\n", s->mnt, strerror(errno));
		return -1;
	}
	return 0;
}

static int ro_tmpfs(struct sc *s)
{
	if (mount("tmpfs", s->mnt, "tmpfs", MS_RDONLY, "size=16m") < 0) {
		fprintf(stderr, "ro tmpfs %s: %s\n", s->mnt, strerror(errno));
		return -1;
	}
	return 0;
}

/* A broken GOCACHE under `go build` of a tiny module: how it is broken
 * (mounts, environment) and what the report must say. */
struct cache_case {
	const char *tag;
	int (*mounts)(struct sc *);
	int undefined;           /* no GOCACHE, no HOME; else GOCACHE is dir/mnt */
	const char *out, *id, *fstype, *err;
};

static struct cache_case cache_cases[] = {
	{ "robind", ro_bind, 0, "read-only file system", "gocache-readonly", "ext4", "EROFS" },
	{ "rotmpfs", ro_tmpfs, 0, "read-only file system", "gocache-readonly", "tmpfs", "EROFS" },
	{ "undefined", NULL, 1, "build cache is required", "gocache-undefined", NULL, NULL },
};

/* readonly_bind_mount, readonly_tmpfs and undefined, as rows. */
TL_TABLE_TEST(struct cache_case, cache_cases, gocache, broken, .timeout = 240)
{
	struct sc s;

	sc_go_start(&s, c->tag, 0, "m", "main.go", sc_go_main, NULL);
	if (c->undefined) {
		unsetenv("GOCACHE");
		unsetenv("HOME");
	} else {
		setenv("GOCACHE", s.mnt, 1);
	}
	s.mounts = c->mounts;
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = { .exit = 1, .out = { c->out }, .id = c->id, .sev = "error",
			     .doctor = c->id };
	if (c->fstype) {
		w.fact[0] = (struct sc_kv){ "mount", s.mnt };
		w.fact[1] = (struct sc_kv){ "fstype", c->fstype };
		w.event[0] = (struct sc_kv){ "errno", c->err };
	}
	json_decref(sc_check(&s, argv, &w, NULL));
	sc_done(&s);
}

/* A module cache owned by root, used by uid 65534: the first download
 * fails.  The module comes from a file:// GOPROXY: no network. */
Test(gocache, root_owned_module_cache_for_uid_65534, .timeout = 240)
{
	struct sc s;
	char mod[256], mc[256], proxy[512], cache[256];

	sc_need(1, 1);
	sc_init(&s, "modcache", SC_TRACE, 1);
	snprintf(proxy, sizeof(proxy), "%s/proxy/example.com/dep/@v", s.dir);
	sc_sh("mkdir -p %s/src/example.com/dep@v1.0.0 %s && cd %s/src/example.com/dep@v1.0.0 && "
	      "printf 'module example.com/dep\\n\\ngo 1.21\\n' > go.mod && "
	      "printf 'package dep\\n\\nfunc Two() int { return 2 }\\n' > dep.go && "
	      "cp go.mod %s/v1.0.0.mod && echo v1.0.0 > %s/list && "
	      "echo '{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}' > %s/v1.0.0.info && "
	      "cd %s/src && zip -qr %s/v1.0.0.zip example.com/dep@v1.0.0",
	      s.dir, proxy, s.dir, proxy, proxy, proxy, s.dir, proxy);
	sc_module(&s, "m", mod, sizeof(mod), "main.go",
		  "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.Two()) }\n",
		  NULL);
	sc_sh("printf '\\nrequire example.com/dep v1.0.0\\n' >> %s/go.mod", mod);
	snprintf(mc, sizeof(mc), "%s/modcache", s.dir);
	cr_assert(mkdir(mc, 0755) == 0);
	snprintf(proxy, sizeof(proxy), "file://%s/proxy", s.dir);
	snprintf(cache, sizeof(cache), "%s/cache", s.home);
	setenv("GOMODCACHE", mc, 1);
	setenv("GOPROXY", proxy, 1);
	setenv("GOSUMDB", "off", 1);
	setenv("GOCACHE", cache, 1);
	s.cwd = mod;
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = {
		.exit = 1, .out = { "permission denied", mc },
		.id = "gomodcache-denied", .sev = "error",
		.fact = { { "gomodcache", mc }, { "owner", "0" }, { "euid", "65534" } },
		.event = { { "errno", "EACCES" } },
		.doctor = "gomodcache-denied",
	};
	json_decref(sc_check(&s, argv, &w, NULL));
	sc_done(&s);
}

/* GOCACHE on a noexec mount: the warm cache, bind-mounted noexec. */
static int noexec_cache(struct sc *s)
{
	if (mount(sc_gocache(), s->mnt, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, s->mnt, NULL, MS_REMOUNT | MS_BIND | MS_NOEXEC, NULL) < 0) {
		fprintf(stderr, "noexec bind mount of %s: %s\n", sc_gocache(), strerror(errno));
		return -1;
	}
	return 0;
}

/* Go >= 1.24 runs `go run` programs from their copy in GOCACHE: on a
 * noexec GOCACHE the first run builds, runs and caches, every later run
 * fails to exec the cached copy.  GOTMPDIR (tmpdir-noexec's remedy) cannot
 * help; the finding's remedy, a GOCACHE on an exec mount, is applied and
 * go run passes. */
Test(gocache, noexec_cache_breaks_cached_go_run, .timeout = 300)
{
	struct sc s;
	char mod[256], cache[256];

	sc_need(1, 1);
	sc_init(&s, "noexeccache", SC_TRACE, 0);
	sc_sh("mkdir -p %s", sc_gocache());
	sc_module(&s, "m", mod, sizeof(mod), "main.go", sc_go_main, NULL);
	setenv("GOCACHE", s.mnt, 1);
	s.cwd = mod;
	s.mounts = noexec_cache;
	s.doctor = 1;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "%s run . && %s run .", SC_GO, SC_GO);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct sc_want w = {
		.exit = 1, .out = { "permission denied", s.mnt },
		.id = "gocache-noexec", .sev = "error",
		.fact = { { "mount", s.mnt } },
		.event = { { "call", "execve" }, { "errno", "EACCES" } },
		.doctor = "gocache-noexec",
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f), *e = sc_event(f);
	cr_expect(strncmp(sc_str(e, "path"), s.mnt, strlen(s.mnt)) == 0 &&
		  strstr(sc_str(e, "path"), "-d/m"), "exec path %s", sc_str(e, "path"));
	/* first on a host; in a container (this machine may be one) after
	 * the container's start options */
	const char *rem = sc_str(f, "remedy");
	const char *mv = strstr(rem, "mkdir -p \"$HOME/.cache/go-build\" && export GOCACHE=");
	cr_assert(mv && (mv == rem || (*sc_fact(f, "container") && mv[-1] == '\n')),
		  "remedy does not move GOCACHE: %s", rem);
	json_decref(rep);

	/* the remedy: a build cache on a mount without noexec */
	snprintf(cache, sizeof(cache), "%s/.cache/go-build", s.home);
	sc_sh("mkdir -p %s", cache);
	setenv("GOCACHE", cache, 1);
	s.doctor = 0;
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0, "go run with the remedy: %s",
		  out);
	free(out);
	rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	sc_done(&s);
}
