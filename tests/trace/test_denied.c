/* SPDX-License-Identifier: Apache-2.0 */
/* A seccomp policy already in force (as a container runtime would load)
 * that returns EPERM for memfd_create and faccessat2 outranks the
 * engine's RET_TRACE: the engine never sees those calls, but its probe
 * names them in a NOTE. */
#include <criterion/criterion.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_seccomp.h"
#include "tt.h"

Test(trace_denied, probe_names_denied_calls)
{
	char *dir = tt_tmpdir("denied"), ring[512];
	const char *drv = tt_build("ctl/goshimctl");
	const char *prog = tt_build("tests/trace/tp-fail");
	struct tt_ring r;
	int st;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		const struct tl_rule deny[] = { TL_EPERM(memfd_create), TL_EPERM(faccessat2) };

		if (tl_seccomp_load(deny, 2, 0) < 0) {
			_exit(200);
		}
		execl(drv, "goshimctl", "run", "--ring", ring, "--", prog, "fail", "0",
		      (char *)NULL);
		_exit(201);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_load(ring, &r);
	const struct tt_rec *note = NULL;

	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_NOTE &&
		    strncmp(r.recs[i].note, "seccomp-denied:", 15) == 0) {
			note = &r.recs[i];
		}
	}
	if (!note) {
		tt_dump(&r);
	}
	cr_assert(note, "no seccomp-denied NOTE");
	cr_assert(strstr(note->note, "memfd_create=EPERM"), "%s", note->note);
	cr_assert(strstr(note->note, "faccessat2=EPERM"), "%s", note->note);
	cr_assert(!strstr(note->note, "openat="), "%s", note->note);
	cr_assert(note->has_seccomp);
	/* the policy's EPERM outranks the notification: a notified call is
	 * never seen; the watcher sees its result, EPERM, at the call's exit
	 * (it loads under this policy: its kernel types are read without a
	 * faccessat2) */
	const struct tt_rec *memfd = tt_find(&r, GOSHIM_CALL_sys_memfd_create, -1, NULL);

	if (tt_ebpf_expected()) {
		cr_assert(memfd && memfd->err == EPERM, "memfd_create not seen failing EPERM");
	} else {
		cr_assert_null(memfd);
	}
	/* while other calls still are */
	cr_assert(tt_find(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing"));
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}
