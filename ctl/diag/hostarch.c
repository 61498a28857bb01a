/* SPDX-License-Identifier: Apache-2.0 */
#include "hostarch.h"

#include <string.h>

int gs_host_em(const char *uname, const char *ring_machine)
{
	if (uname) {
		const char *m = strrchr(uname, ' ');
		int em = gs_machine_em(m ? m + 1 : uname);
		if (em >= 0) {
			return em;
		}
	}
	return ring_machine && *ring_machine ? gs_machine_em(ring_machine) : -1;
}
