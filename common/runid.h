/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run ids: which run of a job a process belongs to (GOSHIM_RUN).
 *
 * The first goshim process of a tree that finds no GOSHIM_RUN in its
 * environment (libgoshim.so in a program's constructor, `goshimctl run`,
 * the go shim, a CI set-up step) makes one and puts it there; every child
 * inherits it.  Each PROCESS record carries it (GOSHIM_T_RUN), so that
 * `goshimctl report` can speak of the last run in a ring that several
 * runs wrote.  Raw system calls, no allocation: async-signal-safe.
 */
#ifndef GS_RUNID_H
#define GS_RUNID_H

#define GS_RUNID_MAX 64u /* characters of a run id, at most */

/* 1 when s is a usable run id: 1..GS_RUNID_MAX characters of [0-9A-Za-z._-]. */
int gs_runid_ok(const char *s);

/* A new run id into out: 16 lowercase hex digits of getrandom(2) (of the
 * clock and pid when getrandom fails) and a NUL. */
void gs_runid_new(char out[17]);

#endif
