/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The evidence a failed call gets, the same for both capture engines:
 * they read it (the preload with raw system calls, the trace engine in
 * the tracee's root with its credentials) and record what this says.
 *
 *   errno                                          evidence
 *   ENOENT ENOTDIR ENAMETOOLONG ELOOP EEXIST       the walk only: they say
 *                                                  "not there" (or "there"),
 *                                                  the flood of a healthy build
 *   EACCES EPERM EROFS ENOSPC EDQUOT ENOEXEC       the walk, statfs, the mount
 *   ETXTBSY                                        line, credentials: the mount's
 *                                                  options, quota and space and
 *                                                  the caller's ids explain them
 *   any other                                      the walk, statfs, credentials
 *   (an exec call, any errno)                      credentials too, and the exec
 *                                                  target's evidence (ELF, #!)
 *
 * The walk (EV_PATH, EV_MISSING, EV_STAT) over a call's absolute path:
 *   - stat the path itself first, whatever the errno said (ENOENT of a
 *     call with two paths may be about the other one; ENOENT of an exec
 *     may be about the interpreter);
 *   - on a stat error that says the path cannot be reached, ENOENT,
 *     ENOTDIR, EACCES (behind a directory without search permission),
 *     ELOOP, ENAMETOOLONG, go to the parent and count one component in
 *     EV_MISSING; stop at the first ancestor that can be stat'ed;
 *   - on any other error (EIO, ENOMEM, the engine unable to act as the
 *     process ...) record no path evidence at all: a nearer ancestor
 *     could not be told from a missing one.
 * The mount line (common/mountinfo.h) and statfs are those of EV_PATH.
 */
#ifndef GS_EVPOLICY_H
#define GS_EVPOLICY_H

enum gs_evp {
	GS_EVP_STATFS = 1 << 0, /* EV_STATFS of EV_PATH          */
	GS_EVP_MOUNT = 1 << 1,  /* EV_MOUNT of EV_PATH           */
	GS_EVP_CRED = 1 << 2,   /* EV_CRED of the caller         */
};

/* What a call that failed with err gets besides the walk (GS_EVP_* bits);
 * exec: the call executes its path. */
unsigned gs_evp_of(int err, int exec);

/* 1 when a stat of the walk that failed with err goes on to the parent. */
int gs_evp_climbs(int err);

/* Cut the last component of the absolute path p in place ("/a/b/" ->
 * "/a", "/a" -> "/").  0 when p is "/" (or not absolute): nothing to cut. */
int gs_evp_parent(char *p);

#endif
