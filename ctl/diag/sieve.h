/* SPDX-License-Identifier: Apache-2.0 */
/* The sets of rules a failed call could pass at all, worked out once per
 * distinct (subject, call family, errno) of a ring rather than once per
 * record: a big ring holds hundreds of thousands of records and a few
 * dozen such keys.  What decides it is only what gs_rule_sets reads
 * (pred.h): the subject and, of the record, its family, whether it has
 * an errno, and which. */
#ifndef GS_DIAG_SIEVE_H
#define GS_DIAG_SIEVE_H

#include <stdint.h>

#include "pred.h"

#define GS_SIEVE_SLOTS 64

struct gs_sieve_slot {
	int used;
	enum gs_subject subject;
	uint16_t family;
	int has_err, err;
	uint64_t *sets;           /* gs_rule_sets of each rule of rs */
};

/* A cache of GS_SIEVE_SLOTS keys, each in the slot its key hashes to
 * (a key meeting another one's slot takes it over). */
struct gs_sieve {
	const struct gs_rules *rs;
	struct gs_sieve_slot slot[GS_SIEVE_SLOTS];
};

void gs_sieve_init(struct gs_sieve *s, const struct gs_rules *rs);

/* gs_rule_sets(&rs->r[k], x) for every k, for a record x->e (not NULL);
 * owned by s, valid until the next call. */
const uint64_t *gs_sieve_sets(struct gs_sieve *s, const struct gs_ctx *x);

void gs_sieve_free(struct gs_sieve *s);

#endif
