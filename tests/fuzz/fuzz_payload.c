/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer entry point: any bytes, as one record's decoded payload (the
 * first byte: type, engine and count; see payload.h) through parse, text
 * and JSON output.  Build with meson setup -Dfuzz=true (CC=clang); seeds
 * in tests/fuzz/corpus/payload; tests/fuzz/run.sh runs it. */
#include <stddef.h>
#include <stdint.h>

#include "payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gs_fuzz_payload(data, size);
	return 0;
}
