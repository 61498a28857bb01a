/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zstd dictionary for record payloads (codec GOSHIM_CODEC_DICT), built
 * into libgoshim.so and goshimctl from common/dict/goshim-2.dict.
 *
 * Records are a few hundred bytes and alike; without a dictionary each
 * zstd frame starts cold (rebuilding its entropy tables costs more time
 * than it saves).  Trained by tools/train-dict.sh on failing workloads of
 * a CI job (C compiler probes, shell, make, python, Debian's go build,
 * the bundled example) in a clean environment: 328 samples, 211 KB raw,
 * 122 KB with zstd -1, 24 KB with zstd -1 and this dictionary.  It ships
 * in every binary, so it holds nothing of the trainer's machine (the
 * script refuses a dictionary that does; tests/install checks the
 * installed files).
 *
 * The id is stored in a ring's header; a reader needs the dictionary of
 * that id.  A new dictionary gets a new id and the old one stays in
 * goshimctl's table (ctl/dicts.c) so old rings remain readable — from the
 * first release on.  Id 1, never released, was trained in a developer's
 * environment and carried its paths: it is gone, and a ring written with
 * it reads as "zstd dictionary 1735589889 not known".
 */
#ifndef GS_DICT_H
#define GS_DICT_H

/* The id zstd stored in the dictionary ("gs", version 2); embed.py
 * refuses a dictionary file whose id differs. */
#define GS_DICT_ID 0x67730002u

extern const unsigned char gs_dict_bytes[];
extern const unsigned long gs_dict_len;

#endif
