/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The default ring: where libgoshim.so, `goshimctl run` (hence the trace
 * engine) and `goshimctl report` record and read when GOSHIM_RING does
 * not say.  One answer for all of them, in a place no other user can
 * squat:
 *
 *   1. $XDG_RUNTIME_DIR/goshim.ring, when that directory is absolute, a
 *      directory (not a symbolic link), owned by the effective uid and
 *      closed to others (no group or other bit: 0700);
 *   2. else /tmp/goshim-<euid>/goshim.ring, the directory made 0700 if
 *      missing (mkdir; a symbolic link there is never followed) and used
 *      only when it is a directory owned by the effective uid (a wider
 *      mode of our own directory is narrowed to 0700);
 *   3. else, when another user (or something else) holds that directory,
 *      $HOME/.cache/goshim/goshim.ring, HOME absolute and owned by the
 *      effective uid, .cache and goshim made 0700 if missing, the same
 *      checks;
 *   4. else no ring.
 *
 * Inside a directory that is ours, nobody else can place or replace the
 * ring; gs_ring_attach checks the file itself (regular, owner, mode).
 *
 * Raw system calls, no allocation, no libc state: async-signal-safe, for
 * the recorder too.  errno is untouched.
 */
#ifndef GS_RINGHOME_H
#define GS_RINGHOME_H

#define GS_RINGHOME_MAX 4096u

struct gs_ringhome {
	char path[GS_RINGHOME_MAX];    /* the ring; "" when no place is ours      */
	char refused[GS_RINGHOME_MAX]; /* "" or the directory of step 2 when it
	                                * could not be used                       */
	long owner;                    /* refused's owner uid; -1 when it was
	                                * refused for another reason             */
	const char *why;               /* refused: "belongs to uid", "is a
	                                * symbolic link", "is not a directory",
	                                * "cannot be created" (static)            */
};

/* Fill h with the default ring of euid.  xdg and home are the values of
 * XDG_RUNTIME_DIR and HOME (NULL: not used; a secure process passes NULL
 * for both).  create: make the missing directories (the writers); 0 only
 * looks (report), giving the same path whenever they exist. */
void gs_ringhome(struct gs_ringhome *h, const char *xdg, const char *home, unsigned euid,
		 int create);

/* One sentence for h when h->refused is set, into buf (NUL-terminated,
 * cut at cap): "/tmp/goshim-0 belongs to uid 1001, not to you: recording
 * to /root/.cache/goshim/goshim.ring instead" (or "nothing is recorded"
 * when h->path is empty).  Returns buf. */
char *gs_ringhome_say(const struct gs_ringhome *h, char *buf, unsigned cap);

#endif
