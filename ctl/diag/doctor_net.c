/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: can go reach its module proxy and checksum database?  The first
 * http(s) entry of GOPROXY and GOSUMDB's server (through HTTPS_PROXY /
 * HTTP_PROXY when set) get one TCP connect each: non-blocking, all at
 * once, in forked children (name resolution may block), which are killed
 * when the deadline passes.  No HTTP: a proxy that answers 404 for a
 * private module is not found here. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "procfacts.h"

#define DN_DEADLINE_MS 2000 /* every probe together */

struct dn_probe {
	const char *check;  /* GOPROXY, GOSUMDB */
	char url[512];      /* as shown: credentials redacted */
	char host[256], port[8];
	char via[300];      /* "" or " through HTTPS_PROXY host:port" */
	pid_t pid;
	int fd;             /* the child's answer */
	char answer[128];
	const char *proxy, *sumdb; /* the settings, for the facts */
};

static long dn_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* host and port of URL u ("https://user:pw@host:port/path"); 0 or -1. */
static int dn_hostport(const char *u, char *host, size_t hcap, char *port, size_t pcap)
{
	const char *s = strstr(u, "://"), *h, *end, *at, *colon;
	int https = strncmp(u, "https://", 8) == 0;

	if (!s || (!https && strncmp(u, "http://", 7) != 0)) {
		return -1;
	}
	h = s + 3;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	h = at ? at + 1 : h;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb) {
			return -1;
		}
		snprintf(host, hcap, "%.*s", (int)(rb - h - 1), h + 1);
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		snprintf(host, hcap, "%.*s", (int)((colon ? colon : end) - h), h);
	}
	snprintf(port, pcap, "%.*s", colon ? (int)(end - colon - 1) : 3,
		 colon ? colon + 1 : https ? "443" : "80");
	return host[0] ? 0 : -1;
}

/* In the child: resolve, connect to each address until one answers;
 * write "ok ADDR", "errno N ADDR" or "dns TEXT" to fd. */
static void dn_child(const struct dn_probe *p, int fd, long deadline)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *a;
	char line[128] = "", addr[64] = "";
	int rc = getaddrinfo(p->host, p->port, &hints, &res);

	if (rc != 0) {
		snprintf(line, sizeof(line), "dns %s", gai_strerror(rc));
		goto out;
	}
	for (a = res; a; a = a->ai_next) {
		int s = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK, a->ai_protocol);
		int err = 0;
		socklen_t n = sizeof(err);
		struct pollfd pf = { .fd = s, .events = POLLOUT };

		getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
		if (s < 0) {
			continue;
		}
		if (connect(s, a->ai_addr, a->ai_addrlen) < 0) {
			err = errno;
			if (err == EINPROGRESS) {
				long left = deadline - dn_now_ms();
				err = poll(&pf, 1, left > 0 ? (int)left : 0) == 1 &&
				      getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &n) == 0 ? err : ETIMEDOUT;
			}
		}
		close(s);
		if (!err) {
			snprintf(line, sizeof(line), "ok %s", addr);
			break;
		}
		snprintf(line, sizeof(line), "errno %d %s", err, addr);
	}
	freeaddrinfo(res);
out:
	if (write(fd, line, strlen(line)) < 0) {
		_exit(1);
	}
	_exit(0);
}

static void dn_start(struct dn_probe *p, long deadline)
{
	int fds[2];

	p->pid = -1;
	if (pipe(fds) < 0) {
		return;
	}
	fflush(NULL);
	p->pid = fork();
	if (p->pid == 0) {
		close(fds[0]);
		dn_child(p, fds[1], deadline);
	}
	close(fds[1]);
	p->fd = fds[0];
	if (p->pid < 0) {
		close(p->fd);
	}
}

