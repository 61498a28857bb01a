/* SPDX-License-Identifier: Apache-2.0 */
/* gs_fail / gs_note_exit end to end: a private ring, read back. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "rec.h"
#include "util.h"

/* Stands in for a wrapper: the record's first frame must be our caller. */
static __attribute__((noinline)) const void *fake_open(const char *path, int err)
{
	struct gs_call c = {
		.call = GOSHIM_CALL_open, .err = err, .ret = -1,
		.present = GS_A_FLAGS, .path = path, .flags = O_RDONLY,
		.caller = __builtin_return_address(0),
	};
	errno = 4321;
	gs_fail(&c);
	cr_assert_eq(errno, 4321, "gs_fail must preserve errno");
	return c.caller;
}

Test(record, enoent_event_with_backtrace)
{
	const char *dir = rt_setup();
	char path[512];
	struct gs_ring_reader r;

	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	const void *caller = fake_open(path, ENOENT);
	rt_load(&r);

	const struct gs_rec *p = rt_find(&r, GOSHIM_REC_PROCESS, getpid(), 0);
	const struct gs_rec *e = rt_find(&r, GOSHIM_REC_EVENT, getpid(), 0);
	cr_assert_not_null(p, "PROCESS record first");
	cr_assert_not_null(e);
	cr_assert_lt(p, e, "in the reader's order (by time across lanes)");
	cr_assert_eq(p->lane, GOSHIM_LANE_PROCESS);
	cr_assert_eq(e->lane, GOSHIM_LANE_ROUTINE);
	cr_assert_eq(rt_u32(e, GOSHIM_T_CALL), GOSHIM_CALL_open);
	cr_assert_eq(rt_i32(e, GOSHIM_T_ERRNO), ENOENT);
	cr_assert_eq(rt_u32(e, GOSHIM_T_TID), (uint32_t)gettid());
	cr_assert_eq(rt_u32(e, GOSHIM_T_PPID), (uint32_t)getppid());
	cr_assert_str_eq(rt_str(e, GOSHIM_T_PATH, 0), path);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_ABSPATH, 0), path);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_PATH, 0), dir);
	cr_assert_eq(rt_u32(e, GOSHIM_T_EV_MISSING), 3);
	cr_assert_eq(rt_count(e, GOSHIM_T_EV_MOUNT), 0, "no mount line for ENOENT");

	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	cr_assert_gt(n, 0);
	exe[n] = 0;
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EXE, 0), exe);

	/* backtrace starts at the wrapper's caller; the test binary's
	 * module is there with its build-id */
	cr_assert_eq(rt_u64(e, GOSHIM_T_FRAME), (uint64_t)(uintptr_t)caller);
	cr_assert_geq(rt_count(e, GOSHIM_T_FRAME), 3);
	int found = 0;
	for (unsigned i = 0; i < rt_count(e, GOSHIM_T_MODULE); i++) {
		struct gs_tlv_field f;
		rt_field(e, GOSHIM_T_MODULE, i, &f);
		const struct goshim_t_module *m = (const void *)f.val;
		size_t plen = f.len - sizeof(*m);
		if (plen == strlen(exe) && !memcmp(m + 1, exe, plen)) {
			found = 1;
			cr_assert_eq(m->build_id_len, 20, "gcc emits a sha1 build-id");
			cr_assert(m->start <= (uintptr_t)caller && (uintptr_t)caller < m->end);
		}
	}
	cr_assert(found, "module of the test binary");

	/* process facts */
	struct gs_tlv_field f;
	cr_assert(rt_field(p, GOSHIM_T_SECCOMP, 0, &f));
	const struct goshim_t_seccomp *sc = (const void *)f.val;
	cr_assert_geq(sc->mode, 0, "Seccomp: parsed");
	cr_assert_geq(sc->tracer_pid, 0, "TracerPid: parsed");
	cr_assert_eq(rt_count(p, GOSHIM_T_RLIMIT), 4);
	cr_assert_geq(rt_count(p, GOSHIM_T_ARGV), 1);
	cr_assert(strstr(rt_str(p, GOSHIM_T_UNAME, 0), "Linux ") == rt_str(p, GOSHIM_T_UNAME, 0) ||
		  !strncmp(rt_str(p, GOSHIM_T_UNAME, 0), "Linux ", 6));
	char cwd[4096];
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_str_eq(rt_str(p, GOSHIM_T_CWD, 0), cwd);
	int ring_env = 0;
	for (unsigned i = 0; i < rt_count(p, GOSHIM_T_ENV); i++) {
		ring_env |= !strncmp(rt_str(p, GOSHIM_T_ENV, i), "GOSHIM_RING=", 12);
	}
	cr_assert(ring_env, "GOSHIM_RING is in the process environment");
	gs_ring_unload(&r);
}

