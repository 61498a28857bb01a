/* SPDX-License-Identifier: Apache-2.0 */
/* ELF facts of a tracee's files (common/elfread.h reads them): the exec
 * target evidence, and a backtrace module's load delta and build-id. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "elfread.h"
#include "goshim/record.h"
#include "tr.h"

#define ELF_CACHE 4096 /* header, program headers, PT_INTERP, notes: one read */

int tr_elf_parse(int fd, struct tr_elf_info *e)
{
	uint8_t cache[ELF_CACHE];
	struct gs_elf x;

	*e = (struct tr_elf_info){ 0 };
	if (gs_elf_open(&x, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) < 0) {
		return -1;
	}
	e->load_delta = x.load_delta;
	e->build_id_len = (uint8_t)gs_elf_build_id(&x, e->build_id);
	return 0;
}

void tr_ev_exec(struct gs_tlv *t, pid_t pid, const char *abspath)
{
	struct goshim_t_elf ev = { 0 };
	uint8_t cache[ELF_CACHE];
	char interp[256];
	int fd = tr_root_open(pid, abspath, O_RDONLY);

	if (fd < 0) {
		ev.open_errno = -fd;
		gs_tlv_put(t, GOSHIM_T_EV_ELF, &ev, sizeof(ev));
		return;
	}
	gs_exec_facts(&ev, interp, sizeof(interp), gs_elf_read_fd, (void *)(intptr_t)fd, cache,
		      sizeof(cache));
	close(fd);
	gs_tlv_put(t, GOSHIM_T_EV_ELF, &ev, sizeof(ev));
	if (interp[0]) {
		int ifd = tr_root_open(pid, interp, O_PATH);

		gs_tlv_str(t, GOSHIM_T_EV_INTERP, interp);
		gs_tlv_i32(t, GOSHIM_T_EV_INTERP_ERR, ifd < 0 ? -ifd : 0);
		if (ifd >= 0) {
			close(ifd);
		}
	}
}
