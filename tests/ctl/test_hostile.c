/* SPDX-License-Identifier: Apache-2.0 */
/* Ring paths that somebody else controls: a FIFO, a link to a device,
 * another user's ring at the path; and a relative GOSHIM_RING.  decode
 * and report never block and say whose ring they read; `goshimctl run`
 * says once why it records nothing and still runs the command. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctltest.h"

#define NOBODY 65534

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: plays a second user (uid %d)", NOBODY);
	}
}

struct hx_run {
	int status;  /* exit code, or 128 + signal */
	char *out, *err;
};

static char *hx_slurp(FILE *f)
{
	long n;
	char *b;

	fflush(f);
	n = ftell(f);
	b = malloc((size_t)n + 1);
	cr_assert_not_null(b);
	cr_assert_eq(pread(fileno(f), b, (size_t)n, 0), n);
	b[n] = 0;
	return b;
}

/* Run argv in cwd (NULL: here) with the NULL-terminated env assignments
 * added, as uid (-1: unchanged), under a watchdog: a run that blocks is
 * killed by SIGALRM after 30 s (status 142), it does not hang the suite.
 * Address space limited to 1 GiB: a reader that slurps a device fails
 * instead of taking the machine's memory. */
static void hx(struct hx_run *r, const char *cwd, char *const env[], int uid,
	       char *const argv[])
{
	FILE *o = tmpfile(), *e = tmpfile();
	pid_t pid;
	int st;

	cr_assert(o && e);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rlimit as = { 1ul << 30, 1ul << 30 };

		dup2(fileno(o), 1);
		dup2(fileno(e), 2);
		for (size_t i = 0; env && env[i]; i++) {
			putenv(env[i]);
		}
		if ((cwd && chdir(cwd)) ||
		    (uid >= 0 && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))) {
			_exit(126);
		}
		setrlimit(RLIMIT_AS, &as);
		alarm(30);
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = hx_slurp(o);
	r->err = hx_slurp(e);
	fclose(o);
	fclose(e);
	cr_assert_neq(r->status, 142, "%s %s blocked (killed by the watchdog); stderr: %s",
		      argv[1], argv[2], r->err);
}

static void hx_free(struct hx_run *r)
{
	free(r->out);
	free(r->err);
}

static char *ctl(void)
{
	char *c = getenv("GOSHIMCTL");

	cr_assert_not_null(c, "run through meson test");
	return c;
}

/* decode and report of path: exit 2 and `msg` on stderr. */
static void refused(const char *path, const char *msg)
{
	char *dec[] = { ctl(), "decode", (char *)path, NULL };
	char *rep[] = { ctl(), "report", (char *)path, NULL };
	char want[600];
	struct hx_run r;

	snprintf(want, sizeof(want), "%s: %s", path, msg);
	hx(&r, NULL, NULL, -1, dec);
	cr_assert_eq(r.status, 2, "decode %s: exit %d: %s", path, r.status, r.err);
	cr_assert(strstr(r.err, want), "decode %s: stderr: %s", path, r.err);
	hx_free(&r);
	hx(&r, NULL, NULL, -1, rep);
	cr_assert_eq(r.status, 2, "report %s: exit %d: %s", path, r.status, r.err);
	cr_assert(strstr(r.err, want), "report %s: stderr: %s", path, r.err);
	hx_free(&r);
}

Test(hostile, fifo_at_the_ring_path_never_blocks)
{
	const char *d = ct_tmpdir();
	const char *p = ct_path(d, "goshim-0.ring");

	cr_assert_eq(mkfifo(p, 0666), 0);
	refused(p, "is a FIFO, not a ring file");
	ct_rmtree(d);
}

Test(hostile, link_to_a_device_is_refused_unread)
{
	const char *d = ct_tmpdir();
	const char *p = ct_path(d, "ring");

	cr_assert_eq(symlink("/dev/zero", p), 0);
	refused(p, "is a character device, not a ring file");
	ct_rmtree(d);
}

/* ---- another user's ring -------------------------------------------------- */

static const char *hx_dir;

/* A valid ring with one record, made by the caller's uid at path. */
static void make_ring(const char *path)
{
	struct gs_ring r;
	struct ct_rec c;

	ct_ring_new(&r, path, GOSHIM_RING_MIN_DATA);
	ct_rec_begin(&c, 1700000000000000000ull, 42, 42, "/usr/bin/planted");
	tl_payload_failed(&c, GOSHIM_CALL_openat, ENOENT, "/etc/planted");
	ct_rec_write(&c, &r, GOSHIM_REC_EVENT, GOSHIM_CODEC_RAW);
	gs_ring_detach(&r);
}

