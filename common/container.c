/* SPDX-License-Identifier: Apache-2.0 */
/* Container evidence (container.h): raw system calls, no libc. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sys.h"

/* The inode numbers of the initial namespaces (include/linux/proc_ns.h). */
#define CT_INIT_USER   0xEFFFFFFDul
#define CT_INIT_PID    0xEFFFFFFCul
#define CT_INIT_CGROUP 0xEFFFFFFBul
#define CT_CAP_SYS_ADMIN 21

/* Groups of container managers in /proc/self/cgroup, and the engine each
 * one names (the systemd driver's "docker-ID.scope", cgroupfs' "/docker/ID",
 * GitHub Actions' job containers, podman's "libpod-ID.scope" ...). */
static const struct {
	const char *mark;
	const char *engine;
} ct_cgroups[] = {
	{ "/docker/", "docker" },        { "/docker-", "docker" },
	{ "/actions_job/", "docker" },   { "/libpod-", "podman" },
	{ "/libpod_parent", "podman" },  { "/machine.slice/libpod", "podman" },
	{ "kubepods", "kubernetes" },    { "/lxc/", "lxc" },
	{ "lxc.payload", "lxc" },        { "cri-containerd-", "containerd" },
	{ "/buildkit/", "buildkit" },
};

/* The namespaces read, the bit each sets, and its initial inode. */
static const struct {
	const char *name;
	uint32_t bit;
	unsigned long init;
} ct_ns[] = {
	{ "/ns/pid", GOSHIM_CTR_PIDNS, CT_INIT_PID },
	{ "/ns/user", GOSHIM_CTR_USERNS, CT_INIT_USER },
	{ "/ns/cgroup", GOSHIM_CTR_CGROUPNS, CT_INIT_CGROUP },
};

static size_t ct_len(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

/* a followed by b into dst[0..cap): 0, or -1 when it does not fit. */
static int ct_join(char *dst, size_t cap, const char *a, const char *b)
{
	size_t la = ct_len(a), lb = ct_len(b);

	if (la + lb + 1 > cap) {
		return -1;
	}
	for (size_t i = 0; i < la; i++) {
		dst[i] = a[i];
	}
	for (size_t i = 0; i <= lb; i++) {
		dst[la + i] = b[i];
	}
	return 0;
}

static const char *ct_find(const char *hay, const char *needle)
{
	size_t n = ct_len(needle);

	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] == needle[i]) {
			i++;
		}
		if (i == n) {
			return hay;
		}
	}
	return NULL;
}

/* The file a+b into buf, NUL-terminated: its length, or -errno. */
static long ct_read(const char *a, const char *b, char *buf, size_t cap)
{
	char path[160];
	long fd, n, got = 0;

	if (ct_join(path, sizeof(path), a, b) < 0) {
		return -ENAMETOOLONG;
	}
	if ((fd = gs_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0)) < 0) {
		return fd;
	}
	/* a short read is the end (a /proc file gives all it has at once) */
	while ((size_t)got < cap - 1 &&
	       (n = gs_sys3(SYS_read, fd, buf + got, cap - 1 - (size_t)got)) > 0) {
		got += n;
		if ((size_t)n < cap - 1 - (size_t)(got - n)) {
			break;
		}
	}
	gs_sys1(SYS_close, fd);
	buf[got] = 0;
	return got;
}

static int ct_exists(const char *a, const char *b)
{
	char path[160];

	return ct_join(path, sizeof(path), a, b) == 0 &&
	       gs_sys4(SYS_faccessat, AT_FDCWD, path, F_OK, 0) == 0;
}

/* s up to the first of stop (or its end) into dst[0..cap), NUL-padded. */
static void ct_copy(char *dst, size_t cap, const char *s, char stop)
{
	size_t i = 0;

	for (; i < cap - 1 && s[i] && s[i] != stop && s[i] != '\n'; i++) {
		dst[i] = s[i];
	}
	for (; i < cap; i++) {
		dst[i] = 0;
	}
}

static void ct_namespaces(struct goshim_t_container *c, const char *proc, char *buf, size_t cap)
{
	for (size_t i = 0; i < sizeof(ct_ns) / sizeof(ct_ns[0]); i++) {
		char path[160];
		unsigned long ino = 0;
		long n;

		if (ct_join(path, sizeof(path), proc, ct_ns[i].name) < 0 ||
		    (n = gs_sys4(SYS_readlinkat, AT_FDCWD, path, buf, cap - 1)) <= 0) {
			continue;
		}
		buf[n] = 0;
		const char *p = ct_find(buf, "[");
		if (!p) {
			continue;
		}
		for (p++; *p >= '0' && *p <= '9'; p++) {
			ino = ino * 10 + (unsigned long)(*p - '0');
		}
		if (ct_ns[i].bit == GOSHIM_CTR_PIDNS) {
			c->evidence |= GOSHIM_CTR_NS_READ;
		}
		if (ino != ct_ns[i].init) {
			c->evidence |= ct_ns[i].bit;
		}
	}
}

