/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Before an exec: does the target need a symbol version its libraries
 * lack (common/elfneed.c)?  Then ld.so fails in the new program before
 * any of goshim runs there, and the program exits 1: the NOTE written
 * here, by the process about to exec, is all the ring will know
 * (`elf-version-missing` in data/rules/goshim.rules joins it with that
 * exit).  Runs in a vfork child too: stack only, raw system calls.
 *
 * The check reads the target and its libraries (a few hundred small
 * reads), so a target found complete is remembered (seen.c), with the
 * LD_LIBRARY_PATH it is run with: a shell or make running the same
 * programs again pays one stat(2) for each.  Libraries changed after
 * their program was checked are not seen; a target with something
 * missing is checked (and noted) every time.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "elfread.h"
#include "sys.h"

#define VC_TEXT 1024

static int vc_open(void *ctx, const char *path)
{
	(void)ctx;
	return (int)gs_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
}

/* The value of LD_LIBRARY_PATH in env, or NULL. */
static const char *vc_libpath(char *const *env)
{
	static const char k[] = "LD_LIBRARY_PATH=";

	for (; env && *env; env++) {
		size_t i = 0;

		while (k[i] && (*env)[i] == k[i]) {
			i++;
		}
		if (!k[i]) {
			return *env + i;
		}
	}
	return NULL;
}

static size_t vc_cat(char *out, size_t o, const char *s)
{
	while (*s && o + 1 < VC_TEXT) {
		out[o++] = *s++;
	}
	out[o] = 0;
	return o;
}

/* A target not seen before: read its needs.  Its buffers in a frame of
 * its own: a shell's fork child execing a program seen before does not
 * fault in the stack pages. */
static __attribute__((noinline)) void vc_check_new(const char *path, const char *libpath,
						    uint64_t key)
{
	char why[512], text[VC_TEXT];
	uint8_t cache[512];
	struct gs_elf e;
	int saved = errno;
	long fd = gs_open_regular(AT_FDCWD, path, 0);

	if (fd < 0) {
		errno = saved;
		return;
	}
	int r = -1;

	if (gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0) {
		r = gs_elf_ver_missing(&e, libpath, vc_open, NULL, why, sizeof(why));
	}
	gs_sys1(SYS_close, fd);
	if (r == 0) {
		gs_seen_put(key);
	}
	if (r == 1) {
		size_t o = vc_cat(text, 0, "elf-version-missing: ");
		o = vc_cat(text, o, path);
		o = vc_cat(text, o, " needs ");
		vc_cat(text, o, why);
		gs_note(text);
	}
	errno = saved;
}

static void vc_check_path(const char *path, char *const envp[])
{
	const char *libpath = vc_libpath(envp ? envp : environ);
	uint64_t key = gs_seen_key(path, GS_SEEN_VERSIONS, libpath);

	if (path && !gs_seen_has(key)) {
		vc_check_new(path, libpath, key);
	}
}

/* execvp's search, its path buffer in a frame of its own. */
static __attribute__((noinline)) void vc_check_search(const char *file, char *const envp[])
{
	char found[GS_REC_PATH_MAX];
	int saved = errno;

	if (gs_path_search(file, found, sizeof(found), 1) == 0) {
		vc_check_path(found, envp);
	}
	errno = saved;
}

/* Raw system calls only, up to a target not seen before: errno is saved
 * where libc may change it (vc_check_new, vc_check_search), so that a
 * shell's fork child execing a program seen before never calls libc's
 * __errno_location (its binding, its page). */
void gs_exec_check(const char *path, const char *file, char *const envp[])
{
	int slash = 0;

	gs_rec_exec_reach(path ? path : file);
	if (gs_rec_nest || !gs_rec_armed()) {
		return;
	}
	for (const char *p = !path && file ? file : ""; *p; p++) {
		slash |= *p == '/';
	}
	if (path || !file || slash) {
		vc_check_path(path ? path : file, envp);
	} else {
		vc_check_search(file, envp);
	}
}
