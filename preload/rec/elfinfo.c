/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an exec target is: ELF (class, data, type, machine, PT_INTERP),
 * "#!" script (its interpreter), or something else; and whether the
 * interpreter exists.  Reads are bounded and every offset is validated:
 * the file may be truncated, corrupt or hostile.
 */
#include "rec.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

#define EI_PHNUM_MAX 64u /* 64 * 128 bytes fit in the slot's work buffer */

enum { EI_UNREADABLE = 0, EI_ELF = 1, EI_SCRIPT = 2, EI_OTHER = 3 };

static long ei_pread(long fd, void *buf, size_t n, uint64_t off)
{
	return gs_sys4(SYS_pread64, fd, buf, n, (long)off);
}

/* Little- or big-endian field reads, as the file says. */
static uint64_t ei_get(const uint8_t *p, unsigned n, int big)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	}
	return v;
}

/* Find PT_INTERP in the program headers; copy it to interp.  Returns 1
 * when present. */
static int ei_interp(long fd, const uint8_t *eh, int is64, int big,
		     char *interp, size_t cap, uint8_t *ph)
{
	uint64_t phoff = is64 ? ei_get(eh + 32, 8, big) : ei_get(eh + 28, 4, big);
	unsigned phentsize = (unsigned)ei_get(eh + (is64 ? 54 : 42), 2, big);
	unsigned phnum = (unsigned)ei_get(eh + (is64 ? 56 : 44), 2, big);
	unsigned want = is64 ? 56 : 32;

	if (phentsize < want || phentsize > 128 || phnum > EI_PHNUM_MAX) {
		return 0;
	}
	if (ei_pread(fd, ph, (size_t)phentsize * phnum, phoff) != (long)(phentsize * phnum)) {
		return 0;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *p = ph + (size_t)i * phentsize;
		if (ei_get(p, 4, big) != PT_INTERP) {
			continue;
		}
		uint64_t off = is64 ? ei_get(p + 8, 8, big) : ei_get(p + 4, 4, big);
		uint64_t sz = is64 ? ei_get(p + 32, 8, big) : ei_get(p + 16, 4, big);
		size_t n = sz < cap ? (size_t)sz : cap - 1;
		long r = ei_pread(fd, interp, n, off);
		interp[r > 0 ? r : 0] = 0;
		return 1;
	}
	return 0;
}

/* "#!" line: the interpreter program into interp. */
static void ei_shebang(const uint8_t *b, long n, char *interp, size_t cap)
{
	long i = 2;
	size_t o = 0;

	while (i < n && (b[i] == ' ' || b[i] == '\t')) {
		i++;
	}
	while (i < n && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] && o + 1 < cap) {
		interp[o++] = (char)b[i++];
	}
	interp[o] = 0;
}

static void ei_put_interp(struct gs_tlv *t, const char *interp)
{
	struct stat st;

	if (!interp[0]) {
		return;
	}
	gs_tlv_str(t, GOSHIM_T_EV_INTERP, interp);
	long r = gs_sys4(SYS_newfstatat, AT_FDCWD, interp, &st, 0);
	gs_tlv_i32(t, GOSHIM_T_EV_INTERP_ERR, r < 0 ? (int32_t)-r : 0);
}

void gs_put_exec_evidence(struct gs_tlv *t, struct gs_slot *s, const char *target)
{
	struct goshim_t_elf e = { 0 };
	uint8_t *eh = (uint8_t *)s->work;
	char *interp = s->tmp;
	long fd = gs_open_regular(AT_FDCWD, target, 0);
	long n = -1;

	interp[0] = 0;
	if (fd < 0 && fd != -EINVAL) {
		e.open_errno = (int32_t)-fd;
		gs_tlv_put(t, GOSHIM_T_EV_ELF, &e, sizeof(e));
		return;
	}
	if (fd >= 0) { /* else not a regular file: EI_OTHER, never opened */
		n = ei_pread(fd, eh, 256, 0);
	}
	if (n >= 64 && eh[0] == 0x7f && eh[1] == 'E' && eh[2] == 'L' && eh[3] == 'F' &&
	    (eh[EI_CLASS] == ELFCLASS32 || eh[EI_CLASS] == ELFCLASS64)) {
		int big = eh[EI_DATA] == ELFDATA2MSB;
		e.kind = EI_ELF;
		e.ei_class = eh[EI_CLASS];
		e.ei_data = eh[EI_DATA];
		e.e_type = (uint16_t)ei_get(eh + 16, 2, big);
		e.e_machine = (uint16_t)ei_get(eh + 18, 2, big);
		e.has_interp = (uint16_t)ei_interp(fd, eh, e.ei_class == ELFCLASS64, big,
						   interp, sizeof(s->tmp), eh + 256);
	} else if (n >= 2 && eh[0] == '#' && eh[1] == '!') {
		e.kind = EI_SCRIPT;
		ei_shebang(eh, n, interp, sizeof(s->tmp));
		e.has_interp = interp[0] != 0;
	} else {
		e.kind = EI_OTHER;
	}
	if (fd >= 0) {
		gs_sys1(SYS_close, fd);
	}
	gs_tlv_put(t, GOSHIM_T_EV_ELF, &e, sizeof(e));
	ei_put_interp(t, interp);
}

/* May the caller execute path?  faccessat2 with AT_EACCESS checks the
 * effective ids as execve does; kernels without it: faccessat. */
static int ei_exec_ok(const char *path)
{
	long r = gs_sys4(SYS_faccessat2, AT_FDCWD, path, X_OK, AT_EACCESS);

	if (r == -ENOSYS) {
		r = gs_sys3(SYS_faccessat, AT_FDCWD, path, X_OK);
	}
	return r == 0;
}

int gs_path_search(const char *name, char *out, size_t cap, int exec_only)
{
	const char *p = NULL;
	size_t nl = gs_strlen(name);
	struct stat st;

	for (char **e = environ; e && *e; e++) {
		const char *v = *e;
		if (v[0] == 'P' && v[1] == 'A' && v[2] == 'T' && v[3] == 'H' && v[4] == '=') {
			p = v + 5;
			break;
		}
	}
	if (!p) {
		p = "/bin:/usr/bin"; /* glibc's default when PATH is unset */
	}
	for (;;) {
		const char *end = p;
		while (*end && *end != ':') {
			end++;
		}
		size_t dl = (size_t)(end - p);
		const char *dir = dl ? p : "."; /* an empty entry is the cwd */

		dl = dl ? dl : 1;
		if (dl + 1 + nl < cap) {
			__builtin_memcpy(out, dir, dl);
			out[dl] = '/';
			__builtin_memcpy(out + dl + 1, name, nl + 1);
			if (gs_sys4(SYS_newfstatat, AT_FDCWD, out, &st, 0) == 0 &&
			    (!exec_only || (S_ISREG(st.st_mode) && ei_exec_ok(out)))) {
				return 0;
			}
		}
		if (!*end) {
			break;
		}
		p = end + 1;
	}
	if (cap) {
		out[0] = 0;
	}
	return -1;
}
