/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Readers wait for the trace engines still writing a ring.
 *
 * The trace engine learns that a process ended (and writes its EXIT
 * record) only after the process's parent has reaped it: a report run
 * right after a job could read the ring a moment too early.  Each engine
 * holds a shared flock(2) on the ring file while it runs; goshimctl's
 * readers take it exclusively, waiting up to a deadline, before reading.
 * The preload takes no lock: its records are written before the call it
 * records returns.
 */
#ifndef GS_RING_LOCK_H
#define GS_RING_LOCK_H

/* Take the engine's shared lock on path.  The fd (close it to release;
 * O_CLOEXEC), or -errno (-EINVAL: not a regular file).  The path is
 * opened as gs_ring_file_open does: never blocks. */
int gs_ring_engine_hold(const char *path);

/* Wait up to timeout_ms for no engine to hold path.  0: none holds it (or
 * the file cannot be locked at all: missing, not a regular file), 1: one
 * still does at the deadline.  Never blocks on a FIFO or a device. */
int gs_ring_engines_wait(const char *path, int timeout_ms);

#endif