/* The squatter: uid nobody makes its ring at root's path. */
static const char *squatted_ring(void)
{
	static char p[256];
	pid_t pid;
	int st;

	hx_dir = ct_tmpdir();
	cr_assert_eq(chmod(hx_dir, 01777), 0);
	snprintf(p, sizeof(p), "%s/goshim-0.ring", hx_dir);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY)) {
			_exit(1);
		}
		make_ring(p);
		_exit(chmod(p, 0644) ? 1 : 0);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "nobody could not make its ring");
	return p;
}

#define OWNER_WARN "belongs to uid 65534"

Test(hostile, readers_say_whose_ring_it_is)
{
	need_root();
	const char *p = squatted_ring();
	char *dec[] = { ctl(), "decode", (char *)p, NULL };
	char *txt[] = { ctl(), "report", (char *)p, NULL };
	char *js[] = { ctl(), "report", "--json", (char *)p, NULL };
	char *gh[] = { ctl(), "report", "--format=github", (char *)p, NULL };
	struct hx_run r;

	hx(&r, NULL, NULL, -1, dec);
	cr_assert_eq(r.status, 0, "decode: exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "/etc/planted"), "the records are still shown: %s", r.out);
	cr_assert(strstr(r.err, OWNER_WARN), "decode: stderr: %s", r.err);
	cr_assert(strstr(r.err, "not to you (uid 0)"), "decode: stderr: %s", r.err);
	hx_free(&r);

	hx(&r, NULL, NULL, -1, txt);
	cr_assert(strstr(r.out, "warning: ") && strstr(r.out, OWNER_WARN), "report: %s", r.out);
	cr_assert(strstr(r.err, OWNER_WARN), "report: stderr: %s", r.err);
	hx_free(&r);

	hx(&r, NULL, NULL, -1, js);
	json_error_t je;
	json_t *root = json_loads(r.out, 0, &je);
	cr_assert_not_null(root, "report --json: %s: %s", je.text, r.out);
	const char *w = json_string_value(json_object_get(json_object_get(root, "ring"),
							  "owner_warning"));
	cr_assert(w && strstr(w, OWNER_WARN), "ring.owner_warning: %s", r.out);
	json_decref(root);
	hx_free(&r);

	hx(&r, NULL, NULL, -1, gh);
	cr_assert(strstr(r.out, "::warning title=goshim ring owner::") &&
		  strstr(r.out, OWNER_WARN), "report --format=github: %s", r.out);
	hx_free(&r);

	/* the same ring read by its owner: nothing to warn about */
	hx(&r, NULL, NULL, NOBODY, dec);
	cr_assert_eq(r.status, 0, "decode as its owner: exit %d: %s", r.status, r.err);
	cr_assert_null(strstr(r.err, "belongs to"), "decode as its owner: %s", r.err);
	hx_free(&r);
	ct_rmtree(hx_dir);
}

Test(hostile, run_names_the_owner_of_a_refused_ring_once)
{
	need_root();
	const char *p = squatted_ring();
	char env[300];
	char *envs[] = { env, "GOSHIM_TRACE_EBPF=0", NULL };
	char *run[] = { ctl(), "run", "--no-probe", "--", "/bin/sh", "-c", "exit 3", NULL };
	struct hx_run r;
	struct stat st;
	char *m;

	snprintf(env, sizeof(env), "GOSHIM_RING=%s", p);
	cr_assert_eq(stat(p, &st), 0);
	hx(&r, NULL, envs, -1, run);
	cr_assert_eq(r.status, 3, "the command's exit status: %d: %s", r.status, r.err);
	m = strstr(r.err, OWNER_WARN);
	cr_assert_not_null(m, "stderr: %s", r.err);
	cr_assert_null(strstr(m + 1, OWNER_WARN), "said more than once: %s", r.err);
	hx_free(&r);
	ct_rmtree(hx_dir);
}

/* ---- a relative GOSHIM_RING ------------------------------------------------- */

/* Made absolute once: the command's processes in other directories record
 * into the same ring, not each into its own. */
Test(hostile, relative_ring_becomes_absolute)
{
	const char *d = ct_tmpdir();
	char sub[256], want[300], script[600], pre[4200];
	char *run[] = { ctl(), "run", "--no-probe", "--", "/bin/sh", "-c",
			"echo \"$GOSHIM_RING\"", NULL };
	char *sh[] = { "/bin/sh", "-c", script, NULL };
	char *renv[] = { "GOSHIM_RING=rel.ring", "GOSHIM_TRACE_EBPF=0", NULL };
	char *penv[] = { "GOSHIM_RING=rel.ring", pre, NULL };
	struct hx_run r;
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/sub", d);
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(want, sizeof(want), "%s/rel.ring\n", d);

	hx(&r, d, renv, -1, run);
	cr_assert_eq(r.status, 0, "run: %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, want, "goshimctl run: the command's GOSHIM_RING");
	hx_free(&r);

	cr_assert_not_null(getenv("GOSHIM_PRELOAD"));
	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s", getenv("GOSHIM_PRELOAD"));
	snprintf(script, sizeof(script), "cd %s && cat /nonexistent-goshim-test 2>/dev/null; "
		 "echo \"$GOSHIM_RING\"", sub);
	unlink(ct_path(d, "rel.ring"));
	hx(&r, d, penv, -1, sh);
	cr_assert_str_eq(r.out, want, "under the preload: the children's GOSHIM_RING");
	cr_assert_eq(stat(ct_path(d, "rel.ring"), &st), 0, "no ring where GOSHIM_RING was set");
	cr_assert_neq(stat(ct_path(sub, "rel.ring"), &st), 0,
		      "a child in another directory made a ring of its own");
	hx_free(&r);
	ct_rmtree(d);
}

/* ---- a secure process ------------------------------------------------------ */

/* In a private mount namespace with a tmpfs on /tmp: a setuid (to nobody)
 * copy of ctl-secure-probe loads libgoshim.so with GOSHIM_RING naming a
 * ring elsewhere.  0: the default ring of its euid was used and nothing
 * was created where the environment said. */
/* Copy the open file in to a new file at path; 0 or -1. */
static int copy_to(int in, const char *path)
{
	char buf[65536];
	ssize_t n;
	int out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			return -1;
		}
	}
	return in < 0 || out < 0 || close(out) ? -1 : 0;
}

