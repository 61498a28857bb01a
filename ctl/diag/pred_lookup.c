/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates that look across the whole ring: PATH searches, programs run. */
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

/* The program $VAR names (first word, basename), default argv[1]. */
static void gs_pr_prog(const struct gs_ctx *x, const struct gs_clause *c, char *out, size_t size)
{
	const char *v = gs_model_env(x->m, x->pid, c->argv[0], NULL);
	size_t n;

	if (!v || !*v) {
		v = c->argv[1];
	}
	while (*v == ' ') {
		v++;
	}
	n = strcspn(v, " \t");
	snprintf(out, size, "%.*s", (int)n, v);
	memmove(out, gs_pr_basename(out), strlen(gs_pr_basename(out)) + 1);
}

enum gs_tri gs_pe_prog_is(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *p = gs_mev_path(x->e);
	char prog[256];

	if (x->e->ev.name && x->e->family == GOSHIM_FAM_EXEC) {
		p = x->e->ev.name;
	}
	if (!p) {
		return GS_UNKNOWN;
	}
	gs_pr_prog(x, c, prog, sizeof(prog));
	return tri(strcmp(gs_pr_basename(p), prog) == 0);
}

/* Did pid fail to find dir/base (ENOENT, or a PATH entry it cannot
 * search: exec.LookPath and execvp skip those too)? */
static int gs_pr_failed_lookup(const struct gs_model *m, uint32_t pid, const char *dir,
			    size_t dn, const char *base)
{
	for (size_t i = 0; i < m->nev; i++) {
		const struct gs_mev *e = &m->ev[i];
		const char *p = gs_mev_path(e);
		int err = e->ev.err;
		if (e->ev.pid != pid || !p || (err != ENOENT && err != EACCES && err != ENOTDIR)) {
			continue;
		}
		if (strncmp(p, dir, dn) == 0 && p[dn] == '/' && strcmp(p + dn + 1, base) == 0) {
			return 1;
		}
	}
	return 0;
}

/* The libc entry points that search PATH themselves for a name without a
 * slash: one failed call is the whole search, and ENOENT (not EACCES, which
 * execvp returns when some directory refused) says every directory lacked
 * the name. */
static const char *const gs_pr_path_searchers[] = {
	"execvp", "execvpe", "execlp", "posix_spawnp",
};

static int gs_pr_libc_searched(const struct gs_mev *e, const char *p)
{
	if (strchr(p, '/') || e->ev.err != ENOENT) {
		return 0;
	}
	for (size_t i = 0; i < sizeof(gs_pr_path_searchers) / sizeof(gs_pr_path_searchers[0]); i++) {
		if (strcmp(e->call, gs_pr_path_searchers[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

enum gs_tri gs_pe_search_exhausted(const struct gs_clause *c, const struct gs_ctx *x)
{
	const char *p = gs_mev_path(x->e);
	const char *path = gs_model_env(x->m, x->pid, "PATH", NULL);
	const char *base;
	size_t dirs = 0;

	if (p && gs_pr_libc_searched(x->e, p)) {
		return GS_TRUE;
	}
	if (!p || !path || !*path) {
		return GS_UNKNOWN;
	}
	base = gs_pr_basename(p);
	for (const char *d = path; *d;) {
		size_t n = strcspn(d, ":");
		size_t dn = n;
		while (dn > 1 && d[dn - 1] == '/') {
			dn--;
		}
		if (n > 0 && d[0] == '/') {
			dirs++;
			if (!gs_pr_failed_lookup(x->m, x->e->ev.pid, d, dn, base)) {
				return GS_FALSE;
			}
		}
		d += n;
		if (*d == ':') {
			d++;
		}
	}
	return tri(dirs > 0);
}

enum gs_tri gs_pe_no_exec_of(const struct gs_clause *c, const struct gs_ctx *x)
{
	char prog[256];

	gs_pr_prog(x, c, prog, sizeof(prog));
	for (size_t i = 0; i < x->m->nproc; i++) {
		const char *exe = x->m->proc[i].exe;
		if (exe && strcmp(gs_pr_basename(exe), prog) == 0) {
			return GS_FALSE;
		}
	}
	return GS_TRUE;
}

/* 1 when process pid descends from anc (pid itself excluded). */
static int gs_pr_descends(const struct gs_model *m, uint32_t pid, uint32_t anc)
{
	uint32_t chain[64];
	size_t n = gs_model_chain(m, pid, chain, 64);

	for (size_t i = 0; i + 1 < n; i++) {
		if (chain[i] == anc) {
			return 1;
		}
	}
	return 0;
}

enum gs_tri gs_pe_descendant_exe(const struct gs_clause *c, const struct gs_ctx *x)
{
	for (size_t i = 0; i < x->m->nproc; i++) {
		const struct gs_proc *p = &x->m->proc[i];

		if (p->exe && gs_pr_globs(c, 0, p->exe) &&
		    gs_pr_descends(x->m, p->pid, x->pid)) {
			return GS_TRUE;
		}
	}
	/* a process record lost to wrap-around may have been one */
	return gs_model_procs_lost(x->m) ? GS_UNKNOWN : GS_FALSE;
}
