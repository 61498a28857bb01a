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

static int ru_has_event(const struct gs_mev *v, size_t n, uint32_t pid)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].ev.pid == pid) {
			return 1;
		}
	}
	return 0;
}

void gs_model_keep_last_run(struct gs_model *m, struct gs_runs *out)
{
	struct gs_mev *all = m->ev;
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
		keep[i] = (unsigned char)ru_keep(m, &all[i]);
	}
	m->ev = gs_xrealloc(NULL, (nall ? nall : 1) * sizeof(*m->ev));
	for (size_t i = 0; i < nall; i++) {
		if (keep[i]) {
			m->ev[n++] = all[i];
			continue;
		}
		out->skipped++;
		out->skipped_calls += all[i].count;
	}
	m->nev = n;
	/* processes of other runs, and those known only from their dropped
	 * failures */
	for (size_t i = 0; i < m->nproc; i++) {
		struct gs_proc *p = &m->proc[i];
		int other = p->has_rec ? p->run && p->run != m->last_run :
			    ru_has_event(all, nall, p->pid) && !ru_has_event(m->ev, n, p->pid);
		if (!other) {
			m->proc[k++] = *p;
		} else if (p->has_rec) {
			gs_event_free(&p->rec);
		}
	}
	m->nproc = k;
	for (size_t i = 0; i < nall; i++) {
		if (!keep[i]) {
			gs_event_free(&all[i].ev);
			free(all[i].label);
		}
	}
	free(keep);
	free(all);
}