static int secure_child(const char *probe, const char *lib)
{
	char *argv[] = { "/tmp/probe", "/tmp/libgoshim.so", NULL };
	struct stat st;
	pid_t pid;
	int s;
	/* opened before /tmp is covered: the build tree may be under /tmp */
	int pin = open(probe, O_RDONLY), lin = open(lib, O_RDONLY);

	if (tl_private_tmpfs("/tmp", 0, "size=16m,mode=1777") || mkdir("/tmp/elsewhere", 01777)) {
		return 10;
	}
	if (copy_to(lin, "/tmp/libgoshim.so") < 0) {
		return 11;
	}
	if (copy_to(pin, "/tmp/probe") < 0 ||
	    chown("/tmp/probe", NOBODY, NOBODY) || chmod("/tmp/probe", 04755)) {
		return 12;
	}
	pid = fork();
	if (pid == 0) {
		setenv("GOSHIM_RING", "/tmp/elsewhere/steered.ring", 1);
		setenv("GOSHIM_RING_SIZE", "64M", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &s, 0) != pid || !WIFEXITED(s)) {
		return 13;
	}
	if (WEXITSTATUS(s)) {
		return 20 + WEXITSTATUS(s); /* 22: no AT_SECURE; 23: dlopen */
	}
	if (stat("/tmp/elsewhere/steered.ring", &st) == 0) {
		return 30; /* the environment steered a setuid program */
	}
	if (stat("/tmp/goshim-65534/goshim.ring", &st) || st.st_uid != NOBODY ||
	    st.st_size != GOSHIM_RING_HDR_SIZE + GOSHIM_RING_DEF_DATA) {
		return 31; /* not the default ring of its euid, default size */
	}
	return 0;
}

Test(hostile, secure_process_is_not_steered)
{
	need_root();
	const char *b = getenv("GOSHIM_BUILD_ROOT");
	char probe[4096];
	pid_t pid;
	int st;

	cr_assert_not_null(b, "run through meson test");
	cr_assert_not_null(getenv("GOSHIM_PRELOAD"));
	snprintf(probe, sizeof(probe), "%s/tests/ctl/ctl-secure-probe", b);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		_exit(secure_child(probe, getenv("GOSHIM_PRELOAD")));
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "the test child died");
	cr_assert_eq(WEXITSTATUS(st), 0, "secure probe: %d (30: a ring was created where "
		     "GOSHIM_RING said; 31: not the default ring)", WEXITSTATUS(st));
}
