/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keeper: a process that holds the filter's listener too, and waits
 * for the engine to die.  A watched call nobody answers would wait for
 * ever (or, once no process holds the listener, fail with ENOSYS): the
 * keeper then answers every notification the engine had received and
 * not answered, and every later one, with "let it run", until no process
 * uses the filter.  Nothing more is recorded; the program runs on as if
 * goshim were not there.
 *
 * Why nothing is missed, whenever the engine dies:
 *
 *  - the keeper holds the listener before the engine does.  It is forked
 *    before the listener is sent and receives it itself from the tree's
 *    socket, then passes it on to the engine; a listener still in flight
 *    when the engine dies stays in the socket the keeper holds.
 *  - the engine receives each notification straight into a page it
 *    shares with the keeper (a ring of KP_SLOTS requests): the kernel
 *    marks a notification received and copies it out in the same
 *    ioctl, and a SIGKILL only takes effect on the way back to user
 *    space, so a notification the engine has received is in that page
 *    (a copy that faults puts it back, unreceived).  The engine holds at
 *    most two unanswered notifications at a time (the one it handles
 *    and, while a follow's interrupt takes effect, the followed one),
 *    so KP_SLOTS requests cover every one it may have left pending.
 *  - once the engine is dead the keeper answers every id in the page:
 *    an id answered already, or whose call went away, gives ENOENT
 *    (ids of one filter are never reused); then it receives and
 *    answers the rest, which the engine never saw.
 *
 * What is lost: what the tree fails from then on, and what the engine had
 * not written yet (a capture in progress; with the in-kernel watcher, the
 * failures still in its ring buffer and the repeats counted in the kernel
 * since its last look, 50 ms at most).  The keeper says so in the ring
 * (the NOTE engine-died, shared mapping inherited from the engine), so
 * that a report does not present those counts as complete.
 *
 * The keeper is in its own session (terminal signals are for the job,
 * not for it), named goshim-keeper (a pkill of goshimctl spares it), with
 * /dev/null for its standard streams (it must not hold a pipe of the job
 * open).  Should the keeper die with the engine, the filter's calls fail
 * with ENOSYS: the one state this cannot prevent.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tr.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define KP_SLOTS 32

struct kp_page {
	struct seccomp_notif slot[KP_SLOTS];
};
_Static_assert(sizeof(struct kp_page) <= 4096, "one page");

static struct kp_page *kp_page;  /* shared with the keeper; NULL: none */
static unsigned kp_next;
static struct seccomp_notif kp_local;
static int kp_chan = -1;         /* the engine's end of the keeper's channel */

struct seccomp_notif *tr_keeper_slot(void)
{
	struct seccomp_notif *s = kp_page ? &kp_page->slot[kp_next++ % KP_SLOTS] : &kp_local;

	memset(s, 0, sizeof(*s)); /* the receive wants it zeroed */
	return s;
}

static void kp_continue(int fd, uint64_t id)
{
	struct seccomp_notif_resp r = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };

	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* One byte and up to two descriptors, as tr_recv_listener takes them. */
static void kp_forward(int sock, char tag, int fd, int extra)
{
	int fds[2] = { fd, extra };
	int n = (fd >= 0) + (fd >= 0 && extra >= 0);
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec io = { &tag, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1 };

	if (n) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
		memcpy(CMSG_DATA(h), fds, (size_t)n * sizeof(int));
	}
	while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
	}
}

static void __attribute__((noreturn)) kp_serve(int listener, int engine)
{
	struct pollfd p[2] = { { .fd = listener }, { .fd = engine, .events = POLLIN } };

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			continue;
		}
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			_exit(0); /* no process uses the filter any more */
		}
		if (p[1].revents & POLLIN) {
			break; /* the engine died */
		}
	}
	for (unsigned i = 0; i < KP_SLOTS; i++) {
		uint64_t id = __atomic_load_n(&kp_page->slot[i].id, __ATOMIC_ACQUIRE);

		if (id) {
			kp_continue(listener, id);
		}
	}
	tr_note(0, "engine-died: the trace engine ended before the command's processes "
		"(killed?): their failures from then on are not recorded, and those of its "
		"last moments may be missing or counted short (with the in-kernel watcher: "
		"failures not yet read and repeats not yet counted, up to 50 ms of them)");
	p[0].events = POLLIN;
	for (;;) {
		struct seccomp_notif req;

		if (poll(p, 1, -1) < 0) {
			continue;
		}
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			_exit(0);
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
			kp_continue(listener, req.id);
		}
	}
}

