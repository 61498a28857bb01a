/* SPDX-License-Identifier: Apache-2.0 */
/* Which watched calls the seccomp policy already in force denies.  A
 * policy returning ERRNO outranks our RET_TRACE, so the tracer would never
 * see those calls: each is made once, with harmless arguments, in the
 * command's child before our filter is loaded.  i386 calls cannot be made
 * from this 64-bit child and are not probed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"

enum { PB_NONE, PB_CLOSE, PB_MUNMAP };

#define PB_HUGE (1ul << 30)

struct pb_call {
	const char *name;
	long nr;
	long a[6];
	int cleanup;
};

static const char *pb_errname(int e)
{
	return e == EPERM ? "EPERM" : e == EACCES ? "EACCES" : "ENOSYS";
}

void tr_probe(void)
{
	static char sbuf[512];
	static struct timespec ts;
	static const char root[] = "/", empty[] = "", name[] = "goshim-probe";
	const struct pb_call calls[] = {
		{ "memfd_create", SYS_memfd_create, { (long)name, 1 /* MFD_CLOEXEC */ }, PB_CLOSE },
		{ "clock_gettime", SYS_clock_gettime, { CLOCK_MONOTONIC, (long)&ts }, PB_NONE },
		{ "statx", SYS_statx, { AT_FDCWD, (long)root, 0, STATX_BASIC_STATS, (long)sbuf }, PB_NONE },
		{ "faccessat2", SYS_faccessat2, { AT_FDCWD, (long)root, F_OK, 0 }, PB_NONE },
		{ "faccessat", SYS_faccessat, { AT_FDCWD, (long)root, F_OK }, PB_NONE },
		{ "access", SYS_access, { (long)root, F_OK }, PB_NONE },
		{ "personality", SYS_personality, { 0xffffffffl }, PB_NONE },
		{ "openat", SYS_openat, { AT_FDCWD, (long)root, O_RDONLY | O_DIRECTORY | O_CLOEXEC }, PB_CLOSE },
		{ "open", SYS_open, { (long)root, O_RDONLY | O_DIRECTORY | O_CLOEXEC }, PB_CLOSE },
		{ "newfstatat", SYS_newfstatat, { AT_FDCWD, (long)root, (long)sbuf, 0 }, PB_NONE },
		{ "stat", SYS_stat, { (long)root, (long)sbuf }, PB_NONE },
		{ "lstat", SYS_lstat, { (long)root, (long)sbuf }, PB_NONE },
		{ "mkdirat", SYS_mkdirat, { AT_FDCWD, (long)root, 0 }, PB_NONE },
		{ "mkdir", SYS_mkdir, { (long)root, 0 }, PB_NONE },
		{ "execve", SYS_execve, { (long)empty, 0, 0 }, PB_NONE },
		{ "mmap(huge)", SYS_mmap, { 0, PB_HUGE, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0 }, PB_MUNMAP },
	};
	char text[GOSHIM_STR_MAX] = "seccomp-denied:";
	size_t len = strlen(text);
	int denied = 0;
	char status[4096];
	uint8_t buf[2048];
	struct gs_tlv t;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct pb_call *c = &calls[i];
		long r = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
		int e = r < 0 ? errno : 0;

		if (r >= 0 && c->cleanup == PB_CLOSE) {
			close((int)r);
		} else if (r >= 0 && c->cleanup == PB_MUNMAP) {
			munmap((void *)r, PB_HUGE);
		}
		if (e == EPERM || e == EACCES || e == ENOSYS) {
			len += (size_t)snprintf(text + len, sizeof(text) - len, " %s=%s",
						c->name, pb_errname(e));
			if (len >= sizeof(text)) {
				len = sizeof(text) - 1;
			}
			denied++;
		}
	}
	if (!denied) {
		strcpy(text, "seccomp-denied: none");
	}
	tr_proc_read(getpid(), "status", status, sizeof(status));
	tr_rec_begin(&t, buf, sizeof(buf), getpid(), getpid(), getppid());
	gs_tlv_str(&t, GOSHIM_T_NOTE, text);
	gs_tlv_str(&t, GOSHIM_T_NOTE, "seccomp-probe: i386 calls not probed");
	tr_put_seccomp(&t, status);
	tr_rec_emit(&t, GOSHIM_REC_NOTE);
}
