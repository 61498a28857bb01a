/* SPDX-License-Identifier: Apache-2.0 */
/* The module a lookup in the module cache's download directory was for
 * ($GOMODCACHE/cache/download/MODULE/@v/VERSION.mod|.zip|.info, list),
 * and how go fetches it, as facts for templates. */
#ifndef GS_DIAG_MODFETCH_H
#define GS_DIAG_MODFETCH_H

#include "facts.h"
#include "model.h"

/* When path is such a lookup: facts module (case-decoded: "!b" is "B"),
 * module_version (absent for a version list), fetch_route ("GOPROXY
 * <list>", or "direct (GOPRIVATE/GONOPROXY)" for a module they match;
 * "off"), fetch_why and fetch_remedy (that route's likely causes and
 * remedy).  Nothing for any other path. */
void gs_modfetch_facts(const struct gs_model *m, uint32_t pid, const char *path,
		       struct gs_facts *f);

/* True when module path mod matches the comma-separated glob list
 * (GOPRIVATE, GONOPROXY, GONOSUMDB): a pattern matches a module whose
 * leading path elements, as many as the pattern has, match it (as
 * cmd/go's module.MatchPrefixPatterns). */
int gs_modfetch_private(const char *list, const char *mod);

#endif
