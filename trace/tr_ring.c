/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's ring: refusal messages and the SIGBUS guard (tr_ring.h). */
#include "tr_ring.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"
#include "goshim/ring.h"

/* The guarded mapping; written before the handler is installed. */
static struct {
	uintptr_t lo, hi;
	volatile sig_atomic_t lost;
	char msg[512];
	size_t msglen;
} rg;

static void rg_bus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)uc;
	if (si->si_code > 0 && rg.hi && a >= rg.lo && a < rg.hi) {
		/* the file was cut short under us: the same addresses, now
		 * private zero pages; the faulting store is retried there */
		void *p = mmap((void *)rg.lo, rg.hi - rg.lo, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p != MAP_FAILED) {
			if (!rg.lost) {
				rg.lost = 1;
				ssize_t w = write(2, rg.msg, rg.msglen);
				(void)w;
			}
			return;
		}
	}
	/* not ours (another fault, a kill): die of it as without the guard */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void rg_install(const struct gs_ring *r, const char *path)
{
	struct sigaction sa = { .sa_sigaction = rg_bus, .sa_flags = SA_SIGINFO };
	int n = snprintf(rg.msg, sizeof(rg.msg), "goshimctl: ring %s was cut short while "
			 "the engine wrote it (truncated by its owner?): nothing more is "
			 "recorded\n", path);

	rg.msglen = n < 0 ? 0 : (size_t)n < sizeof(rg.msg) ? (size_t)n : sizeof(rg.msg) - 1;
	rg.lo = (uintptr_t)r->hdr;
	rg.hi = rg.lo + r->map_len;
	rg.lost = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* What the ring's opener's errors mean at a ring path (gs_ring_attach). */
static const struct {
	int err;
	const char *why;
} rg_whys[] = {
	{ ENOSPC, ": no room for it on its filesystem (No space left on device)" },
	{ EDQUOT, ": no room for it on its filesystem (Disk quota exceeded)" },
	{ ELOOP, " is a symbolic link: a ring is never opened through one" },
	{ EPROTO, " is not a ring of yours: left as it is" },
};

static const char *rg_why(int rc)
{
	static char buf[128];

	for (size_t i = 0; i < sizeof(rg_whys) / sizeof(rg_whys[0]); i++) {
		if (-rc == rg_whys[i].err) {
			return rg_whys[i].why;
		}
	}
	snprintf(buf, sizeof(buf), ": %s", strerror(-rc));
	return buf;
}

static void rg_refused(const char *path, int rc)
{
	struct stat st;

	if (rc == -EPERM && lstat(path, &st) == 0) {
		struct passwd *pw = getpwuid(st.st_uid);

		fprintf(stderr, "goshimctl: ring %s belongs to uid %u%s%s%s, not to you "
			"(uid %u); nothing is recorded\n", path, (unsigned)st.st_uid,
			pw ? " (" : "", pw ? pw->pw_name : "", pw ? ")" : "",
			(unsigned)geteuid());
	} else if (rc == -EACCES && lstat(path, &st) == 0) {
		fprintf(stderr, "goshimctl: ring %s: other users may write it (mode %04o); "
			"nothing is recorded\n", path, (unsigned)(st.st_mode & 07777));
	} else {
		fprintf(stderr, "goshimctl: ring %s%s; nothing is recorded\n", path,
			rg_why(rc));
	}
}

int tr_ring_open(struct gs_ring *r, const struct gs_trace_opts *o)
{
	if (!o->ring_path) {
		return -ENOENT; /* no place of ours: said by who chose it */
	}
	int rc = gs_ring_attach(r, o->ring_path,
				o->ring_size ? o->ring_size : GOSHIM_RING_DEF_DATA, 0600,
				GS_DICT_ID);

	if (rc < 0) {
		rg_refused(o->ring_path, rc);
	} else {
		rg_install(r, o->ring_path);
	}
	return rc;
}
