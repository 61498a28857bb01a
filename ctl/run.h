/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl run, the masquerade (goshimctl invoked under another name) and
 * the hand-over helper mode. */
#ifndef GS_CTL_RUN_H
#define GS_CTL_RUN_H

#include <stdio.h>

/* `goshimctl run [OPTIONS] -- CMD [ARGS...]`: run CMD under the trace
 * engine and end the way CMD ended.  Also the hidden helper mode
 * `goshimctl run --attach PID` started by libgoshim.so (goshim/handover.h). */
int gs_cmd_run(int argc, char **argv);

/* Print run's usage to f. */
void gs_cmd_run_usage(FILE *f);

/* goshimctl invoked as another name (a link `go` to goshimctl first on
 * PATH): run the next executable of that name on PATH that is not
 * goshimctl itself, with the same argv, under the engine.  Exits 127 when
 * there is none. */
int gs_masquerade(int argc, char **argv);

/* `goshimctl shims DIR`: create DIR with a link `go` to this goshimctl
 * (idempotent; refuses to replace anything else).  Exit status. */
int gs_cmd_shims(int argc, char **argv);

/* Print shims' usage to f. */
void gs_cmd_shims_usage(FILE *f);

/* gs_run_default_ring: the ring when none is named. */
#include "ringpath.h"

/* Size with an optional k/M/G suffix, 0 when s is NULL or invalid. */
unsigned long long gs_run_size(const char *s);

#endif
