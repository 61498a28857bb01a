/* SPDX-License-Identifier: Apache-2.0 */
/* What the go command's process record says about toolchains and
 * modules (T_GOVERSION, T_GOMOD*, the GOTOOLCHAIN/GOPROXY/GOSUMDB
 * settings), as facts for templates. */
#ifndef GS_DIAG_TOOLCHAIN_H
#define GS_DIAG_TOOLCHAIN_H

#include "facts.h"
#include "model.h"

/* The Go version go.mod makes the go of process p look for, without
 * "go": its go line (a minimum), or its toolchain line when newer and
 * GOTOOLCHAIN lets go switch for it (a preference, ignored under
 * GOTOOLCHAIN=local or a pinned goX.Y.Z).  NULL when p's record has
 * neither. */
const char *gs_toolchain_want(const struct gs_model *m, const struct gs_proc *p, char *buf,
			      size_t cap);

/* Facts of process p: goversion, gomod, gomod_go, gomod_toolchain,
 * gomod_want, gotoolchain, goproxy, gosumdb, goprivate (cmd/go's defaults
 * for unset ones), toolchain_why and toolchain_remedy (why the go that
 * ran could not switch to gomod_want, and the remedy of that case). */
void gs_toolchain_facts(const struct gs_model *m, const struct gs_proc *p, struct gs_facts *f);

#endif
