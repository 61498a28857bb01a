/* SPDX-License-Identifier: Apache-2.0 */
/* Numbers in words, the same wherever goshimctl prints them: decode,
 * report and doctor. */
#ifndef GS_CTL_FMT_H
#define GS_CTL_FMT_H

#include <stddef.h>
#include <stdint.h>

/* ISO-8601 UTC with microseconds ("2026-01-02T03:04:05.123456Z"). */
char *gs_fmt_time(uint64_t ns, char *buf, size_t size);

/* A wait(2) status: "exit 1", "killed by SIGSEGV", "killed by SIGSEGV
 * (core dumped)", "killed by signal 70" (no name), "status 0x137f" (a
 * stopped or continued status). */
char *gs_fmt_status(int status, char *buf, size_t size);

/* A byte count: "123 B", "64 KiB", "1.5 GiB" (one decimal below 10). */
char *gs_fmt_size(uint64_t n, char *buf, size_t size);

#endif
