/* SPDX-License-Identifier: Apache-2.0 */
/* The synchronous wake-up of a seccomp user-notification listener (Linux
 * 6.6): the engine sets it on its listener (trace/tr_loop.c), doctor
 * tries it (ctl/diag/doctor_engine.c).  Older kernel headers lack it. */
#ifndef GS_SECCOMP_SYNC_H
#define GS_SECCOMP_SYNC_H

#include <linux/seccomp.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

#endif
