/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Write every decoded record payload of one or more rings to DIR/N.bin:
 * the training samples for the zstd dictionary (tools/train-dict.sh).
 *
 * Usage: dump-payloads DIR RING...
 */
#include <stdio.h>

#include "ring_read.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DIR RING...\n", argv[0]);
		return 2;
	}
	unsigned long n = 0;
	for (int a = 2; a < argc; a++) {
		struct gs_ring_reader r = { 0 };
		if (gs_ring_load(&r, argv[a]) < 0) {
			fprintf(stderr, "dump-payloads: %s: cannot read\n", argv[a]);
			return 1;
		}
		for (size_t i = 0; i < r.nrecs; i++) {
			if (!r.recs[i].payload) {
				continue;
			}
			char path[4096];
			snprintf(path, sizeof(path), "%s/%06lu.bin", argv[1], n++);
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(r.recs[i].payload, 1, r.recs[i].raw_len, f) != r.recs[i].raw_len) {
				perror(path);
				return 1;
			}
			fclose(f);
		}
		gs_ring_unload(&r);
	}
	fprintf(stderr, "dump-payloads: %lu payloads\n", n);
	return 0;
}
