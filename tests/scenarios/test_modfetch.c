/* SPDX-License-Identifier: Apache-2.0 */
/* module-fetch-failed: a module that is not in the module cache cannot be
 * fetched — GOPROXY on a closed loopback port (its URL carrying
 * credentials, which the ring must not), a proxy answering 404 (a private
 * module without GOPRIVATE), GOPROXY=off.  Go 1.26 under the trace engine
 * and from a preloaded shell, and Debian's Go 1.19.  The remedy (a proxy
 * that serves the module) applied: the build passes and the report is
 * clean, though go missed the module in its cache first; a compile error
 * after a good fetch is no fetch failure. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "tl_net.h"

#define GO119 "/usr/lib/go-1.19/bin/go"

static const char mf_main[] = "package main\n\nimport _ \"example.com/dep\"\n\nfunc main() {}\n";
static const char mf_private[] =
	"package main\n\nimport _ \"corp.example/private\"\n\nfunc main() {}\n";

/* A tiny HTTP server on the listening socket fd that answers every
 * request "404 Not Found", as a module proxy does for a module it does
 * not have; in a child, killed by mf_stop or the test's end. */
static pid_t mf_404(int fd)
{
	static const char resp[] = "HTTP/1.0 404 Not Found\r\nContent-Length: 10\r\n"
				   "Connection: close\r\n\r\nnot found\n";
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		/* gone with the test, even one that failed before mf_stop */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1) {
			_exit(0);
		}
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		for (;;) {
			char buf[4096];
			int c = accept(fd, NULL, NULL);
			if (c < 0) {
				continue;
			}
			if (read(c, buf, sizeof(buf)) >= 0 && write(c, resp, sizeof(resp) - 1) < 0) {
				_exit(1);
			}
			close(c);
		}
	}
	close(fd);
	return pid;
}

static void mf_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The scenario: module m importing src's module, GOMODCACHE empty. */
static void mf_start(struct sc *s, const char *tag, const char *go, enum sc_engine e,
		     const char *src, const char *require)
{
	char p[512], mc[300], text[256];

	if (access(go, X_OK) != 0) {
		cr_skip("%s is not installed", go);
	}
	sc_go_start(s, tag, 0, "m", "main.go", src, NULL);
	s->engine = e;
	snprintf(p, sizeof(p), "%s/go.mod", s->mod);
	snprintf(text, sizeof(text), "module example.com/m\n\ngo 1.19\n\nrequire %s\n", require);
	sc_write(p, text);
	snprintf(mc, sizeof(mc), "%s/modcache", s->dir);
	setenv("GOMODCACHE", mc, 1);
	setenv("GOSUMDB", "off", 1);
}

static json_t *mf_expect(struct sc *s, char **argv, const char *out, const char *mod,
			 const char *route, const char *remedy, json_t **fout)
{
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { out }, .id = "module-fetch-failed", .sev = "error",
		.fact = { { "module", mod } },
		.event = { { "errno", "ENOENT" } },
	};
	json_t *f, *rep = sc_check(s, argv, &w, &f);
	cr_expect(strstr(sc_fact(f, "fetch_route"), route), "route %s", sc_fact(f, "fetch_route"));
	cr_expect(strstr(sc_str(f, "remedy"), remedy), "remedy %s", sc_str(f, "remedy"));
	if (fout) {
		*fout = f;
	}
	return rep;
}

static void mf_refused(const char *go, enum sc_engine e, const char *tag)
{
	struct sc s;
	char url[360], proxy[300];

	mf_start(&s, tag, go, e, mf_main, "example.com/dep v1.0.0");
	snprintf(url, sizeof(url), "https://ci:s3cret@127.0.0.1:%d", tl_loopback_port(NULL));
	setenv("GOPROXY", url, 1);
	char *direct[] = { (char *)go, "build", "-o", "/dev/null", ".", NULL };
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "%s build -o /dev/null .", go);
	char *shell[] = { "/bin/sh", "-c", cmd, NULL };
	char **argv = e == SC_TRACE ? direct : shell;
	json_t *f, *rep = mf_expect(&s, argv, "connection refused", "example.com/dep",
				     "GOPROXY https://***@127.0.0.1:", "GOPRIVATE=example.com/dep", &f);
	/* the proxy's credentials are in no record */
	cr_expect(strncmp(sc_fact(f, "goproxy"), "https://***@127.0.0.1:", 22) == 0, "goproxy %s",
		  sc_fact(f, "goproxy"));
	json_decref(rep);
	char cmdl[600];
	snprintf(cmdl, sizeof(cmdl), "%s decode --json --type all %s | grep -c s3cret",
		 getenv("GOSHIMCTL"), s.ring);
	FILE *pp = popen(cmdl, "r");
	int n = -1;
	cr_assert(pp && fscanf(pp, "%d", &n) == 1);
	pclose(pp);
	cr_expect_eq(n, 0, "records holding the proxy's password: %d", n);

	/* the remedy: a proxy that serves the module */
	snprintf(proxy, sizeof(proxy), "%s/proxy", s.dir);
	sc_dep_proxy(proxy);
	snprintf(url, sizeof(url), "file://%s", proxy);
	setenv("GOPROXY", url, 1);
	sc_rerun_clean(&s, argv, "a GOPROXY that serves the module");
	sc_done(&s);
}

Test(modfetch, proxy_refused_trace, .timeout = 300)
{
	mf_refused(SC_GO, SC_TRACE, "mfref");
}

Test(modfetch, proxy_refused_preload, .timeout = 300)
{
	mf_refused(SC_GO, SC_PRELOAD, "mfrefp");
}

Test(modfetch, proxy_refused_go119_trace, .timeout = 300)
{
	mf_refused(GO119, SC_TRACE, "mfref119");
}

Test(modfetch, private_module_proxy_404, .timeout = 300)
{
	struct sc s;
	char url[64];
	int fd;

	mf_start(&s, "mf404", SC_GO, SC_TRACE, mf_private, "corp.example/private v1.0.0");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", tl_loopback_port(&fd));
	pid_t srv = mf_404(fd);
	setenv("GOPROXY", url, 1);
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	json_t *rep = mf_expect(&s, argv, "404 Not Found", "corp.example/private", "GOPROXY http://127.0.0.1:",
				"export GOPRIVATE=corp.example/private", NULL);
	mf_stop(srv);
	json_decref(rep);
	sc_done(&s);
}

Test(modfetch, proxy_off, .timeout = 300)
{
	struct sc s;

	mf_start(&s, "mfoff", SC_GO, SC_TRACE, mf_main, "example.com/dep v1.0.0");
	setenv("GOPROXY", "off", 1);
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	json_t *rep = mf_expect(&s, argv, "GOPROXY=off", "example.com/dep", "off",
				"export GOPROXY=https://proxy.golang.org,direct", NULL);
	json_decref(rep);
	sc_done(&s);
}

/* The module arrives, then the build fails: a compile error, no fetch
 * failure. */
Test(modfetch, compile_error_after_fetch_is_not_a_fetch_failure, .timeout = 300)
{
	struct sc s;
	char proxy[300], url[320];

	mf_start(&s, "mfcomp", SC_GO, SC_TRACE, mf_main, "example.com/dep v1.0.0");
	snprintf(proxy, sizeof(proxy), "%s/proxy", s.dir);
	sc_dep_proxy(proxy);
	snprintf(url, sizeof(url), "file://%s", proxy);
	setenv("GOPROXY", url, 1);
	sc_compile_error_without(&s, "module-fetch-failed");
	sc_done(&s);
}
