/* SPDX-License-Identifier: Apache-2.0 */
/* payload-seeds RING DIR: write every decodable record of a ring as a
 * seed for fuzz-payload (DIR/TYPE-SEQ, the format of payload.h). */
#include <stdio.h>
#include <stdlib.h>

#include "dicts.h"
#include "payload.h"
#include "ring_read.h"

int main(int argc, char **argv)
{
	struct gs_ring_reader r = { .fd = -1 };
	static uint8_t out[GOSHIM_REC_RAW_MAX + 1];
	size_t n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: payload-seeds RING DIR\n");
		return 2;
	}
	r.dict_lookup = gs_dict_lookup;
	if (gs_ring_load(&r, argv[1]) < 0) {
		fprintf(stderr, "payload-seeds: %s: cannot read\n", argv[1]);
		return 1;
	}
	for (size_t i = 0; i < r.nrecs; i++) {
		const struct gs_rec *rec = &r.recs[i];
		char p[4096];
		FILE *f;

		if (!rec->payload) {
			continue;
		}
		size_t len = gs_fuzz_payload_seed(rec->type, rec->engine, rec->count,
						  rec->payload, rec->raw_len, out, sizeof(out));
		snprintf(p, sizeof(p), "%s/%u-%zu", argv[2], rec->type, i);
		f = fopen(p, "wb");
		if (!f || fwrite(out, 1, len, f) != len || fclose(f) != 0) {
			perror(p);
			return 1;
		}
		n++;
	}
	fprintf(stderr, "payload-seeds: %zu seeds from %zu records\n", n, r.nrecs);
	gs_ring_unload(&r);
	return n ? 0 : 1;
}
