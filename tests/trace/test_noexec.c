/* SPDX-License-Identifier: Apache-2.0 */
/* A real noexec tmpfs, mounted in a private mount namespace: an execve of
 * a binary on it fails with EACCES, and the ring says why (ST_NOEXEC).
 * Then the real thing: `go test` with TMPDIR on that mount. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "tl_trace.h"
#include "tt.h"

#define GO "/usr/local/go/bin/go"

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: mounts a noexec tmpfs in a private mount namespace");
	}
}

/* In the child, on the noexec tmpfs: a copy of a program, the output
 * into a file. */
struct noexec_prep {
	const char *copy_from, *copy_to, *out;
};

static int noexec_prep(void *arg)
{
	const struct noexec_prep *p = arg;

	if (p->copy_from) {
		char cmd[2048];

		snprintf(cmd, sizeof(cmd), "cp %s %s && chmod 755 %s", p->copy_from, p->copy_to,
			 p->copy_to);
		if (system(cmd) != 0) {
			return -1;
		}
	}
	if (p->out && !freopen(p->out, "w", stdout)) {
		return -1;
	}
	if (p->out) {
		dup2(1, 2);
	}
	return 0;
}

/* In a child: private mount namespace with a noexec tmpfs at mnt, then
 * run goshimctl run --ring ring -- argv; returns the child's status. */
static int run_on_noexec(const char *mnt, const char *ring, char *const argv[],
			 const char *copy_from, const char *copy_to, const char *out)
{
	struct noexec_prep p = { copy_from, copy_to, out };

	return tl_trace_in_tmpfs(mnt, MS_NOEXEC | MS_NOSUID, "size=256m", ring, argv, noexec_prep,
				 &p);
}

Test(trace_noexec, execve_eacces_st_noexec)
{
	need_root();
	char *dir = tt_tmpdir("noexec"), mnt[512], ring[512], bin[600];
	struct tt_ring r;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(bin, sizeof(bin), "%s/tp", mnt);
	cr_assert(mkdir(mnt, 0755) == 0);
	char *argv[] = { (char *)tt_build("tests/trace/tp-fail"), "exec", bin, NULL };
	int st = run_on_noexec(mnt, ring, argv, tt_build("tests/trace/tp-fail"), bin, NULL);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %#x", st);
	tt_load(ring, &r);
	const struct tt_rec *e = tt_find(&r, GOSHIM_CALL_sys_execve, EACCES, bin);

	if (!e) {
		tt_dump(&r);
	}
	cr_assert(e, "no execve EACCES for %s", bin);
	cr_assert(e->has_statfs && (e->statfs_flags & ST_NOEXEC), "flags %#llx",
		  (unsigned long long)e->statfs_flags);
	cr_assert_str_eq(e->ev_path, bin);
	cr_assert_eq(e->missing, 0);
	cr_assert(strstr(e->ev_mount, "tmpfs") && strstr(e->ev_mount, "noexec"),
		  "mount '%s'", e->ev_mount);
	cr_assert(e->has_elf && e->elf_kind == 1 && e->elf_class == 2 && e->elf_machine == 62);
	cr_assert(S_ISREG(e->stat_mode) && (e->stat_mode & 0111));
	tt_free(&r);
	tt_sh("rm -rf %s", dir);
	free(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* The shared GOCACHE of the Go tests: warm after the first run. */
static const char *gocache(void)
{
	return tt_build("tests/trace/gocache");
}

Test(trace_noexec, go_test_tmpdir_noexec, .timeout = 280)
{
	need_root();
	if (access(GO, X_OK) != 0) {
		cr_skip_test("%s is not installed", GO);
	}
	char *dir = tt_tmpdir("gonoexec"), mnt[512], ring[512], mod[512], f[600], out[600];
	struct tt_ring r;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	snprintf(ring, sizeof(ring), "%s/r.ring", dir);
	snprintf(mod, sizeof(mod), "%s/mod", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	cr_assert(mkdir(mnt, 0755) == 0 && mkdir(mod, 0755) == 0);
	snprintf(f, sizeof(f), "%s/go.mod", mod);
	write_file(f, "module example.com/m\n\ngo 1.21\n");
	snprintf(f, sizeof(f), "%s/m_test.go", mod);
	write_file(f, "package m\n\nimport \"testing\"\n\n"
		   "func TestAdd(t *testing.T) {\n\tif 1+1 != 2 {\n\t\tt.Fatal(\"math\")\n\t}\n}\n");
	cr_assert(chdir(mod) == 0);
	setenv("TMPDIR", mnt, 1);
	unsetenv("GOTMPDIR");
	setenv("GOCACHE", gocache(), 1);
	snprintf(f, sizeof(f), "%s/gopath", dir);
	setenv("GOPATH", f, 1);
	setenv("HOME", dir, 1);
	setenv("GOFLAGS", "-mod=mod", 1);
	setenv("CGO_ENABLED", "0", 1);
	setenv("GOTOOLCHAIN", "local", 1);
	setenv("GOPROXY", "off", 1);
	char *argv[] = { GO, "test", "-count=1", ".", NULL };
	int st = run_on_noexec(mnt, ring, argv, NULL, NULL, out);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) != 0, "go test passed on a noexec TMPDIR");
	tt_load(ring, &r);
	const struct tt_rec *e = NULL;

	for (size_t i = 0; i < r.n && !e; i++) {
		const struct tt_rec *x = &r.recs[i];
		size_t n = strlen(x->path);

		if (x->type == GOSHIM_REC_EVENT && x->call == GOSHIM_CALL_sys_execve &&
		    x->err == EACCES && strstr(x->path, "/go-build") &&
		    n > 5 && strcmp(x->path + n - 5, ".test") == 0) {
			e = x;
		}
	}
	if (!e) {
		tt_dump(&r);
		tt_sh("cat %s >&2", out);
	}
	cr_assert(e, "no execve(.../go-build.../*.test) EACCES in the ring");
	cr_assert(strncmp(e->path, mnt, strlen(mnt)) == 0, "path %s", e->path);
	cr_assert(strcmp(e->exe, GO) == 0, "from go's process, exe %s", e->exe);
	cr_assert(e->has_statfs && (e->statfs_flags & ST_NOEXEC));
	cr_assert(strstr(e->ev_mount, "noexec"), "mount '%s'", e->ev_mount);
	cr_assert_geq(e->nframes, 2, "Go frame-pointer walk gave %u frames", e->nframes);
	cr_assert(e->module0_bid_len > 0, "no build-id for %s", e->module0);
	tt_free(&r);
	cr_assert(chdir("/") == 0);
	tt_sh("rm -rf %s", dir);
	free(dir);
}
