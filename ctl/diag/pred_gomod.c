/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates about the go command's toolchain and modules. */
#include <string.h>

#include "gover.h"
#include "model.h"
#include "pred_int.h"
#include "toolchain.h"

/* Go >= 1.21 refuses (or switches away from) a main module whose go or
 * toolchain line is newer than itself; older ones only warn. */
#define PG_ENFORCED "1.21"

enum gs_tri gs_pe_gomod_newer(const struct gs_clause *c, const struct gs_ctx *x)
{
	const struct gs_proc *p = gs_model_proc(x->m, x->pid);
	char want[64];

	(void)c;
	if (!p || !p->has_rec || !gs_gover_valid(p->rec.goversion)) {
		return GS_UNKNOWN;
	}
	if (gs_gover_cmp(p->rec.goversion, PG_ENFORCED) < 0) {
		return GS_FALSE;
	}
	if (!gs_toolchain_want(x->m, p, want, sizeof(want))) {
		return p->rec.gomod ? GS_FALSE : GS_UNKNOWN;
	}
	return tri(gs_gover_cmp(want, p->rec.goversion) > 0);
}
