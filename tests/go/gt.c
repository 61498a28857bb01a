/* SPDX-License-Identifier: Apache-2.0 */
#include "gt.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
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

void gt_need(const char *go)
{
	/* fail, not skip: these tests are the point of the suite */
	cr_assert(geteuid() == 0, "the go suite needs root (noexec tmpfs mounts, setuid "
		  "files); run it as root");
	cr_assert(access(go, X_OK) == 0, "%s is not installed", go);
}

char *gt_workdir(const char *tag)
{
	char *dir = tt_tmpdir(tag), p[600];

	snprintf(p, sizeof(p), "%s/mnt", dir);
	cr_assert(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/mod", dir);
	cr_assert(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/mod/go.mod", dir);
	tl_write(p, "module example.com/m\n\ngo 1.19\n");
	snprintf(p, sizeof(p), "%s/mod/m_test.go", dir);
	tl_write(p, "package m\n\nimport \"testing\"\n\n"
		 "func TestAdd(t *testing.T) {\n\tif 1+1 != 2 {\n\t\tt.Fatal(\"math\")\n\t}\n}\n");
	setenv("GOCACHE", tt_build("tests/go/gocache"), 1);
	snprintf(p, sizeof(p), "%s/gopath", dir);
	setenv("GOPATH", p, 1);
	setenv("GOFLAGS", "-mod=mod", 1);
	setenv("GOPROXY", "off", 1);
	setenv("GOTOOLCHAIN", "local", 1);
	setenv("CGO_ENABLED", "0", 1);
	unsetenv("GOTMPDIR");
	unsetenv("LD_PRELOAD");
	unsetenv("GOSHIM_RING");
	return dir;
}

int gt_run_noexec(const char *dir, char *const argv[], char *const env[], pid_t *pidp)
{
	char mnt[600], mod[600], out[600];
	pid_t pid;
	int st;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	snprintf(mod, sizeof(mod), "%s/mod", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fd;

		if (tl_private_tmpfs(mnt, MS_NOEXEC | MS_NOSUID, "size=256m") < 0) {
			perror("noexec mount");
			_exit(200);
		}
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || chdir(mod) < 0) {
			_exit(201);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("TMPDIR", mnt, 1);
		for (size_t i = 0; env && env[i]; i++) {
			putenv(env[i]);
		}
		execvp(argv[0], argv);
		_exit(202);
	}
	if (pidp) {
		*pidp = pid;
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	cr_assert(!WIFEXITED(st) || WEXITSTATUS(st) < 200,
		  "namespace setup or exec failed: %d", WEXITSTATUS(st));
	return st;
}

static int gt_is_test_exec(const struct tt_rec *x)
{
	size_t n = strlen(x->path);

	return x->type == GOSHIM_REC_EVENT && x->call == GOSHIM_CALL_sys_execve &&
	       x->err == EACCES && strstr(x->path, "/go-build") && n > 5 &&
	       strcmp(x->path + n - 5, ".test") == 0;
}

/* The decoded text of the event's record must name Go functions. */
static void gt_check_names(const char *dir, const char *ring)
{
	char cmd[2048], txt[600];

	snprintf(txt, sizeof(txt), "%s/decoded.txt", dir);
	snprintf(cmd, sizeof(cmd), "%s decode %s > %s", tt_build("ctl/goshimctl"), ring, txt);
	tt_sh("%s", cmd);
	char *all = gt_slurp(txt), *p = all, *rec = NULL;

	/* the record block holding the failed execve of the test binary */
	while ((p = strstr(p, "execve("))) {
		char *eol = strchr(p, '\n');

		if (eol && memmem(p, (size_t)(eol - p), ".test\"", 6) &&
		    memmem(p, (size_t)(eol - p), "EACCES", 6)) {
			rec = p;
			break;
		}
		p = eol ? eol : p + 1;
	}
	cr_assert(rec, "decode shows no execve(...test) EACCES");
	char *end = strstr(rec, "\n#");

	if (end) {
		*end = 0;
	}
	if (!strstr(rec, "os/exec.") || !strstr(rec, "cmd/go/")) {
		fprintf(stderr, "%s\n", rec);
	}
	cr_assert(strstr(rec, "os/exec."), "no os/exec frame named in the backtrace");
	cr_assert(strstr(rec, "cmd/go/"), "no cmd/go frame named in the backtrace");
	free(all);
}

unsigned gt_check_noexec_exec(const char *dir, const char *ring, const char *exe)
{
	char mnt[600];
	struct tt_ring r;
	const struct tt_rec *e = NULL;
	unsigned n = 0;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	tt_load(ring, &r);
	for (size_t i = 0; i < r.n; i++) {
		if (gt_is_test_exec(&r.recs[i])) {
			e = e ? e : &r.recs[i];
			n += r.recs[i].count ? r.recs[i].count : 1;
		}
	}
	if (!e) {
		tt_dump(&r);
		tt_sh("cat %s/out.txt >&2", dir);
	}
	cr_assert(e, "no execve(.../go-build.../*.test) EACCES in the ring");
	cr_assert(strncmp(e->path, mnt, strlen(mnt)) == 0, "path %s", e->path);
	if (exe) {
		cr_assert_str_eq(e->exe, exe);
	}
	cr_assert(e->has_statfs && (e->statfs_flags & ST_NOEXEC), "no ST_NOEXEC evidence");
	cr_assert(strstr(e->ev_mount, "noexec"), "mount '%s'", e->ev_mount);
	cr_assert_geq(e->nframes, 2, "%u frames", e->nframes);
	cr_assert_geq(e->nmodules, 1, "no module");
	tt_free(&r);
	gt_check_names(dir, ring);
	return n;
}

const char *gt_build_prog(const char *dir)
{
	static char out[600];

	snprintf(out, sizeof(out), "%s/prog", dir);
	tt_sh("cd %s/tests/go/prog && GOFLAGS=-mod=mod %s build -o %s . >&2",
	      getenv("GOSHIM_SOURCE_ROOT"), GT_GO_OFFICIAL, out);
	return out;
}
