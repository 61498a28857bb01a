/* SPDX-License-Identifier: Apache-2.0 */
#include "gomod.h"

static int gm_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int gm_version_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '-' || c == '+' || c == '_';
}

/* The argument of keyword kw on line [p, end) into out; 1 when found. */
static int gm_arg(const char *p, const char *end, const char *kw, char *out, size_t cap)
{
	size_t k = 0, n = 0;

	while (kw[k]) {
		if (p + k >= end || p[k] != kw[k]) {
			return 0;
		}
		k++;
	}
	p += k;
	if (p >= end || !gm_blank(*p)) {
		return 0;
	}
	while (p < end && gm_blank(*p)) {
		p++;
	}
	while (p + n < end && !gm_blank(p[n]) && !(p[n] == '/' && p + n + 1 < end && p[n + 1] == '/')) {
		if (!gm_version_char(p[n]) || n + 1 >= cap) {
			return 0;
		}
		out[n] = p[n];
		n++;
	}
	out[n] = 0;
	return n > 0;
}

int gs_gomod_directives(const char *text, size_t n, char *go, size_t gocap, char *tc,
			size_t tccap)
{
	const char *p = text, *end = text + n;
	int found = 0;

	if (!gocap || !tccap) {
		return 0;
	}
	go[0] = tc[0] = 0;
	while (p < end) {
		const char *eol = p;
		while (eol < end && *eol != '\n') {
			eol++;
		}
		while (p < eol && gm_blank(*p)) {
			p++;
		}
		if (!(found & GS_GOMOD_GO) && gm_arg(p, eol, "go", go, gocap)) {
			found |= GS_GOMOD_GO;
		} else if (!(found & GS_GOMOD_TOOLCHAIN) && gm_arg(p, eol, "toolchain", tc, tccap)) {
			found |= GS_GOMOD_TOOLCHAIN;
		}
		p = eol + 1;
	}
	if (!(found & GS_GOMOD_GO)) {
		go[0] = 0;
	}
	if (!(found & GS_GOMOD_TOOLCHAIN)) {
		tc[0] = 0;
	}
	return found;
}
