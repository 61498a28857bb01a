/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of doctor's checks: PATH lookup and the mount of a path. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor.h"

static int du_is_exec(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *gs_doc_which(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!prog || !*prog) {
		return NULL;
	}
	if (strchr(prog, '/')) {
		return du_is_exec(prog) ? gs_xstrdup(prog) : NULL;
	}
	if (!path) {
		path = "/usr/local/bin:/usr/bin:/bin";
	}
	for (const char *d = path; *d;) {
		size_t n = strcspn(d, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", n ? (int)n : 1, n ? d : ".", prog);
		if (du_is_exec(buf)) {
			return gs_xstrdup(buf);
		}
		d += n;
		if (*d == ':') {
			d++;
		}
	}
	return NULL;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void du_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

void gs_doc_mount_facts(const char *path, struct gs_facts *f)
{
	char real[PATH_MAX], best[PATH_MAX] = "", type[64] = "", opts[512] = "";
	char line[4096];
	size_t bestlen = 0;
	FILE *mi;

	if (!realpath(path, real)) {
		snprintf(real, sizeof(real), "%s", path);
	}
	mi = fopen("/proc/self/mountinfo", "r");
	if (!mi) {
		return;
	}
	while (fgets(line, sizeof(line), mi)) {
		char mp[PATH_MAX], mopts[512], t[64];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s %511s", mp, mopts) != 2 ||
		    sscanf(dash + 3, "%63s", t) != 1) {
			continue;
		}
		du_unescape(mp);
		size_t n = strlen(mp);
		int under = strcmp(mp, "/") == 0 ||
			    (strncmp(real, mp, n) == 0 && (real[n] == '/' || real[n] == 0));
		if (under && n >= bestlen) {
			bestlen = n;
			snprintf(best, sizeof(best), "%s", mp);
			snprintf(type, sizeof(type), "%s", t);
			snprintf(opts, sizeof(opts), "%s", mopts);
		}
	}
	fclose(mi);
	if (best[0]) {
		gs_facts_set(f, "mount", "%s", best);
		gs_facts_set(f, "fstype", "%s", type);
		gs_facts_set(f, "mount_opts", "%s", opts);
	}
}
