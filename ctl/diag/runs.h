/* SPDX-License-Identifier: Apache-2.0 */
/* The runs of a ring: report speaks of the last one (GOSHIM_RUN, carried
 * by PROCESS records; common/runid.h). */
#ifndef GS_DIAG_RUNS_H
#define GS_DIAG_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct gs_runs {
	const char *id;      /* the run kept (owned by the model); NULL when
			      * the ring names no run: everything is kept   */
	size_t older;        /* other runs in the ring, left out          */
	size_t skipped;      /* failures (model events) left out          */
	uint64_t skipped_calls; /* the failed calls they stand for        */
};

/* Keep in m only the last run: the run of its newest PROCESS record that
 * names one.  An event goes with the run its process (or nearest
 * ancestor with a record) had when it was recorded; an event of no known
 * run is kept when it is not older than the last run's first record.
 * Processes of other runs go too.  Engine notes and ring problems stay
 * (they speak of the ring).  *out says what was left out. */
void gs_model_keep_last_run(struct gs_model *m, struct gs_runs *out);

#endif
