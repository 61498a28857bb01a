/* SPDX-License-Identifier: Apache-2.0 */
/* The fuzz harness shared by the libFuzzer target and the CI test. */
#ifndef GS_FUZZ_HARNESS_H
#define GS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "ring_read.h"

/* Load buf as a ring with gs_ring_load_mem, walk every record and decode
 * its TLV payload, checking the reader's promises (records in position
 * order and unique, payload present exactly when error is NULL, issue
 * messages terminated, counts consistent).  Calls abort() when one is
 * broken, so both libFuzzer and Criterion see a crash.  When keep is not
 * NULL the reader is handed back loaded (the caller unloads it); otherwise
 * it is unloaded.  Returns the number of records found. */
size_t gs_fuzz_one(const uint8_t *buf, size_t len, struct gs_ring_reader *keep);

#endif
