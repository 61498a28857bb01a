/* SPDX-License-Identifier: Apache-2.0 */
/* PIDFD_GET_INFO (Linux 6.15): the exit status of a process through its
 * pidfd, even once it was reaped.  The engine reads it for the processes
 * of the tree their parents reaped first (trace/tr_exits.c); doctor tries
 * it (ctl/diag/doctor_engine.c).  linux/pidfd.h of 6.15, which bookworm's
 * headers predate. */
#ifndef GS_PIDFD_INFO_H
#define GS_PIDFD_INFO_H

#include <linux/types.h>
#include <sys/ioctl.h>

struct gs_pidfd_info {
	__u64 mask;
	__u64 cgroupid;
	__u32 pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	__s32 exit_code;
};
#define GS_PIDFD_GET_INFO  _IOWR(0xFF, 11, struct gs_pidfd_info)
#define GS_PIDFD_INFO_EXIT (1ull << 3)

#endif
