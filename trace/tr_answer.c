/* SPDX-License-Identifier: Apache-2.0 */
/* Answering a notification: used by the loop (tr_loop.c) and by the
 * follow (tr_follow.c), which the loop drives. */
#include <linux/seccomp.h>
#include <sys/ioctl.h>

#include "tr.h"

int tr_answer(uint64_t id, int err)
{
	struct seccomp_notif_resp r = {
		.id = id,
		.error = err ? -err : 0,
		.flags = err ? 0 : SECCOMP_USER_NOTIF_FLAG_CONTINUE,
	};

	/* ENOENT: the call went away meanwhile (a signal): it comes round */
	return ioctl(tr.listener, SECCOMP_IOCTL_NOTIF_SEND, &r) == 0 ? 0 : -1;
}
