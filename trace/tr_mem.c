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

/* Copies of a thread's memory taken when its call failed (tr_ebpf.c):
 * reads of that thread are served from them, since the thread has gone on
 * since.  Its stack beyond the copy is not read: it is not the call's. */
#define MEM_STACK_SPAN (1u << 20)

static struct {
	pid_t pid;
	uint64_t path_at, sp;
	const void *path, *stack;
	size_t path_len, stack_len;
} mem_snap;

void tr_mem_snap(pid_t pid, uint64_t path_at, const void *path, size_t path_len,
		 uint64_t sp, const void *stack, size_t stack_len)
{
	mem_snap.pid = pid;
	mem_snap.path_at = path_at;
	mem_snap.path = path;
	mem_snap.path_len = path ? path_len : 0;
	mem_snap.sp = sp;
	mem_snap.stack = stack;
	mem_snap.stack_len = stack ? stack_len : 0;
}

/* Bytes of [addr, addr+len) served from the copy at `at`, or -1 when
 * addr is not in it. */
static ssize_t mem_from(uint64_t addr, void *buf, size_t len, uint64_t at, const void *copy,
			size_t n)
{
	if (!copy || addr < at || addr - at >= n) {
		return -1;
	}
	size_t k = n - (size_t)(addr - at);

	k = k < len ? k : len;
	memcpy(buf, (const char *)copy + (addr - at), k);
	return (ssize_t)k;
}

ssize_t tr_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	if (mem_snap.pid && pid == mem_snap.pid) {
		ssize_t k = mem_from(addr, buf, len, mem_snap.path_at, mem_snap.path,
				     mem_snap.path_len);

		if (k < 0) {
			k = mem_from(addr, buf, len, mem_snap.sp, mem_snap.stack,
				     mem_snap.stack_len);
		}
		if (k >= 0) {
			return k;
		}
		if (addr >= mem_snap.sp && addr - mem_snap.sp < MEM_STACK_SPAN) {
			return 0;
		}
	}

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