/* Stands in for libc's mmap: one call site for every mapping (the
 * compiler may call this from several places). */
static __attribute__((noinline)) void fake_mmap(uint64_t length, uint64_t flags)
{
	struct gs_call c = {
		.call = GOSHIM_CALL_mmap, .err = ENOMEM, .ret = -1,
		.present = GS_A_MMAP | GS_A_FD | GS_A_FLAGS, .fd = -1, .length = length,
		.flags = flags, .caller = (const void *)fake_mmap,
	};
	gs_fail(&c);
}

/* Go 1.26 under ulimit -v: a 512 MiB arena reservation fails, then 20
 * thread stacks (8 MiB, MAP_STACK), all ENOMEM from one libc mmap: two
 * records (the arena's, the stacks' counted 20), not one counted 21
 * with only the arena's length.  The same length and flags again fold. */
Test(record, mmap_repeats_keep_their_class_apart)
{
	struct gs_ring_reader r;

	rt_setup();
	for (int i = 0; i < 21; i++) {
		fake_mmap(i ? 8ull << 20 : 512ull << 20,
			  MAP_PRIVATE | MAP_ANONYMOUS | (i ? MAP_STACK : MAP_NORESERVE));
	}
	rt_load(&r);
	const struct gs_rec *e = rt_find(&r, GOSHIM_REC_EVENT, 0, 0);
	const struct gs_rec *e2 = rt_find(&r, GOSHIM_REC_EVENT, 0, 1);
	cr_assert_not_null(e);
	cr_assert_not_null(e2, "the stacks folded into the arena's record");
	cr_assert_eq(rt_u64(e, GOSHIM_T_LENGTH), 512ull << 20);
	cr_assert_eq(e->count, 1);
	cr_assert_eq(rt_u64(e2, GOSHIM_T_LENGTH), 8ull << 20);
	cr_assert_eq(e2->count, 20);
	cr_assert_null(rt_find(&r, GOSHIM_REC_EVENT, 0, 2));
	gs_ring_unload(&r);
}

Test(record, repeats_are_aggregated)
{
	char path[512];
	struct gs_ring_reader r;

	rt_setup_file("missing", path, sizeof(path));
	for (int i = 0; i < 5; i++) {
		fake_open(path, ENOENT); /* same call site, same failure */
	}
	fake_open(path, EACCES); /* another errno: a new record */
	rt_load(&r);
	const struct gs_rec *e = rt_find(&r, GOSHIM_REC_EVENT, 0, 0);
	cr_assert_not_null(e);
	cr_assert_eq(e->count, 5);
	const struct gs_rec *e2 = rt_find(&r, GOSHIM_REC_EVENT, 0, 1);
	cr_assert_not_null(e2);
	cr_assert_eq(rt_i32(e2, GOSHIM_T_ERRNO), EACCES);
	cr_assert_eq(e2->count, 1);
	cr_assert_null(rt_find(&r, GOSHIM_REC_EVENT, 0, 2));
	cr_assert_eq(r.hdr.aggregated, 4);
	/* EACCES: statfs, mount line and credentials are gathered */
	cr_assert_eq(rt_count(e2, GOSHIM_T_EV_STATFS), 1);
	cr_assert_eq(rt_count(e2, GOSHIM_T_EV_CRED), 1);
	cr_assert_eq(rt_count(e2, GOSHIM_T_EV_MOUNT), 1);
	gs_ring_unload(&r);
}

Test(record, nested_and_busy_are_not_recorded)
{
	const char *dir = rt_setup();
	static struct gs_slot *held[GS_SLOTS_MAX + 1];
	unsigned n = 0;
	struct gs_ring_reader r;

	gs_rec_nest++;
	fake_open(dir, ENOENT);
	gs_rec_nest--;
	while (n < GS_SLOTS_MAX + 1 && (held[n] = gs_slot_claim())) {
		n++;
	}
	cr_assert_eq(n, GS_SLOTS_MAX, "the pool grows to its bound, and no further: %u", n);
	fake_open("/nonexistent-busy", ENOENT);
	for (unsigned i = 0; i < n; i++) {
		gs_slot_release(held[i]);
	}
	rt_load(&r);
	cr_assert_null(rt_find(&r, GOSHIM_REC_EVENT, 0, 0));
	cr_assert_eq(r.hdr.dropped, 1, "a busy pool drops and counts");
	gs_ring_unload(&r);
}

