/* SPDX-License-Identifier: Apache-2.0 */
#include "gover.h"

#include <stdlib.h>
#include <string.h>

/* kind: a language version "1.21" sorts before its prereleases, which
 * sort before its releases. */
enum { GV_LANG, GV_BETA, GV_RC, GV_RELEASE };

struct gv {
	long major, minor, patch, kind, pre;
};

static int gv_num(const char **p, long *v)
{
	char *end;

	if (**p < '0' || **p > '9') {
		return 0;
	}
	*v = strtol(*p, &end, 10);
	*p = end;
	return 1;
}

static int gv_parse(const char *s, struct gv *v)
{
	*v = (struct gv){ 0, 0, 0, GV_LANG, 0 };
	if (strncmp(s, "go", 2) == 0) {
		s += 2;
	}
	if (!gv_num(&s, &v->major)) {
		return 0;
	}
	if (*s == 0 || *s == '-') {
		return 1;
	}
	if (*s++ != '.' || !gv_num(&s, &v->minor)) {
		return 0;
	}
	if (*s == '.') {
		s++;
		v->kind = GV_RELEASE;
		if (!gv_num(&s, &v->patch)) {
			return 0;
		}
	} else if (strncmp(s, "rc", 2) == 0 || strncmp(s, "beta", 4) == 0) {
		v->kind = *s == 'r' ? GV_RC : GV_BETA;
		s += *s == 'r' ? 2 : 4;
		if (!gv_num(&s, &v->pre)) {
			return 0;
		}
	}
	return *s == 0 || *s == '-';
}

int gs_gover_valid(const char *v)
{
	struct gv x;

	return v && gv_parse(v, &x);
}

int gs_gover_cmp(const char *a, const char *b)
{
	struct gv x, y;

	if (!a || !b || !gv_parse(a, &x) || !gv_parse(b, &y)) {
		return 0;
	}
	/* major, minor, then kind, then patch or prerelease number */
	long kx[] = { x.major, x.minor, x.kind, x.patch + x.pre };
	long ky[] = { y.major, y.minor, y.kind, y.patch + y.pre };
	for (int i = 0; i < 4; i++) {
		if (kx[i] != ky[i]) {
			return kx[i] < ky[i] ? -1 : 1;
		}
	}
	return 0;
}
