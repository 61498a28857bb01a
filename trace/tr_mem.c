/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the tracee: its memory (process_vm_readv, stopping at the first
 * fault) and its /proc files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tr.h"

#define MEM_PAGE 4096u
#define MEM_FIRST 256u

ssize_t tr_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	/* page by page: process_vm_readv fails whole at an unmapped page */
	while (done < len) {
		uint64_t a = addr + done;
		size_t n = MEM_PAGE - (size_t)(a % MEM_PAGE);

		if (n > len - done) {
			n = len - done;
		}
		struct iovec l = { (char *)buf + done, n };
		struct iovec r = { (void *)(uintptr_t)a, n };
		ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);

		if (got <= 0) {
			break;
		}
		done += (size_t)got;
		if ((size_t)got < n) {
			break;
		}
	}
	return (ssize_t)done;
}

ssize_t tr_mem_str(pid_t pid, uint64_t addr, char *buf, size_t cap, int *cut)
{
	size_t done = 0;

	*cut = 0;
	if (!addr || cap == 0) {
		return -1;
	}
	/* a first short read: most paths are far shorter than the rest of
	 * their page, and copying a page costs more than a second call */
	for (size_t first = MEM_FIRST; done < cap - 1; first = MEM_PAGE) {
		size_t want = MEM_PAGE - (size_t)((addr + done) % MEM_PAGE);

		if (want > first) {
			want = first;
		}
		if (want > cap - 1 - done) {
			want = cap - 1 - done;
		}
		ssize_t got = tr_mem_read(pid, addr + done, buf + done, want);

		if (got <= 0) {
			break;
		}
		char *nul = memchr(buf + done, 0, (size_t)got);

		if (nul) {
			return nul - buf;
		}
		done += (size_t)got;
		if ((size_t)got < want) {
			break;
		}
	}
	if (done == 0) {
		return -1;
	}
	buf[done] = 0;
	*cut = done == cap - 1;
	return (ssize_t)done;
}

int tr_proc_link(pid_t pid, const char *what, char *buf, size_t cap)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, what);
	ssize_t n = readlink(p, buf, cap - 1);

	if (n < 0) {
		buf[0] = 0;
		return -errno;
	}
	buf[n] = 0;
	return 0;
}

ssize_t tr_proc_read(pid_t pid, const char *what, char *buf, size_t cap)
{
	char p[64];
	size_t done = 0;

	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, what);
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		buf[0] = 0;
		return -errno;
	}
	while (done < cap - 1) {
		ssize_t n = read(fd, buf + done, cap - 1 - done);

		if (n <= 0) {
			break;
		}
		done += (size_t)n;
	}
	close(fd);
	buf[done] = 0;
	return (ssize_t)done;
}

long tr_status_field(const char *status, const char *key, long def)
{
	size_t kl;

	if (key[0] == '\n') {
		key++;
	}
	kl = strlen(key);

	for (const char *l = status; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, kl) == 0) {
			return strtol(l + kl, NULL, 10);
		}
	}
	return def;
}