/* The keeper's life: take the listener from the tree's socket, pass it
 * on to the engine over chan, then guard it (engine: the engine's pidfd). */
static void __attribute__((noreturn)) kp_main(int sock, int chan, int engine)
{
	int extra = -1;
	char tag;
	int l = tr_recv_listener(sock, &tag, &extra);

	close(sock); /* the tree sees EOF once the engine closes its end too */
	kp_forward(chan, tag, l, extra);
	close(chan);
	if (extra >= 0) {
		close(extra);
	}
	if (l < 0) {
		_exit(0); /* no filter: nothing to keep */
	}
	kp_serve(l, engine);
}

/* Close every descriptor but keep[0..2] (whatever their numbers: no
 * descriptor to spare for a renumbering when they are few), then
 * /dev/null on the standard streams not kept. */
static void kp_keep_only(const int keep[3])
{
	int null;

	for (int lo = 0; lo >= 0;) {
		int next = -1;

		for (int i = 0; i < 3; i++) {
			if (keep[i] >= lo && (next < 0 || keep[i] < next)) {
				next = keep[i];
			}
		}
		if (next < 0) {
			syscall(SYS_close_range, lo, ~0u, 0);
			break;
		}
		if (next > lo) {
			syscall(SYS_close_range, lo, next - 1, 0);
		}
		lo = next + 1;
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; null >= 0 && fd < 3; fd++) {
		if (fd != null && fd != keep[0] && fd != keep[1] && fd != keep[2]) {
			dup2(null, fd);
		}
	}
	if (null > 2) {
		close(null);
	}
}

static int kp_room[TR_KEEPER_FDS];
static int kp_held;

int tr_keeper_room(void)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	for (kp_held = 0; null >= 0 && kp_held < TR_KEEPER_FDS; kp_held++) {
		if ((kp_room[kp_held] = fcntl(null, F_DUPFD_CLOEXEC, 0)) < 0) {
			break;
		}
	}
	if (null >= 0) {
		close(null);
	}
	if (kp_held < TR_KEEPER_FDS) {
		int e = null < 0 ? errno : EMFILE;

		while (kp_held > 0) {
			close(kp_room[--kp_held]);
		}
		return -e;
	}
	return 0;
}

void tr_keeper_unroom(void)
{
	while (kp_held > 0) {
		close(kp_room[--kp_held]);
	}
}

int tr_keeper_fork(int sock)
{
	tr_keeper_unroom(); /* the room kept for this */

	static const int quiet[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
				     SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2 };
	void *page = mmap(NULL, sizeof(struct kp_page), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long engine = syscall(SYS_pidfd_open, getpid(), 0);
	int ch[2] = { -1, -1 };
	pid_t k = -1;

	if (page != MAP_FAILED && engine >= 0 &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ch) == 0) {
		memset(page, 0, sizeof(struct kp_page)); /* no fault at a receive */
		k = fork();
	}
	if (k == 0) {
		sigset_t none;

		setsid();
		/* not "goshimctl": a pkill of the engine must not take it */
		prctl(PR_SET_NAME, "goshim-keeper");
		for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
			signal(quiet[i], SIG_IGN);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* keep the tree's socket, our channel and the engine's pidfd,
		 * nothing else */
		const int keep[3] = { sock, ch[1], (int)engine };

		kp_keep_only(keep);
		kp_page = page;
		kp_main(sock, ch[1], (int)engine);
	}
	if (engine >= 0) {
		close((int)engine);
	}
	if (ch[1] >= 0) {
		close(ch[1]);
	}
	if (k < 0) {
		tr_dbg("no keeper: %s\n", strerror(errno));
		if (ch[0] >= 0) {
			close(ch[0]);
		}
		if (page != MAP_FAILED) {
			munmap(page, sizeof(struct kp_page));
		}
		return -1;
	}
	kp_page = page;
	kp_chan = ch[0];
	return 0;
}

int tr_keeper_take(int sock, char *tag, int *extra)
{
	int fd;

	if (kp_chan < 0) {
		return tr_recv_listener(sock, tag, extra); /* no keeper */
	}
	fd = tr_recv_listener(kp_chan, tag, extra);
	close(kp_chan);
	kp_chan = -1;
	if (*tag == 0) {
		/* the keeper ended before it received anything (it can only
		 * fail before): what the tree sends is still on sock */
		fd = tr_recv_listener(sock, tag, extra);
	}
	if (fd < 0) {
		/* nothing to keep: the keeper has gone */
		munmap(kp_page, sizeof(struct kp_page));
		kp_page = NULL;
	}
	return fd;
}
