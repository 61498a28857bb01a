/* SPDX-License-Identifier: Apache-2.0 */
#include "tl_run.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl_env.h"
#include "tl_fs.h"

/* What the child tells the parent on its close-on-exec pipe when it
 * could not get to the program: which step, and errno. */
enum tl_step { TL_SETIDS = 1, TL_EXEC };

static char *tl_vfmt(const char *fmt, va_list ap)
{
	char *s;

	cr_assert(vasprintf(&s, fmt, ap) >= 0);
	return s;
}

void tl_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int st;

	va_start(ap, fmt);
	cmd = tl_vfmt(fmt, ap);
	va_end(ap);
	fflush(NULL);
	st = system(cmd);
	cr_assert(st == 0, "command failed (status %#x): %s", st, cmd);
	free(cmd);
}

char *tl_sh_out(int *status, const char *fmt, ...)
{
	va_list ap;
	char *cmd, *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *p;

	va_start(ap, fmt);
	cmd = tl_vfmt(fmt, ap);
	va_end(ap);
	fflush(NULL);
	p = popen(cmd, "r");
	cr_assert(p, "popen: %s", cmd);
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = realloc(buf, cap);
			cr_assert(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, p);
		len += n;
	} while (n);
	buf[len] = '\0';
	*status = pclose(p);
	free(cmd);
	return buf;
}

static int tl_setids(int uid)
{
	return setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	       setresuid(uid, uid, uid) < 0 ? -1 : 0;
}

static void tl_child_fail(int ep, int step)
{
	int msg[2] = { step, errno };

	if (write(ep, msg, sizeof(msg)) < 0) {
		_exit(127);
	}
	_exit(127);
}

static void tl_child(const struct tl_cmd *c, const int in[2], int out, int err, int ep)
{
	if (c->stdin_data) {
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
	}
	if (c->capture) {
		dup2(out, 1);
		dup2(err, 2);
	}
	if (c->uid >= 0 && tl_setids(c->uid) < 0) {
		tl_child_fail(ep, TL_SETIDS);
	}
	if (c->pre) {
		c->pre();
	}
	if (c->limit_s) {
		alarm(c->limit_s);
	}
	execvp(c->argv[0], (char *const *)c->argv);
	tl_child_fail(ep, TL_EXEC);
}

static int tl_scratch(void)
{
	FILE *f = tmpfile();
	int fd;

	cr_assert_not_null(f, "tmpfile: %s", strerror(errno));
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

int tl_spawn(const struct tl_cmd *c, struct tl_res *res)
{
	int in[2] = { -1, -1 }, ep[2], msg[2] = { 0, 0 }, out = -1, err = -1;
	size_t len = c->stdin_data ? strlen(c->stdin_data) : 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (c->stdin_data) {
		cr_assert_eq(pipe(in), 0);
	}
	if (c->capture) {
		out = tl_scratch();
		err = tl_scratch();
	}
	cr_assert_eq(pipe2(ep, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(ep[0]);
		tl_child(c, in, out, err, ep[1]);
	}
	close(ep[1]);
	if (c->stdin_data) {
		close(in[0]);
		cr_assert_eq(write(in[1], c->stdin_data, len), (ssize_t)len);
		close(in[1]);
	}
	while (waitpid(pid, &res->wstatus, 0) < 0) {
		cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
	}
	res->code = WIFEXITED(res->wstatus) ? WEXITSTATUS(res->wstatus)
					    : 128 + WTERMSIG(res->wstatus);
	if (c->capture) {
		res->out = tl_slurp_fd(out, NULL);
		res->err = tl_slurp_fd(err, NULL);
		close(out);
		close(err);
	}
	if (read(ep[0], msg, sizeof(msg)) != sizeof(msg)) {
		msg[0] = 0;
	}
	close(ep[0]);
	cr_assert_neq(msg[0], TL_SETIDS, "cannot switch to uid %d: %s", c->uid, strerror(msg[1]));
	cr_assert_neq(msg[0], TL_EXEC, "cannot run %s: %s", c->argv[0], strerror(msg[1]));
	return res->code;
}

void tl_res_free(struct tl_res *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

int tl_as_nobody(int (*fn)(const char *), const char *arg)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setresgid(TL_NOBODY, TL_NOBODY, TL_NOBODY) ||
		    setresuid(TL_NOBODY, TL_NOBODY, TL_NOBODY)) {
			_exit(100);
		}
		_exit(fn(arg));
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

void tl_traced_argv(const char **av, size_t cap, const char *ring, const char *const argv[])
{
	size_t n = 0;

	av[n++] = tl_build("ctl/goshimctl");
	av[n++] = "run";
	av[n++] = "--ring";
	av[n++] = ring;
	av[n++] = "--";
	for (size_t i = 0; argv[i] && n < cap - 1; i++) {
		av[n++] = argv[i];
	}
	av[n] = NULL;
}

int tl_ebpf_expected(void)
{
	const char *v = getenv("GOSHIM_TRACE_EBPF");

	return geteuid() == 0 && !(v && strcmp(v, "0") == 0);
}
