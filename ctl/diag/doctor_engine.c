/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: goshim's own prerequisites — what `goshimctl run` and the
 * hand-over need from this kernel and this process, each tried for real
 * where it can be (in a forked child) and otherwise read:
 *   seccomp notify   a filter with a user-notification listener, and the
 *                    synchronous wake-up (Linux 6.6) that makes it fast;
 *   exit statuses    of processes reaped before the engine looked
 *                    (PIDFD_GET_INFO, Linux 6.15);
 *   ebpf watcher     possible here or not, and why (common/bpfwhy.h);
 *   ptrace           the engine seizes one thread to follow a call to its
 *                    result (execve...): Yama's ptrace_scope, a sandbox;
 *   no_new_privs     already set (setuid programs run unprivileged here,
 *                    with or without goshim), or set by goshimctl run. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfwhy.h"
#include "doctor.h"
#include "doctor_checks.h"
#include "flags.h"
#include "goshim-config.h"
#include "goshim/handover.h"
#include "pidfd_info.h"
#include "seccomp_sync.h"

/* the probe's answer when the listener works but not its fast wake-up */
#define DE_NO_SYNC 254

/* In a child: what tr_filter_load does, with a filter that allows all. */
static int de_notify(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };
	long fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		return errno;
	}
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0) {
		return errno;
	}
	return ioctl((int)fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		     (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0 ? DE_NO_SYNC : 0;
}

/* The kernel's release and the process's Seccomp and NoNewPrivs lines. */
static long de_status(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(field);
	long v = -1;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	if (f) {
		fclose(f);
	}
	return v;
}

static void de_seccomp_notify(struct gs_doc *d)
{
	int r = goshim_supervised() ? EBUSY : gs_doc_in_child(de_notify);
	struct utsname u;
	struct gs_facts f = { 0 };
	const char *name;

	if (uname(&u) < 0) {
		snprintf(u.release, sizeof(u.release), "?");
	}
	if (r == 0) {
		gs_doc_check(d, "seccomp notify", GS_CHK_OK, "available, with the synchronous "
			     "wake-up (Linux %s)", u.release);
		return;
	}
	if (r == DE_NO_SYNC) {
		gs_doc_check(d, "seccomp notify", GS_CHK_NOTE, "available, without the synchronous "
			     "wake-up (Linux %s < 6.6): each notified call is a cross-CPU round trip, "
			     "several times slower", u.release);
		return;
	}
	if (r == EBUSY) {
		gs_doc_check(d, "seccomp notify", GS_CHK_NOTE, "an outer supervisor (a goshim "
			     "engine) already listens to this process's filters: goshimctl run "
			     "here records into the outer engine's ring, not its own");
		return;
	}
	if (r == GS_DOC_NO_CHILD) {
		gs_doc_check(d, "seccomp notify", GS_CHK_SKIPPED, "could not fork a probe: %s",
			     strerror(errno));
		return;
	}
	name = r < 0 ? gs_signal_name(-r) : gs_errno_name(r);
	gs_facts_set(&f, "errno", "%s%s", r < 0 ? "killed by " : "", name ? name : "?");
	gs_facts_set(&f, "errno_desc", "%s", r < 0 ? "the probe was killed" : strerror(r));
	gs_facts_set(&f, "seccomp", "%ld", de_status("Seccomp"));
	gs_facts_set(&f, "kernel", "%s", u.release);
	gs_doc_check(d, "seccomp notify", GS_CHK_PROBLEM, "a filter with a listener cannot be "
		     "loaded: %s (Linux %s, Seccomp: %ld)", gs_facts_get(&f, "errno"), u.release,
		     de_status("Seccomp"));
	gs_doc_found(d, "seccomp notify", "unavailable", &f);
}

/* The exit status of a child doctor reaped, through its pidfd, as the
 * engine reads a process of the tree its parent reaped first: 0, or why
 * not (an errno; ENODATA: no status in the answer). */
static int de_pidfd_info(void)
{
	struct gs_pidfd_info info = { .mask = GS_PIDFD_INFO_EXIT };
	pid_t pid = fork();
	int fd, st = 0, r;

	if (pid < 0) {
		return errno;
	}
	if (pid == 0) {
		_exit(3);
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	r = fd < 0 ? errno : 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	if (fd < 0) {
		return r;
	}
	r = ioctl(fd, GS_PIDFD_GET_INFO, &info) < 0 ? errno :
	    !(info.mask & GS_PIDFD_INFO_EXIT) || info.exit_code != st ? ENODATA : 0;
	close(fd);
	return r;
}

static void de_exit_status(struct gs_doc *d)
{
	int r = de_pidfd_info();

	if (r == 0) {
		gs_doc_check(d, "exit statuses", GS_CHK_OK, "read through the pidfd even once "
			     "reaped (PIDFD_GET_INFO, Linux 6.15)");
	} else {
		gs_doc_check(d, "exit statuses", GS_CHK_NOTE, "PIDFD_GET_INFO not available (%s; "
			     "Linux 6.15): a process of the tree that its parent reaps before the "
			     "engine looks gets no EXIT record", gs_errno_name(r) ? gs_errno_name(r) : "?");
	}
}

static void de_ebpf(struct gs_doc *d)
{
#ifdef GOSHIM_EBPF_ABSENT
	gs_doc_check(d, "ebpf watcher", GS_CHK_NOTE, "not possible: not built in (check "
		     "ebpf-built)");
#else
	char why[512];

	if (gs_bpf_obstacles(why, sizeof(why)) == 0) {
		gs_doc_check(d, "ebpf watcher", GS_CHK_OK, "possible here: root or CAP_BPF with "
			     "CAP_PERFMON, kernel BTF, Linux >= 5.17");
	} else {
		gs_doc_check(d, "ebpf watcher", GS_CHK_NOTE, "not possible here (%s): %s", why,
			     GS_BPF_NOTIFY_COST);
	}
#endif
}

/* Seize a child of ours, as the engine seizes a thread of its tree:
 * 0, or the errno. */
static int de_seize(void)
{
	pid_t pid = fork();
	int r = 0, st;

	if (pid < 0) {
		return errno;
	}
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		r = errno;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return r;
}

static void de_ptrace(struct gs_doc *d)
{
	FILE *fp = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = -1, r = gs_doc_in_child(de_seize);
	struct gs_facts f = { 0 };
	char yama[64] = "no Yama";

	if (fp) {
		if (fscanf(fp, "%d", &scope) == 1) {
			snprintf(yama, sizeof(yama), "Yama ptrace_scope %d", scope);
		}
		fclose(fp);
	}
	if (r == 0) {
		gs_doc_check(d, "ptrace", GS_CHK_OK, "%s: the engine can follow calls of the tree "
			     "it starts%s", yama, scope == 1 ? " (goshimctl run); the LD_PRELOAD "
			     "hand-over's helper is no ancestor of the program's children and cannot "
			     "follow theirs" : "");
		return;
	}
	if (r == GS_DOC_NO_CHILD || r < 0) {
		gs_doc_check(d, "ptrace", GS_CHK_SKIPPED, "the probe did not run (%s)",
			     r < 0 ? "killed" : strerror(errno));
		return;
	}
	gs_facts_set(&f, "errno", "%s", gs_errno_name(r) ? gs_errno_name(r) : "?");
	gs_facts_set(&f, "errno_desc", "%s", strerror(r));
	gs_facts_set(&f, "yama", "%s", scope < 0 ? "no Yama: a sandbox refuses it (seccomp, AppArmor)" :
		     yama);
	gs_doc_check(d, "ptrace", GS_CHK_PROBLEM, "%s: seizing a child of doctor failed with %s",
		     yama, gs_facts_get(&f, "errno"));
	gs_doc_found(d, "ptrace", "refused", &f);
}

static void de_nnp(struct gs_doc *d)
{
	long nnp = de_status("NoNewPrivs");

	if (nnp == 1) {
		gs_doc_check(d, "no_new_privs", GS_CHK_NOTE, "already set (inherited): setuid, "
			     "setgid and file-capability programs (sudo, su, ping) run without their "
			     "privilege here, with or without goshim");
	} else if (geteuid() != 0) {
		gs_doc_check(d, "no_new_privs", GS_CHK_NOTE, "not set; goshimctl run sets it to load "
			     "its filter (not root): setuid, setgid and file-capability programs under "
			     "it run without their privilege (NOTE no-new-privs)");
	} else {
		gs_doc_check(d, "no_new_privs", GS_CHK_OK, "not set; goshimctl run as root leaves it "
			     "so (root without CAP_SYS_ADMIN, in a container, sets it): setuid "
			     "programs keep their privilege");
	}
}

void gs_doctor_engine(struct gs_doc *d)
{
	de_seccomp_notify(d);
	de_exit_status(d);
	de_ebpf(d);
	de_ptrace(d);
	de_nnp(d);
}
