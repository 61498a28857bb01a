/* SPDX-License-Identifier: Apache-2.0 */
/* What a PROCESS record carries, the same for both capture engines. */
#ifndef GS_PROCFACTS_H
#define GS_PROCFACTS_H

#include <stddef.h>

/* The environment variables that decide Go's behaviour (and goshim's
 * own ring), recorded as T_ENV "NAME=value" when set. */
extern const char *const gs_proc_env[];
extern const size_t gs_proc_env_n;

/* The resource limits recorded as T_RLIMIT (RLIMIT_* values). */
extern const int gs_proc_rlimits[];
extern const size_t gs_proc_rlimits_n;

#endif
