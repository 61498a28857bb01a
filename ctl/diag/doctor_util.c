/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of doctor's checks: PATH lookup, the mount of a path, probes in
 * a child. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doctor.h"
#include "mountinfo.h"

static int du_is_exec(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *gs_doc_which(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!prog || !*prog) {
		return NULL;
	}
	if (strchr(prog, '/')) {
		return du_is_exec(prog) ? gs_xstrdup(prog) : NULL;
	}
	if (!path) {
		path = "/usr/local/bin:/usr/bin:/bin";
	}
	for (const char *d = path; *d;) {
		size_t n = strcspn(d, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", n ? (int)n : 1, n ? d : ".", prog);
		if (du_is_exec(buf)) {
			return gs_xstrdup(buf);
		}
		d += n;
		if (*d == ':') {
			d++;
		}
	}
	return NULL;
}

/* The mount holding path, as the engines find it (common/mountinfo.h). */
void gs_doc_mount_facts(const char *path, struct gs_facts *f)
{
	static char work[64 * 1024];
	char real[PATH_MAX], line[PATH_MAX + 1024], *point, *type, *opts;
	struct statx sx;
	uint64_t id = 0;
	int mi;

	if (!realpath(path, real)) {
		snprintf(real, sizeof(real), "%s", path);
	}
	if (statx(AT_FDCWD, real, AT_STATX_DONT_SYNC, STATX_MNT_ID, &sx) == 0 &&
	    (sx.stx_mask & STATX_MNT_ID)) {
		id = sx.stx_mnt_id;
	}
	mi = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (mi < 0) {
		return;
	}
	long n = gs_mount_find(gs_mi_read_fd, &mi, real, id, line, sizeof(line), work,
			       sizeof(work));
	close(mi);
	if (n > 0 && gs_mount_split(line, &point, &type, &opts) == 0) {
		gs_facts_set(f, "mount", "%s", point);
		gs_facts_set(f, "fstype", "%s", type);
		gs_facts_set(f, "mount_opts", "%s", opts);
	}
}

int gs_doc_in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		return GS_DOC_NO_CHILD;
	}
	if (pid == 0) {
		_exit(fn() & 0xff);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			return GS_DOC_NO_CHILD;
		}
	}
	if (WIFSIGNALED(status)) {
		return -WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
