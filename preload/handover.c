// SPDX-License-Identifier: Apache-2.0
/*
 * The hand-over itself (protocol: include/goshim/handover.h).
 *
 *   host                         C (clone, no exit signal)   G (the helper)
 *   socketpair
 *   clone ------------------->  clone ------------------->  setsid, fds 3/4,
 *                               write G's pid, exit         exec goshimctl run
 *   wait4(C); read G's pid                                    --attach HOST
 *   PR_SET_PTRACER(G); 'P' --------------------------------->
 *   read reply + filter <------------------------------------ reply, filter
 *   seccomp(NEW_LISTENER,
 *     TSYNC); 'L' + listener --------------------------------> supervise
 *
 * The helper is the host's grandchild, reparented to init (or the nearest
 * subreaper) when C exits: no SIGCHLD reaches the host, whose own wait
 * calls never see it.  Every step has a deadline (GOSHIM_HO_TIMEOUT_MS in
 * all); on any failure the filter is not loaded, a NOTE says why, and the
 * program runs on with preload-only capture.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>

#include "goshim-config.h"
#include "goshim/handover.h"
#include "handover.h"
#include "rec/rec.h"
#include "sys.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int gs_ho_armed;

GS_LARGE_BSS static char ho_ctl[GS_REC_PATH_MAX]; /* the helper's executable, or "" */

/* ---- small things ------------------------------------------------------ */

static size_t ho_cat(char *buf, size_t n, size_t cap, const char *s)
{
	while (s && *s && n + 1 < cap) {
		buf[n++] = *s++;
	}
	buf[n] = 0;
	return n;
}

static size_t ho_num(char *buf, size_t n, size_t cap, long v)
{
	char d[24];

	d[gs_utoa((uint64_t)(v < 0 ? -v : v), d)] = 0;
	if (v < 0) {
		n = ho_cat(buf, n, cap, "-");
	}
	return ho_cat(buf, n, cap, d);
}