Test(record, fork_and_vfork_children)
{
	rt_setup();
	struct gs_ring_reader r;
	int st;

	fake_open("/nonexistent-parent", ENOENT);
	pid_t c = fork();
	if (c == 0) {
		fake_open("/nonexistent-parent", ENOENT); /* same key, other pid */
		_exit(0);
	}
	cr_assert_eq(waitpid(c, &st, 0), c);
	pid_t v = vfork();
	if (v == 0) {
		struct gs_call call = {
			.call = GOSHIM_CALL_execve, .err = ENOENT, .ret = -1,
			.present = GS_A_EXEC, .path = "/nonexistent-vfork",
			.caller = __builtin_return_address(0),
		};
		gs_fail(&call);
		_exit(0);
	}
	cr_assert_eq(waitpid(v, &st, 0), v);
	gs_note_exit(v, st);
	fake_open("/nonexistent-parent-2", ENOENT);
	rt_load(&r);
	cr_assert_not_null(rt_find(&r, GOSHIM_REC_PROCESS, c, 0), "fork child's PROCESS");
	cr_assert_not_null(rt_find(&r, GOSHIM_REC_EVENT, c, 0), "fork child's EVENT");
	const struct gs_rec *ve = rt_find(&r, GOSHIM_REC_EVENT, v, 0);
	cr_assert_not_null(ve, "vfork child's EVENT");
	cr_assert_str_eq(rt_str(ve, GOSHIM_T_PATH, 0), "/nonexistent-vfork");
	cr_assert_eq(rt_u32(ve, GOSHIM_T_TID), (uint32_t)v, "tid cache refreshed in the vfork child");
	cr_assert_null(rt_find(&r, GOSHIM_REC_PROCESS, getpid(), 1),
		       "one PROCESS record for the parent despite the vfork child");
	const struct gs_rec *pe = rt_find(&r, GOSHIM_REC_EVENT, getpid(), 1);
	cr_assert_not_null(pe);
	cr_assert_eq(rt_u32(pe, GOSHIM_T_TID), (uint32_t)gettid());
	const struct gs_rec *x = rt_find(&r, GOSHIM_REC_EXIT, getpid(), 0);
	cr_assert_not_null(x);
	cr_assert_eq(rt_u32(x, GOSHIM_T_CHILD), (uint32_t)v);
	cr_assert_eq(rt_i32(x, GOSHIM_T_STATUS), st);
	gs_ring_unload(&r);
}

/* An attach in progress when the process forks belongs to a thread the
 * child does not have: the child finds the recorder armed and records
 * its own first failure (it neither waits for nor drops it). */
Test(record, fork_during_an_attach)
{
	rt_setup();
	struct gs_ring_reader r;
	int st;

	cr_assert_eq(gs_rec.state, GS_REC_ARMED);
	gs_rec.state = GS_REC_BUSY; /* another thread of ours is attaching */
	pid_t c = fork();
	if (c == 0) {
		fake_open("/nonexistent-fork-child", ENOENT);
		_exit(gs_rec.state == GS_REC_ON ? 0 : 1);
	}
	cr_assert_eq(waitpid(c, &st, 0), c);
	cr_assert_eq(st, 0, "the child attached");
	rt_load(&r);
	cr_assert_not_null(rt_find(&r, GOSHIM_REC_EVENT, c, 0), "fork child's EVENT");
	cr_assert_eq(r.hdr.dropped, 0);
	gs_ring_unload(&r);
}

/* An attach that never finishes (its vfork child was killed) turns
 * recording off after one wait: later failures do not wait. */
Test(record, attach_never_finished_turns_off)
{
	rt_setup();
	gs_rec.state = GS_REC_BUSY;
	fake_open("/nonexistent-waits", ENOENT);
	cr_assert_eq(gs_rec.state, GS_REC_OFF);
}

Test(record, fd_based_call)
{
	char path[512];
	struct gs_ring_reader r;

	rt_setup_file("file", path, sizeof(path));
	int fd = open(path, O_CREAT | O_RDWR, 0640);
	cr_assert_geq(fd, 0);
	struct gs_call c = {
		.call = GOSHIM_CALL_mmap, .err = EACCES, .ret = -1,
		.present = GS_A_MMAP, .fd = fd, .length = 4096, .prot = 4,
		.caller = __builtin_return_address(0),
	};
	gs_fail(&c);
	rt_load(&r);
	const struct gs_rec *e = rt_find(&r, GOSHIM_REC_EVENT, 0, 0);
	cr_assert_not_null(e);
	cr_assert_eq(rt_i32(e, GOSHIM_T_FD), fd);
	cr_assert_eq(rt_u64(e, GOSHIM_T_LENGTH), 4096);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_ABSPATH, 0), path);
	struct gs_tlv_field f;
	cr_assert(rt_field(e, GOSHIM_T_EV_STAT, 0, &f));
	const struct goshim_t_stat *st = (const void *)f.val;
	cr_assert_eq(st->mode & 07777, 0640);
	cr_assert_eq(rt_u32(e, GOSHIM_T_EV_MISSING), 0);
	close(fd);
	gs_ring_unload(&r);
}

