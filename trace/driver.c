/* SPDX-License-Identifier: Apache-2.0 */
/* goshim-trace: run a command under the trace engine.
 *
 *   goshim-trace [--ring PATH] [--frames N] [--no-probe] [--stats] [-v] -- CMD ARGS...
 *
 * The ring defaults to $GOSHIM_RING, else /tmp/goshim-<euid>.ring; a new
 * ring's size comes from $GOSHIM_RING_SIZE (k, M, G suffixes).  The exit
 * status is the command's: its code, or death by its signal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

static void drv_usage(void)
{
	fputs("usage: goshim-trace [--ring PATH] [--frames N] [--no-probe] "
	      "[--stats] [-v] -- CMD ARGS...\n", stderr);
	exit(2);
}

static uint64_t drv_size(const char *s)
{
	char *end;
	uint64_t v;

	if (!s || !*s) {
		return 0;
	}
	v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': return v << 10;
	case 'm': case 'M': return v << 20;
	case 'g': case 'G': return v << 30;
	default: return v;
	}
}

int main(int argc, char **argv)
{
	struct gs_trace_opts o = { .probe = 1 };
	struct gs_trace_stats st;
	char defring[64];
	int stats = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--ring") == 0 && i + 1 < argc) {
			o.ring_path = argv[++i];
		} else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
			o.frames = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--no-probe") == 0) {
			o.probe = 0;
		} else if (strcmp(argv[i], "--stats") == 0) {
			stats = 1;
		} else if (strcmp(argv[i], "-v") == 0) {
			o.verbose = 1;
		} else if (argv[i][0] == '-') {
			drv_usage();
		} else {
			break;
		}
	}
	if (i >= argc) {
		drv_usage();
	}
	if (!o.ring_path) {
		o.ring_path = getenv("GOSHIM_RING");
	}
	if (!o.ring_path || !*o.ring_path) {
		snprintf(defring, sizeof(defring), "/tmp/goshim-%u.ring", (unsigned)geteuid());
		o.ring_path = defring;
	}
	o.ring_size = drv_size(getenv("GOSHIM_RING_SIZE"));
	if (gs_trace_run(&o, argv + i, &st) < 0) {
		perror("goshim-trace: fork");
		return 125;
	}
	if (stats) {
		fprintf(stderr, "goshim-trace: traced=%d tasks=%llu seccomp_stops=%llu "
			"signal_stops=%llu failures=%llu records=%llu\n", st.traced,
			(unsigned long long)st.tasks, (unsigned long long)st.seccomp_stops,
			(unsigned long long)st.signal_stops, (unsigned long long)st.events,
			(unsigned long long)st.records);
	}
	gs_trace_exit_like(st.status);
}
