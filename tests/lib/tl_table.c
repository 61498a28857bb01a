/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_table.h"

#include <criterion/alloc.h>

static void tl_table_free(struct criterion_test_params *p)
{
	cr_free(p->params);
}

struct criterion_test_params tl_table_rows(size_t n)
{
	size_t *ix = cr_malloc(n * sizeof(*ix));

	cr_assert_not_null(ix);
	for (size_t i = 0; i < n; i++) {
		ix[i] = i;
	}
	return cr_make_param_array(size_t, ix, n, tl_table_free);
}
