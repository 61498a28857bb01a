/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zstd dictionary for record payloads (codec GOSHIM_CODEC_DICT), built
 * into libgoshim.so and goshimctl from common/dict/goshim-1.dict.
 *
 * Records are a few hundred bytes and alike; without a dictionary each
 * zstd frame starts cold (rebuilding its entropy tables costs more time
 * than it saves).  Trained by tools/train-dict.sh on failing workloads of
 * a CI job (C compiler probes, shell, make, python, Debian's go build,
 * the bundled example): 783 samples, 494 KB raw, 292 KB with zstd -1,
 * 67 KB with zstd -1 and this dictionary.
 *
 * The id is stored in a ring's header; a reader needs the dictionary of
 * that id.  A new dictionary gets a new id and the old one stays in
 * goshimctl's table (ctl/dicts.c) so old rings remain readable.
 */
#ifndef GS_DICT_H
#define GS_DICT_H

/* The id zstd stored in the dictionary ("gs", version 1); embed.py
 * refuses a dictionary file whose id differs. */
#define GS_DICT_ID 0x67730001u

extern const unsigned char gs_dict_bytes[];
extern const unsigned long gs_dict_len;

#endif