Test(record, disabled_records_nothing)
{
	setenv("GOSHIM_DISABLE", "1", 1);
	const char *dir = rt_setup();
	char ring[512];
	struct stat st;

	fake_open("/nonexistent", ENOENT);
	snprintf(ring, sizeof(ring), "%s/ring", dir);
	cr_assert_eq(stat(ring, &st), -1, "no ring is even created");
}

Test(record, unwritable_ring_stays_off)
{
	setenv("GOSHIM_RING", "/proc/goshim-no-such-dir/ring", 1);
	gs_setup();
	cr_assert_eq(gs_rec.state, GS_REC_ARMED);
	fake_open("/nonexistent", ENOENT); /* must not crash */
	cr_assert_eq(gs_rec.state, GS_REC_OFF, "the first failure found no ring: off for good");
}

static void on_usr1(int sig)
{
	(void)sig;
	fake_open("/nonexistent-in-handler", EACCES);
}

Test(record, signal_handler_on_small_altstack)
{
	rt_setup();
	struct gs_ring_reader r;
	long sz = sysconf(_SC_SIGSTKSZ);
	stack_t ss = { .ss_size = (size_t)(sz > 0 ? sz : SIGSTKSZ) };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };

	ss.ss_sp = malloc(ss.ss_size);
	cr_assert_not_null(ss.ss_sp);
	cr_assert_eq(sigaltstack(&ss, NULL), 0, "%m");
	cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	cr_assert_eq(raise(SIGUSR1), 0);
	rt_load(&r);
	const struct gs_rec *e = rt_find(&r, GOSHIM_REC_EVENT, 0, 0);
	cr_assert_not_null(e, "recorded from a handler on a %zu-byte altstack", ss.ss_size);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_PATH, 0), "/nonexistent-in-handler");
	cr_assert_gt(rt_count(e, GOSHIM_T_FRAME), 1, "unwound through the signal frame");
	gs_ring_unload(&r);
}

/* The module settings are recorded, and a proxy URL's credentials are
 * not: userinfo is replaced, in every URL of a list. */
Test(record, proxy_credentials_are_redacted)
{
	struct gs_ring_reader r;
	char path[512];
	static const struct {
		const char *set, *want;
	} env[] = {
		{ "GOPROXY=https://ci:s3cret@proxy.corp/go,https://tok@p2|direct",
		  "GOPROXY=https://***@proxy.corp/go,https://***@p2|direct" },
		{ "HTTPS_PROXY=http://u:pw@127.0.0.1:3128", "HTTPS_PROXY=http://***@127.0.0.1:3128" },
		{ "GOSUMDB=sum.golang.org https://a:b@sum.corp", "GOSUMDB=sum.golang.org https://***@sum.corp" },
		{ "GOPRIVATE=corp.example/*", "GOPRIVATE=corp.example/*" },
		{ "GONOSUMDB=corp.example", "GONOSUMDB=corp.example" },
		{ "GOTOOLCHAIN=local", "GOTOOLCHAIN=local" },
		{ "NO_PROXY=localhost,127.0.0.1", "NO_PROXY=localhost,127.0.0.1" },
	};

	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		cr_assert_eq(putenv((char *)env[i].set), 0);
	}
	rt_setup_file("missing", path, sizeof(path));
	fake_open(path, ENOENT);
	rt_load(&r);
	const struct gs_rec *p = rt_find(&r, GOSHIM_REC_PROCESS, getpid(), 0);
	cr_assert_not_null(p);
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		int found = 0;
		for (unsigned k = 0; k < rt_count(p, GOSHIM_T_ENV); k++) {
			const char *v = rt_str(p, GOSHIM_T_ENV, k);
			cr_assert_null(strstr(v, "s3cret"), "%s", v);
			found |= strcmp(v, env[i].want) == 0;
		}
		cr_assert(found, "%s recorded as %s", env[i].set, env[i].want);
	}
	gs_ring_unload(&r);
}
