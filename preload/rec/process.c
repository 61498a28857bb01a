/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PROCESS record: written once per process, before its first other
 * record.  Identity, argv, cwd, credentials, seccomp state, the limits
 * that explain Go failures, the Go-relevant environment and the kernel.
 */
#include "rec.h"

#include "container.h"
#include "procfacts.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys.h"

#define PR_SEEN 8u

/* Pids that got their PROCESS record.  A small ring rather than one pid:
 * a vfork child writes here too (shared memory), and its parent must not
 * take that as a new process of its own. */
static uint32_t pr_seen[PR_SEEN];
static unsigned pr_next;

/* Fields of /proc/self/status we keep, and where they go. */
static const struct {
	const char *key;
	size_t off;
} pr_status_keys[] = {
	{ "Seccomp:", offsetof(struct goshim_t_seccomp, mode) },
	{ "Seccomp_filters:", offsetof(struct goshim_t_seccomp, filters) },
	{ "NoNewPrivs:", offsetof(struct goshim_t_seccomp, no_new_privs) },
	{ "TracerPid:", offsetof(struct goshim_t_seccomp, tracer_pid) },
};

static int pr_seen_has(uint32_t pid)
{
	for (unsigned i = 0; i < PR_SEEN; i++) {
		if (__atomic_load_n(&pr_seen[i], __ATOMIC_RELAXED) == pid) {
			return 1;
		}
	}
	return 0;
}

static void pr_argv(struct gs_tlv *t, struct gs_slot *s)
{
	long n = gs_read_file("/proc/self/cmdline", s->work, sizeof(s->work));
	unsigned count = 0;

	for (long i = 0; i < n; count++) {
		if (count == GOSHIM_ARGV_MAX) {
			gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
			break;
		}
		gs_tlv_str(t, GOSHIM_T_ARGV, s->work + i);
		i += (long)gs_strlen(s->work + i) + 1;
	}
	if (n == (long)sizeof(s->work) - 1) {
		gs_tlv_mark_truncated(t, GOSHIM_T_ARGV);
	}
}

static int32_t pr_int(const char *p)
{
	int32_t v = 0, neg = 0;

	while (*p == ' ' || *p == '\t') {
		p++;
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p < '0' || *p > '9') {
		return -1;
	}
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
	}
	return neg ? -v : v;
}

/* The value of $name in environ, or NULL. */
static const char *pr_getenv(const char *name)
{
	size_t len = gs_strlen(name);

	for (char **e = environ; e && *e; e++) {
		size_t j = 0;
		while (j < len && (*e)[j] == name[j]) {
			j++;
		}
		if (j == len && (*e)[len] == '=') {
			return *e + len + 1;
		}
	}
	return NULL;
}

static void pr_container(struct gs_tlv *t, struct gs_slot *s, const char *status)
{
	struct goshim_t_container c;

	gs_container_read(&c, "/proc/self", "", pr_getenv("container"), status, s->work,
			  sizeof(s->work));
	gs_tlv_put(t, GOSHIM_T_CONTAINER, &c, sizeof(c));
}

/* /proc/self/status read once: the seccomp state, then the container
 * evidence (its bounding set is there). */
static void pr_status(struct gs_tlv *t, struct gs_slot *s)
{
	struct goshim_t_seccomp sc = { -1, -1, -1, -1 };
	long n = gs_read_file("/proc/self/status", s->work, sizeof(s->work));

	for (long i = 0; i < n;) {
		const char *line = s->work + i;
		for (size_t k = 0; k < sizeof(pr_status_keys) / sizeof(pr_status_keys[0]); k++) {
			size_t len = gs_strlen(pr_status_keys[k].key);
			size_t j = 0;
			while (j < len && line[j] == pr_status_keys[k].key[j]) {
				j++;
			}
			if (j == len) {
				*(int32_t *)((char *)&sc + pr_status_keys[k].off) = pr_int(line + len);
			}
		}
		while (i < n && s->work[i] != '\n') {
			i++;
		}
		i++;
	}
	gs_tlv_put(t, GOSHIM_T_SECCOMP, &sc, sizeof(sc));
	/* the same status text (gs_read_file ends it), for the bounding set */
	pr_container(t, s, n > 0 ? s->work : "");
}

static void pr_rlimit(struct gs_tlv *t)
{
	for (size_t i = 0; i < gs_proc_rlimits_n; i++) {
		struct rlimit64 rl;
		if (gs_sys4(SYS_prlimit64, 0, (unsigned)gs_proc_rlimits[i], NULL, &rl) < 0) {
			continue;
		}
		struct goshim_t_rlimit v = {
			.resource = (unsigned)gs_proc_rlimits[i],
			.cur = rl.rlim_cur, .max = rl.rlim_max,
		};
		gs_tlv_put(t, GOSHIM_T_RLIMIT, &v, sizeof(v));
	}
}

static void pr_env(struct gs_tlv *t, struct gs_slot *s)
{
	for (size_t k = 0; k < gs_proc_env_n; k++) {
		const char *v = pr_getenv(gs_proc_env[k]);
		if (v) {
			gs_proc_env_redact(s->tmp, sizeof(s->tmp), v - gs_strlen(gs_proc_env[k]) - 1);
			gs_tlv_str(t, GOSHIM_T_ENV, s->tmp);
		}
	}
}


static void pr_uname(struct gs_tlv *t, struct gs_slot *s)
{
	struct utsname *u = (struct utsname *)(void *)s->work;

	if (gs_sys1(SYS_uname, u) < 0) {
		return;
	}
	size_t n = gs_strlcpy(s->tmp, u->sysname, sizeof(s->tmp));
	n = gs_strlcat(s->tmp, n, " ", sizeof(s->tmp));
	n = gs_strlcat(s->tmp, n, u->release, sizeof(s->tmp));
	n = gs_strlcat(s->tmp, n, " ", sizeof(s->tmp));
	gs_strlcat(s->tmp, n, u->machine, sizeof(s->tmp));
	gs_tlv_str(t, GOSHIM_T_UNAME, s->tmp);
}

static void pr_write(struct gs_slot *s, uint32_t pid)
{
	struct gs_tlv t;

	gs_tlv_init(&t, s->raw, sizeof(s->raw));
	gs_put_ident(&t, s, pid);
	pr_argv(&t, s);
	if (gs_sys2(SYS_getcwd, s->tmp, sizeof(s->tmp)) > 0) {
		gs_tlv_str(&t, GOSHIM_T_CWD, s->tmp);
	}
	gs_put_cred(&t, s);
	pr_status(&t, s);
	pr_rlimit(&t);
	pr_env(&t, s);
	pr_uname(&t, s);
	if (gs_rec.conf.run[0]) {
		gs_tlv_str(&t, GOSHIM_T_RUN, gs_rec.conf.run);
	}
	gs_rec_emit(s, GOSHIM_REC_PROCESS, &t);
}

void gs_process_ensure(struct gs_slot *s, uint32_t pid)
{
	if (pr_seen_has(pid)) {
		return;
	}
	unsigned i = __atomic_fetch_add(&pr_next, 1, __ATOMIC_RELAXED) % PR_SEEN;
	__atomic_store_n(&pr_seen[i], pid, __ATOMIC_RELAXED);
	pr_write(s, pid);
}
