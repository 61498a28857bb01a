/* SPDX-License-Identifier: Apache-2.0 */
#include "dicts.h"

#include "dict.h"

/* One dictionary: its zstd dictionary id and bytes. */
struct dict_entry {
	uint32_t id;
	const unsigned char *bytes;
	const unsigned long *len;
};

/* Every dictionary a goshim release ever wrote with, newest first: a new
 * one is added, an old one is never removed (common/dict.h). */
static const struct dict_entry gs_dicts[] = {
	{ GS_DICT_ID, gs_dict_bytes, &gs_dict_len },
};

const void *gs_dict_lookup(uint32_t dict_id, size_t *len)
{
	for (size_t i = 0; i < sizeof(gs_dicts) / sizeof(gs_dicts[0]); i++) {
		if (gs_dicts[i].id == dict_id) {
			*len = *gs_dicts[i].len;
			return gs_dicts[i].bytes;
		}
	}
	*len = 0;
	return NULL;
}
