/* SPDX-License-Identifier: Apache-2.0 */
/* Go's settings for doctor: ask `go env -json` (10 s timeout, no toolchain
 * download), else compute Go's defaults from the environment. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "goenv.h"
#include "procfacts.h"

#define GE_TIMEOUT_MS 10000

static const char *const ge_vars[] = {
	"GOCACHE", "GOMODCACHE", "GOTMPDIR", "GOPATH", "CC", "CGO_ENABLED",
	"GOROOT", "GOVERSION", "GOARCH", "GOPROXY", "GOSUMDB",
};

#define GE_NVARS (sizeof(ge_vars) / sizeof(ge_vars[0]))

static long ge_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Run go env -json VARS; returns its stdout (malloc'd) or NULL. */
static char *ge_run(const char *go, char *why, size_t whylen)
{
	int p[2];
	pid_t pid;
	char *out = NULL;
	size_t len = 0;
	long deadline = ge_now_ms() + GE_TIMEOUT_MS;
	int status;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		const char *argv[4 + GE_NVARS] = { go, "env", "-json" };
		int devnull = open("/dev/null", O_RDWR);
		for (size_t i = 0; i < GE_NVARS; i++) {
			argv[3 + i] = ge_vars[i];
		}
		dup2(p[1], 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
		}
		setenv("GOTOOLCHAIN", "local", 1);
		execv(go, (char **)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		long left = deadline - ge_now_ms();
		struct pollfd pf = { p[0], POLLIN, 0 };
		char buf[4096];
		ssize_t n;
		if (left <= 0 || poll(&pf, 1, (int)left) == 0) {
			kill(pid, SIGKILL);
			snprintf(why, whylen, "`go env` did not answer within %d s", GE_TIMEOUT_MS / 1000);
			free(out);
			out = NULL;
			break;
		}
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		out = realloc(out, len + (size_t)n + 1);
		if (!out) {
			abort();
		}
		memcpy(out + len, buf, (size_t)n);
		len += (size_t)n;
		out[len] = 0;
		if (len > (1u << 20)) {
			break;
		}
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (out && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		snprintf(why, whylen, "`go env` failed (status 0x%x)", status);
		free(out);
		out = NULL;
	}
	return out;
}

static int ge_parse(struct gs_doc *d, const char *text)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	const char *k;
	json_t *v;

	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	json_object_foreach(o, k, v) {
		if (json_is_string(v)) {
			gs_facts_set(&d->go, k, "%s", json_string_value(v));
		}
	}
	json_decref(o);
	return 0;
}

static void ge_compute(struct gs_doc *d)
{
	static const char *const derived[] = { "GOCACHE", "GOMODCACHE", "GOPATH" };

	for (size_t i = 0; i < sizeof(derived) / sizeof(derived[0]); i++) {
		char *v = gs_go_dir(derived[i], gs_getenv_self, NULL);
		gs_facts_set(&d->go, derived[i], "%s", v ? v : "");
		free(v);
	}
	for (size_t i = 0; i < GE_NVARS; i++) {
		const char *v = getenv(ge_vars[i]);
		if (!gs_facts_get(&d->go, ge_vars[i])) {
			gs_facts_set(&d->go, ge_vars[i], "%s", v ? v : "");
		}
	}
}

void gs_doctor_goenv(struct gs_doc *d)
{
	char why[256] = "";
	char *out;
	char *work;

	d->go_bin = gs_doc_which("go");
	if (!d->go_bin) {
		gs_doc_check(d, "go env", GS_CHK_NOTE, "go is not on PATH: using Go's defaults");
	} else if ((out = ge_run(d->go_bin, why, sizeof(why))) && ge_parse(d, out) == 0) {
		d->go_answered = 1;
		gs_doc_check(d, "go env", GS_CHK_OK, "%s %s", d->go_bin,
			     gs_doc_go(d, "GOVERSION") ? gs_doc_go(d, "GOVERSION") : "");
		free(out);
	} else {
		gs_doc_check(d, "go env", GS_CHK_NOTE, "%s: %s; using Go's defaults", d->go_bin,
			     why[0] ? why : "unreadable output");
		free(out);
	}
	if (!d->go_answered) {
		ge_compute(d);
	}
	/* the work dir: GOTMPDIR as go resolved it, else TMPDIR, else /tmp */
	gs_facts_set(&d->go, "TMPDIR", "%s", getenv("TMPDIR") ? getenv("TMPDIR") : "");
	if (gs_doc_go(d, "GOTMPDIR") && *gs_doc_go(d, "GOTMPDIR")) {
		work = gs_xstrdup(gs_doc_go(d, "GOTMPDIR"));
	} else {
		work = gs_go_dir("WORK", gs_getenv_self, NULL);
	}
	gs_facts_set(&d->go, "WORK", "%s", work);
	free(work);
	/* shown in doctor's output: no proxy credentials */
	for (size_t i = 0; i < GE_NVARS; i++) {
		const char *v = gs_doc_go(d, ge_vars[i]);
		char red[2048];
		if (v && strstr(v, "://")) {
			gs_proc_env_redact(red, sizeof(red), v);
			gs_facts_set(&d->go, ge_vars[i], "%s", red);
		}
	}
}
