/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the predicates. */
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

/* Call fn on each '|'-separated alternative of arg; true if any is. */
int gs_pr_any(const char *arg, int (*fn)(const char *alt, const void *ctx), const void *ctx)
{
	char buf[512];
	const char *s = arg;

	while (*s) {
		size_t n = strcspn(s, "|");
		if (n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = 0;
			if (fn(buf, ctx)) {
				return 1;
			}
		}
		s += n;
		if (*s == '|') {
			s++;
		}
	}
	return 0;
}

int gs_pr_alts(const struct gs_clause *c, size_t i,
	       int (*fn)(const char *alt, const void *ctx), const void *ctx)
{
	for (char **a = c->alts[i]; *a; a++) {
		if (fn(*a, ctx)) {
			return 1;
		}
	}
	return 0;
}

int gs_pr_globs(const struct gs_clause *c, size_t i, const char *s)
{
	size_t n = strlen(s);

	if (!c->globs) {
		return gs_pr_alts(c, i, gs_pe_glob_one, s);
	}
	for (size_t k = 0; c->alts[i][k]; k++) {
		if (gs_glob_match(&c->globs[i][k], s, n)) {
			return 1;
		}
	}
	return 0;
}

const char *gs_pr_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

const char *gs_pr_godir(const struct gs_ctx *x, const char *var)
{
	return gs_model_go_dir_ref(x->m, x->pid, var);
}

const struct goshim_t_seccomp *gs_pr_seccomp(const struct gs_ctx *x)
{
	const struct gs_proc *p;

	/* a probe note carries the prober's own state */
	if (x->e && gs_evt_has(&x->e->ev, GS_E_SECCOMP)) {
		return &x->e->ev.seccomp;
	}
	p = gs_model_rec_of(x->m, x->pid);
	if (!p || !gs_evt_has(&p->rec, GS_E_SECCOMP)) {
		return NULL;
	}
	return &p->rec.seccomp;
}

const struct gs_event *gs_pr_ev(const struct gs_ctx *x)
{
	return x->e ? &x->e->ev : NULL;
}

int gs_pr_errno_in(const struct gs_clause *c, int err)
{
	if (err >= 0 && err < 256) {
		return (c->small[err >> 6] >> (err & 63)) & 1;
	}
	return gs_pr_alts(c, 0, gs_pe_errno_one, &err);
}