static void ct_capbnd(struct goshim_t_container *c, const char *status)
{
	const char *p;
	uint64_t bnd = 0;

	if (!(p = ct_find(status, "CapBnd:"))) {
		return;
	}
	for (p += 7; *p == ' ' || *p == '\t'; p++) {
	}
	for (;; p++) {
		unsigned d = *p >= '0' && *p <= '9' ? (unsigned)(*p - '0') :
			     *p >= 'a' && *p <= 'f' ? (unsigned)(*p - 'a' + 10) : 16;
		if (d == 16) {
			break;
		}
		bnd = bnd << 4 | d;
	}
	if (!(bnd >> CT_CAP_SYS_ADMIN & 1)) {
		c->evidence |= GOSHIM_CTR_NO_SYS_ADMIN;
	}
}

static void ct_cgroup(struct goshim_t_container *c, const char *proc, char *buf, size_t cap)
{
	if (ct_read(proc, "/cgroup", buf, cap) <= 0) {
		return;
	}
	for (size_t i = 0; i < sizeof(ct_cgroups) / sizeof(ct_cgroups[0]); i++) {
		if (ct_find(buf, ct_cgroups[i].mark)) {
			c->evidence |= GOSHIM_CTR_CGROUP;
			if (!c->engine[0]) {
				ct_copy(c->engine, sizeof(c->engine), ct_cgroups[i].engine, 0);
			}
			return;
		}
	}
}

void gs_container_read(struct goshim_t_container *c, const char *proc, const char *root,
		       const char *env, const char *status, char *buf, size_t cap)
{
	const char *p;
	long n;

	for (size_t i = 0; i < sizeof(*c); i++) {
		((char *)c)[i] = 0;
	}
	/* first: status may live in buf */
	if (status || ct_read(proc, "/status", buf, cap) > 0) {
		ct_capbnd(c, status ? status : buf);
	}
	/* the engine: podman's own file names it ("engine=\"podman-4.3.1\"",
	 * filled in for --privileged containers), then $container, then
	 * docker's mark, then the cgroup's manager */
	if ((n = ct_read(root, "/run/.containerenv", buf, cap)) >= 0) {
		c->evidence |= GOSHIM_CTR_CONTAINERENV;
		p = ct_find(buf, "engine=\"");
		ct_copy(c->engine, sizeof(c->engine), p ? p + 8 : "podman", '"');
	} else if (n != -ENOENT && n != -ENOTDIR && ct_exists(root, "/run/.containerenv")) {
		c->evidence |= GOSHIM_CTR_CONTAINERENV; /* there, not readable */
		ct_copy(c->engine, sizeof(c->engine), "podman", 0);
	}
	if (env && *env) {
		c->evidence |= GOSHIM_CTR_ENV;
		if (!c->engine[0]) {
			ct_copy(c->engine, sizeof(c->engine), env, 0);
		}
	}
	if (ct_exists(root, "/.dockerenv")) {
		c->evidence |= GOSHIM_CTR_DOCKERENV;
		if (!c->engine[0]) {
			ct_copy(c->engine, sizeof(c->engine), "docker", 0);
		}
	}
	ct_cgroup(c, proc, buf, cap);
	ct_namespaces(c, proc, buf, cap);
	if (ct_read(root, "/proc/1/comm", buf, cap) > 0) {
		ct_copy(c->pid1, sizeof(c->pid1), buf, 0);
	}
}

int gs_container_is(const struct goshim_t_container *c)
{
	const uint32_t marks = GOSHIM_CTR_CONTAINERENV | GOSHIM_CTR_ENV | GOSHIM_CTR_CGROUP;
	const uint32_t apart = GOSHIM_CTR_PIDNS | GOSHIM_CTR_USERNS | GOSHIM_CTR_CGROUPNS |
			       GOSHIM_CTR_NO_SYS_ADMIN;
	const uint32_t sandbox = GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN;
	uint32_t e = c->evidence;

	if ((e & marks) || (e & sandbox) == sandbox) {
		return 1;
	}
	/* /.dockerenv is a file of the image: a VM or chroot made from a
	 * container image keeps it in the initial namespaces with every
	 * capability, and is a host */
	return (e & GOSHIM_CTR_DOCKERENV) && (!(e & GOSHIM_CTR_NS_READ) || (e & apart));
}

const char *gs_container_cli(const struct goshim_t_container *c)
{
	/* bounded: a ring's engine need not be NUL-terminated */
	static const char podman[] = "podman";

	for (size_t i = 0; i < sizeof(podman) - 1; i++) {
		if (c->engine[i] != podman[i]) {
			return "docker";
		}
	}
	return "podman";
}
