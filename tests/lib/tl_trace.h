/* SPDX-License-Identifier: Apache-2.0 */
/* A program run under the trace engine (`goshimctl run`) and the ring it
 * left, loaded. */
#ifndef GS_TL_TRACE_H
#define GS_TL_TRACE_H

#include <sys/types.h>

#include "tl_read.h"

/* Run argv (argv[0] a path) under goshimctl run into DIR/r.ring, DIR a
 * fresh tl_tmpdir(tag); fail unless it exited with want_exit; load the
 * ring into r (the trace engine's, after the ring's engines are done).
 * Returns DIR (remove it with tl_rmtree). */
const char *tl_trace_run(const char *tag, char *const argv[], int want_exit, struct tl_ring *r);

/* Start `goshimctl run --ring ring -- prog tick file n` in the background
 * (in a process group of its own with own_pgrp); returns its pid.  The
 * test programs' tick mode rewrites file with "pid counter" n times. */
pid_t tl_tick_start(const char *ring, const char *prog, const char *file, const char *n,
		    int own_pgrp);

/* The tick file's counter (the program's pid into *pid), a read that
 * caught the file being rewritten retried; -1 when there is none yet. */
int tl_tick_read(const char *file, int *pid);

#endif
