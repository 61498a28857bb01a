/* SPDX-License-Identifier: Apache-2.0 */
/* Each watched call that fails in the traced program is in the ring with
 * the right call id, errno, path, architecture and evidence: for a static,
 * a dynamic and a static i386 program. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_trace.h"
#include "tt.h"

static const struct tt_rec *need(const struct tt_ring *r, uint32_t call, int err,
				 const char *sub)
{
	const struct tt_rec *e = tt_find(r, call, err, sub);

	if (!e) {
		tt_dump(r);
	}
	cr_assert(e, "no event call=%u errno=%d path~%s", call, err, sub ? sub : "");
	return e;
}

static void check_prog(const char *prog, uint32_t arch, int i386)
{
	char *argv[] = { (char *)tt_build(prog), "fail", "0", NULL };
	struct tt_ring r;
	const char *dir = tl_trace_run("calls", argv, 0, &r);
	cr_assert_eq(r.engine_mismatch, 0);

	const struct tt_rec *e = need(&r, GOSHIM_CALL_sys_openat, ENOENT, "nope/openat-missing");
	char cwd[4096], want[4200];

	cr_assert(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/nope/openat-missing", cwd);
	cr_assert_str_eq(e->abspath, want);
	cr_assert_eq(e->arch, arch);
	cr_assert_eq(e->ret, -ENOENT);
	cr_assert_eq(e->pid, e->tid);
	cr_assert_str_eq(e->ev_path, cwd, "nearest existing ancestor");
	cr_assert_eq(e->missing, 2);
	cr_assert(e->has_stat && !e->has_statfs, "ENOENT: the walk only (common/evpolicy.h)");
	cr_assert_geq(e->nframes, 1);
	cr_assert_neq(e->frame0, 0);
	cr_assert(strstr(e->exe, prog + strlen("tests/trace/")), "exe %s", e->exe);
	/* frame 0 is in the syscall stub (libc, the program, or i386's
	 * vDSO); the walk reaches the program's own code */
	cr_assert_geq(e->nframes, 2, "frames %u", e->nframes);
	cr_assert(strstr(e->modules, prog + strlen("tests/trace/")), "modules %s",
		  e->modules);

	need(&r, GOSHIM_CALL_sys_open, ENOENT, "/nonexistent-dir/open-missing");
	need(&r, i386 ? GOSHIM_CALL_sys_fstatat64 : GOSHIM_CALL_sys_newfstatat, ENOENT,
	     "/nonexistent-dir/stat-missing");
	need(&r, GOSHIM_CALL_sys_mkdirat, EEXIST, "/");
	need(&r, GOSHIM_CALL_sys_faccessat, ENOENT, "access-missing");
	need(&r, GOSHIM_CALL_sys_memfd_create, EINVAL, NULL);
	need(&r, GOSHIM_CALL_sys_clock_gettime, EINVAL, NULL);
	if (!i386) {
		need(&r, GOSHIM_CALL_sys_mmap, EEXIST, NULL);
	}

	e = need(&r, GOSHIM_CALL_sys_execve, EACCES, "/etc/passwd");
	cr_assert(e->has_elf && e->elf_kind == 3, "not an ELF: kind %u", e->elf_kind);
	cr_assert_str_eq(e->argv0, "passwd");
	cr_assert(e->has_cred);
	cr_assert(e->ev_mount[0] == '/', "mount '%s'", e->ev_mount);
	cr_assert(S_ISREG(e->stat_mode) && !(e->stat_mode & 0111));

	/* one PROCESS record for the program, with its facts */
	size_t np = 0;

	for (size_t i = 0; i < r.n; i++) {
		const struct tt_rec *p = &r.recs[i];

		if (p->type == GOSHIM_REC_PROCESS) {
			np++;
			cr_assert_str_eq(p->argv0, tt_build(prog));
			cr_assert_str_eq(p->cwd, cwd);
			cr_assert(p->has_seccomp && p->nrlimit == 4 && p->nenv >= 1);
		}
	}
	cr_assert_eq(np, 1);
	/* the probe's NOTE */
	cr_assert_geq(tt_count(&r, GOSHIM_REC_NOTE), 1);
	tt_free(&r);
	tl_rmtree(dir);
}

Test(trace_calls, dynamic)
{
	check_prog("tests/trace/tp-fail", AUDIT_ARCH_X86_64, 0);
}

Test(trace_calls, static)
{
	check_prog("tests/trace/tp-fail-static", AUDIT_ARCH_X86_64, 0);
}

Test(trace_calls, i386)
{
	check_prog("tests/trace/tp-fail-i386", AUDIT_ARCH_I386, 1);
}

/* The same failure made again and again is one record with a count. */
Test(trace_calls, aggregated)
{
	char *dir = tt_tmpdir("agg");
	char ring[512];
	char *av[] = { (char *)tt_build("tests/trace/tp-fail-static"), "repeat", "50", NULL };
	struct tt_ring r;
	size_t n = 0;

	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	cr_assert_eq(tt_trace(ring, av, NULL), 0);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (r.recs[i].type == GOSHIM_REC_EVENT &&
		    strcmp(r.recs[i].path, "repeat-missing") == 0) {
			n++;
			cr_assert_eq(r.recs[i].count, 50);
		}
	}
	cr_assert_eq(n, 1);
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

/* An ELF whose PT_INTERP does not exist: execve ENOENT although the file
 * is there; the record names the interpreter and its ENOENT. */
Test(trace_calls, missing_interpreter)
{
	const char *target = tt_build("tests/trace/tp-badinterp");
	char *av[] = { (char *)tt_build("tests/trace/tp-fail"), "exec", (char *)target, NULL };
	struct tt_ring r;
	const char *dir = tl_trace_run("interp", av, 7, &r);
	const struct tt_rec *e = need(&r, GOSHIM_CALL_sys_execve, ENOENT, "tp-badinterp");

	cr_assert_eq(e->missing, 0, "the binary itself exists");
	cr_assert(e->has_elf && e->elf_kind == 1 && e->elf_machine == 62);
	cr_assert_str_eq(e->interp, "/nonexistent/ld-goshim.so.2");
	cr_assert_eq(e->interp_err, ENOENT);
	tt_free(&r);
	tl_rmtree(dir);
}
