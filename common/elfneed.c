/* SPDX-License-Identifier: Apache-2.0 */
/* Symbol versions a program needs that the library ld.so would load for
 * it does not define (ld.so: "version `GLIBC_2.34' not found"): checked
 * at exec, when the libraries are there to be read. */
#include "elfread.h"

#include <elf.h>
#include <fcntl.h>

#include "sys.h"

#define VN_PATH 512

/* The standard library directories, after LD_LIBRARY_PATH: what Debian's
 * ld.so.conf lists (/usr/local first), then ld.so's built-in defaults.
 * "%" is the machine's multiarch triplet. */
static const char *const vn_dirs[] = {
	"/usr/local/lib/%", "/usr/local/lib", "/lib/%", "/usr/lib/%",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib",
};

static const struct {
	uint16_t em;
	const char *triplet;
} vn_triplets[] = {
	{ EM_X86_64, "x86_64-linux-gnu" }, { EM_AARCH64, "aarch64-linux-gnu" },
	{ EM_386, "i386-linux-gnu" },      { EM_ARM, "arm-linux-gnueabihf" },
	{ EM_PPC64, "powerpc64le-linux-gnu" }, { EM_S390, "s390x-linux-gnu" },
	{ EM_RISCV, "riscv64-linux-gnu" },
};

/* The versions of one library are checked in one walk of its DT_VERDEF:
 * at most VN_WANT of them (more: another walk), each shorter than
 * VN_VER bytes (a longer one is taken as defined). */
#define VN_WANT 16
#define VN_VER  64

struct vn_state {
	const struct gs_elf *prog;
	const char *libpath;
	gs_elf_open_fn op;
	void *opctx;
	char file[GS_ELF_VERSTR_MAX]; /* the library the wants are of      */
	char path[VN_PATH];           /* where it was found                 */
	int fd;                       /* -1: not found (nothing to say)     */
	struct gs_elf lib;
	uint8_t cache[1024];
	char want[VN_WANT][VN_VER];
	uint8_t have[VN_WANT];
	unsigned nwant, nhave;
	char *out;
	size_t cap;
	int missing;
};

static size_t vn_cat(char *out, size_t o, size_t cap, const char *s, size_t n)
{
	while (n-- && *s && o + 1 < cap) {
		out[o++] = *s++;
	}
	if (cap) {
		out[o < cap ? o : cap - 1] = 0;
	}
	return o;
}

static const char *vn_triplet(uint16_t em)
{
	for (size_t i = 0; i < sizeof(vn_triplets) / sizeof(vn_triplets[0]); i++) {
		if (vn_triplets[i].em == em) {
			return vn_triplets[i].triplet;
		}
	}
	return NULL;
}

/* Open dir/file (dir n bytes, "%" expanded) as a library of the program's
 * class and machine, as ld.so takes it; else -1. */
static int vn_try(struct vn_state *v, const char *dir, size_t n)
{
	const char *trip = vn_triplet(v->prog->machine);
	size_t o = 0;

	for (size_t i = 0; i < n && dir[i]; i++) {
		if (dir[i] == '%') {
			if (!trip) {
				return -1;
			}
			o = vn_cat(v->path, o, sizeof(v->path), trip, VN_PATH);
		} else {
			o = vn_cat(v->path, o, sizeof(v->path), dir + i, 1);
		}
	}
	o = vn_cat(v->path, o, sizeof(v->path), n ? "/" : "", 1);
	o = vn_cat(v->path, o, sizeof(v->path), v->file, VN_PATH);
	if (o + 1 >= sizeof(v->path)) {
		return -1;
	}
	int fd = v->op(v->opctx, v->path);

	if (fd < 0) {
		return -1;
	}
	if (gs_elf_open(&v->lib, gs_elf_read_fd, (void *)(intptr_t)fd, v->cache,
			sizeof(v->cache)) < 0 ||
	    v->lib.cls != v->prog->cls || v->lib.machine != v->prog->machine) {
		gs_sys1(SYS_close, fd);
		return -1;
	}
	return fd;
}

