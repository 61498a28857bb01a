/* SPDX-License-Identifier: Apache-2.0 */
/* Run ids (runid.h). */
#include "runid.h"

#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#include "sys.h"

int gs_runid_ok(const char *s)
{
	unsigned n = 0;

	for (; s && s[n]; n++) {
		char c = s[n];

		if (n == GS_RUNID_MAX || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
					   (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
					   c == '-')) {
			return 0;
		}
	}
	return n > 0;
}

void gs_runid_new(char out[17])
{
	uint64_t v = 0;

	if (gs_sys3(SYS_getrandom, &v, sizeof(v), 1 /* GRND_NONBLOCK */) != (long)sizeof(v)) {
		struct timespec ts = { 0, 0 };

		gs_sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		v ^= (uint64_t)gs_sys0(SYS_getpid) << 40;
	}
	for (int i = 15; i >= 0; i--, v >>= 4) {
		out[i] = "0123456789abcdef"[v & 15];
	}
	out[16] = 0;
}
