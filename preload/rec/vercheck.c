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
 * reads), so a target found complete is remembered: a word per target in
 * a page shared with every fork and vfork child (MAP_SHARED, mapped by
 * the constructor; gone at exec), a hash of what identifies the file
 * (device, inode, size, modification and change times) and of the
 * LD_LIBRARY_PATH it is run with.  A shell or make running the same
 * programs again pays one stat(2) for each.  Libraries changed after
 * their program was checked are not seen; a target with something
 * missing is checked (and noted) every time.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"
#include "sys.h"

#define VC_TEXT 1024
#define VC_PAGE 4096u
#define VC_SLOTS (VC_PAGE / sizeof(uint64_t))
#define VC_PROBES 8u

/* Targets found complete (see above), or NULL. */
static uint64_t *vc_seen;

void gs_exec_check_setup(void)
{
	long p = gs_sys6(SYS_mmap, 0, VC_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	vc_seen = (unsigned long)p > -4096ul ? NULL : (uint64_t *)p;
}

static uint64_t vc_mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ull;
	}
	return h;
}

/* The target's word: never 0. */
static uint64_t vc_key(const struct stat *st, const char *libpath)
{
	const uint64_t id[] = {
		st->st_dev, st->st_ino, (uint64_t)st->st_size,
		(uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec,
		(uint64_t)st->st_ctim.tv_sec, (uint64_t)st->st_ctim.tv_nsec,
	};
	uint64_t h = vc_mix(0xcbf29ce484222325ull, id, sizeof(id));

	if (libpath) {
		h = vc_mix(h ^ 1, libpath, gs_strlen(libpath));
	}
	return h | 1;
}

static int vc_known(uint64_t key)
{
	for (unsigned n = 0, i = key % VC_SLOTS; vc_seen && n < VC_PROBES;
	     n++, i = (i + 1) % VC_SLOTS) {
		uint64_t w = __atomic_load_n(&vc_seen[i], __ATOMIC_RELAXED);

		if (w == key) {
			return 1;
		}
		if (!w) {
			return 0;
		}
	}
	return 0;
}

static void vc_remember(uint64_t key)
{
	unsigned home = key % VC_SLOTS;

	for (unsigned n = 0, i = home; vc_seen && n < VC_PROBES; n++, i = (i + 1) % VC_SLOTS) {
		uint64_t w = 0;

		if (__atomic_compare_exchange_n(&vc_seen[i], &w, key, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED) || w == key) {
			return;
		}
	}
	if (vc_seen) {
		__atomic_store_n(&vc_seen[home], key, __ATOMIC_RELAXED); /* full: evict */
	}
}

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

void gs_exec_check(const char *path, const char *file, char *const envp[])
{
	char found[GS_REC_PATH_MAX], why[512], text[VC_TEXT];
	uint8_t cache[512];
	struct gs_elf e;
	int saved = errno;

	if (gs_rec_nest || !gs_rec_armed()) {
		return;
	}
	if (!path && file) {
		int slash = 0;

		for (const char *p = file; *p; p++) {
			slash |= *p == '/';
		}
		path = slash ? file
			     : gs_path_search(file, found, sizeof(found), 1) == 0 ? found : NULL;
	}
	const char *libpath = vc_libpath(envp ? envp : environ);
	struct stat st;
	uint64_t key = 0;

	if (path && vc_seen && gs_sys4(SYS_newfstatat, AT_FDCWD, path, &st, 0) == 0) {
		key = vc_key(&st, libpath);
		if (vc_known(key)) {
			errno = saved;
			return;
		}
	}
	long fd = path ? gs_open_regular(AT_FDCWD, path, 0) : -1;

	if (fd < 0) {
		errno = saved;
		return;
	}
	int r = -1;

	if (gs_elf_open(&e, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0) {
		r = gs_elf_ver_missing(&e, libpath, vc_open, NULL, why, sizeof(why));
	}
	gs_sys1(SYS_close, fd);
	if (r == 0 && key) {
		vc_remember(key);
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
