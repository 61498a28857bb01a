/* SPDX-License-Identifier: Apache-2.0 */
/* The explain fuzz harness, shared by the libFuzzer target
 * (fuzz_explain.c) and the CI test (tests/diag/test_explain.c). */
#ifndef GS_FUZZ_EXPLAIN_H
#define GS_FUZZ_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

/* Read buf as a CI log with goshimctl explain's reader and matcher
 * (ctl/diag/explain*.c) against texts like the shipped ones; when buf's
 * first line compiles as a text it is one more (so the text compiler and
 * the matcher meet hostile texts too).  Checks explain's promises: every
 * finding has causes, no pattern twice, its line numbers increasing and
 * within the lines read, the first lines kept, the words of a cause set
 * as facts and its templates expandable.  Calls abort() when one is
 * broken.  Returns the number of findings. */
size_t gs_fuzz_explain(const uint8_t *buf, size_t len);

#endif
