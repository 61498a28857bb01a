/* SPDX-License-Identifier: Apache-2.0 */
/* The call table of include/goshim/record.h, as data. */
#ifndef GS_CALLS_H
#define GS_CALLS_H

#include <stdint.h>

struct gs_call_info {
	uint32_t id;        /* enum goshim_call                         */
	const char *name;   /* enum name: entry point, or "sys_" + syscall */
	uint16_t family;    /* enum goshim_family                       */
	char kind;          /* 'L' libc entry point, 'S' raw syscall    */
};

/* The entry for id, or NULL for an id this build does not know. */
const struct gs_call_info *gs_call_info(uint32_t id);

/* The name to show: the entry point, or the syscall without "sys_". */
const char *gs_call_display(const struct gs_call_info *c);

/* The first entry whose shown name matches (kind 0 = any kind), or NULL. */
const struct gs_call_info *gs_call_by_name(const char *name, char kind);

/* Name of a family ("exec", "open", ...), "?" when unknown. */
const char *gs_family_name(uint16_t family);

#endif
