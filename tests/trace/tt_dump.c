/* SPDX-License-Identifier: Apache-2.0 */
/* Print a ring the way the trace tests see it (debugging aid). */
#include <criterion/criterion.h>
#include <stdio.h>

#include "tt.h"

int main(int argc, char **argv)
{
	struct tt_ring r;

	for (int i = 1; i < argc; i++) {
		tt_load(argv[i], &r);
		tt_dump(&r);
		tt_free(&r);
	}
	return 0;
}
