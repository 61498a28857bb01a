/* SPDX-License-Identifier: Apache-2.0 */
/* What a PROCESS record carries, the same for both capture engines. */
#ifndef GS_PROCFACTS_H
#define GS_PROCFACTS_H

#include <stddef.h>

/* The environment variables that decide Go's behaviour (and goshim's
 * own ring), recorded as T_ENV "NAME=value" when set.  Values go through
 * gs_proc_env_redact first: proxy URLs may carry credentials. */
extern const char *const gs_proc_env[];
extern const size_t gs_proc_env_n;

/* The resource limits recorded as T_RLIMIT (RLIMIT_* values). */
extern const int gs_proc_rlimits[];
extern const size_t gs_proc_rlimits_n;

/* Copy the "NAME=value" string kv into dst[0..cap) (always terminated,
 * cut short when it does not fit) with the userinfo of every URL in it
 * replaced by three asterisks: GOPROXY=https://user:token@proxy.corp
 * is recorded as GOPROXY=https://<three asterisks>@proxy.corp.  A URL's authority
 * ends at '/', ',', '|', '?', '#', ';' or a blank (GOPROXY and GOSUMDB
 * separators included).  Plain C without libc, async-signal-safe.
 * Returns the length written. */
size_t gs_proc_env_redact(char *dst, size_t cap, const char *kv);

#endif
