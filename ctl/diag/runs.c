/* SPDX-License-Identifier: Apache-2.0 */
/* Keeping the last run of a ring (runs.h). */
#include "runs.h"

#include "facts.h"

#include <stdlib.h>
#include <string.h>

/* An event of no known run when it was recorded (its process, and every
 * ancestor, had written no PROCESS record yet: under the preload a fork
 * child may fail, and attach the ring, before its parent) takes the run
 * its process or nearest ancestor has once the whole ring is read; with
 * none, it is kept when it is not older than the last run. */
static int ru_keep(const struct gs_model *m, const struct gs_mev *e)
{
	uint64_t start = m->run_start[m->last_run - 1];
	const struct gs_proc *p;

	if (e->run) {
		return e->run == m->last_run;
	}
	p = gs_model_rec_of(m, e->ev.pid);
	if (p && p->run) {
		return p->run == m->last_run;
	}
	return !gs_evt_has(&e->ev, GS_E_TIME_REAL) || e->ev.time_real >= start;
}

/* A process known only from its failed calls all of which were left out:
 * some event of pid is dropped (keep[i] 0) and none is kept. */
static int ru_dropped_only(const struct gs_mev *v, const unsigned char *keep, size_t n,
			   uint32_t pid)
{
	int dropped = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].ev.pid != pid) {
			continue;
		}
		if (keep[i]) {
			return 0;
		}
		dropped = 1;
	}
	return dropped;
}

void gs_model_keep_last_run(struct gs_model *m, struct gs_runs *out)
{
	size_t nall = m->nev, n = 0, k = 0;

	memset(out, 0, sizeof(*out));
	if (!m->last_run) {
		return;
	}
	out->id = m->runs[m->last_run - 1];
	out->older = m->nruns - 1;
	/* decided once: the processes kept change below */
	unsigned char *keep = gs_xrealloc(NULL, nall ? nall : 1);
	for (size_t i = 0; i < nall; i++) {
		keep[i] = (unsigned char)ru_keep(m, &m->ev[i]);
	}
	/* processes of other runs, and those known only from their dropped
	 * failures: decided before the events move */
	unsigned char *other = gs_xrealloc(NULL, m->nproc ? m->nproc : 1);
	for (size_t i = 0; i < m->nproc; i++) {
		const struct gs_proc *p = &m->proc[i];
		other[i] = (unsigned char)(p->has_rec ? p->run && p->run != m->last_run :
					   ru_dropped_only(m->ev, keep, nall, p->pid));
	}
	/* the events kept close up in place, in their order */
	for (size_t i = 0; i < nall; i++) {
		if (keep[i]) {
			m->ev[n++] = m->ev[i];
			continue;
		}
		out->skipped++;
		out->skipped_calls += m->ev[i].count;
		gs_event_free(&m->ev[i].ev);
		free(m->ev[i].label);
	}
	m->nev = n;
	for (size_t i = 0; i < m->nproc; i++) {
		struct gs_proc *p = &m->proc[i];
		if (!other[i]) {
			m->proc[k++] = *p;
		} else if (p->has_rec) {
			gs_event_free(&p->rec);
		}
	}
	m->nproc = k;
	gs_godir_memo_clear(m->godir); /* answers about processes now gone */
	free(other);
	free(keep);
}
