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

/* Run argv under goshimctl run into ring, in a child with a private mount
 * namespace and a tmpfs at mnt (mount flags, options); prep(arg) runs in
 * that child first (NULL: nothing; non-zero: it gives up).  Returns the
 * wait status; fails the test when the child could not get as far as the
 * program (exit status 200 and above). */
int tl_trace_in_tmpfs(const char *mnt, unsigned long flags, const char *opts, const char *ring,
		      char *const argv[], int (*prep)(void *), void *arg);

/* Start `goshimctl run --ring ring -- prog tick file n` in the background
 * (in a process group of its own with own_pgrp); returns its pid.  The
 * test programs' tick mode rewrites file with "pid counter" n times. */
pid_t tl_tick_start(const char *ring, const char *prog, const char *file, const char *n,
		    int own_pgrp);

/* The tick file's counter (the program's pid into *pid), a read that
 * caught the file being rewritten retried; -1 when there is none yet. */
int tl_tick_read(const char *file, int *pid);

/* prog ticking n times into file under goshimctl run (in a process group
 * of its own: one whose parent is in another group of the same session is
 * not orphaned, so SIGTSTP is not discarded), once it ticked 3 times
 * (polled up to `rounds` x 10 ms) stopped with stopsig: it must stop
 * ticking, resume on SIGCONT, and goshimctl end with status 0 after all
 * n ticks.  settle_us: the wait for the stop to take effect. */
void tl_tick_stop_continue(const char *ring, const char *prog, const char *file, int n,
			   int stopsig, int rounds, unsigned settle_us);

#endif
