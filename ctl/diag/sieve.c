/* SPDX-License-Identifier: Apache-2.0 */
/* Rule sets per distinct (subject, family, errno) (sieve.h). */
#include "sieve.h"

#include <stdlib.h>
#include <string.h>

void gs_sieve_init(struct gs_sieve *s, const struct gs_rules *rs)
{
	memset(s, 0, sizeof(*s));
	s->rs = rs;
}

const uint64_t *gs_sieve_sets(struct gs_sieve *s, const struct gs_ctx *x)
{
	const struct gs_mev *e = x->e;
	int has_err = gs_evt_has(&e->ev, GS_E_ERRNO);
	int err = has_err ? e->ev.err : 0;
	unsigned h = ((unsigned)e->family * 31u + (unsigned)err * 7u + (unsigned)x->subject * 3u +
		      (unsigned)has_err) % GS_SIEVE_SLOTS;
	struct gs_sieve_slot *sl = &s->slot[h];

	if (sl->used && sl->subject == x->subject && sl->family == e->family &&
	    sl->has_err == has_err && sl->err == err) {
		return sl->sets;
	}
	if (!sl->sets) {
		sl->sets = gs_xrealloc(NULL, (s->rs->n ? s->rs->n : 1) * sizeof(*sl->sets));
	}
	sl->used = 1;
	sl->subject = x->subject;
	sl->family = e->family;
	sl->has_err = has_err;
	sl->err = err;
	for (size_t k = 0; k < s->rs->n; k++) {
		sl->sets[k] = gs_rule_sets(&s->rs->r[k], x);
	}
	return sl->sets;
}

void gs_sieve_free(struct gs_sieve *s)
{
	for (size_t i = 0; i < GS_SIEVE_SLOTS; i++) {
		free(s->slot[i].sets);
	}
	memset(s, 0, sizeof(*s));
}
