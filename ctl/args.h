/* SPDX-License-Identifier: Apache-2.0 */
/* The decoded arguments of a failed call, in the order the call takes
 * them, with their symbolic forms.  Text and JSON output both walk this
 * one list, so they always show the same things. */
#ifndef GS_CTL_ARGS_H
#define GS_CTL_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum gs_arg_kind {
	GS_AK_NUM,   /* num, with sym when it has a name       */
	GS_AK_STR,   /* str                                    */
	GS_AK_STRS,  /* strs (argv)                            */
	GS_AK_HEX,   /* num, best shown in hex (addresses)     */
};

struct gs_arg {
	const char *key;                /* "path", "flags", ...            */
	enum gs_arg_kind kind;
	const char *str;
	const struct gs_evt_list *strs;
	int64_t num;
	const char *sym;                /* symbolic form, or NULL          */
	char sym_buf[256];
};

#define GS_ARGS_MAX 16

/* Fill out[] with the arguments e carries, in call order; returns how
 * many (at most GS_ARGS_MAX). */
size_t gs_args_get(const struct gs_event *e, struct gs_arg out[GS_ARGS_MAX]);

/* The shown call name ("openat", "execvp", "openat" for sys_openat), or a
 * "call#N" string in buf for an id this build does not know. */
const char *gs_args_call_name(const struct gs_event *e, char *buf, size_t size);

/* The call family ("open", ...), "?" when unknown. */
const char *gs_args_family(const struct gs_event *e);

#endif
