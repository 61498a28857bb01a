/* SPDX-License-Identifier: Apache-2.0 */
/* A real Landlock sandbox for scenarios: the kernel's own allow-list
 * LSM, which any user may apply to itself and its children. */
#ifndef GS_TEST_SC_LANDLOCK_H
#define GS_TEST_SC_LANDLOCK_H

#include <stdint.h>

/* The write rights: writing a file, creating and removing entries. */
#define SC_LL_WRITE 0

/* Restrict this process (and what it execs) so that the access rights
 * `handled` (LANDLOCK_ACCESS_FS_* bits; SC_LL_WRITE for all write rights
 * of the kernel's ABI) are granted only below the NULL-terminated
 * directories `allowed`.  Sets no_new_privs.  0, or -1 with a message on
 * stderr (a kernel without Landlock). */
int sc_landlock(uint64_t handled, const char *const *allowed);

/* 1 when this kernel runs Landlock (ABI >= 1). */
int sc_landlock_available(void);

#endif