static long ho_us(void)
{
	struct timespec ts;

	gs_sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long ho_ms(void)
{
	return ho_us() / 1000;
}

/* A NOTE record "trace hand-over failed: <what>: <err>" (and on stderr
 * with GOSHIM_DEBUG). */
static void ho_note(const char *what, int err)
{
	char text[512];
	size_t n = ho_cat(text, 0, sizeof(text), "trace hand-over failed: ");

	n = ho_cat(text, n, sizeof(text), what);
	if (err) {
		const char *name = strerrorname_np(err);

		n = ho_cat(text, n, sizeof(text), ": ");
		n = name ? ho_cat(text, n, sizeof(text), name) : ho_num(text, n, sizeof(text), err);
	}
	ho_cat(text, n, sizeof(text), "; preload-only capture (Go's raw system calls "
	       "and static programs are not recorded)");
	gs_rec_debug(text, NULL, 0, 0);
	gs_note(text);
}

/* Read exactly len bytes before the deadline.  0 or -errno. */
static int ho_read(int fd, void *buf, size_t len, long deadline)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = deadline - ho_ms(), n;

		if (left <= 0) {
			return -ETIMEDOUT;
		}
		n = gs_sys3(SYS_poll, &pfd, 1, left);
		if (n == -EINTR || n == 0) {
			continue;
		}
		if (n < 0) {
			return (int)n;
		}
		n = gs_sys3(SYS_read, fd, p, len);
		if (n == -EINTR) {
			continue;
		}
		if (n <= 0) {
			return n ? (int)n : -EPIPE;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A socket, not a pipe: MSG_NOSIGNAL, a helper that died must not kill
 * the program with SIGPIPE. */
static void ho_write1(int fd, char c)
{
	while (gs_sys6(SYS_sendto, fd, (long)&c, 1, MSG_NOSIGNAL, 0, 0) == -EINTR) {
	}
}

/* ---- the helper's side, before it execs goshimctl ---------------------- */

static void __attribute__((noreturn)) ho_helper(int in, int out, long host)
{
	char pid[24], *argv[10];
	size_t n = 0, ne = 0;
	long fd;
	uint64_t none = 0;

	gs_sys0(SYS_setsid); /* no terminal signals: ^C must not kill the engine */
	gs_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	in = (int)gs_sys3(SYS_fcntl, in, F_DUPFD, 10);
	out = (int)gs_sys3(SYS_fcntl, out, F_DUPFD, 10);
	gs_sys2(SYS_dup2, in, GOSHIM_HO_FD_IN);
	gs_sys2(SYS_dup2, out, GOSHIM_HO_FD_OUT);
	fd = gs_sys4(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR, 0);
	if (fd >= 0) {
		gs_sys2(SYS_dup2, fd, 0);
		gs_sys2(SYS_dup2, fd, 1);
		if (!gs_rec.conf.debug) {
			gs_sys2(SYS_dup2, fd, 2);
		}
	}
	gs_sys3(SYS_close_range, GOSHIM_HO_FD_OUT + 1, ~0u, 0);
	pid[gs_utoa((uint64_t)host, pid)] = 0;
	argv[n++] = ho_ctl;
	argv[n++] = "run";
	argv[n++] = "--attach";
	argv[n++] = pid;
	argv[n++] = "--ring";
	argv[n++] = (char *)gs_rec_ring_path(&gs_rec.conf);
	if (gs_rec.conf.debug) {
		argv[n++] = "-v";
	}
	argv[n] = NULL;
	for (char **e = environ; e && *e; e++) {
		ne++;
	}
	char *envp[ne + 1];
	ne = 0;
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, "LD_PRELOAD=", 11) != 0) {
			envp[ne++] = *e; /* goshimctl itself runs without us */
		}
	}
	envp[ne] = NULL;
	gs_sys3(SYS_execve, ho_ctl, argv, envp);
	gs_sys1(SYS_exit_group, 127);
	__builtin_unreachable();
}

/* C: start G, tell the host its pid, exit. */
static void __attribute__((noreturn)) ho_middle(int in, int out, long host)
{
	long g = gs_sys5(SYS_clone, 0, 0, 0, 0, 0);

	if (g == 0) {
		ho_helper(in, out, host);
	}
	if (g > 0) {
		uint32_t v = (uint32_t)g;

		gs_sys3(SYS_write, out, &v, sizeof(v));
	}
	gs_sys1(SYS_exit_group, 0);
	__builtin_unreachable();
}

/* ---- the host's side ---------------------------------------------------- */

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

/* 1 when ho_load set no_new_privs (it was not set before). */
static int ho_nnp_set;

/* Load the filter on every thread (SPEC_ALLOW: see trace/tr_filter.c).
 * The listener fd, or -errno (a thread that could not be synchronised:
 * -ESRCH). */
static int ho_load(struct sock_filter *insns, size_t len)
{
	struct sock_fprog prog = { .len = (unsigned short)(len / sizeof(*insns)),
				   .filter = insns };
	int nnp = gs_sys0(SYS_geteuid) != 0;
	long r;

	ho_nnp_set = gs_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1;

	for (;;) {
		if (nnp) {
			gs_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		}
		r = gs_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC |
			    SECCOMP_FILTER_FLAG_TSYNC_ESRCH | SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog);
		if (r == -EACCES && !nnp) {
			nnp = 1;
			continue;
		}
		ho_nnp_set &= nnp && r >= 0;
		return (int)r;
	}
}

/* 'L' with the listener attached, and a pidfd of this process when one
 * can be had: the helper watches our exit with it, and we may be gone
 * before it could open one itself. */
