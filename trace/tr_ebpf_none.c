/* SPDX-License-Identifier: Apache-2.0 */
/* The in-kernel watcher's interface (tr.h) in a build without it
 * (meson option ebpf, trace/meson.build): every watched call stays on the
 * seccomp filter, and a NOTE says so once, with why and what it costs. */
#include <errno.h>

#include "goshim-config.h"
#include "tr.h"

int tr_ebpf_start(void)
{
	tr_note(0, "ebpf-watcher: %s", GOSHIM_EBPF_ABSENT);
	return -ENOSYS;
}

int tr_ebpf_active(void)
{
	return 0;
}

int tr_ebpf_filters(size_t row)
{
	return !tr_table[row].sync && !tr_table[row].kernel_only;
}

void tr_ebpf_seed(pid_t pid)
{
	(void)pid;
}

int tr_ebpf_fd(void)
{
	return -1;
}

void tr_ebpf_drain(void)
{
}

void tr_ebpf_stop(void)
{
}