/* Find v->file as ld.so would: LD_LIBRARY_PATH, then the standard dirs. */
static void vn_resolve(struct vn_state *v)
{
	if (v->fd >= 0) {
		gs_sys1(SYS_close, v->fd);
	}
	v->fd = -1;
	for (const char *p = v->libpath; p && *p && v->fd < 0;) {
		const char *end = p;

		while (*end && *end != ':' && *end != ';') {
			end++;
		}
		if (end > p) {
			v->fd = vn_try(v, p, (size_t)(end - p));
		}
		p = *end ? end + 1 : end;
	}
	for (size_t i = 0; i < sizeof(vn_dirs) / sizeof(vn_dirs[0]) && v->fd < 0; i++) {
		v->fd = vn_try(v, vn_dirs[i], VN_PATH);
	}
}

static int vn_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++, b++;
	}
	return *a == *b;
}

static int vn_def(void *arg, const char *file, const char *version)
{
	struct vn_state *v = arg;

	(void)file;
	for (unsigned i = 0; i < v->nwant; i++) {
		if (!v->have[i] && vn_streq(version, v->want[i])) {
			v->have[i] = 1;
			v->nhave++;
		}
	}
	return v->nhave == v->nwant;
}

/* Check the wants collected for v->file against its library. */
static void vn_check(struct vn_state *v)
{
	unsigned n = v->nwant;

	v->nwant = 0;
	if (!n || v->missing) {
		return;
	}
	vn_resolve(v);
	if (v->fd < 0) {
		return; /* not found: ld.so says so (exit 127), another pattern */
	}
	v->nwant = n;
	v->nhave = 0;
	__builtin_memset(v->have, 0, sizeof(v->have));
	/* a library without version definitions: ld.so's "no version
	 * information available" is a warning only */
	int r = gs_elf_verdef(&v->lib, vn_def, v);

	v->nwant = 0;
	for (unsigned i = 0; r >= 0 && i < n; i++) {
		if (v->have[i]) {
			continue;
		}
		size_t o = vn_cat(v->out, 0, v->cap, v->want[i], VN_VER);

		o = vn_cat(v->out, o, v->cap, " of ", 4);
		o = vn_cat(v->out, o, v->cap, v->file, GS_ELF_VERSTR_MAX);
		o = vn_cat(v->out, o, v->cap, ", which ", 8);
		o = vn_cat(v->out, o, v->cap, v->path, VN_PATH);
		vn_cat(v->out, o, v->cap, " does not define", 16);
		v->missing = 1;
		return;
	}
}

static int vn_need(void *arg, const char *file, const char *version)
{
	struct vn_state *v = arg;

	if (!vn_streq(file, v->file) || v->nwant == VN_WANT) {
		vn_check(v);
		vn_cat(v->file, 0, sizeof(v->file), file, GS_ELF_VERSTR_MAX);
	}
	if (vn_cat(v->want[v->nwant], 0, VN_VER, version, VN_VER) + 1 < VN_VER) {
		v->nwant++;
	}
	return v->missing;
}

int gs_elf_ver_missing(const struct gs_elf *e, const char *libpath, gs_elf_open_fn op,
		       void *opctx, char *out, size_t cap)
{
	struct vn_state v;

	v.prog = e;
	v.libpath = libpath;
	v.op = op;
	v.opctx = opctx;
	v.file[0] = 0;
	v.fd = -1;
	v.out = out;
	v.cap = cap;
	v.missing = 0;
	v.nwant = 0;
	if (cap) {
		out[0] = 0;
	}
	int n = gs_elf_verneed(e, vn_need, &v);

	vn_check(&v);

	if (v.fd >= 0) {
		gs_sys1(SYS_close, v.fd);
	}
	return n < 0 ? -1 : v.missing;
}
