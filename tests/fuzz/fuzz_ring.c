/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer entry point: any bytes, as a ring file.  Build with
 * meson setup -Dfuzz=true (CC=clang); seeds in tests/fuzz/corpus/ring;
 * tests/fuzz/run.sh runs it. */
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gs_fuzz_one(data, size, NULL);
	return 0;
}
