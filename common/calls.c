/* SPDX-License-Identifier: Apache-2.0 */
#include "calls.h"

#include <stddef.h>
#include <string.h>

#include "goshim/record.h"

/* Syscall entries carry a "sys_" prefix that keeps the enum unique. */
#define GS_STRIP(s) (strncmp((s), "sys_", 4) == 0 ? (s) + 4 : (s))

static const struct gs_call_info gs_calls[] = {
#define X(id, name, fam, kind) { id, #name, GOSHIM_FAM_##fam, #kind[0] },
	GOSHIM_CALLS(X)
#undef X
};

static const char *const gs_families[] = {
	[GOSHIM_FAM_EXEC] = "exec",   [GOSHIM_FAM_SPAWN] = "spawn",
	[GOSHIM_FAM_OPEN] = "open",   [GOSHIM_FAM_STAT] = "stat",
	[GOSHIM_FAM_MMAP] = "mmap",   [GOSHIM_FAM_MEMFD] = "memfd",
	[GOSHIM_FAM_CLOCK] = "clock", [GOSHIM_FAM_MKDIR] = "mkdir",
	[GOSHIM_FAM_ACCESS] = "access", [GOSHIM_FAM_OTHER] = "other",
	[GOSHIM_FAM_SPACE] = "space",
};

#define GS_NCALLS (sizeof(gs_calls) / sizeof(gs_calls[0]))

const struct gs_call_info *gs_call_info(uint32_t id)
{
	for (size_t i = 0; i < GS_NCALLS; i++) {
		if (gs_calls[i].id == id) {
			return &gs_calls[i];
		}
	}
	return NULL;
}

const struct gs_call_info *gs_call_by_name(const char *name, char kind)
{
	for (size_t i = 0; i < GS_NCALLS; i++) {
		const struct gs_call_info *c = &gs_calls[i];
		if ((kind == 0 || c->kind == kind) && strcmp(GS_STRIP(c->name), name) == 0) {
			return c;
		}
	}
	return NULL;
}

const char *gs_call_display(const struct gs_call_info *c)
{
	return GS_STRIP(c->name);
}

const char *gs_family_name(uint16_t family)
{
	if (family < sizeof(gs_families) / sizeof(gs_families[0]) && gs_families[family]) {
		return gs_families[family];
	}
	return "?";
}
