/* SPDX-License-Identifier: Apache-2.0 */
/* The go command's own facts in its PROCESS record: the toolchain it is
 * (Go build information of its executable) and the main module's go.mod
 * with its go and toolchain lines — what decides whether go runs, switches
 * to another toolchain or fails with "go.mod requires go >= …".  Only for
 * a program named go that has Go build information; go.mod is looked for
 * from the cwd up, as go does, and read as the process (tr_root_open).
 * Cost: a readlink for every PROCESS record; for go's, a few small reads. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "elfread.h"
#include "goshim/record.h"
#include "gomod.h"
#include "tr.h"

#define GM_TEXT_MAX (64 * 1024) /* go.mod's directives are near its top */
#define GM_DEPTH    64          /* directories climbed at most          */

/* "go1.26.8" of the executable of pid, or "" when it is no Go program. */
static void gm_version(pid_t pid, const char *exe, char *ver, size_t cap)
{
	uint8_t cache[4096];
	struct gs_elf x;
	int fd = tr_root_open(pid, exe, O_RDONLY);

	ver[0] = 0;
	if (fd < 0) {
		return;
	}
	if (gs_elf_open(&x, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) < 0 ||
	    gs_elf_go_version(&x, ver, cap) != 1) {
		ver[0] = 0;
	}
	close(fd);
}

void tr_go_race(struct gs_tlv *t, pid_t pid)
{
	uint8_t cache[4096];
	struct gs_elf x;
	char exe[4096];
	int fd, race = -1;

	if (tr_proc_link(pid, "exe", exe, sizeof(exe)) != 0 ||
	    (fd = tr_root_open(pid, exe, O_RDONLY)) < 0) {
		return;
	}
	if (gs_elf_open(&x, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0) {
		race = gs_elf_go_race(&x);
	}
	close(fd);
	if (race >= 0) {
		gs_tlv_u32(t, GOSHIM_T_GORACE, (uint32_t)race);
	}
}

/* The first go.mod from dir up; 1 with its path in dir, else 0. */
static int gm_find(pid_t pid, char *dir, size_t cap, char *text, ssize_t *len)
{
	size_t n = strlen(dir);

	for (int depth = 0; depth < GM_DEPTH && n < cap; depth++) {
		char path[4096 + 8];
		int fd;

		snprintf(path, sizeof(path), "%s/go.mod", n == 1 ? "" : dir);
		fd = tr_root_open(pid, path, O_RDONLY);
		if (fd >= 0) {
			*len = read(fd, text, GM_TEXT_MAX);
			close(fd);
			if (strlen(path) >= cap) {
				return 0;
			}
			memcpy(dir, path, strlen(path) + 1);
			return *len >= 0;
		}
		if (fd != -ENOENT && fd != -ENOTDIR) {
			return 0; /* go would not see past it either */
		}
		char *sl = strrchr(dir, '/');
		if (!sl || n == 1) {
			return 0;
		}
		sl[sl == dir] = 0;
		n = strlen(dir);
	}
	return 0;
}

void tr_go_facts(struct gs_tlv *t, pid_t pid, const char *cwd)
{
	static char text[GM_TEXT_MAX]; /* single-threaded engine */
	char exe[4096], ver[64], dir[4096], go[64], tc[64];
	const char *base;
	ssize_t len = 0;

	if (tr_proc_link(pid, "exe", exe, sizeof(exe)) != 0) {
		return;
	}
	base = strrchr(exe, '/');
	if (!base || strcmp(base + 1, "go") != 0) {
		return;
	}
	gm_version(pid, exe, ver, sizeof(ver));
	if (!ver[0]) {
		return;
	}
	gs_tlv_str(t, GOSHIM_T_GOVERSION, ver);
	if (cwd[0] != '/') {
		return;
	}
	snprintf(dir, sizeof(dir), "%s", cwd);
	if (!gm_find(pid, dir, sizeof(dir), text, &len)) {
		return;
	}
	gs_tlv_str(t, GOSHIM_T_GOMOD, dir);
	int found = gs_gomod_directives(text, (size_t)len, go, sizeof(go), tc, sizeof(tc));
	if (found & GS_GOMOD_GO) {
		gs_tlv_str(t, GOSHIM_T_GOMOD_GO, go);
	}
	if (found & GS_GOMOD_TOOLCHAIN) {
		gs_tlv_str(t, GOSHIM_T_GOMOD_TOOLCHAIN, tc);
	}
}
