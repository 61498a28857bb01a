/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an exec target is (common/elfexec.c reads it: ELF class, data,
 * type, machine, PT_INTERP, or a "#!" script's interpreter) and whether
 * the interpreter exists; PATH search.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"
#include "sys.h"

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
	char *interp = s->tmp;
	long fd = gs_open_regular(AT_FDCWD, target, 0);

	interp[0] = 0;
	if (fd < 0 && fd != -EINVAL) {
		e.open_errno = (int32_t)-fd;
		gs_tlv_put(t, GOSHIM_T_EV_ELF, &e, sizeof(e));
		return;
	}
	if (fd >= 0) {
		gs_exec_facts(&e, interp, sizeof(s->tmp), gs_elf_read_fd, (void *)(intptr_t)fd,
			      s->work, sizeof(s->work));
		gs_sys1(SYS_close, fd);
	} else {
		e.kind = 3; /* not a regular file: other, never opened */
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
