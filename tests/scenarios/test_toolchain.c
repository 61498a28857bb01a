/* SPDX-License-Identifier: Apache-2.0 */
/* go-toolchain-unavailable: go.mod asks for a newer Go than the one that
 * runs and go cannot switch — GOTOOLCHAIN=local, GOPROXY=off, a proxy on
 * a closed loopback port.  Go 1.26 under the trace engine and, handed
 * over by the preload, from a shell; each case's remedy is named, and the
 * remedy that lowers the requirement is applied.  Debian's Go 1.19 only
 * notes a newer go line: its build passes and the report is clean. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "sc.h"
#include "tl_net.h"

#define GO119 "/usr/lib/go-1.19/bin/go"

struct tc_case {
	const char *tag;
	const char *gomod;                  /* go.mod's contents               */
	const char *gotoolchain, *goproxy;  /* NULL: a closed loopback port    */
	enum sc_engine engine;
	const char *out, *why, *remedy, *want;
};

static void tc_run(const struct tc_case *c)
{
	struct sc s;
	char p[512], proxy[64];

	sc_go_start(&s, c->tag, 0, "m", "main.go", sc_go_main, NULL);
	s.engine = c->engine;
	snprintf(p, sizeof(p), "%s/go.mod", s.mod);
	sc_write(p, c->gomod);
	setenv("GOTOOLCHAIN", c->gotoolchain, 1);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", tl_loopback_port(NULL));
	setenv("GOPROXY", c->goproxy ? c->goproxy : proxy, 1);
	char *direct[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	char sh_line[600];
	snprintf(sh_line, sizeof(sh_line), "%s build -o /dev/null .", SC_GO);
	char *shell[] = { "/bin/sh", "-c", sh_line, NULL };
	char **argv = c->engine == SC_TRACE ? direct : shell;
	struct sc_want w = {
		.exit = 1, .out = { c->out }, .id = "go-toolchain-unavailable", .sev = "error",
		.fact = { { "gomod", p }, { "gomod_want", c->want }, { "goversion", "go1.26.8" } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_fact(f, "toolchain_why"), c->why), "%s: why: %s", c->tag,
		  sc_fact(f, "toolchain_why"));
	cr_expect(strstr(sc_str(f, "remedy"), c->remedy), "%s: remedy: %s", c->tag,
		  sc_str(f, "remedy"));
	json_decref(rep);

	/* the remedy that needs no download: a requirement this go meets */
	sc_write(p, "module example.com/m\n\ngo 1.26\n");
	sc_rerun_clean(&s, argv, "go.mod's go line lowered to 1.26");
	sc_done(&s);
}

Test(toolchain, local_go_line_newer_trace, .timeout = 300)
{
	tc_run(&(struct tc_case){
		"tclocal", "module example.com/m\n\ngo 1.99\n", "local", "off", SC_TRACE,
		"go.mod requires go >= 1.99", "GOTOOLCHAIN=local", "install Go 1.99", "1.99" });
}

Test(toolchain, toolchain_line_without_proxy_preload, .timeout = 300)
{
	tc_run(&(struct tc_case){
		"tcline", "module example.com/m\n\ngo 1.21\n\ntoolchain go1.99.0 // pinned\n", "auto",
		"off", SC_PRELOAD, "download go1.99.0", "GOPROXY=off", "install Go 1.99.0", "1.99.0" });
}

Test(toolchain, auto_without_proxy_trace, .timeout = 300)
{
	tc_run(&(struct tc_case){
		"tcoff", "module example.com/m\n\ngo 1.99\n", "auto", "off", SC_TRACE,
		"toolchain not available", "GOPROXY=off", "export GOPROXY=https://proxy.golang.org",
		"1.99" });
}

Test(toolchain, auto_proxy_refused_trace, .timeout = 300)
{
	tc_run(&(struct tc_case){
		"tcrefused", "module example.com/m\n\ngo 1.99\n", "auto", NULL, SC_TRACE,
		"connection refused", "could not be downloaded", "goshimctl doctor", "1.99" });
}

/* A toolchain line is a preference: under GOTOOLCHAIN=local a go that
 * meets the go line builds, and a build that then fails for any other
 * reason is no toolchain problem. */
Test(toolchain, toolchain_line_is_a_preference_under_local, .timeout = 300)
{
	struct sc s;
	char p[512];

	sc_go_start(&s, "tcpref", 0, "m", "main.go", sc_go_main, NULL);
	snprintf(p, sizeof(p), "%s/go.mod", s.mod);
	sc_write(p, "module example.com/m\n\ngo 1.21\n\ntoolchain go1.99.0\n");
	sc_compile_error_without(&s, NULL);
	sc_done(&s);
}

/* Go 1.19 predates toolchain switching: a newer go line is only a note
 * when the build fails, and this one passes. */
Test(toolchain, go119_builds_a_newer_module_clean, .timeout = 300)
{
	struct sc s;
	char p[512];

	if (access(GO119, X_OK) != 0) {
		cr_skip("%s is not installed", GO119);
	}
	sc_go_start(&s, "tc119", 0, "m", "main.go", sc_go_main, NULL);
	snprintf(p, sizeof(p), "%s/go.mod", s.mod);
	sc_write(p, "module example.com/m\n\ngo 1.99\n");
	char *argv[] = { GO119, "build", "-o", "/dev/null", ".", NULL };
	sc_run(&s, argv);
	cr_assert_eq(s.status, 0, "go 1.19 build: %#x: %s", s.status, sc_output(&s));
	json_t *rep = sc_report(&s);
	sc_expect_clean(&s, rep);
	json_decref(rep);
	sc_done(&s);
}

/* A GOPROXY directory serving golang.org/toolchain for go1.99.0: what
 * go checks after unpacking (bin/go, bin/gofmt, pkg/tool, lib), bin/go a
 * script that would say it ran. */
static void tc_toolchain_proxy(const char *dir)
{
	sc_sh("V=v0.0.1-go1.99.0.linux-amd64 && d=%s/golang.org/toolchain/@v && mkdir -p $d && "
	      "echo $V > $d/list && printf 'module golang.org/toolchain\\n' > $d/$V.mod && "
	      "echo '{\"Version\":\"'$V'\",\"Time\":\"2024-01-01T00:00:00Z\"}' > $d/$V.info && "
	      "python3 -c 'import sys, zipfile\n"
	      "z = zipfile.ZipFile(sys.argv[1], \"w\")\n"
	      "p = \"golang.org/toolchain@\" + sys.argv[2] + \"/\"\n"
	      "z.writestr(p + \"go.mod\", \"module golang.org/toolchain\\n\")\n"
	      "z.writestr(p + \"bin/go\", \"#!/bin/sh\\necho toolchain ran\\n\")\n"
	      "z.writestr(p + \"bin/gofmt\", \"#!/bin/sh\\n\")\n"
	      "z.writestr(p + \"pkg/tool/linux_amd64/x\", \"x\")\n"
	      "z.writestr(p + \"lib/x\", \"x\")\n"
	      "z.close()' $d/$V.zip $V && chmod -R a+rX %s",
	      dir, dir);
}

static int tc_noexec_mnt(struct sc *s)
{
	if (mount("tmpfs", s->mnt, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=64m") < 0) {
		fprintf(stderr, "mount tmpfs %s: %s\n", s->mnt, strerror(errno));
		return -1;
	}
	return 0;
}

/* GOTOOLCHAIN=auto downloads go1.99.0 into a GOMODCACHE on a noexec
 * mount and cannot exec it ("go: exec go1.99.0: permission denied"):
 * the module cache's mount is named, not GOTMPDIR (before: tmpdir-noexec
 * when GOMODCACHE was under /tmp, else unclassified). */
Test(toolchain, downloaded_toolchain_in_noexec_modcache, .timeout = 300)
{
	struct sc s;
	char p[512], proxy[300], url[320];

	sc_go_start(&s, "tcnoexec", 0, "m", "main.go", sc_go_main, NULL);
	s.mounts = tc_noexec_mnt;
	snprintf(p, sizeof(p), "%s/go.mod", s.mod);
	sc_write(p, "module example.com/m\n\ngo 1.99\n");
	snprintf(proxy, sizeof(proxy), "%s/proxy", s.dir);
	tc_toolchain_proxy(proxy);
	snprintf(url, sizeof(url), "file://%s", proxy);
	setenv("GOPROXY", url, 1);
	setenv("GOSUMDB", "off", 1);
	setenv("GOTOOLCHAIN", "auto", 1);
	setenv("GOMODCACHE", s.mnt, 1);
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = {
		.exit = 1, .out = { "permission denied" }, .id = "go-toolchain-unavailable",
		.sev = "error", .fact = { { "gomod_want", "1.99" } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_fact(f, "toolchain_why"), "noexec"), "why: %s",
		  sc_fact(f, "toolchain_why"));
	cr_expect(strstr(sc_str(f, "remedy"), "GOMODCACHE=") && !strstr(sc_str(f, "remedy"), "GOTMPDIR"),
		  "remedy: %s", sc_str(f, "remedy"));
	json_decref(rep);
	sc_done(&s);
}