static int ho_send_listener(int to, int fd)
{
	char c = 'L';
	int fds[2] = { fd, (int)gs_sys2(SYS_pidfd_open, gs_sys0(SYS_getpid), 0) };
	size_t nfd = fds[1] >= 0 ? 2 : 1;
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = CMSG_SPACE(nfd * sizeof(int)) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	long r;

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(nfd * sizeof(int));
	memcpy(CMSG_DATA(h), fds, nfd * sizeof(int));
	while ((r = gs_sys3(SYS_sendmsg, to, &m, MSG_NOSIGNAL)) == -EINTR) {
	}
	if (fds[1] >= 0) {
		gs_sys1(SYS_close, fds[1]);
	}
	return r == 1 ? 0 : (r < 0 ? (int)r : -EPIPE);
}

/* The exchange with G, once its pid is known.  0 or -errno, *what set. */
static int ho_talk(int to, int from, long deadline, const char **what)
{
	struct goshim_ho_reply rep;
	uint32_t g;
	void *bpf;
	int rc;

	*what = "no helper (goshimctl could not be started)";
	if ((rc = ho_read(from, &g, sizeof(g), deadline)) < 0) {
		return rc;
	}
	gs_sys5(SYS_prctl, PR_SET_PTRACER, g, 0, 0, 0); /* EINVAL without Yama */
	ho_write1(to, 'P');
	*what = "no answer from the helper";
	if ((rc = ho_read(from, &rep, sizeof(rep), deadline)) < 0) {
		return rc;
	}
	*what = "the helper cannot supervise this process";
	if (rep.magic != GOSHIM_HO_MAGIC || rep.err) {
		return rep.magic != GOSHIM_HO_MAGIC ? -EPROTO : -rep.err;
	}
	*what = "bad filter from the helper";
	if (rep.len == 0 || rep.len > GOSHIM_HO_MAX_INSNS * sizeof(struct sock_filter) ||
	    rep.len % sizeof(struct sock_filter)) {
		return -EPROTO;
	}
	bpf = (void *)gs_sys6(SYS_mmap, 0, rep.len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((long)bpf < 0 && (long)bpf > -4096) {
		return (int)(long)bpf;
	}
	rc = ho_read(from, bpf, rep.len, deadline);
	if (rc == 0) {
		*what = "seccomp filter load";
		rc = ho_load(bpf, rep.len);
	}
	gs_sys2(SYS_munmap, bpf, rep.len);
	if (rc >= 0) {
		int fd = rc;

		/* loaded: from now on every watched call waits for the helper,
		 * which must get the listener (it cannot fail once it has) */
		*what = "sending the listener to the helper";
		rc = ho_send_listener(to, fd);
		gs_sys1(SYS_close, fd);
		/* after the listener is sent: the note's own calls are watched */
		if (rc == 0 && ho_nnp_set) {
			gs_note(gs_sys0(SYS_geteuid) ?
				"no-new-privs: set to load the seccomp filter (not root): setuid, "
				"setgid and file-capability programs of this tree run without "
				"their privilege" :
				"no-new-privs: set to load the seccomp filter (root without "
				"CAP_SYS_ADMIN): setuid, setgid and file-capability programs of "
				"this tree run without their privilege");
		}
	}
	return rc;
}

static void ho_find_ctl(void);

/* Hand this process over.  0 when it is traced from now on. */
static int ho_run(const char *why)
{
	long t0 = ho_ms(), us0 = ho_us(), c, host = gs_sys0(SYS_getpid);
	int sv[2], rc, st;
	const char *what = "socketpair";

	/* now, not as the constructor saw it: a child of `goshimctl run`
	 * loads the filter before it execs the command */
	if (gs_ho_supervised()) {
		return 0; /* supervised by us already */
	}
	ho_find_ctl();
	if (!ho_ctl[0]) {
		ho_note("goshimctl not found ($GOSHIMCTL, next to libgoshim.so, " GOSHIM_BINDIR ")", ENOENT);
		return -ENOENT;
	}
	rc = (int)gs_sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	if (rc < 0) {
		ho_note(what, -rc);
		return rc;
	}
	c = gs_sys5(SYS_clone, 0, 0, 0, 0, 0);
	if (c == 0) {
		ho_middle(sv[1], sv[1], host);
	}
	gs_sys1(SYS_close, sv[1]);
	if (c < 0) {
		rc = (int)c;
		what = "clone";
	} else {
		while (gs_sys4(SYS_wait4, c, &st, __WALL, 0) == -EINTR) {
		}
		rc = ho_talk(sv[0], sv[0], t0 + GOSHIM_HO_TIMEOUT_MS, &what);
	}
	gs_sys1(SYS_close, sv[0]); /* EOF: a helper still waiting detaches */
	if (rc < 0) {
		ho_note(what, -rc);
		return rc;
	}
	if (gs_rec.conf.debug) {
		char m[160];
		size_t n = ho_cat(m, 0, sizeof(m), "handed over to the trace engine (");

		n = ho_cat(m, n, sizeof(m), why);
		n = ho_cat(m, n, sizeof(m), ") in us:");
		gs_rec_debug(m, NULL, 1, ho_us() - us0);
	}
	return 0;
}

/* Hand over, and on failure stop trying for this process. */
static int ho_go(const char *why)
{
	int rc = ho_run(why);

	gs_ho_armed = 0;
	return rc;
}

/* ---- entry points -------------------------------------------------------- */

static int ho_exec_ok(const char *p)
{
	return p[0] == '/' && gs_sys4(SYS_faccessat, AT_FDCWD, p, X_OK, 0) == 0;
}

/* Where goshimctl may be, relative to libgoshim.so: the installed layout
 * (wherever the tree was moved), then the build tree's (the library is
 * build/preload/libgoshim.so, goshimctl build/ctl/goshimctl). */
static const struct {
	int cut;            /* path components to drop from the library's path */
	const char *rel;
} ho_ctl_rel[] = {
	{ 1, "/" GOSHIM_LIB_TO_BIN "/goshimctl" },
	{ 2, "/ctl/goshimctl" },
};

/* Whether ho_ctl, from the library's path lib, is an executable one. */
static int ho_try_rel(const char *lib, int cut, const char *rel)
{
	size_t n = gs_strlcpy(ho_ctl, lib, sizeof(ho_ctl));

	for (int c = 0; c < cut && n > 0; c++) {
		while (n > 0 && ho_ctl[--n] != '/') {
		}
		ho_ctl[n] = 0;
	}
	return n > 0 && gs_strlcat(ho_ctl, n, rel, sizeof(ho_ctl)) < sizeof(ho_ctl) - 1 &&
	       ho_exec_ok(ho_ctl);
}

/* Where goshimctl is looked for, kept by the constructor (no system
 * call there): $GOSHIMCTL (empty: none), and this library's path. */
static int ho_ctl_env;               /* ho_ctl holds $GOSHIMCTL */
static const char *ho_lib;           /* the loader's name of this library */
static int ho_ctl_done;              /* ho_find_ctl ran */

typedef int (*ho_find_fn)(void *, struct dl_find_object *);

/* ho_lib, or this library's name from the loader's lock-free and
 * async-signal-safe _dl_find_object (gs_loader_find: then the
 * constructor did not ask dladdr); NULL when unknown. */
static const char *ho_lib_name(void)
{
	ho_find_fn find = (ho_find_fn)gs_loader_find;
	struct dl_find_object f;

	if (ho_lib || !find) {
		return ho_lib;
	}
	return find((void *)ho_lib_name, &f) == 0 && f.dlfo_link_map ? f.dlfo_link_map->l_name
								     : NULL;
}

/* $GOSHIMCTL; else relative to this library (ho_ctl_rel); else the one
 * of the configured prefix.  At the first hand-over, not at start: raw
 * system calls only (it may run in a vfork child). */
static void ho_find_ctl(void)
{
	if (ho_ctl_done) {
		return;
	}
	ho_ctl_done = 1;
	if (ho_ctl_env) {
		if (!ho_exec_ok(ho_ctl)) {
			ho_ctl[0] = 0; /* no fallback: the user asked for that one */
		}
		return;
	}
	const char *lib = ho_lib_name();

	for (size_t i = 0; lib && i < sizeof(ho_ctl_rel) / sizeof(ho_ctl_rel[0]); i++) {
		if (ho_ctl_rel[i].rel[1] != '/' && /* "//goshimctl": no relative form */
		    ho_try_rel(lib, ho_ctl_rel[i].cut, ho_ctl_rel[i].rel)) {
			return;
		}
	}
	gs_strlcpy(ho_ctl, GOSHIM_BINDIR "/goshimctl", sizeof(ho_ctl));
	if (!ho_exec_ok(ho_ctl)) {
		ho_ctl[0] = 0;
	}
}

/* The constructor's part of ho_find_ctl: what needs libc or the loader. */
static void ho_keep_ctl(void)
{
	const char *v = gs_rec_getenv("GOSHIMCTL"); /* NULL in a secure process */
	Dl_info info;

	if (v && *v) {
		ho_ctl_env = 1;
		if (gs_strlcpy(ho_ctl, v, sizeof(ho_ctl)) != gs_strlen(v)) {
			ho_ctl[0] = 0; /* too long: none */
		}
		return;
	}
	/* with _dl_find_object, the first hand-over asks it (ho_lib_name) */
	if (!gs_loader_find && dladdr((void *)ho_keep_ctl, &info) && info.dli_fname) {
		ho_lib = info.dli_fname;
	}
}

void gs_ho_setup(void)
{
	const char *v = gs_rec_getenv("GOSHIM_HANDOVER");

	if ((v && v[0] == '0' && !v[1]) || !gs_rec_armed()) {
		return;
	}
	ho_keep_ctl();
	gs_ho_armed = 1;
	if (gs_ho_is_go() && ho_go("Go program") == 0) {
		/* the engine sees every call from now on: record nothing */
		gs_rec_off();
	}
}

static int ho_exec_fd(int fd)
{
	return fd >= 0 && gs_ho_elf_static(fd) && ho_go("exec of a static program") == 0;
}

int gs_ho_exec_path(const char *path)
{
	long fd;
	int done = 0;

	if (!path) {
		return 0;
	}
	/* a program found dynamic before (seen.c): one stat */
	uint64_t key = gs_seen_key(path, GS_SEEN_DYNAMIC, NULL);
	if (gs_seen_has(key)) {
		return 0;
	}
	fd = gs_open_regular(AT_FDCWD, path, 0);
	if (fd >= 0) {
		if (gs_ho_elf_static((int)fd)) {
			done = ho_go("exec of a static program") == 0;
		} else {
			gs_seen_put(key);
		}
		gs_sys1(SYS_close, fd);
	}
	return done;
}

int gs_ho_exec_search(const char *name)
{
	char path[GS_REC_PATH_MAX];

	if (!name || !*name) {
		return 0;
	}
	if (strchr(name, '/')) {
		return gs_ho_exec_path(name);
	}
	return gs_path_search(name, path, sizeof(path), 1) == 0 && gs_ho_exec_path(path);
}

int gs_ho_exec_fd(int fd)
{
	return ho_exec_fd(fd);
}

int gs_ho_exec_at(int dirfd, const char *path, int flags)
{
	long fd;
	int done = 0;

	if (!path) {
		return 0;
	}
	if (!*path && (flags & AT_EMPTY_PATH)) {
		return ho_exec_fd(dirfd);
	}
	fd = gs_open_regular(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) != 0);
	if (fd >= 0) {
		done = ho_exec_fd((int)fd);
		gs_sys1(SYS_close, fd);
	}
	return done;
}

void gs_ho_spawned(void)
{
	gs_rec_off();
}
