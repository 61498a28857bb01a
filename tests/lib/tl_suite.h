/* SPDX-License-Identifier: Apache-2.0 */
/* A Criterion suite with a scratch directory of its own: .init makes it
 * (tl_tmpdir), .fini removes it and expects it gone.
 *
 *   static char my_tmp[256];
 *   TL_SUITE_TMPDIR(mysuite, my_tmp);
 */
#ifndef GS_TL_SUITE_H
#define GS_TL_SUITE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "tl_fs.h"

#define TL_SUITE_TMPDIR(suite, dir)                                                   \
	static void suite##_tmpdir_init(void)                                         \
	{                                                                             \
		snprintf(dir, sizeof(dir), "%s", tl_tmpdir(#suite));                  \
	}                                                                             \
	static void suite##_tmpdir_fini(void)                                         \
	{                                                                             \
		if (dir[0]) {                                                         \
			tl_rmtree(dir);                                               \
			cr_expect_neq(access(dir, F_OK), 0, "%s was left behind", dir); \
		}                                                                     \
	}                                                                             \
	TestSuite(suite, .init = suite##_tmpdir_init, .fini = suite##_tmpdir_fini)

#endif
