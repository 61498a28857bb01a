/* SPDX-License-Identifier: Apache-2.0 */
/* Why the in-kernel watcher cannot be used here (bpfwhy.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpfwhy.h"
#include "cgpids.h"   /* gs_cgpids_read: a small file, its newline dropped */

#define BW_CAP_SYS_ADMIN 21
#define BW_CAP_PERFMON 38
#define BW_CAP_BPF 39

struct bw_out {
	char *buf;
	size_t cap, len;
	int n;
};

static void bw_add(struct bw_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bw_add(struct bw_out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->len + 2 >= o->cap) {
		o->n++;
		return;
	}
	if (o->n++) {
		o->len += (size_t)snprintf(o->buf + o->len, o->cap - o->len, "; ");
	}
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len = w < 0 ? o->len : o->len + (size_t)w < o->cap ? o->len + (size_t)w : o->cap - 1;
}

/* The effective capability set, from /proc/self/status; 0 when unknown. */
static unsigned long long bw_capeff(void)
{
	char st[4096];
	const char *p;

	if (gs_cgpids_read("/proc/self", "status", st, sizeof(st)) < 0) {
		return 0;
	}
	p = strstr(st, "\nCapEff:");
	return p ? strtoull(p + 8, NULL, 16) : 0;
}

static void bw_caps(struct bw_out *o)
{
	unsigned long long c = bw_capeff();
	char unpriv[16];

	if (c & (1ull << BW_CAP_SYS_ADMIN) ||
	    ((c & (1ull << BW_CAP_BPF)) && (c & (1ull << BW_CAP_PERFMON)))) {
		return;
	}
	/* unprivileged_bpf_disabled: said for completeness; no setting lets
	 * a user without CAP_BPF load a tracing program */
	if (gs_cgpids_read("/proc/sys/kernel", "unprivileged_bpf_disabled", unpriv, sizeof(unpriv)) < 0) {
		snprintf(unpriv, sizeof(unpriv), "?");
	}
	bw_add(o, "%s without CAP_BPF and CAP_PERFMON (kernel.unprivileged_bpf_disabled=%s)",
	       geteuid() == 0 ? "root" : "not root", unpriv);
}

static void bw_kernel(struct bw_out *o)
{
	struct utsname u;
	int major = 0, minor = 0;
	char lock[128];

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		bw_add(o, "no kernel BTF at /sys/kernel/btf/vmlinux (a kernel without "
		       "CONFIG_DEBUG_INFO_BTF, or /sys not mounted)");
	}
	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	    (major < 5 || (major == 5 && minor < 17))) {
		bw_add(o, "Linux %d.%d, older than 5.17 (bpf_loop)", major, minor);
	}
	if (gs_cgpids_read("/sys/kernel/security", "lockdown", lock, sizeof(lock)) == 0 &&
	    strstr(lock, "[confidentiality]")) {
		bw_add(o, "kernel lockdown in confidentiality mode");
	}
}

int gs_bpf_obstacles(char *buf, size_t cap)
{
	struct bw_out o = { .buf = buf, .cap = cap };
	const char *v = getenv("GOSHIM_TRACE_EBPF");

	buf[0] = 0;
	if (v && strcmp(v, "0") == 0) {
		bw_add(&o, "GOSHIM_TRACE_EBPF=0");
	}
	bw_caps(&o);
	bw_kernel(&o);
	return o.n;
}
