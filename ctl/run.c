/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl run: the command line of the trace engine (trace/trace.h). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "run.h"
#include "runstart.h"
#include "trace.h"

/* exit status when the command could not be started at all */
#define RUN_EXIT_FAIL 125

enum { RUN_O_RING = 256, RUN_O_FRAMES, RUN_O_NOPROBE, RUN_O_STATS, RUN_O_ATTACH, RUN_O_APPEND };

static const struct option run_options[] = {
	{ "ring", required_argument, NULL, RUN_O_RING },
	{ "frames", required_argument, NULL, RUN_O_FRAMES },
	{ "no-probe", no_argument, NULL, RUN_O_NOPROBE },
	{ "stats", no_argument, NULL, RUN_O_STATS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "attach", required_argument, NULL, RUN_O_ATTACH },
	{ "append", no_argument, NULL, RUN_O_APPEND },
	{ NULL, 0, NULL, 0 },
};

void gs_cmd_run_usage(FILE *f)
{
	fputs("usage: goshimctl run [--ring PATH] [--append] [--frames N] [--no-probe] [--stats]\n"
	      "                     [-v] -- CMD [ARGS...]\n"
	      "\nRun CMD and its whole process tree under the trace engine (a seccomp\n"
	      "filter whose notifications goshimctl answers; ptrace for single calls;\n"
	      "as root an eBPF watcher that hands over only the failed calls, unless\n"
	      "GOSHIM_TRACE_EBPF=0) and record every failed watched system call into\n"
	      "the ring.\n"
	      "CMD's exit status, or its death signal, becomes goshimctl's own.\n"
	      "\n  --ring PATH   ring file (default $GOSHIM_RING, else $XDG_RUNTIME_DIR/goshim.ring\n"
	      "                or /tmp/goshim-EUID/goshim.ring)\n"
	      "  --append      record after what the ring holds; without it a run that\n"
	      "                starts here (no $GOSHIM_RUN to join) starts a fresh ring\n"
	      "  --frames N    frames per backtrace (default 16)\n"
	      "  --no-probe    do not probe which watched calls the seccomp policy denies\n"
	      "  --stats       print the engine's counters on stderr at the end\n"
	      "  -v, --verbose the engine's decisions on stderr, a line each; -vv: detail\n"
	      "  -h, --help    this help\n"
	      "\nInvoked under another name (a link `go` -> goshimctl first on PATH),\n"
	      "goshimctl runs the next `go` on PATH under the engine.  See goshimctl(1).\n", f);
}

unsigned long long gs_run_size(const char *s)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9') {
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno) {
		return 0;
	}
	static const struct { char c; unsigned shift; } sfx[] = {
		{ 'k', 10 }, { 'K', 10 }, { 'm', 20 }, { 'M', 20 }, { 'g', 30 }, { 'G', 30 },
	};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (*end == sfx[i].c) {
			return end[1] ? 0 : v << sfx[i].shift;
		}
	}
	return *end ? 0 : v;
}

#define run_usage_error(...) gs_cli_usage_error("run", __VA_ARGS__)

static void run_print_stats(const struct gs_trace_stats *st)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		fprintf(stderr, "goshimctl: engine cpu user %.3f s sys %.3f s\n",
			(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	}
	fprintf(stderr, "goshimctl: traced=%d tasks=%llu kernel_events=%llu notifications=%llu "
		"predicted=%llu answered=%llu followed=%llu unfollowed=%llu signal_stops=%llu "
		"failures=%llu records=%llu repeats=%llu kernel_drains=%llu known_repeats=%llu\n",
		st->traced,
		(unsigned long long)st->tasks, (unsigned long long)st->kernel_events,
		(unsigned long long)st->notifications,
		(unsigned long long)st->predicted, (unsigned long long)st->answered,
		(unsigned long long)st->followed, (unsigned long long)st->unfollowed,
		(unsigned long long)st->signal_stops, (unsigned long long)st->events,
		(unsigned long long)st->records, (unsigned long long)st->repeats,
		(unsigned long long)st->kernel_drains, (unsigned long long)st->known_repeats);
}

/* The helper of a hand-over: its pipes are GOSHIM_HO_FD_IN and GOSHIM_HO_FD_OUT. */
static int run_attach(const struct gs_trace_opts *o, const char *pidstr)
{
	struct gs_trace_stats st;
	char *end;
	long pid = strtol(pidstr, &end, 10);
	int rc;

	if (*end || pid <= 0) {
		return run_usage_error("--attach needs a pid, not %s", pidstr);
	}
	/* the host may have given up and closed the socket: a write must
	 * fail, not kill us (and, through EXITKILL, the host) */
	signal(SIGPIPE, SIG_IGN);
	rc = gs_trace_attach(o, (pid_t)pid, GOSHIM_HO_FD_IN, GOSHIM_HO_FD_OUT, &st);
	if (rc < 0 && o->verbose) {
		fprintf(stderr, "goshimctl: hand-over of %ld: %s\n", pid, strerror(-rc));
	}
	return rc < 0 ? 1 : 0;
}

int gs_cmd_run(int argc, char **argv)
{
	struct gs_trace_opts o = { .probe = 1 };
	struct gs_trace_stats st;
	const char *attach = NULL;
	int c, stats = 0, append = 0;

	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "hv", run_options)) != -1) {
		switch (c) {
		case RUN_O_RING:
			o.ring_path = optarg;
			break;
		case RUN_O_FRAMES:
			o.frames = (unsigned)gs_run_size(optarg);
			if (o.frames == 0 || o.frames > 256) {
				return run_usage_error("--frames wants 1..256, not %s", optarg);
			}
			break;
		case RUN_O_NOPROBE:
			o.probe = 0;
			break;
		case RUN_O_STATS:
			stats = 1;
			break;
		case RUN_O_ATTACH:
			attach = optarg;
			break;
		case RUN_O_APPEND:
			append = 1;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			gs_cmd_run_usage(stdout);
			return GS_EXIT_OK;
		default:
			return GS_EXIT_USAGE;
		}
	}
	if (!o.ring_path) {
		o.ring_path = gs_run_default_ring("goshimctl run", 1, NULL);
	}
	o.ring_size = gs_run_size(getenv("GOSHIM_RING_SIZE"));
	/* a masquerading link is named go: the engine is goshimctl in ps */
	prctl(PR_SET_NAME, "goshimctl");
	if (attach) {
		return run_attach(&o, attach);
	}
	if (optind >= argc) {
		return run_usage_error("no command given");
	}
	/* a new run, unless inside one (a CI job, an outer run): a fresh ring */
	if (gs_run_join() && !append && o.ring_path) {
		/* a file that is no ring of ours stays: the engine says so */
		gs_run_fresh_ring(o.ring_path);
	}
	if (gs_trace_run(&o, argv + optind, &st) < 0) {
		perror("goshimctl run: fork");
		return RUN_EXIT_FAIL;
	}
	if (stats) {
		run_print_stats(&st);
	}
	gs_trace_exit_like(st.status);
}
