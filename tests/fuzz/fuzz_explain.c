/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer entry point: any bytes as a CI log for goshimctl explain (its
 * first line also as a text of the rules file).  Seeds in
 * tests/fuzz/corpus/explain (the logs of tests/ctl/explain); the CI
 * counterpart is tests/diag/test_explain.c; tests/fuzz/run.sh runs it. */
#include <stddef.h>
#include <stdint.h>

#include "explain_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gs_fuzz_explain(data, size);
	return 0;
}
