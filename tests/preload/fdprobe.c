/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fdprobe: what a program sees of its descriptor table after a recorded
 * failure (tests/preload/test_fds.c).
 *
 *   fdprobe list OUT   fail an open, then write the list of /proc/self/fd
 *                      (and fstat(0)'s errno) to OUT, opened afterwards
 *   fdprobe pipe       close_range(3, ~0), make a pipe, put a message in
 *                      it, fail an open from code without unwind tables,
 *                      then print whether the pipe still holds exactly
 *                      the message, and the descriptor list
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nounwind_fail(const char *path);

static void fd_list(char *buf, size_t cap)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	buf[0] = 0;
	if (!d) {
		snprintf(buf, cap, "opendir:%d", errno);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.' && n + strlen(e->d_name) + 2 < cap) {
			n += (size_t)snprintf(buf + n, cap - n, "%s ", e->d_name);
		}
	}
	closedir(d);
}

static int p_list(const char *out)
{
	char fds[4096], line[4200];
	struct stat st;

	if (open("/nonexistent/goshim-fdprobe", O_RDONLY) != -1) {
		return 2;
	}
	int e0 = fstat(0, &st) < 0 ? errno : 0;
	fd_list(fds, sizeof(fds));
	int n = snprintf(line, sizeof(line), "fds=%s fstat0=%d\n", fds, e0);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n) {
		return 3;
	}
	return close(fd) ? 3 : 0;
}

static int p_pipe(void)
{
	static const char msg[] = "goshim-fdprobe-pipe-message";
	char got[256], fds[4096];
	int p[2];

	if (close_range(3, ~0u, 0) || pipe(p)) {
		return 2;
	}
	if (write(p[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
		return 2;
	}
	if (nounwind_fail("/nonexistent/goshim-fdprobe-pipe") != -1) {
		return 2;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ssize_t n = read(p[0], got, sizeof(got));
	int same = n == (ssize_t)sizeof(msg) && memcmp(got, msg, sizeof(msg)) == 0;
	fd_list(fds, sizeof(fds));
	printf("pipe=%d,%d %s read=%zd fds=%s\n", p[0], p[1], same ? "intact" : "changed", n, fds);
	return same ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "list") == 0) {
		return p_list(argv[2]);
	}
	if (argc == 2 && strcmp(argv[1], "pipe") == 0) {
		return p_pipe();
	}
	fprintf(stderr, "usage: fdprobe list OUT | fdprobe pipe\n");
	return 2;
}
