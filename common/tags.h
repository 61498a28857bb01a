/* SPDX-License-Identifier: Apache-2.0 */
/* The tag table of include/goshim/record.h (GOSHIM_TAGS), as data: for
 * the code that goes by tag (the TLV encoder's truncation bits, the trace
 * engine's argument widths, goshimctl's decoder and names).  Constant
 * data and plain loops: usable in the preload's recorder. */
#ifndef GS_TAGS_H
#define GS_TAGS_H

#include <stddef.h>
#include <stdint.h>

enum gs_tag_kind {
	GS_TK_INT,    /* little-endian integer of width bytes            */
	GS_TK_STR,    /* bytes, no NUL, at most GOSHIM_STR_MAX           */
	GS_TK_STRUCT, /* a struct goshim_t_* of exactly width bytes      */
	GS_TK_HEAD,   /* a struct goshim_t_* of width bytes, then bytes  */
};

struct gs_tag_info {
	uint16_t tag;      /* GOSHIM_T_*                                     */
	uint8_t kind;      /* enum gs_tag_kind                               */
	uint8_t many;      /* 1: may repeat in a record                      */
	uint8_t is_signed; /* INT: a signed integer                          */
	int8_t tbit;       /* its bit in GOSHIM_T_TRUNCATED, -1: none        */
	uint16_t width;    /* INT, STRUCT: the value's size; HEAD: the fixed
	                    * part's; STR: 0                                 */
	const char *name;  /* "EV_PATH"                                      */
	const char *key;   /* "ev_path"                                      */
};

/* Every row of GOSHIM_TAGS, in its order. */
extern const struct gs_tag_info gs_tags[];
extern const size_t gs_ntags;

/* The row of tag, or NULL for a tag this build does not know. */
const struct gs_tag_info *gs_tag_info(uint16_t tag);

#endif
