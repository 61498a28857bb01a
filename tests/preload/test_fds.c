// SPDX-License-Identifier: Apache-2.0
/*
 * The preload takes no descriptor from its host: the descriptor table of a
 * program under libgoshim.so is the bare one, after a recorded failure,
 * whichever descriptors it was started without, and goshim never reads or
 * writes a descriptor it did not open itself.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "goshim/ring.h"
#include "harness.h"
#include "tl_suite.h"

#define FD_CLOSE_0 1u
#define FD_CLOSE_1 2u
#define FD_CLOSE_2 4u

static char fd_tmp[256];
TL_SUITE_TMPDIR(fds, fd_tmp);

/* One run of argv with nothing open above 2, the descriptors in `closed`
 * closed, optionally a RLIMIT_NOFILE and the preload (recording into
 * ring).  Its stderr (when kept open) goes to err, stdout to out (when
 * kept open and out is not NULL).  Returns the wait status. */
struct fd_run {
	unsigned closed;
	rlim_t nofile;
	const char *ring; /* NULL: bare */
	char out[4096], err[4096];
};

static void fd_read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0) {
		n += (size_t)r;
	}
	buf[n] = 0;
	close(fd);
}

static int fd_exec(struct fd_run *run, char *const argv[])
{
	int po[2], pe[2], status;

	cr_assert_eq(pipe2(po, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(pe, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close_range(3, ~0u, 0);
		if (run->closed & FD_CLOSE_0) {
			close(0);
		}
		if (run->closed & FD_CLOSE_1) {
			close(1);
		}
		if (run->closed & FD_CLOSE_2) {
			close(2);
		}
		if (run->nofile) {
			struct rlimit rl = { run->nofile, run->nofile };
			if (setrlimit(RLIMIT_NOFILE, &rl)) {
				_exit(120);
			}
		}
		unsetenv("LD_PRELOAD");
		unsetenv("GOSHIM_RING");
		if (run->ring) {
			setenv("LD_PRELOAD", fl_preload(), 1);
			setenv("GOSHIM_RING", run->ring, 1);
			setenv("GOSHIM_HANDOVER", "0", 1);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fd_read_all(po[0], run->out, sizeof(run->out));
	fd_read_all(pe[0], run->err, sizeof(run->err));
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void fd_ring(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s.ring", fd_tmp, name);
}

/* Events in ring with this errno (at least one proves the recorder ran). */
static size_t fd_events(const char *ring, int err)
{
	static struct fl_rec recs[256];
	size_t n = fl_ring_records(ring, recs, 256, NULL, NULL), hits = 0;

	for (size_t i = 0; i < n; i++) {
		hits += recs[i].type == GOSHIM_REC_EVENT && recs[i].has_err &&
			recs[i].err == err;
	}
	return hits;
}

static void fd_slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	fd_read_all(fd, buf, cap);
}

/* fdprobe list, bare and preloaded, started without `closed`: same table. */
static void fd_same_table(unsigned closed, const char *name)
{
	char probe[512], bare_out[512], pre_out[512], ring[512];
	char bare[4096], pre[4096];

	fl_built(probe, sizeof(probe), "fdprobe");
	snprintf(bare_out, sizeof(bare_out), "%s/%s.bare", fd_tmp, name);
	snprintf(pre_out, sizeof(pre_out), "%s/%s.pre", fd_tmp, name);
	fd_ring(ring, sizeof(ring), name);

	struct fd_run b = { .closed = closed }, p = { .closed = closed, .ring = ring };
	int sb = fd_exec(&b, (char *const[]){ probe, "list", bare_out, NULL });
	int sp = fd_exec(&p, (char *const[]){ probe, "list", pre_out, NULL });
	cr_assert_eq(sb, 0, "bare fdprobe: status %#x %s", sb, b.err);
	cr_assert_eq(sp, 0, "preloaded fdprobe: status %#x %s", sp, p.err);
	fd_slurp(bare_out, bare, sizeof(bare));
	fd_slurp(pre_out, pre, sizeof(pre));
	cr_expect_str_eq(pre, bare, "%s: preloaded %s, bare %s", name, pre, bare);
	cr_expect_geq(fd_events(ring, ENOENT), 1, "%s: the failed open was not recorded", name);
}

Test(fds, closed_stdin, .timeout = 60)
{
	fd_same_table(FD_CLOSE_0, "closed0");
}

Test(fds, closed_stdout, .timeout = 60)
{
	fd_same_table(FD_CLOSE_1, "closed1");
}

Test(fds, closed_stdio, .timeout = 60)
{
	fd_same_table(FD_CLOSE_0 | FD_CLOSE_1 | FD_CLOSE_2, "closed012");
}

Test(fds, all_open, .timeout = 60)
{
	fd_same_table(0, "open012");
}

/* cat started without stdin reads fd 0 and reports EBADF. */
Test(fds, cat_closed_stdin, .timeout = 60)
{
	char ring[512];

	fd_ring(ring, sizeof(ring), "cat");
	struct fd_run b = { .closed = FD_CLOSE_0 }, p = { .closed = FD_CLOSE_0, .ring = ring };
	int sb = fd_exec(&b, (char *const[]){ "cat", NULL });
	int sp = fd_exec(&p, (char *const[]){ "cat", NULL });
	cr_expect(strstr(b.err, "Bad file descriptor"), "bare cat: %s", b.err);
	cr_expect(strstr(p.err, "Bad file descriptor"), "preloaded cat: %s", p.err);
	cr_expect_str_eq(p.out, b.out);
	cr_expect_eq(sp, sb, "status: preloaded %#x, bare %#x", sp, sb);
}

/* sh started without stdin and stdout: echo fails, sh exits 1. */
Test(fds, sh_echo_closed_stdout, .timeout = 60)
{
	char ring[512];

	fd_ring(ring, sizeof(ring), "sh");
	struct fd_run b = { .closed = FD_CLOSE_0 | FD_CLOSE_1 };
	struct fd_run p = { .closed = FD_CLOSE_0 | FD_CLOSE_1, .ring = ring };
	int sb = fd_exec(&b, (char *const[]){ "sh", "-c", "echo hello", NULL });
	int sp = fd_exec(&p, (char *const[]){ "sh", "-c", "echo hello", NULL });
	cr_expect(WIFEXITED(sb) && WEXITSTATUS(sb) == 1, "bare sh: status %#x", sb);
	cr_expect(WIFEXITED(sp) && WEXITSTATUS(sp) == 1, "preloaded sh: status %#x %s", sp, p.err);
}

/* Nothing above 2, RLIMIT_NOFILE 5, exec cat FILE: cat's open gets 3. */
Test(fds, tiny_nofile_exec_cat, .timeout = 60)
{
	char ring[512], file[512];

	fd_ring(ring, sizeof(ring), "nofile");
	snprintf(file, sizeof(file), "%s/content", fd_tmp);
	FILE *f = fopen(file, "w");
	cr_assert(f);
	fputs("goshim nofile content\n", f);
	cr_assert_eq(fclose(f), 0);

	struct fd_run b = { .nofile = 5 }, p = { .nofile = 5, .ring = ring };
	int sb = fd_exec(&b, (char *const[]){ "cat", file, NULL });
	int sp = fd_exec(&p, (char *const[]){ "cat", file, NULL });
	cr_expect_eq(sb, 0, "bare cat: %#x %s", sb, b.err);
	cr_expect_eq(sp, 0, "preloaded cat: %#x %s", sp, p.err);
	cr_expect_str_eq(p.out, "goshim nofile content\n");
}

/* A pipe made after close_range(3, ~0) holds what the program put in it
 * after a failure recorded from code without unwind tables. */
Test(fds, own_pipe_untouched, .timeout = 60)
{
	char probe[512], ring[512];

	fl_built(probe, sizeof(probe), "fdprobe");
	fd_ring(ring, sizeof(ring), "pipe");
	struct fd_run b = { 0 }, p = { .ring = ring };
	int sb = fd_exec(&b, (char *const[]){ probe, "pipe", NULL });
	int sp = fd_exec(&p, (char *const[]){ probe, "pipe", NULL });
	cr_assert_eq(sb, 0, "bare fdprobe: %#x %s %s", sb, b.out, b.err);
	cr_expect_eq(sp, 0, "preloaded fdprobe: %#x %s %s", sp, p.out, p.err);
	cr_expect_str_eq(p.out, b.out);
	cr_expect_geq(fd_events(ring, ENOENT), 1, "the failed open was not recorded");
}
