/* SPDX-License-Identifier: Apache-2.0 */
/* Go's directories of a process, worked out once per process record and
 * variable (model.h: gs_model_go_dir).  The rules ask for them for every
 * failed call, and a ring of a few processes holds hundreds of thousands
 * of calls. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "goenv.h"

/* One answer: for the process record of pid, var's value (NULL: undefined
 * there). */
struct mg_slot {
	char *var;          /* NULL: the slot is free */
	uint32_t pid;
	char *val;
};

struct gs_godir_memo {
	struct mg_slot *v;
	size_t n, cap;      /* cap: 0 or a power of two */
};

static size_t mg_hash(uint32_t pid, const char *var)
{
	uint64_t h = 1469598103934665603ull ^ pid;

	for (const unsigned char *s = (const unsigned char *)var; *s; s++) {
		h = (h ^ *s) * 1099511628211ull;
	}
	return (size_t)(h ^ h >> 29);
}

static struct mg_slot *mg_find(struct gs_godir_memo *g, uint32_t pid, const char *var)
{
	for (size_t i = mg_hash(pid, var) & (g->cap - 1);; i = (i + 1) & (g->cap - 1)) {
		struct mg_slot *s = &g->v[i];
		if (!s->var || (s->pid == pid && strcmp(s->var, var) == 0)) {
			return s;
		}
	}
}

/* Room for one more answer (the table at most half full). */
static void mg_room(struct gs_godir_memo *g)
{
	struct gs_godir_memo n = { NULL, g->n, g->cap ? 2 * g->cap : 64 };

	if (2 * (g->n + 1) <= g->cap) {
		return;
	}
	n.v = gs_xrealloc(NULL, n.cap * sizeof(*n.v));
	memset(n.v, 0, n.cap * sizeof(*n.v));
	for (size_t i = 0; i < g->cap; i++) {
		if (g->v[i].var) {
			*mg_find(&n, g->v[i].pid, g->v[i].var) = g->v[i];
		}
	}
	free(g->v);
	*g = n;
}

struct mg_envctx {
	const struct gs_model *m;
	uint32_t pid;
};

static const char *mg_getenv(void *ctx, const char *name)
{
	const struct mg_envctx *e = ctx;

	return gs_model_env(e->m, e->pid, name, NULL);
}

const char *gs_model_go_dir_ref(const struct gs_model *m, uint32_t pid, const char *var)
{
	const struct gs_proc *p = gs_model_rec_of(m, pid);
	/* the environment is the record's: asked as its own pid */
	struct mg_envctx ec = { m, p ? p->pid : 0 };
	struct gs_godir_memo *g = m->godir;
	struct mg_slot *s;

	if (!p) {
		return NULL;
	}
	if (!g) {
		g = ((struct gs_model *)m)->godir = gs_xrealloc(NULL, sizeof(*g));
		memset(g, 0, sizeof(*g));
	}
	mg_room(g);
	s = mg_find(g, p->pid, var);
	if (!s->var) {
		s->var = gs_xstrdup(var);
		s->pid = p->pid;
		s->val = gs_go_dir(var, mg_getenv, &ec);
		g->n++;
	}
	return s->val;
}

char *gs_model_go_dir(const struct gs_model *m, uint32_t pid, const char *var)
{
	const char *v = gs_model_go_dir_ref(m, pid, var);

	return v ? gs_xstrdup(v) : NULL;
}

void gs_godir_memo_clear(struct gs_godir_memo *g)
{
	for (size_t i = 0; g && i < g->cap; i++) {
		free(g->v[i].var);
		free(g->v[i].val);
	}
	if (g) {
		free(g->v);
		memset(g, 0, sizeof(*g));
	}
}
