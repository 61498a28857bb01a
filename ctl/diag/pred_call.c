/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about the call: name, family, engine, errno, flags, length. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "calls.h"
#include "facts.h"
#include "flags.h"
#include "goenv.h"
#include "hostarch.h"
#include "pred_int.h"

int gs_pe_call_one(const char *alt, const void *ctx)
{
	return strcmp(alt, ctx) == 0;
}

enum gs_tri gs_pe_call(const struct gs_clause *c, const struct gs_ctx *x)
{
	return tri(gs_pr_alts(c, 0, gs_pe_call_one, x->e->call));
}

enum gs_tri gs_pe_family(const struct gs_clause *c, const struct gs_ctx *x)
{
	uint16_t f = x->e->family;

	return tri(f < 64 && (c->num >> f) & 1);
}

enum gs_tri gs_pe_engine(const struct gs_clause *c, const struct gs_ctx *x)
{
	return tri(x->e->engine == c->num);
}

int gs_pe_errno_one(const char *alt, const void *ctx)
{
	return gs_errno_is(alt, *(const int *)ctx);
}

enum gs_tri gs_pe_errno(const struct gs_clause *c, const struct gs_ctx *x)
{
	int e = x->e->ev.err;

	if (!gs_evt_has(&x->e->ev, GS_E_ERRNO)) {
		return GS_UNKNOWN;
	}
	return tri(gs_pr_errno_in(c, e));
}

/* T_FLAGS, or what fopen's mode string and creat imply. */
static int gs_pr_open_flags(const struct gs_mev *e, uint64_t *out)
{
	const char *m = e->ev.fmode;

	if (gs_evt_has(&e->ev, GS_E_FLAGS)) {
		*out = e->ev.flags;
		return 0;
	}
	if (strncmp(e->call, "creat", 5) == 0) {
		*out = O_WRONLY | O_CREAT | O_TRUNC;
		return 0;
	}
	if (!m) {
		return -1;
	}
	int plus = strchr(m, '+') != NULL;
	switch (m[0]) {
	case 'r':
		*out = plus ? O_RDWR : O_RDONLY;
		return 0;
	case 'w':
		*out = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
		return 0;
	case 'a':
		*out = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
		return 0;
	}
	return -1;
}

static int gs_pe_flag_one(const char *alt, const void *ctx)
{
	const struct gs_flag *f = gs_pr_flag(alt);
	uint64_t v = *(const uint64_t *)ctx;
	uint64_t mask = f->mask ? f->mask : f->bits;

	return (v & mask) == f->bits;
}

enum gs_tri gs_pe_flags(const struct gs_clause *c, const struct gs_ctx *x)
{
	uint64_t v;

	if (gs_pr_open_flags(x->e, &v) < 0) {
		return GS_UNKNOWN;
	}
	for (size_t i = 0; i < c->argc; i++) {
		if (!gs_pr_alts(c, i, gs_pe_flag_one, &v)) {
			return GS_FALSE;
		}
	}
	return GS_TRUE;
}

enum gs_tri gs_pe_length(const struct gs_clause *c, const struct gs_ctx *x)
{
	if (!gs_evt_has(&x->e->ev, GS_E_LENGTH)) {
		return GS_UNKNOWN;
	}
	return tri(x->e->ev.length >= c->num);
}
