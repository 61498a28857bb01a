/* SPDX-License-Identifier: Apache-2.0 */
/* Paths below the directory a test program was given (tp-lookup,
 * tp-answer): tp_dir is set from argv, at("name") is "<tp_dir>/name",
 * eight of them alive at a time. */
#ifndef GS_TP_AT_H
#define GS_TP_AT_H

#include <stdio.h>

static char tp_dir[2048];

static const char *at(const char *name)
{
	static char buf[8][4096];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tp_dir, name);
	return buf[i];
}

#endif
