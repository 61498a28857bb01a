/* SPDX-License-Identifier: Apache-2.0 */
/* PROCESS records (identity, argv, cwd, Go-relevant environment, seccomp
 * state, rlimits, uname) and EXIT records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "goshim/record.h"
#include "tr.h"

#define PR_BUF_MAX (256 * 1024)

static const char *const pr_env[] = {
	"GOCACHE", "GOMODCACHE", "GOTMPDIR", "TMPDIR", "GOROOT", "GOPATH",
	"GOFLAGS", "GOENV", "CGO_ENABLED", "CC", "CXX", "PATH", "HOME",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GODEBUG", "GOTOOLCHAIN", "GOOS",
	"GOARCH",
};

static const int pr_limits[] = { RLIMIT_AS, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_FSIZE };

static int pr_env_wanted(const char *kv)
{
	for (size_t i = 0; i < sizeof(pr_env) / sizeof(pr_env[0]); i++) {
		size_t n = strlen(pr_env[i]);

		if (strncmp(kv, pr_env[i], n) == 0 && kv[n] == '=') {
			return 1;
		}
	}
	return 0;
}

void tr_put_seccomp(struct gs_tlv *t, const char *status)
{
	struct goshim_t_seccomp s = {
		.mode = (int32_t)tr_status_field(status, "\nSeccomp:", -1),
		.filters = (int32_t)tr_status_field(status, "\nSeccomp_filters:", -1),
		.no_new_privs = (int32_t)tr_status_field(status, "\nNoNewPrivs:", -1),
		.tracer_pid = (int32_t)tr_status_field(status, "\nTracerPid:", -1),
	};
	gs_tlv_put(t, GOSHIM_T_SECCOMP, &s, sizeof(s));
}

/* NUL-separated strings of /proc/pid/<what>, each passed to put(). */
static void pr_strings(struct gs_tlv *t, pid_t pid, const char *what, char *buf,
		       int argv)
{
	ssize_t n = tr_proc_read(pid, what, buf, PR_BUF_MAX);
	unsigned count = 0;

	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
		if (!argv) {
			if (pr_env_wanted(buf + i)) {
				gs_tlv_str(t, GOSHIM_T_ENV, buf + i);
			}
		} else if (count++ < GOSHIM_ARGV_MAX) {
			gs_tlv_str(t, GOSHIM_T_ARGV, buf + i);
		} else {
			gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
			break;
		}
	}
}

void tr_process_record(pid_t pid)
{
	static uint8_t rec[GOSHIM_REC_RAW_MAX];
	static char buf[PR_BUF_MAX]; /* single-threaded tracer */
	char status[4096], cwd[4096];
	struct utsname u;
	struct gs_tlv t;

	tr_proc_read(pid, "status", status, sizeof(status));
	tr_rec_begin(&t, rec, sizeof(rec), pid, pid,
		     (pid_t)tr_status_field(status, "\nPPid:", 0));
	pr_strings(&t, pid, "cmdline", buf, 1);
	if (tr_proc_link(pid, "cwd", cwd, sizeof(cwd)) == 0) {
		gs_tlv_str(&t, GOSHIM_T_CWD, cwd);
	}
	pr_strings(&t, pid, "environ", buf, 0);
	tr_put_seccomp(&t, status);
	for (size_t i = 0; i < sizeof(pr_limits) / sizeof(pr_limits[0]); i++) {
		struct rlimit rl;

		if (prlimit(pid, pr_limits[i], NULL, &rl) == 0) {
			struct goshim_t_rlimit r = {
				.resource = (uint32_t)pr_limits[i],
				.cur = rl.rlim_cur, .max = rl.rlim_max,
			};
			gs_tlv_put(&t, GOSHIM_T_RLIMIT, &r, sizeof(r));
		}
	}
	if (uname(&u) == 0) {
		char s[sizeof(u.sysname) + sizeof(u.release) + sizeof(u.machine) + 3];

		snprintf(s, sizeof(s), "%s %s %s", u.sysname, u.release, u.machine);
		gs_tlv_str(&t, GOSHIM_T_UNAME, s);
	}
	tr_rec_emit(&t, GOSHIM_REC_PROCESS);
}

void tr_exit_record(pid_t pid, int status)
{
	uint8_t rec[512];
	struct gs_tlv t;

	/* the process is gone: no /proc facts, identity by number only */
	tr_rec_begin(&t, rec, sizeof(rec), 0, 0, 0);
	gs_tlv_u32(&t, GOSHIM_T_PID, (uint32_t)pid);
	gs_tlv_u32(&t, GOSHIM_T_CHILD, (uint32_t)pid);
	gs_tlv_i32(&t, GOSHIM_T_STATUS, status);
	tr_rec_emit(&t, GOSHIM_REC_EXIT);
}
