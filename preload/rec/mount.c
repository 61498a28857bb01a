/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mount that holds a path: the longest mount point in
 * /proc/self/mountinfo that is a prefix of it (the last one on ties, it
 * is mounted on top).  Read with raw open/read in chunks: no stdio.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>

#include "sys.h"

#define MI_FIELDS 12

/* Does the mountinfo-escaped mount point mp (length n) contain path?
 * Returns the unescaped length, or -1. */
static long mi_match(const char *mp, size_t n, const char *path)
{
	size_t i = 0, k = 0;

	while (i < n) {
		char c = mp[i];
		if (c == '\\' && i + 3 < n && mp[i + 1] >= '0' && mp[i + 1] <= '3') {
			c = (char)((mp[i + 1] - '0') * 64 + (mp[i + 2] - '0') * 8 + (mp[i + 3] - '0'));
			i += 4;
		} else {
			i++;
		}
		if (path[k] != c) {
			return -1;
		}
		k++;
	}
	if (k == 1 || path[k] == 0 || path[k] == '/') {
		return (long)k;
	}
	return -1;
}

/* Split line (NUL-terminated, no newline) at spaces. */
static int mi_split(char *line, char **f, size_t *len)
{
	int n = 0;

	while (*line && n < MI_FIELDS) {
		f[n] = line;
		while (*line && *line != ' ') {
			line++;
		}
		len[n] = (size_t)(line - f[n]);
		n++;
		while (*line == ' ') {
			line++;
		}
	}
	return n;
}

/* "mountpoint fstype options" into out. */
static void mi_format(char **f, size_t *len, int sep, char *out, size_t cap)
{
	const int idx[3] = { 4, sep + 1, 5 };
	size_t o = 0;

	for (int i = 0; i < 3; i++) {
		for (size_t j = 0; j < len[idx[i]] && o + 1 < cap; j++) {
			out[o++] = f[idx[i]][j];
		}
		if (i < 2 && o + 1 < cap) {
			out[o++] = ' ';
		}
	}
	out[o] = 0;
}

/* Consider one line; update *best and out when it is a longer match. */
static void mi_line(char *line, const char *path, long *best, char *out, size_t cap)
{
	char *f[MI_FIELDS];
	size_t len[MI_FIELDS];
	int n = mi_split(line, f, len);
	int sep = 6;

	while (sep < n && !(len[sep] == 1 && f[sep][0] == '-')) {
		sep++;
	}
	if (n < 6 || sep + 1 >= n) {
		return;
	}
	long m = mi_match(f[4], len[4], path);
	if (m >= 0 && m >= *best) {
		*best = m;
		mi_format(f, len, sep, out, cap);
	}
}

long gs_mount_of(const char *path, char *out, size_t cap, char *work, size_t work_cap)
{
	long fd = gs_sys4(SYS_openat, AT_FDCWD, "/proc/self/mountinfo", O_RDONLY | O_CLOEXEC, 0);
	long best = -1;
	size_t have = 0;
	int skipping = 0;

	if (fd < 0) {
		return -1;
	}
	out[0] = 0;
	for (;;) {
		long r = gs_sys3(SYS_read, fd, work + have, work_cap - 1 - have);
		if (r == -EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		have += (size_t)r;
		size_t start = 0;
		for (size_t i = 0; i < have; i++) {
			if (work[i] != '\n') {
				continue;
			}
			work[i] = 0;
			if (!skipping) {
				mi_line(work + start, path, &best, out, cap);
			}
			skipping = 0;
			start = i + 1;
		}
		if (start == 0 && have == work_cap - 1) {
			skipping = 1; /* a line longer than the buffer */
			have = 0;
			continue;
		}
		for (size_t i = start; i < have; i++) {
			work[i - start] = work[i];
		}
		have -= start;
	}
	gs_sys1(SYS_close, fd);
	return best >= 0 ? (long)gs_strlen(out) : -1;
}
