/* SPDX-License-Identifier: Apache-2.0 */
/* Making a path argument absolute, lexically (no symlink resolution). */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>

#include "sys.h"

void gs_fd_link(int fd, char *out)
{
	size_t n = gs_strlcpy(out, "/proc/self/fd/", 32);

	if (fd < 0) {
		out[n++] = '-';
		fd = -fd;
	}
	gs_utoa((uint64_t)fd, out + n);
}

long gs_fd_path(int fd, char *out, size_t cap)
{
	char link[32];

	gs_fd_link(fd, link);
	long n = gs_sys4(SYS_readlinkat, AT_FDCWD, link, out, cap - 1);
	if (n < 0) {
		out[0] = 0;
		return n;
	}
	if ((size_t)n >= cap - 1) {
		out[0] = 0;
		return -ENAMETOOLONG;
	}
	out[n] = 0;
	return n;
}

/* Append component c (length n) to out (length *len), folding "." and
 * "..".  -ENAMETOOLONG when it does not fit. */
static int pa_push(char *out, size_t *len, size_t cap, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.')) {
		return 0;
	}
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 1 && out[*len - 1] != '/') {
			(*len)--;
		}
		if (*len > 1) {
			(*len)--;
		}
		out[*len] = 0;
		return 0;
	}
	if (*len + (*len > 1) + n + 1 > cap) {
		return -ENAMETOOLONG;
	}
	if (*len > 1) {
		out[(*len)++] = '/';
	}
	for (size_t i = 0; i < n; i++) {
		out[(*len)++] = c[i];
	}
	out[*len] = 0;
	return 0;
}

/* Fold the components of p onto out. */
static int pa_join(char *out, size_t *len, size_t cap, const char *p)
{
	while (*p) {
		const char *c = p;
		while (*p && *p != '/') {
			p++;
		}
		int rc = pa_push(out, len, cap, c, (size_t)(p - c));
		if (rc) {
			return rc;
		}
		while (*p == '/') {
			p++;
		}
	}
	return 0;
}

int gs_abspath(char *out, size_t cap, int use_dirfd, int dirfd, const char *path)
{
	char *base = out + cap / 2; /* upper half holds the base */
	size_t half = cap - cap / 2;
	size_t len = 1;
	long rc;

	out[0] = '/';
	out[1] = 0;
	if (path[0] == '/') {
		return pa_join(out, &len, cap / 2, path);
	}
	if (use_dirfd && dirfd != AT_FDCWD) {
		rc = gs_fd_path(dirfd, base, half);
	} else {
		rc = gs_sys2(SYS_getcwd, base, half);
	}
	if (rc < 0) {
		out[0] = 0;
		return (int)rc;
	}
	if (base[0] != '/') {
		out[0] = 0;
		return -ENOENT; /* "(unreachable)/...", a pipe, a socket */
	}
	rc = pa_join(out, &len, cap / 2, base);
	if (!rc) {
		rc = pa_join(out, &len, cap / 2, path);
	}
	if (rc) {
		out[0] = 0;
	}
	return (int)rc;
}
