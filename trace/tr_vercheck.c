/* SPDX-License-Identifier: Apache-2.0 */
/* After an exec: does the new program need a symbol version its libraries
 * lack (common/elfneed.c)?  ld.so then fails before main and the process
 * exits 1; the NOTE "elf-version-missing:" written here is what a rule
 * of data/rules/goshim.rules joins with that exit.  The libraries are
 * read now, while they are there, in the tracee's root. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "elfread.h"
#include "tr.h"

struct vc_ctx {
	pid_t pid;
	const char *cwd;
};

/* A library candidate, as pid would open it (relative: from its cwd). */
static int vc_open(void *arg, const char *path)
{
	const struct vc_ctx *c = arg;
	char abs[4096];

	if (path[0] != '/') {
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", c->cwd, path) >= sizeof(abs)) {
			return -1;
		}
		path = abs;
	}
	return tr_root_open(c->pid, path, O_RDONLY);
}

void tr_vercheck_exec(pid_t pid)
{
	static char env[65536];
	char exe[4096], cwd[4096], why[512], p[64];
	uint8_t cache[4096];
	const char *libpath = NULL;
	struct gs_elf e;
	ssize_t n = tr_proc_read(pid, "environ", env, sizeof(env));

	for (ssize_t o = 0; o < n; o += (ssize_t)strlen(env + o) + 1) {
		if (strncmp(env + o, "LD_LIBRARY_PATH=", 16) == 0) {
			libpath = env + o + 16;
			break;
		}
	}
	if (tr_proc_link(pid, "cwd", cwd, sizeof(cwd)) < 0 ||
	    tr_proc_link(pid, "exe", exe, sizeof(exe)) < 0) {
		return;
	}
	snprintf(p, sizeof(p), "/proc/%d/exe", (int)pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		return;
	}
	struct vc_ctx c = { pid, cwd };
	int r = -1;

	if (gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0) {
		r = gs_elf_ver_missing(&e, libpath, vc_open, &c, why, sizeof(why));
	}
	close(fd);
	if (r == 1) {
		tr_note(pid, "elf-version-missing: %s needs %s", exe, why);
	}
}
