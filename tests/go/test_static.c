/* SPDX-License-Identifier: Apache-2.0 */
/* The static goshimctl in an otherwise empty root: a directory holding
 * that one file, the official Go toolchain (static `go`, bind-mounted
 * read-only), a tiny module, /tmp, /dev/null and /proc — no libc, no
 * /etc, no rules file.  Under chroot, `goshimctl run -- go test ./...`
 * then `goshimctl report` explain a go test that fails on a noexec
 * TMPDIR; a passing run reports nothing and exits 0; doctor reads the
 * rules built into the binary. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt.h"

#define ST_GOROOT "/usr/local/go"

/* What one run inside the root gets. */
struct st_root {
	const char *dir;     /* the root */
	int noexec_tmp;      /* /tmp a noexec tmpfs (else a directory of the root) */
	int sys;             /* /sys mounted (BTF: the in-kernel watcher may load) */
};

static void st_mkdir(const char *root, const char *rel)
{
	char p[700];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	cr_assert(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
}

/* The root: the static goshimctl, mount points, the module in /mod
 * (one passing test, or one whose test binary will not start). */
static char *st_make_root(const char *tag)
{
	char *dir = tt_tmpdir(tag), p[700];
	static const char *const dirs[] = { "/usr", "/usr/local", "/usr/local/go", "/tmp",
		"/dev", "/proc", "/sys", "/mod", "/gocache", "/gopath", NULL };

	for (size_t i = 0; dirs[i]; i++) {
		st_mkdir(dir, dirs[i]);
	}
	cr_assert(chmod(dir, 0755) == 0);
	snprintf(p, sizeof(p), "%s/tmp", dir);
	cr_assert(chmod(p, 01777) == 0);
	snprintf(p, sizeof(p), "%s/dev/null", dir);
	tl_write(p, "");
	tt_sh("cp %s %s/goshimctl", tt_build("ctl/goshimctl-static"), dir);
	snprintf(p, sizeof(p), "%s/mod/go.mod", dir);
	tl_write(p, "module example.com/m\n\ngo 1.19\n");
	snprintf(p, sizeof(p), "%s/mod/m_test.go", dir);
	tl_write(p, "package m\n\nimport \"testing\"\n\n"
		 "func TestAdd(t *testing.T) {\n\tif 1+1 != 2 {\n\t\tt.Fatal(\"math\")\n\t}\n}\n");
	return dir;
}

static int st_bind(const char *src, const char *root, const char *rel, unsigned long ro)
{
	char p[700];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	if (mount(src, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
		return -1;
	}
	return ro ? mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) : 0;
}

/* The child's side: its own mount namespace, the root's mounts, chroot,
 * a bare environment; never returns. */
static void st_enter(const struct st_root *r, const char *out, char *const argv[])
{
	char p[700];
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    st_bind(ST_GOROOT, r->dir, "/usr/local/go", 1) < 0 ||
	    st_bind("/dev/null", r->dir, "/dev/null", 0) < 0 ||
	    st_bind(tt_build("tests/go/gocache"), r->dir, "/gocache", 0) < 0) {
		perror("root setup");
		_exit(200);
	}
	snprintf(p, sizeof(p), "%s/proc", r->dir);
	if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		_exit(201);
	}
	snprintf(p, sizeof(p), "%s/sys", r->dir);
	if (r->sys && mount("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL) < 0) {
		_exit(202);
	}
	snprintf(p, sizeof(p), "%s/tmp", r->dir);
	if (r->noexec_tmp && mount("tmpfs", p, "tmpfs", MS_NOEXEC | MS_NOSUID, "size=256m,mode=1777") < 0) {
		_exit(203);
	}
	if (chroot(r->dir) < 0 || chdir("/mod") < 0) {
		_exit(204);
	}
	dup2(fd, 1);
	dup2(fd, 2);
	char *env[] = { "PATH=/usr/local/go/bin", "HOME=/", "TMPDIR=/tmp", "GOCACHE=/gocache",
			"GOPATH=/gopath", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local",
			"CGO_ENABLED=0", NULL };

	execve(argv[0], argv, env);
	_exit(205);
}

