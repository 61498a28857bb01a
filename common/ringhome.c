/* SPDX-License-Identifier: Apache-2.0 */
/* The default ring, in a directory that is ours (ringhome.h). */
#include "ringhome.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sys.h"

#define RH_RING "goshim.ring"

/* Append s at *n (cut at cap - 1, always NUL-terminated). */
static void rh_put(char *buf, unsigned *n, unsigned cap, const char *s)
{
	while (s && *s && *n + 1 < cap) {
		buf[(*n)++] = *s++;
	}
	buf[*n] = 0;
}

static void rh_putu(char *buf, unsigned *n, unsigned cap, unsigned long v)
{
	char d[24];
	int i = (int)sizeof(d) - 1;

	d[i] = 0;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	rh_put(buf, n, cap, d + i);
}

/* Join a, b, c into buf; 0, or -1 when it does not fit. */
static int rh_join(char *buf, const char *a, const char *b, const char *c)
{
	unsigned n = 0;

	rh_put(buf, &n, GS_RINGHOME_MAX, a);
	rh_put(buf, &n, GS_RINGHOME_MAX, b);
	rh_put(buf, &n, GS_RINGHOME_MAX, c);
	return n + 1 >= GS_RINGHOME_MAX ? -1 : 0;
}

enum rh_loose { RH_REFUSE, RH_TIGHTEN, RH_ACCEPT }; /* a group or other bit */

/* Why a directory was refused. */
struct rh_why {
	long owner;
	const char *why;
};

/* dir is a directory (not a symbolic link) owned by euid, its group and
 * other bits handled as `loose` says: 0; -2 when it does not exist;
 * otherwise -1 with h->owner and h->why set. */
static int rh_ours(struct rh_why *h, const char *dir, unsigned euid, enum rh_loose loose)
{
	struct stat st;
	long fd = gs_sys4(SYS_openat, AT_FDCWD, dir,
			  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
	int ok;

	h->owner = -1;
	if (fd == -ENOENT) {
		h->why = "cannot be created";
		return -2;
	}
	if (fd < 0) {
		/* O_DIRECTORY meets a symbolic link first (ENOTDIR, not ELOOP);
		 * another user's directory closed to us gives EACCES: say whose */
		int got = gs_sys4(SYS_newfstatat, AT_FDCWD, dir, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (got && S_ISLNK(st.st_mode)) {
			h->why = "is a symbolic link";
		} else if (got && st.st_uid != euid) {
			h->owner = (long)st.st_uid;
			h->why = "belongs to uid";
		} else {
			h->why = fd == -ENOTDIR ? "is not a directory" : "cannot be opened";
		}
		return -1;
	}
	ok = gs_sys2(SYS_fstat, fd, &st) == 0;
	if (ok && st.st_uid != euid) {
		h->owner = (long)st.st_uid;
		h->why = "belongs to uid";
		ok = 0;
	} else if (ok && (st.st_mode & 077) && loose != RH_ACCEPT) {
		ok = loose == RH_TIGHTEN && gs_sys2(SYS_fchmod, fd, 0700) == 0;
		h->why = "is open to other users";
	}
	gs_sys1(SYS_close, fd);
	return ok ? 0 : -1;
}

/* mkdir dir 0700 when create (an existing one is fine). */
static void rh_mkdir(const char *dir, int create)
{
	if (create) {
		gs_sys3(SYS_mkdirat, AT_FDCWD, dir, 0700);
	}
}

static int rh_xdg(struct gs_ringhome *h, const char *xdg, unsigned euid)
{
	struct rh_why t;

	if (!xdg || xdg[0] != '/' || rh_join(h->path, xdg, "/", RH_RING) < 0) {
		return -1;
	}
	return rh_ours(&t, xdg, euid, RH_REFUSE);
}

static int rh_tmp(struct gs_ringhome *h, unsigned euid, int create)
{
	char *dir = h->refused;
	unsigned n = 0;
	struct rh_why w;

	rh_put(dir, &n, GS_RINGHOME_MAX, "/tmp/goshim-");
	rh_putu(dir, &n, GS_RINGHOME_MAX, euid);
	rh_mkdir(dir, create);
	int rc = rh_ours(&w, dir, euid, create ? RH_TIGHTEN : RH_ACCEPT);
	if (rc == -1 || (rc == -2 && create)) {
		h->owner = w.owner;
		h->why = w.why;
		return -1;
	}
	rh_join(h->path, dir, "/", RH_RING);
	dir[0] = 0;
	return 0;
}

static int rh_home(struct gs_ringhome *h, const char *home, unsigned euid, int create)
{
	struct rh_why t;

	if (!home || home[0] != '/' || rh_ours(&t, home, euid, RH_ACCEPT) < 0 ||
	    rh_join(h->path, home, "/.cache", "") < 0) {
		return -1;
	}
	rh_mkdir(h->path, create);
	if (rh_ours(&t, h->path, euid, RH_ACCEPT) < 0 ||
	    rh_join(h->path, home, "/.cache/goshim", "") < 0) {
		return -1;
	}
	rh_mkdir(h->path, create);
	if (rh_ours(&t, h->path, euid, create ? RH_TIGHTEN : RH_ACCEPT) < 0) {
		return -1;
	}
	return rh_join(h->path, home, "/.cache/goshim/", RH_RING);
}

void gs_ringhome(struct gs_ringhome *h, const char *xdg, const char *home, unsigned euid,
		 int create)
{
	h->refused[0] = 0;
	h->owner = -1;
	h->why = "";
	if (rh_xdg(h, xdg, euid) == 0 || rh_tmp(h, euid, create) == 0) {
		return;
	}
	if (rh_home(h, home, euid, create) < 0) {
		h->path[0] = 0;
	}
}

char *gs_ringhome_say(const struct gs_ringhome *h, char *buf, unsigned cap)
{
	unsigned n = 0;

	buf[0] = 0;
	rh_put(buf, &n, cap, h->refused);
	rh_put(buf, &n, cap, " ");
	rh_put(buf, &n, cap, h->why);
	if (h->owner >= 0) {
		rh_put(buf, &n, cap, " ");
		rh_putu(buf, &n, cap, (unsigned long)h->owner);
		rh_put(buf, &n, cap, ", not to you");
	}
	rh_put(buf, &n, cap, h->path[0] ? ": recording to " : ": nothing is recorded");
	rh_put(buf, &n, cap, h->path);
	rh_put(buf, &n, cap, h->path[0] ? " instead" : "");
	return buf;
}
