/* SPDX-License-Identifier: Apache-2.0 */
/* The record payload fuzz harness, shared by the libFuzzer target
 * (fuzz_payload.c) and the CI test (tests/ctl/test_payload_fuzz.c). */
#ifndef GS_FUZZ_PAYLOAD_H
#define GS_FUZZ_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

/* buf[0] is the record header as decode would see it: type buf[0] & 7
 * (GOSHIM_REC_*, 5..7 unknown), engine buf[0] >> 6, aggregation count
 * 1 + (buf[0] >> 3 & 7); buf[1..len) is the decoded payload.  Parse it
 * (gs_event_parse), render it as text and as JSON (no symbol files
 * opened), and check the promises: the JSON is one line that parses back
 * as an object with the record's "type", the text ends with a newline and
 * holds no byte below 0x20 but newlines.  Calls abort() when one is
 * broken, so libFuzzer and Criterion both see a crash.  Returns the
 * number of bytes of output. */
size_t gs_fuzz_payload(const uint8_t *buf, size_t len);

/* The seed file format, from a real record: the header byte above
 * followed by the payload.  Writes at most cap bytes into out and returns
 * the length. */
size_t gs_fuzz_payload_seed(uint16_t type, uint32_t engine, uint32_t count,
			    const uint8_t *payload, size_t len, uint8_t *out, size_t cap);

#endif
