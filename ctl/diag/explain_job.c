/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl explain: did the job of the log pass?  From the lines go test
 * prints for a result, and go test -json's verdicts (explain.h). */
#include <string.h>

#include "explain.h"

/* A line that begins (after its indentation) with one of these says the
 * job failed: go test's verdicts and a failed build's, a crash, and the
 * CI runners' own last words. */
static const char *const xj_fail[] = {
	"FAIL", "--- FAIL", "exit status ", "panic: ", "fatal error: ",
	"##[error]Process completed with exit code ", "Error: Process completed with exit code ",
	"ERROR: Job failed", "Finished: FAILURE",
};

static int xj_starts(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

/* go test's verdict of a package that passed: "ok  \tPKG\t0.01s" (and
 * "(cached)"), or the test binary's own "PASS". */
static int xj_pass(const char *s, size_t len)
{
	if (len == 4 && memcmp(s, "PASS", 4) == 0) {
		return 1;
	}
	if (len < 4 || memcmp(s, "ok", 2) != 0 || (s[2] != ' ' && s[2] != '\t')) {
		return 0;
	}
	size_t i = 2;
	while (i < len && (s[i] == ' ' || s[i] == '\t')) {
		i++;
	}
	return i < len && memchr(s + i, '\t', len - i) != NULL;
}

void gs_xjob_line(struct gs_xjob *j, const struct gs_xline *l)
{
	const char *s = l->s;
	size_t len = l->len;

	if (l->action) {
		j->fail += strcmp(l->action, "pass") != 0;
		j->pass += strcmp(l->action, "pass") == 0;
		return;
	}
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof(xj_fail) / sizeof(xj_fail[0]); i++) {
		if (xj_starts(s, len, xj_fail[i]) &&
		    (i || len == 4 || s[4] == ' ' || s[4] == '\t')) {
			j->fail++;
			return;
		}
	}
	j->pass += xj_pass(s, len);
}

int gs_xjob_passed(const struct gs_xjob *j)
{
	return j->pass && !j->fail;
}
