/* SPDX-License-Identifier: Apache-2.0 */
#include "tags.h"

#include "goshim/record.h"

#define TAG_SIGNED(type) ((type)-1 < (type)1)
#define TAG_KIND_INT GS_TK_INT
#define TAG_KIND_STR GS_TK_STR
#define TAG_KIND_STRUCT GS_TK_STRUCT
#define TAG_KIND_HEAD GS_TK_HEAD
#define TAG_MANY_ONE 0
#define TAG_MANY_MANY 1
/* The width of a value, from its kind and type; signedness of an INT. */
#define TAG_WIDTH_INT(type) sizeof(type)
#define TAG_WIDTH_STR(type) 0
#define TAG_WIDTH_STRUCT(type) sizeof(type)
#define TAG_WIDTH_HEAD(type) sizeof(type)
#define TAG_SIGN_INT(type) TAG_SIGNED(type)
#define TAG_SIGN_STR(type) 0
#define TAG_SIGN_STRUCT(type) 0
#define TAG_SIGN_HEAD(type) 0

const struct gs_tag_info gs_tags[] = {
#define X(name, value, kind, type, count, key, tbit) \
	{ value, TAG_KIND_##kind, TAG_MANY_##count, TAG_SIGN_##kind(type), tbit, \
	  TAG_WIDTH_##kind(type), #name, #key },
	GOSHIM_TAGS(X)
#undef X
};

const size_t gs_ntags = sizeof(gs_tags) / sizeof(gs_tags[0]);

const struct gs_tag_info *gs_tag_info(uint16_t tag)
{
	for (size_t i = 0; i < gs_ntags; i++) {
		if (gs_tags[i].tag == tag) {
			return &gs_tags[i];
		}
	}
	return NULL;
}
