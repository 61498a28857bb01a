/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine's side of three patterns it could not see:
 *  - a seccomp policy in force (real libseccomp filters, loaded before
 *    goshimctl run as a container runtime would) that denies clone3,
 *    personality, the i386 clock_gettime64, or KILLs memfd_create: the
 *    start-up probe names each in its "seccomp-denied:" NOTE;
 *  - fallocate ENOSPC on a real 1 MiB tmpfs: recorded with the fd's path
 *    and that filesystem's statfs;
 *  - a process that fills a 1 MiB tmpfs (its TMPDIR) with write(2) and
 *    exits 1: its EXIT record holds that tmpfs with no block left, in our
 *    mount namespace and in one the traced tree made for itself.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/magic.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "ring_read.h"
#include "tlv.h"
#include "tl_table.h"
#include "tl_seccomp.h"
#include "tl_trace.h"
#include "tt.h"

#define TP_MAX_FS 8

/* The EV_PATH + EV_STATFS pairs of one record. */
struct tp_fs {
	unsigned n;
	char path[TP_MAX_FS][TT_STR];
	struct goshim_t_statfs sf[TP_MAX_FS];
};

static void need_root(const char *why)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: %s", why);
	}
}

static void need_no_policy(void)
{
	char st[4096];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = f ? fread(st, 1, sizeof(st) - 1, f) : 0;

	if (f) {
		fclose(f);
	}
	st[n] = 0;
	const char *s = strstr(st, "\nSeccomp:");

	cr_assert(s, "no Seccomp: line in /proc/self/status");
	if (atoi(s + 9) != 0) {
		cr_skip_test("this test runs under a seccomp policy already (Seccomp: %d): "
			     "the probe's verdicts would include it", atoi(s + 9));
	}
}

/* Run goshimctl run --ring ring -- argv in a child that first loaded
 * filter (when not NULL).  Returns the wait status. */
static int run_under(void (*filter)(void), const char *ring, char *const argv[])
{
	pid_t pid = fork();
	int st;

	cr_assert(pid >= 0);
	if (pid == 0) {
		char *av[32];
		if (filter) {
			filter();
		}
		tt_run_argv(av, 32, ring, argv);
		execv(av[0], av);
		_exit(201);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	return st;
}

static const struct tt_rec *probe_note(const struct tt_ring *r)
{
	const struct tt_rec *note = NULL;

	for (size_t i = 0; i < r->n; i++) {
		if (r->recs[i].type == GOSHIM_REC_NOTE &&
		    strncmp(r->recs[i].note, "seccomp-denied:", 15) == 0) {
			cr_assert_null(note, "two probe NOTEs");
			note = &r->recs[i];
		}
	}
	if (!note) {
		tt_dump(r);
	}
	cr_assert(note, "no seccomp-denied NOTE");
	return note;
}

/* What a container runtime with an old or custom profile loads: EPERM for
 * clone3 and personality (both architectures: libseccomp adds a rule to
 * every architecture of the filter), EPERM for the i386 clock_gettime64,
 * and a KILL for memfd_create. */
static void policy(void)
{
	const struct tl_rule deny[] = {
		TL_EPERM(clone3), TL_EPERM(personality), TL_EPERM(clock_gettime64),
		{ SCMP_ACT_KILL_PROCESS, SCMP_SYS(memfd_create) },
	};

	if (tl_seccomp_load(deny, 4, 1) < 0) {
		_exit(200);
	}
}

/* Like Docker's profile for personality, which allows the query
 * (0xffffffff) and a few personas but not ADDR_NO_RANDOMIZE (0x0040000);
 * and a TRAP (SIGSYS) for statx, as some sandboxes do. */
static void policy_docker_personality(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffff, 0x0040000)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(statx), 0) ||
	    seccomp_load(ctx)) {
		_exit(200);
	}
	seccomp_release(ctx);
}

/* The policy probe's note under a filter: what it must say, and whether
 * the ring must show the filter and no EXIT record but the command's
 * (killed probes are no tracees: no EXIT record, no failure of them). */
struct note_case {
	const char *tag;
	void (*policy)(void);
	const char *note;
	int has_seccomp, no_exit;
};