/* Collect every answer, or kill what is late. */
static void dn_wait(struct dn_probe *ps, size_t n, long deadline)
{
	for (size_t i = 0; i < n; i++) {
		struct dn_probe *p = &ps[i];
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		long left = deadline - dn_now_ms();

		if (p->pid < 0) {
			snprintf(p->answer, sizeof(p->answer), "dns could not start the probe");
			continue;
		}
		if (poll(&pf, 1, left > 0 ? (int)left : 0) == 1) {
			ssize_t r = read(p->fd, p->answer, sizeof(p->answer) - 1);
			p->answer[r > 0 ? r : 0] = 0;
		}
		if (!p->answer[0]) {
			snprintf(p->answer, sizeof(p->answer), "timeout");
		}
		close(p->fd);
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
}

static void dn_report(struct gs_doc *d, const struct dn_probe *p)
{
	struct gs_facts f = { 0 };
	int err = 0;
	char addr[64] = "";

	if (strncmp(p->answer, "ok ", 3) == 0) {
		gs_doc_check(d, p->check, GS_CHK_OK, "%s: %s:%s reachable (%s)%s", p->url, p->host,
			     p->port, p->answer + 3, p->via);
		return;
	}
	char red[600];

	gs_proc_env_redact(red, sizeof(red), p->proxy);
	gs_facts_set(&f, "goproxy", "%s", red);
	gs_proc_env_redact(red, sizeof(red), p->sumdb);
	gs_facts_set(&f, "gosumdb", "%s", red);
	gs_facts_set(&f, "goprivate", "%s", getenv("GOPRIVATE") && *getenv("GOPRIVATE") ?
		     getenv("GOPRIVATE") : "(unset)");
	gs_facts_set(&f, "url", "%s", p->url);
	gs_facts_set(&f, "host", "%s", p->host);
	gs_facts_set(&f, "port", "%s", p->port);
	gs_facts_set(&f, "via", "%s", p->via);
	if (sscanf(p->answer, "errno %d %63s", &err, addr) >= 1) {
		gs_facts_set(&f, "errno", "%s", err == ECONNREFUSED ? "ECONNREFUSED" :
			     err == ETIMEDOUT ? "ETIMEDOUT" : err == ENETUNREACH ? "ENETUNREACH" :
			     err == EHOSTUNREACH ? "EHOSTUNREACH" : "?");
		gs_facts_set(&f, "errno_desc", "%s (%s)", strerror(err), addr);
	} else if (strncmp(p->answer, "dns ", 4) == 0) {
		gs_facts_set(&f, "errno_desc", "name not resolved: %s", p->answer + 4);
	} else {
		gs_facts_set(&f, "errno_desc", "no answer within %d ms", DN_DEADLINE_MS);
	}
	gs_doc_check(d, p->check, GS_CHK_PROBLEM, "%s: %s:%s %s%s", p->url, p->host, p->port,
		     gs_facts_get(&f, "errno_desc"), p->via);
	gs_doc_found(d, p->check, "unreachable", &f);
}

/* The HTTP(S) proxy go would use for url, into p->host/port/via. */
static void dn_via(struct dn_probe *p)
{
	int https = strncmp(p->url, "https:", 6) == 0;
	const char *name = https ? "HTTPS_PROXY" : "HTTP_PROXY";
	const char *v = getenv(name);
	char h[256], port[8];

	if (!v || !*v) {
		v = getenv(https ? "https_proxy" : "http_proxy");
	}
	if (!v || !*v || (getenv("NO_PROXY") && *getenv("NO_PROXY")) ||
	    dn_hostport(v, h, sizeof(h), port, sizeof(port)) < 0) {
		return; /* NO_PROXY: whether it exempts this host is not judged */
	}
	snprintf(p->via, sizeof(p->via), " through %s %s:%s", name, h, port);
	snprintf(p->host, sizeof(p->host), "%s", h);
	snprintf(p->port, sizeof(p->port), "%s", port);
}

/* The probe of one setting, or a note; 1 when a probe is to run. */
static int dn_target(struct gs_doc *d, struct dn_probe *p, const char *check, const char *v)
{
	char first[512], kv[600];
	size_t n = strcspn(v, ",|");

	snprintf(first, sizeof(first), "%.*s", (int)n, v);
	p->check = check;
	snprintf(kv, sizeof(kv), "%s", first);
	gs_proc_env_redact(p->url, sizeof(p->url), kv);
	if (strcmp(first, "off") == 0) {
		gs_doc_check(d, check, GS_CHK_NOTE, "off: %s", strcmp(check, "GOPROXY") == 0 ?
			     "modules missing from GOMODCACHE cannot be fetched" :
			     "downloads are not checked against the checksum database");
		return 0;
	}
	if (dn_hostport(first, p->host, sizeof(p->host), p->port, sizeof(p->port)) < 0) {
		gs_doc_check(d, check, GS_CHK_NOTE, "%s: not probed (only http and https are)", p->url);
		return 0;
	}
	dn_via(p);
	return 1;
}

void gs_doctor_net(struct gs_doc *d)
{
	const char *proxy = gs_doc_go(d, "GOPROXY"), *sumdb = gs_doc_go(d, "GOSUMDB");
	struct dn_probe ps[2] = { 0 };
	char sum[512];
	size_t n = 0;
	long deadline = dn_now_ms() + DN_DEADLINE_MS;

	if (!proxy || !*proxy) {
		proxy = getenv("GOPROXY") && *getenv("GOPROXY") ? getenv("GOPROXY") :
								  "https://proxy.golang.org,direct";
	}
	if (!sumdb || !*sumdb) {
		sumdb = getenv("GOSUMDB") && *getenv("GOSUMDB") ? getenv("GOSUMDB") : "sum.golang.org";
	}
	n += (size_t)dn_target(d, &ps[n], "GOPROXY", proxy);
	/* GOSUMDB is "off", "NAME[+KEY]" (https://NAME) or "NAME[+KEY] URL" */
	if (strchr(sumdb, ' ')) {
		snprintf(sum, sizeof(sum), "%s", strchr(sumdb, ' ') + 1);
	} else if (strcmp(sumdb, "off") == 0) {
		snprintf(sum, sizeof(sum), "off");
	} else {
		snprintf(sum, sizeof(sum), "https://%.*s", (int)strcspn(sumdb, "+"), sumdb);
	}
	n += (size_t)dn_target(d, &ps[n], "GOSUMDB", sum);
	for (size_t i = 0; i < n; i++) {
		ps[i].proxy = proxy;
		ps[i].sumdb = sumdb;
		dn_start(&ps[i], deadline);
	}
	dn_wait(ps, n, deadline);
	for (size_t i = 0; i < n; i++) {
		dn_report(d, &ps[i]);
	}
}
