/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goshim hand-over protocol — the contract between libgoshim.so (the host
 * side, preload/handover.c) and the trace engine's helper (`goshimctl run
 * --attach PID`, trace/tr_attach.c), and the "am I supervised" probe that
 * both engines and goshimctl ask.  Neither side includes the other's
 * headers: this file is all they share.
 *
 * The hand-over.  A process that is already running (a Go program that
 * loaded libgoshim.so, or a process about to exec a static program) asks a
 * helper to supervise it.  The host starts the helper with one stream
 * socket as both GOSHIM_HO_FD_IN and GOSHIM_HO_FD_OUT (a socket: the host
 * sends with MSG_NOSIGNAL, so a helper that died costs it no SIGPIPE):
 *
 *   host   -> helper  'P'   PR_SET_PTRACER(helper) is done (for follows)
 *   helper -> host    struct goshim_ho_reply, then reply.len bytes of
 *                     struct sock_filter (the engine's filter), or
 *                     err != 0 and len 0 when it cannot supervise
 *   host   -> helper  'L' with the filter's listener fd (SCM_RIGHTS):
 *                     the filter is loaded on all threads; anything
 *                     else, or EOF: the helper exits
 *
 * The host gives up after GOSHIM_HO_TIMEOUT_MS (every step has that
 * deadline); the helper then sees EOF.  Integers are in the host's byte
 * order: both ends run on one machine.
 */
#ifndef GOSHIM_HANDOVER_H
#define GOSHIM_HANDOVER_H

#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>

#define GOSHIM_HO_FD_IN      3             /* the helper's end, reading  */
#define GOSHIM_HO_FD_OUT     4             /* the helper's end, writing  */
#define GOSHIM_HO_MAGIC      0x6f68736fu   /* "osho"                     */
#define GOSHIM_HO_TIMEOUT_MS 1000          /* the host's deadline        */
#define GOSHIM_HO_MAX_INSNS  4096          /* BPF_MAXINSNS: longest filter */

/* The helper's answer to 'P'. */
struct goshim_ho_reply {
	uint32_t magic;         /* GOSHIM_HO_MAGIC                             */
	int32_t err;            /* 0, or the errno that prevented attaching    */
	uint32_t len;           /* bytes of struct sock_filter that follow
	                         * (0 < len <= GOSHIM_HO_MAX_INSNS * 8 when
	                         * err == 0, else 0)                           */
	uint32_t tasks;         /* unused, 0                                   */
};

/*
 * The probe: is the caller under goshim's filter?  The trace engine's
 * filter answers prctl(GOSHIM_PROBE_PRCTL, ...) in the kernel, at no cost,
 * with the errno GOSHIM_PROBE_ERRNO; anywhere else prctl fails with EINVAL
 * (no such option).  The preload stays passive inside a tree the engine
 * supervises, goshimctl's PATH masquerade runs the real program directly,
 * and a reader does not wait for the engine of its own tree.
 */
#define GOSHIM_PROBE_PRCTL   0x67736870    /* "gshp" */
#define GOSHIM_PROBE_ERRNO   133           /* EHWPOISON: never from prctl */

/* The question through libc (libgoshim.so asks it with a raw system call,
 * preload/handover.h: gs_ho_supervised).  errno is changed. */
static inline int goshim_supervised(void)
{
	return prctl(GOSHIM_PROBE_PRCTL, 0, 0, 0, 0) < 0 && errno == GOSHIM_PROBE_ERRNO;
}

#endif