/* Run argv in the root; the exit status, the output into *text. */
static int st_run(const struct st_root *r, char **text, char *const argv[])
{
	char out[700];
	int st;

	snprintf(out, sizeof(out), "%s.out", r->dir);
	fflush(NULL);
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		st_enter(r, out, argv);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	*text = gt_slurp(out);
	unlink(out);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) < 200,
		  "root setup or exec failed: status %#x: %s", st, *text);
	return WEXITSTATUS(st);
}

static void st_need(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: mounts and chroot of an empty root");
	}
	gt_need(GT_GO_OFFICIAL);
	cr_assert(access(tt_build("ctl/goshimctl-static"), X_OK) == 0,
		  "no ctl/goshimctl-static in the build");
	mkdir(tt_build("tests/go/gocache"), 0755);
}

static char *const st_go_test[] = { "/goshimctl", "run", "--ring", "/r.ring", "--",
				    "/usr/local/go/bin/go", "test", "-count=1", "./...", NULL };
static char *const st_report[] = { "/goshimctl", "report", "/r.ring", NULL };

/* `goshimctl run -- go test ./...`, then `goshimctl report`, in a root:
 * their exit statuses and what each output must say. */
struct st_case {
	const char *tag;
	int noexec_tmp, sys;
	int go_rc;
	const char *go_says;
	int report_rc;
	const char *report_says[4];
	const char *report_lacks;
};

static void st_go_test_and_report(const struct st_case *c)
{
	st_need();
	struct st_root r = { .dir = st_make_root(c->tag), .noexec_tmp = c->noexec_tmp,
			     .sys = c->sys };
	char *out;

	cr_assert_eq(st_run(&r, &out, st_go_test), c->go_rc, "go test: %s", out);
	cr_assert(strstr(out, c->go_says), "go said: %s", out);
	free(out);
	cr_assert_eq(st_run(&r, &out, st_report), c->report_rc, "report: %s", out);
	for (size_t i = 0; i < 4 && c->report_says[i]; i++) {
		cr_assert(strstr(out, c->report_says[i]), "no \"%s\" in: %s", c->report_says[i], out);
	}
	cr_assert(!c->report_lacks || !strstr(out, c->report_lacks), "%s", out);
	free(out);
	tt_sh("rm -rf %s", r.dir);
}

/* /tmp a noexec tmpfs, /sys there: the static engine loads its watcher */
Test(go_static, noexec_tmpdir_explained_in_an_empty_root, .timeout = 300)
{
	static const struct st_case c = { "static-noexec", 1, 1, 1, "permission denied", 1,
		{ ": 1 error", "error tmpdir-noexec: ", "/tmp is mounted noexec (tmpfs)",
		  "export GOTMPDIR=" }, "ebpf-watcher: not used" };

	st_go_test_and_report(&c);
}

/* no /sys: the engine notifies every call, and its NOTE says why */
Test(go_static, passing_run_in_an_empty_root, .timeout = 300)
{
	static const struct st_case c = { "static-pass", 0, 0, 0, "ok  \texample.com/m", 0,
		{ ": 0 errors, 0 warnings, 0 unclassified",
		  "engine note: ebpf-watcher: not used (no kernel BTF at /sys/kernel/btf/vmlinux" }, NULL };

	st_go_test_and_report(&c);
}

Test(go_static, doctor_reads_the_built_in_rules, .timeout = 120)
{
	st_need();
	struct st_root r = { .dir = st_make_root("static-doctor") };
	char *const argv[] = { "/goshimctl", "doctor", NULL };
	char *out;

	cr_assert_eq(st_run(&r, &out, argv), 0, "doctor: %s", out);
	cr_assert(strstr(out, "rules-file             goshim.rules built into goshimctl"), "%s", out);
	free(out);
	tt_sh("rm -rf %s", r.dir);
}
