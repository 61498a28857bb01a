/* SPDX-License-Identifier: Apache-2.0 */
/* Where a remedy applies (place.h). */
#include "place.h"

#include <stdlib.h>
#include <string.h>

#include "container.h"

static const char *const pl_names[] = {
	[GS_PLACE_HOST] = "host", [GS_PLACE_CONTAINER] = "container", [GS_PLACE_ANY] = "any",
};

void gs_place_facts(const struct goshim_t_container *c, struct gs_facts *f)
{
	int priv = !(c->evidence & GOSHIM_CTR_NO_SYS_ADMIN);

	if (!gs_container_is(c)) {
		gs_facts_set(f, "place", "%s", pl_names[GS_PLACE_HOST]);
		return;
	}
	gs_facts_set(f, "container", "%.*s", c->engine[0] ? (int)sizeof(c->engine) : 3,
		     c->engine[0] ? c->engine : "yes");
	gs_facts_set(f, "container_cli", "%s", gs_container_cli(c));
	if (priv) {
		gs_facts_set(f, "container_privileged", "1");
	}
	gs_facts_set(f, "place", "%s", pl_names[priv ? GS_PLACE_ANY : GS_PLACE_CONTAINER]);
}

void gs_place_live(struct gs_facts *f)
{
	struct goshim_t_container c;
	char buf[4096];

	gs_container_read(&c, "/proc/self", "", getenv("container"), NULL, buf, sizeof(buf));
	gs_place_facts(&c, f);
}

enum gs_place gs_place_of(const struct gs_facts *f)
{
	const char *p = gs_facts_get(f, "place");

	for (size_t i = 0; p && i < sizeof(pl_names) / sizeof(pl_names[0]); i++) {
		if (strcmp(p, pl_names[i]) == 0) {
			return (enum gs_place)i;
		}
	}
	return GS_PLACE_HOST;
}
