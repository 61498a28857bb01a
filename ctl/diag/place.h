/* SPDX-License-Identifier: Apache-2.0 */
/* Where a finding's remedy is to be applied: a host or a container
 * (common/container.h decides), told to the rules' templates as facts.
 *
 *   container            the engine the evidence names ("podman-4.3.1",
 *                        "docker"), "yes" when it names none; unset on a
 *                        host and when nothing was recorded
 *   container_cli        "podman" or "docker": the command a remedy names
 *   container_privileged "1" when CAP_SYS_ADMIN is in the bounding set
 *   place                host, container or any (rules.h, enum gs_place)
 */
#ifndef GS_DIAG_PLACE_H
#define GS_DIAG_PLACE_H

#include "facts.h"
#include "goshim/record.h"
#include "rules.h"

/* The facts of this evidence into f. */
void gs_place_facts(const struct goshim_t_container *c, struct gs_facts *f);

/* The same for goshimctl's own process, read now (doctor, explain
 * --check: they run where the job runs). */
void gs_place_live(struct gs_facts *f);

/* The place the facts say; GS_PLACE_HOST when they say nothing. */
enum gs_place gs_place_of(const struct gs_facts *f);

#endif
