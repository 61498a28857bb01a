/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about the path and Go's directories. */
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

int gs_pe_glob_one(const char *alt, const void *ctx)
{
	struct gs_glob g;

	gs_glob_make(&g, alt);
	return gs_glob_match(&g, ctx, strlen(ctx));
}

enum gs_tri gs_pe_path_glob(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *p = gs_mev_path(x->e);

	return p ? tri(gs_pr_globs(c, 0, p)) : GS_UNKNOWN;
}

enum gs_tri gs_pe_path_empty(const struct gs_clause *c, const struct gs_ctx *x)
{
	(void)c;
	return tri(x->e->ev.path && !x->e->ev.path[0]);
}

enum gs_tri gs_pe_base_glob(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *p = gs_mev_path(x->e);

	return p ? tri(gs_pr_globs(c, 0, gs_pr_basename(p))) : GS_UNKNOWN;
}

/* Length of dir without trailing slashes (but "/" stays 1). */
static size_t gs_pr_dirlen(const char *d)
{
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/') {
		n--;
	}
	return n;
}

/* Same, for the first n bytes of d. */
static size_t gs_pr_dirlen_n(const char *d, size_t n)
{
	while (n > 1 && d[n - 1] == '/') {
		n--;
	}
	return n;
}

enum pr_rel { PR_UNDER, PR_IS, PR_PARENT, PR_ABOVE };

struct pr_relctx {
	const struct gs_ctx *x;
	const char *path;
	enum pr_rel rel;
	int unknown;
};

static int gs_pe_rel_one(const char *var, const void *vctx)
{
	const struct pr_relctx *rc = vctx;
	const char *d = gs_pr_godir(rc->x, var);
	size_t n, pn = strlen(rc->path);
	int ok = 0;

	if (!d) {
		((struct pr_relctx *)rc)->unknown = 1;
		return 0;
	}
	n = gs_pr_dirlen(d);
	while (pn > 1 && rc->path[pn - 1] == '/') {
		pn--;
	}
	if (rc->rel == PR_IS) {
		ok = pn == n && strncmp(rc->path, d, n) == 0;
	} else if (rc->rel == PR_UNDER) {
		ok = strncmp(rc->path, d, n) == 0 &&
		     (pn == n || rc->path[n] == '/' || (n == 1 && d[0] == '/'));
	} else if (rc->rel == PR_ABOVE) {
		ok = pn < n && strncmp(rc->path, d, pn) == 0 && (d[pn] == '/' || pn == 1);
	} else {
		const char *slash = memrchr(rc->path, '/', pn);
		size_t dn = slash ? (size_t)(slash - rc->path) : 0;
		if (dn == 0 && slash) {
			dn = 1;
		}
		ok = slash && dn == n && strncmp(rc->path, d, n) == 0;
	}
	return ok;
}

static enum gs_tri gs_pe_rel(const struct gs_clause *c, const struct gs_ctx *x, enum pr_rel rel)
{
	struct pr_relctx rc = { x, gs_mev_path(x->e), rel, 0 };

	if (!rc.path || rc.path[0] != '/') {
		return GS_UNKNOWN;
	}
	if (gs_pr_alts(c, 0, gs_pe_rel_one, &rc)) {
		return GS_TRUE;
	}
	return rc.unknown ? GS_UNKNOWN : GS_FALSE;
}

enum gs_tri gs_pe_under_env(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pe_rel(c, x, PR_UNDER);
}

enum gs_tri gs_pe_is_env(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pe_rel(c, x, PR_IS);
}

enum gs_tri gs_pe_above_env(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pe_rel(c, x, PR_ABOVE);
}

enum gs_tri gs_pe_parent_env(const struct gs_clause *c, const struct gs_ctx *x)
{
	return gs_pe_rel(c, x, PR_PARENT);
}

enum gs_tri gs_pe_parent_in_list(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *p = gs_mev_path(x->e);
	const char *list = gs_model_env(x->m, x->pid, c->argv[0], NULL);
	const char *slash;
	size_t pn;

	if (!p || !list || !(slash = strrchr(p, '/'))) {
		return GS_UNKNOWN;
	}
	pn = slash == p ? 1 : (size_t)(slash - p);
	for (const char *d = list; *d;) {
		size_t n = strcspn(d, ":");
		size_t dn = gs_pr_dirlen_n(d, n);
		if (dn == pn && strncmp(d, p, pn) == 0) {
			return GS_TRUE;
		}
		d += n;
		if (*d == ':') {
			d++;
		}
	}
	return GS_FALSE;
}
