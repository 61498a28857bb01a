/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven tests: one Criterion test run once per row of a static
 * array, the row in `c`.  Criterion hands each run its parameter through
 * shared memory into a worker that may be another exec of the program:
 * what crosses is the row's index, never a pointer.  A failing row is
 * named by its messages: put what tells rows apart in them.
 *
 *   static const struct my_case my_cases[] = { ... };
 *   TL_TABLE_TEST(struct my_case, my_cases, suite, name, .timeout = 60)
 *   {
 *           cr_assert_eq(f(c->in), c->want, "%s", c->tag);
 *   }
 */
#ifndef GS_TL_TABLE_H
#define GS_TL_TABLE_H

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stddef.h>

/* The indices 0..n-1 in Criterion's shared memory. */
struct criterion_test_params tl_table_rows(size_t n);

#define TL_TABLE_TEST(type, rows, suite, name, ...)                             \
	static void suite##_##name##_row(const type *c);                        \
	ParameterizedTestParameters(suite, name)                                \
	{                                                                       \
		return tl_table_rows(sizeof(rows) / sizeof((rows)[0]));         \
	}                                                                       \
	ParameterizedTest(size_t *row, suite, name, ##__VA_ARGS__)              \
	{                                                                       \
		suite##_##name##_row(&(rows)[*row]);                            \
	}                                                                       \
	static void suite##_##name##_row(const type *c)

#endif
