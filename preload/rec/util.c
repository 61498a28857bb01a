/* SPDX-License-Identifier: Apache-2.0 */
/* String and file helpers for the recorder: no libc calls that could be
 * interposed, no errno. */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>

#include "sys.h"

size_t gs_strlen(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

size_t gs_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = 0;

	if (!cap) {
		return 0;
	}
	while (src[n] && n + 1 < cap) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = 0;
	return n;
}

size_t gs_strlcat(char *dst, size_t len, const char *src, size_t cap)
{
	if (len >= cap) {
		return len;
	}
	return len + gs_strlcpy(dst + len, src, cap - len);
}

size_t gs_utoa(uint64_t v, char *buf)
{
	char tmp[21];
	size_t k = 0, n = 0;

	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k) {
		buf[n++] = tmp[--k];
	}
	buf[n] = 0;
	return n;
}

long gs_read_file(const char *path, char *buf, size_t cap)
{
	long fd = gs_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	size_t n = 0;

	if (fd < 0) {
		return fd;
	}
	while (n + 1 < cap) {
		long r = gs_sys3(SYS_read, fd, buf + n, cap - 1 - n);
		if (r == -EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
	}
	gs_sys1(SYS_close, fd);
	buf[n] = 0;
	return (long)n;
}