static const struct note_case note_cases[] = {
	{ "probe0", NULL, "seccomp-denied: none", 1, 0 },
	{ "probe1", policy,
	  "seccomp-denied: memfd_create=KILLED personality=EPERM "
	  "personality(ADDR_NO_RANDOMIZE)=EPERM clone3=EPERM "
	  "i386:clock_gettime64=EPERM i386:clone3=EPERM", 1, 1 },
	/* the query passes, ADDR_NO_RANDOMIZE does not; the TRAP kills; a
	 * filter without the x86 architecture kills every i386 call */
	{ "probe2", policy_docker_personality,
	  "seccomp-denied: statx=KILLED personality(ADDR_NO_RANDOMIZE)=EPERM i386:*=KILLED", 0, 1 },
};

/* no_policy_says_none (probe0), names_errno_kill_and_i386_denials
 * (probe1) and argument_filter_and_trap (probe2), as rows. */
TL_TABLE_TEST(struct note_case, note_cases, trace_probe, notes)
{
	const char *dir = tl_tmpdir(c->tag);
	char ring[512];
	char *argv[] = { "/bin/true", NULL };
	struct tt_ring r;

	need_no_policy();
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	int st = run_under(c->policy, ring, argv);

	cr_assert(!(WIFEXITED(st) && WEXITSTATUS(st) == 200), "%s: could not load the policy",
		  c->tag);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %#x", c->tag, st);
	tt_load(ring, &r);
	const struct tt_rec *n = probe_note(&r);

	cr_assert_str_eq(n->note, c->note, "%s", c->tag);
	if (c->has_seccomp) {
		cr_assert(n->has_seccomp, "%s", c->tag);
	}
	if (c->no_exit) {
		/* one EXIT record: the command's own, status 0 (report reads a
		 * passed run from it); none of a killed probe */
		cr_assert_eq(tt_count(&r, GOSHIM_REC_EXIT), 1, "%s", c->tag);
		for (size_t i = 0; i < r.n; i++) {
			if (r.recs[i].type == GOSHIM_REC_EXIT) {
				cr_assert(r.recs[i].has_status && r.recs[i].status == 0, "%s: %#x",
					  c->tag, (unsigned)r.recs[i].status);
			}
		}
	}
	tt_free(&r);
	tl_rmtree(dir);
}

/* --- running out of space ------------------------------------------------- */

/* The EV_PATH + EV_STATFS pairs of the first record of type (and, for
 * EVENT, call) in ring, with its ABSPATH and errno. */
static int tp_pairs(const char *ring, uint16_t type, uint32_t call, struct tp_fs *fs,
		    char *abspath, int32_t *err)
{
	struct gs_ring_reader rd;
	int found = 0;

	memset(&rd, 0, sizeof(rd));
	memset(fs, 0, sizeof(*fs));
	cr_assert(gs_ring_load(&rd, ring) == 0, "cannot load %s", ring);
	for (size_t i = 0; i < rd.nrecs && !found; i++) {
		const struct gs_rec *g = &rd.recs[i];
		struct gs_tlv_field f;
		uint32_t c = 0;
		size_t off = 0;

		if (!g->payload || g->type != type) {
			continue;
		}
		while (gs_tlv_next(g->payload, g->raw_len, &off, &f) == 1) {
			if (f.tag == GOSHIM_T_CALL) {
				gs_tlv_get_u32(&f, &c);
			}
		}
		if (call && c != call) {
			continue;
		}
		found = 1;
		off = 0;
		while (gs_tlv_next(g->payload, g->raw_len, &off, &f) == 1) {
			size_t l = f.len < TT_STR - 1 ? f.len : TT_STR - 1;

			if (f.tag == GOSHIM_T_EV_PATH && fs->n < TP_MAX_FS) {
				memcpy(fs->path[fs->n], f.val, l);
				fs->path[fs->n][l] = 0;
			} else if (f.tag == GOSHIM_T_EV_STATFS && fs->n < TP_MAX_FS) {
				cr_assert_eq(f.len, sizeof(struct goshim_t_statfs));
				cr_assert(fs->path[fs->n][0], "EV_STATFS without EV_PATH");
				memcpy(&fs->sf[fs->n++], f.val, sizeof(struct goshim_t_statfs));
			} else if (f.tag == GOSHIM_T_ABSPATH && abspath) {
				memcpy(abspath, f.val, l);
				abspath[l] = 0;
			} else if (f.tag == GOSHIM_T_ERRNO && err) {
				gs_tlv_get_i32(&f, err);
			}
		}
	}
	gs_ring_unload(&rd);
	return found;
}

