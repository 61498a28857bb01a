// SPDX-License-Identifier: Apache-2.0
/*
 * Preloaded next to libgoshim.so: its constructor calls open() and stat()
 * on a missing file before libgoshim.so's constructor has run, so the
 * calls reach the wrappers while gs_real still points at the lazy stubs.
 * It prints what it saw, and whether goshim was initialised yet (any
 * GOSHIM_DEBUG line proves which path was taken).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((constructor(101))) static void tc_init(void)
{
	struct stat st;
	int r1, e1, r2, e2;

	errno = 0;
	r1 = open("/nonexistent/goshim-testctor", O_RDONLY);
	e1 = errno;
	errno = 0;
	r2 = stat("/nonexistent/goshim-testctor", &st);
	e2 = errno;
	dprintf(1, "ctor open=%d/%s stat=%d/%s\n", r1, strerrorname_np(e1), r2,
		strerrorname_np(e2));
}
