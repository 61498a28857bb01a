/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl under another name, the way ccache masquerades as the
 * compiler: a directory of links (`go` -> goshimctl) put first on PATH.
 * The real program is the next one of that name on PATH; every entry that
 * is goshimctl itself (same device and inode as /proc/self/exe) is
 * skipped, so a link can never run itself. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "run.h"
#include "runstart.h"
#include "trace.h"

/* First executable regular file `name` on PATH that is not `self`. */
static int mq_find(const char *name, const struct stat *self, char *out, size_t cap)
{
	const char *p = getenv("PATH");

	if (!p) {
		p = "/bin:/usr/bin";
	}
	while (1) {
		const char *end = strchrnul(p, ':');
		int dl = (int)(end - p);
		struct stat st;

		if (snprintf(out, cap, "%.*s/%s", dl ? dl : 1, dl ? p : ".", name) < (int)cap &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    !(st.st_dev == self->st_dev && st.st_ino == self->st_ino) &&
		    access(out, X_OK) == 0) {
			return 0;
		}
		if (!*end) {
			return -1;
		}
		p = end + 1;
	}
}

int gs_masquerade(int argc, char **argv)
{
	struct gs_trace_opts o = { .probe = 1 };
	struct gs_trace_stats st;
	const char *name = strrchr(argv[0], '/');
	char path[PATH_MAX];
	struct stat self;

	name = name ? name + 1 : argv[0];
	if (stat("/proc/self/exe", &self) < 0) {
		fprintf(stderr, "goshimctl (as %s): /proc/self/exe: %s\n", name, strerror(errno));
		return 127;
	}
	if (mq_find(name, &self, path, sizeof(path)) < 0) {
		fprintf(stderr, "goshimctl (as %s): no other %s on PATH\n", name, name);
		return 127;
	}
	/* a link run inside a supervised tree: the real program directly */
	if (goshim_supervised()) {
		execv(path, argv);
		fprintf(stderr, "goshimctl (as %s): %s: %s\n", name, path, strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	o.exec_path = path;
	gs_run_join(); /* each go outside a run is a run; the ring is kept */
	o.ring_path = gs_run_default_ring("goshimctl", 1, NULL);
	o.ring_size = gs_run_size(getenv("GOSHIM_RING_SIZE"));
	prctl(PR_SET_NAME, "goshimctl");
	if (gs_trace_run(&o, argv, &st) < 0) {
		fprintf(stderr, "goshimctl (as %s): fork: %s\n", name, strerror(errno));
		return 125;
	}
	(void)argc;
	gs_trace_exit_like(st.status);
}

void gs_cmd_shims_usage(FILE *f)
{
	fputs("usage: goshimctl shims DIR\n"
	      "\nCreate DIR and its missing parents (mode 0755, as mkdir -p) holding a\n"
	      "link `go` to this goshimctl.  Put DIR first on PATH and every `go` runs\n"
	      "under the trace engine:\n"
	      "  goshimctl shims ~/.goshim/bin && export PATH=~/.goshim/bin:$PATH\n"
	      "\n  -h, --help    this help\n", f);
}

/* mkdir -p dir, mode 0755 (less the umask) for each directory made. */
static int mq_mkdirs(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p)) {
		errno = n ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s) {
			continue;
		}
		char c = *s;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			return -1;
		}
		*s = c;
		if (!c) {
			break;
		}
	}
	if (stat(dir, &st) < 0) {
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static const struct option mq_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int gs_cmd_shims(int argc, char **argv)
{
	char self[PATH_MAX], link[PATH_MAX], cur[PATH_MAX];
	ssize_t n;
	int c;

	optind = 1;
	while ((c = gs_cli_opt(argc, argv, "h", mq_options)) != -1) {
		if (c != 'h') {
			return GS_EXIT_USAGE;
		}
		gs_cmd_shims_usage(stdout);
		return GS_EXIT_OK;
	}
	if (optind != argc - 1) {
		return gs_cli_usage_error("shims", optind >= argc ? "no directory given" :
					  "one directory only");
	}
	argv += optind - 1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr, "goshimctl shims: /proc/self/exe: %s\n", strerror(errno));
		return 1;
	}
	self[n] = 0;
	if (mq_mkdirs(argv[1]) < 0) {
		fprintf(stderr, "goshimctl shims: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (snprintf(link, sizeof(link), "%s/go", argv[1]) >= (int)sizeof(link)) {
		fprintf(stderr, "goshimctl shims: %s: path too long\n", argv[1]);
		return 1;
	}
	n = readlink(link, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = 0;
		if (strcmp(cur, self) == 0) {
			return 0; /* already there */
		}
	}
	if (n >= 0 || errno != ENOENT) {
		fprintf(stderr, "goshimctl shims: %s exists and is not a link to %s\n",
			link, self);
		return 1;
	}
	if (symlink(self, link) < 0) {
		fprintf(stderr, "goshimctl shims: %s: %s\n", link, strerror(errno));
		return 1;
	}
	return 0;
}
