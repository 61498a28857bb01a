/* SPDX-License-Identifier: Apache-2.0 */
/* report --format=github: workflow commands, most important first, within
 * GitHub's limits.  A step shows at most 10 annotations of each level
 * (error, warning, notice) and drops the rest without a word, so a
 * level's tenth line says how many more there are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "diag.h"
#include "facts.h"
#include "flags.h"
#include "out.h"

#define GH_PER_LEVEL 10

enum gh_level { GH_ERROR, GH_WARNING, GH_NOTICE, GH_LEVELS };

static const char *const gh_cmd[GH_LEVELS] = { "::error", "::warning", "::notice" };

struct gh_note {
	enum gh_level level;
	char *title, *msg;
};

struct gh {
	struct gh_note *v;
	size_t n;
	size_t per[GH_LEVELS];
};

static void gh_add(struct gh *g, enum gh_level level, const char *title, const char *a,
		   const char *b)
{
	struct gh_note *x;
	size_t len = strlen(a) + (b ? strlen(b) + 5 : 0) + 1;

	g->v = gs_xrealloc(g->v, (g->n + 1) * sizeof(*g->v));
	x = &g->v[g->n++];
	x->level = level;
	x->title = gs_xstrdup(title);
	x->msg = gs_xrealloc(NULL, len);
	snprintf(x->msg, len, "%s%s%s", a, b ? " — " : "", b ? b : "");
	g->per[level]++;
}

static void gh_emit(struct gh *g)
{
	size_t shown[GH_LEVELS] = { 0 };

	for (size_t i = 0; i < g->n; i++) {
		const struct gh_note *x = &g->v[i];
		size_t k = shown[x->level]++;
		char more[128];
		if (k >= GH_PER_LEVEL || (k == GH_PER_LEVEL - 1 && g->per[x->level] > GH_PER_LEVEL)) {
			if (k == GH_PER_LEVEL - 1) {
				snprintf(more, sizeof(more), "and %zu more: goshimctl report shows them all",
					 g->per[x->level] - (GH_PER_LEVEL - 1));
				printf("%s title=goshim::", gh_cmd[x->level]);
				gs_github_escape(stdout, more, 0);
				fputc('\n', stdout);
			}
			continue;
		}
		printf("%s title=", gh_cmd[x->level]);
		gs_github_escape(stdout, x->title, 1);
		fputs("::", stdout);
		gs_github_escape(stdout, x->msg, 0);
		fputc('\n', stdout);
	}
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].title);
		free(g->v[i].msg);
	}
	free(g->v);
}

static void gh_ring(struct gh *g, const struct gs_model *m)
{
	char buf[256];
	uint64_t lost = gs_ring_lost(&m->rd);

	if (m->owner_warn[0]) {
		gh_add(g, GH_WARNING, "goshim ring owner", m->owner_warn, NULL);
	}
	if (m->rd.nrecs == 0) {
		gh_add(g, GH_NOTICE, "goshim ring", GS_EMPTY_RING, NULL);
	}
	for (size_t i = 0; i < m->rd.nissues; i++) {
		gh_add(g, GH_WARNING, "goshim ring", m->rd.issues[i].msg, NULL);
	}
	if (lost) {
		snprintf(buf, sizeof(buf), "%llu records were lost to wrap-around or damage: "
			 "a larger GOSHIM_RING_SIZE keeps them", (unsigned long long)lost);
		gh_add(g, GH_WARNING, "goshim ring", buf, NULL);
	}
	/* the engines' own warnings; the policy probe's list is the seccomp
	 * rules' to explain */
	for (size_t i = 0; i < m->nnotes; i++) {
		if (strncmp(m->notes[i], "seccomp-denied:", 15) != 0) {
			gh_add(g, GH_WARNING, "goshim engine", m->notes[i], NULL);
		}
	}
}

void gs_report_github(const struct gs_model *m, const struct gs_report *r,
		      const struct gs_runs *runs)
{
	struct gh g = { 0 };
	char buf[2048], title[200];

	for (size_t i = 0; i < r->nunx; i++) {
		gh_add(&g, GH_ERROR, "goshim unexplained", gs_unx_line(&r->unx[i], buf, sizeof(buf)),
		       NULL);
	}
	for (size_t i = 0; i < r->nf; i++) {
		const struct gs_finding *f = &r->f[i];
		if (f->sev == GS_SEV_BENIGN) {
			continue;
		}
		snprintf(title, sizeof(title), "goshim %s", f->rule->id);
		gh_add(&g, f->sev == GS_SEV_ERROR ? GH_ERROR : GH_WARNING, title,
		       f->summary ? f->summary : "", f->remedy && *f->remedy ? f->remedy : NULL);
	}
	if (g.n == 0 && r->nunc == 0 && m->rd.nrecs) {
		snprintf(buf, sizeof(buf), "no failure found: %llu benign failed call%s, none "
			 "that explains a failure", (unsigned long long)r->suppressed,
			 r->suppressed == 1 ? "" : "s");
		gh_add(&g, GH_NOTICE, "goshim", buf, NULL);
	}
	if (runs->id && runs->older) {
		snprintf(buf, sizeof(buf), "run %s, the last of %zu in the ring: %zu failures of "
			 "older runs left out (goshimctl report --all-runs shows them)", runs->id,
			 runs->older + 1, runs->skipped);
		gh_add(&g, GH_NOTICE, "goshim run", buf, NULL);
	}
	gh_ring(&g, m);
	for (size_t i = 0; i < r->nunc; i++) {
		const struct gs_mev *e = &m->ev[r->unc[i]];
		const char *en = gs_errno_name(e->ev.err);
		snprintf(buf, sizeof(buf), "%s %s failed with %s in %s (pid %u): no rule explains it",
			 e->call, gs_mev_path(e) ? gs_mev_path(e) : "", en ? en : "?",
			 e->ev.exe ? e->ev.exe : "?", e->ev.pid);
		gh_add(&g, GH_NOTICE, "goshim unclassified", buf, NULL);
	}
	gh_emit(&g);
}
