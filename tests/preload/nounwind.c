/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Built with -fno-asynchronous-unwind-tables -fno-unwind-tables: a caller
 * without call frame information, as hand-written or JIT code is.  The
 * recorder's backtrace has to cross it without an FDE.
 */
#include <fcntl.h>

int nounwind_fail(const char *path);

__attribute__((noinline)) int nounwind_fail(const char *path)
{
	return open(path, O_RDONLY);
}
