/* SPDX-License-Identifier: Apache-2.0 */
/* zstd dictionaries built into goshimctl, for records of codec
 * GOSHIM_CODEC_DICT (ring.h).  Plugged into the reader as
 * gs_ring_reader.dict_lookup. */
#ifndef GS_CTL_DICTS_H
#define GS_CTL_DICTS_H

#include <stddef.h>
#include <stdint.h>

/* The dictionary with this id, or NULL (and *len = 0) when goshimctl has
 * none: records using it are then reported as undecodable. */
const void *gs_dict_lookup(uint32_t dict_id, size_t *len);

#endif