/* Index of path among fs's pairs, or -1. */
static int tp_fs_find(const struct tp_fs *fs, const char *path)
{
	for (unsigned i = 0; i < fs->n; i++) {
		if (strcmp(fs->path[i], path) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static void tp_fs_dump(const struct tp_fs *fs)
{
	for (unsigned i = 0; i < fs->n; i++) {
		fprintf(stderr, "  fs %s type %#llx bavail %llu favail %llu\n", fs->path[i],
			(unsigned long long)fs->sf[i].type, (unsigned long long)fs->sf[i].bavail,
			(unsigned long long)fs->sf[i].favail);
	}
}

/* In a child with a private mount namespace and a 1 MiB tmpfs at mnt:
 * goshimctl run --ring ring -- argv with TMPDIR=mnt (when tmpdir).
 * Returns the child's status (the command's). */
static int tmpdir_there(void *mnt)
{
	return setenv("TMPDIR", mnt, 1);
}

static int run_on_small_tmpfs(const char *mnt, const char *ring, char *const argv[],
			      int tmpdir)
{
	return tl_trace_in_tmpfs(mnt, 0, "size=1m", ring, argv, tmpdir ? tmpdir_there : NULL,
				 (void *)mnt);
}

static void fallocate_case(const char *prog, uint32_t arch)
{
	char *dir = tt_tmpdir("falloc"), ring[512], mnt[512], file[600], abs[TT_STR] = "";
	struct tp_fs fs;
	int32_t err = 0;

	need_root("mounts a 1 MiB tmpfs in a private mount namespace");
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	snprintf(file, sizeof(file), "%s/f", mnt);
	tt_sh("mkdir %s", mnt);
	char *argv[] = { (char *)tt_build(prog), "fallocate", file, NULL };
	int st = run_on_small_tmpfs(mnt, ring, argv, 0);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "tp-space: status %#x", st);
	int found = tp_pairs(ring, GOSHIM_REC_EVENT, GOSHIM_CALL_sys_fallocate, &fs, abs, &err);
	struct tt_ring r;

	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_fallocate, ENOSPC, NULL);

	if (!found || !e || strcmp(abs, file) != 0 || fs.n != 1) {
		tt_dump(&r);
		tp_fs_dump(&fs);
	}
	cr_assert(found && e, "no fallocate ENOSPC record");
	cr_assert_eq(e->arch, arch);
	cr_assert_eq(err, ENOSPC);
	cr_assert_str_eq(abs, file, "ABSPATH from the fd");
	cr_assert_eq(fs.n, 1);
	cr_assert_str_eq(fs.path[0], file);
	cr_assert_eq(fs.sf[0].type, TMPFS_MAGIC);
	/* 1 MiB: at most 256 blocks of 4 KiB, all free (nothing was written) */
	cr_assert(fs.sf[0].bavail > 0 && fs.sf[0].bavail * fs.sf[0].bsize <= (1u << 20),
		  "bavail %llu", (unsigned long long)fs.sf[0].bavail);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

Test(trace_space, fallocate_enospc_has_path_and_statfs)
{
	fallocate_case("tests/trace/tp-space", AUDIT_ARCH_X86_64);
}

Test(trace_space, fallocate_enospc_i386)
{
	fallocate_case("tests/trace/tp-space-i386", AUDIT_ARCH_I386);
}

static void check_full_exit(const char *ring, const char *mnt)
{
	struct tp_fs fs;
	int found = tp_pairs(ring, GOSHIM_REC_EXIT, 0, &fs, NULL, NULL);
	int i = tp_fs_find(&fs, mnt);

	if (!found || i < 0) {
		struct tt_ring r;

		tt_load(ring, &r);
		tt_dump(&r);
		tt_free(&r);
		tp_fs_dump(&fs);
	}
	cr_assert(found, "no EXIT record");
	cr_assert_geq(i, 0, "the EXIT record does not name %s", mnt);
	cr_assert_eq(fs.sf[i].type, TMPFS_MAGIC);
	cr_assert_eq(fs.sf[i].bavail, 0, "bavail %llu", (unsigned long long)fs.sf[i].bavail);
	/* one pair per filesystem; the cwd (the build dir) is on another */
	for (unsigned a = 0; a < fs.n; a++) {
		for (unsigned b = a + 1; b < fs.n; b++) {
			cr_assert(strcmp(fs.path[a], fs.path[b]) != 0, "%s twice", fs.path[a]);
		}
	}
	cr_assert(fs.n >= 2, "cwd's filesystem is missing");
}

Test(trace_space, exit_record_shows_full_tmpdir)
{
	char *dir = tt_tmpdir("fill"), ring[512], mnt[512];

	need_root("mounts a 1 MiB tmpfs in a private mount namespace");
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	tt_sh("mkdir %s", mnt);
	char *argv[] = { (char *)tt_build("tests/trace/tp-space"), "fill", NULL };
	int st = run_on_small_tmpfs(mnt, ring, argv, 1);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "tp-space: status %#x", st);
	check_full_exit(ring, mnt);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* The traced tree makes its own mount namespace: the tracer does not see
 * the tmpfs (here, mnt is an empty directory of the outer filesystem). */
/* tp-space fill in a mount namespace of its own (unshare -m) on a 1 MiB
 * tmpfs it mounts at dir/mnt, traced into dir/r.ring: `then` follows the
 * fill in the shell line ("%s" for dir).  Returns the wait status of the
 * traced run, dir (malloc'd), ring and mnt. */
static int fill_in_ns(const char *tag, const char *then, char **dir, char *ring, char *mnt)
{
	char cmd[2048], tail[600];

	need_root("unshare -m and mount a 1 MiB tmpfs inside the traced tree");
	*dir = tt_tmpdir(tag);
	snprintf(ring, 512, "%s/r.ring", *dir);
	snprintf(mnt, 512, "%s/mnt", *dir);
	tt_sh("mkdir %s", mnt);
	snprintf(tail, sizeof(tail), then, *dir);
	snprintf(cmd, sizeof(cmd), "mount -t tmpfs -o size=1m tmpfs %s && TMPDIR=%s %s", mnt, mnt,
		 tail);
	char *argv[] = { "/usr/bin/unshare", "-m", "--propagation", "private",
			 "/bin/sh", "-c", cmd, NULL };

	return run_under(NULL, ring, argv);
}

Test(trace_space, exit_record_resolves_in_the_tracee_namespace)
{
	char *dir, ring[512], mnt[512], then[600];

	/* sh outlives tp-space: the namespace is alive when it is reaped */
	snprintf(then, sizeof(then), "%s fill; echo $? > %%s/rc", tt_build("tests/trace/tp-space"));
	int st = fill_in_ns("fillns", then, &dir, ring, mnt);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	tt_sh("grep -qx 1 %s/rc", dir);
	check_full_exit(ring, mnt);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* The last process of a namespace dies: its mounts are detached by then,
 * and the EXIT record must not name the directory under the tmpfs as if
 * it were the filesystem that filled up. */
Test(trace_space, exit_record_of_a_dead_namespace_claims_nothing_wrong)
{
	char *dir, ring[512], mnt[512], then[600];
	struct tp_fs fs;

	snprintf(then, sizeof(then), "exec %s fill", tt_build("tests/trace/tp-space"));
	int st = fill_in_ns("fillns1", then, &dir, ring, mnt);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %#x", st);
	cr_assert(tp_pairs(ring, GOSHIM_REC_EXIT, 0, &fs, NULL, NULL), "no EXIT record");
	int i = tp_fs_find(&fs, mnt);

	if (i >= 0) {
		tp_fs_dump(&fs);
		cr_assert_eq(fs.sf[i].type, TMPFS_MAGIC, "%s named on the wrong filesystem", mnt);
		cr_assert_eq(fs.sf[i].bavail, 0);
	}
	tt_sh("rm -rf %s", dir);
	free(dir);
}
