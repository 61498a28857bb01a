/* SPDX-License-Identifier: Apache-2.0 */
/* Why the trace engine's in-kernel watcher (trace/tr_ebpf.c) cannot be
 * used here, said the same way by the engine (its NOTE when it runs
 * without the watcher) and by doctor (its `ebpf watcher` check).  What
 * it needs: root, or CAP_BPF with CAP_PERFMON (CAP_SYS_ADMIN stands for
 * both); the kernel's BTF at /sys/kernel/btf/vmlinux (CO-RE); Linux 5.17
 * (bpf_loop); no lockdown in confidentiality mode; and not
 * GOSHIM_TRACE_EBPF=0.  Whether goshim was built with it is the build's
 * to say (GOSHIM_EBPF_ABSENT). */
#ifndef GS_BPFWHY_H
#define GS_BPFWHY_H

#include <stddef.h>

/* The obstacles found, joined by "; ", into buf (empty when none).
 * Returns how many. */
int gs_bpf_obstacles(char *buf, size_t cap);

/* What running without the watcher costs, one phrase (docs/design.md:
 * the go test workload's ratios to bare). */
#define GS_BPF_NOTIFY_COST "every watched call is a notification round trip " \
	"(~8 us instead of ~0.1 us): a go test takes ~18% longer than bare instead of ~4%"

#endif
