/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration parsing and lexical path helpers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evpolicy.h"
#include "mountinfo.h"
#include "rec.h"
#include "util.h"

Test(conf, sizes)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "12", 12 }, { "512k", 512u << 10 }, { "4M", 4u << 20 },
		{ "1G", 1ull << 30 }, { "3m", 3u << 20 },
	};
	static const char *const bad[] = {
		"", "k", "4X", "4MB", "-1", " 4", "99999999999999999999", "17179869184G",
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(gs_rec_parse_size(ok[i].s, &v), 0, "%s", ok[i].s);
		cr_assert_eq(v, ok[i].v, "%s -> %lu", ok[i].s, (unsigned long)v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(gs_rec_parse_size(bad[i], &v), -1, "'%s' accepted", bad[i]);
	}
}

Test(conf, modes)
{
	unsigned m;

	cr_assert_eq(gs_rec_parse_mode("0644", &m), 0);
	cr_assert_eq(m, 0644);
	cr_assert_eq(gs_rec_parse_mode("600", &m), 0);
	cr_assert_eq(m, 0600);
	cr_assert_eq(gs_rec_parse_mode("0640", &m), 0);
	cr_assert_eq(m, 0640);
	cr_assert_eq(gs_rec_parse_mode("", &m), -1);
	cr_assert_eq(gs_rec_parse_mode("0698", &m), -1);
	cr_assert_eq(gs_rec_parse_mode("177777", &m), -1);
	/* permission bits that keep the ring its owner's alone, nothing else:
	 * no group/other write (they could truncate it under the writers),
	 * no setuid/setgid/sticky, and the owner reads and writes */
	static const char *const bad[] = { "0666", "0660", "0602", "6777", "4600", "1600",
					   "0400", "0700", "0744" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(gs_rec_parse_mode(bad[i], &m), -1, "%s accepted", bad[i]);
	}
}

/* A setuid program (AT_SECURE) cannot be steered by its caller's
 * environment: only the variables that turn goshim off are read. */
Test(conf, secure_process_ignores_the_environment)
{
	struct gs_rec_conf c;

	setenv("GOSHIM_RING", "/home/mallory/evil.ring", 1);
	setenv("GOSHIM_RING_SIZE", "1G", 1);
	setenv("GOSHIM_RING_MODE", "0644", 1);
	setenv("GOSHIM_DEBUG", "1", 1);
	setenv("GOSHIM_BACKTRACE", "0", 1);
	setenv("GOSHIMCTL", "/home/mallory/goshimctl", 1);
	setenv("GOSHIM_HANDOVER", "0", 1);
	gs_rec.secure = 1;
	setenv("XDG_RUNTIME_DIR", "/home/mallory", 1);
	gs_rec_conf_parse(&c, gs_rec_getenv, 0);
	cr_assert_str_eq(c.ring_path, "", "the default ring is looked up at the first failure");
	gs_rec_ring_path(&c);
	cr_assert_str_eq(c.ring_path, "/tmp/goshim-0/goshim.ring",
			 "the default ring of euid 0, never under XDG_RUNTIME_DIR or HOME");
	unsetenv("XDG_RUNTIME_DIR");
	cr_assert_eq(c.ring_size, GOSHIM_RING_DEF_DATA);
	cr_assert_eq(c.ring_mode, 0600);
	cr_assert_eq(c.debug, 0);
	cr_assert_eq(c.backtrace, 0, "GOSHIM_BACKTRACE=0 only turns something off");
	cr_assert_null(gs_rec_getenv("GOSHIMCTL"));
	cr_assert_str_eq(gs_rec_getenv("GOSHIM_HANDOVER"), "0");
	setenv("GOSHIM_DISABLE", "1", 1);
	gs_rec_conf_parse(&c, gs_rec_getenv, 0);
	cr_assert_eq(c.disable, 1);

	gs_rec.secure = 0;
	gs_rec_conf_parse(&c, gs_rec_getenv, 0);
	cr_assert_str_eq(c.ring_path, "/home/mallory/evil.ring");
	cr_assert_str_eq(gs_rec_getenv("GOSHIMCTL"), "/home/mallory/goshimctl");
}

/* A relative GOSHIM_RING is made absolute once, in the environment the
 * process's children inherit. */
Test(conf, relative_ring_made_absolute_once)
{
	char dir[] = "/tmp/gs-conf-test.XXXXXX";
	char want[64];

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	setenv("GOSHIM_RING", "sub/../r.ring", 1);
	cr_assert_eq(mkdir("sub", 0700), 0);
	gs_setup();
	snprintf(want, sizeof(want), "%s/sub/../r.ring", dir);
	cr_assert_str_eq(gs_rec.conf.ring_path, want);
	cr_assert_str_eq(getenv("GOSHIM_RING"), want);
	cr_assert_eq(gs_rec.state, GS_REC_ARMED, "recording into %s", want);
	cr_assert_eq(access("r.ring", F_OK), -1, "the ring waits for the first failure");
	gs_ring_detach(&gs_rec.ring);
	rmdir("sub");
	cr_assert_eq(chdir("/"), 0);
	rmdir(dir);
}

static const char *fake_env(const char *name)
{
	static const char *const kv[][2] = {
		{ "GOSHIM_RING_SIZE", "junk" }, { "GOSHIM_RING_MODE", "0640" },
		{ "GOSHIM_BACKTRACE", "0" }, { "GOSHIM_DEBUG", "0" },
		{ "XDG_RUNTIME_DIR", "/nonexistent-xdg" },
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		if (!strcmp(kv[i][0], name)) {
			return kv[i][1];
		}
	}
	return NULL;
}

Test(conf, defaults_and_invalid)
{
	struct gs_rec_conf c;
	char want[64];

	gs_rec_conf_parse(&c, fake_env, (unsigned)geteuid());
	gs_rec_ring_path(&c);
	snprintf(want, sizeof(want), "/tmp/goshim-%u/goshim.ring", (unsigned)geteuid());
	cr_assert_str_eq(c.ring_path, want, "no usable XDG_RUNTIME_DIR: /tmp/goshim-EUID/");
	cr_assert_eq(c.ring_size, GOSHIM_RING_DEF_DATA, "invalid size must give the default");
	cr_assert_eq(c.ring_mode, 0640);
	cr_assert_eq(c.backtrace, 0);
	cr_assert_eq(c.disable, 0);
	cr_assert_eq(c.debug, 0);
}

Test(path, absolute_folding)
{
	char out[4096];

	cr_assert_eq(gs_abspath(out, sizeof(out), 0, AT_FDCWD, "/a//b/./c/../d/"), 0);
	cr_assert_str_eq(out, "/a/b/d");
	cr_assert_eq(gs_abspath(out, sizeof(out), 0, AT_FDCWD, "/../.."), 0);
	cr_assert_str_eq(out, "/");
}

Test(path, relative_to_cwd_and_dirfd)
{
	char dir[] = "/tmp/goshim-path.XXXXXX";
	char out[4096], want[4096];

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(gs_abspath(out, sizeof(out), 0, AT_FDCWD, "x/../y/z"), 0);
	snprintf(want, sizeof(want), "%s/y/z", dir);
	cr_assert_str_eq(out, want);

	int fd = open("/usr", O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(gs_abspath(out, sizeof(out), 1, fd, "lib/../bin"), 0);
	cr_assert_str_eq(out, "/usr/bin");
	cr_assert_eq(gs_abspath(out, sizeof(out), 1, fd, ""), 0);
	cr_assert_str_eq(out, "/usr");
	/* AT_FDCWD with use_dirfd: the cwd */
	cr_assert_eq(gs_abspath(out, sizeof(out), 1, AT_FDCWD, "q"), 0);
	snprintf(want, sizeof(want), "%s/q", dir);
	cr_assert_str_eq(out, want);
	close(fd);
	rmdir(dir);
}

Test(mount, proc_line)
{
	char out[4096], work[16384];

	cr_assert_gt(gs_mount_of("/proc/self/status", out, sizeof(out), work, sizeof(work)), 0);
	cr_assert(!strncmp(out, "/proc proc ", 11), "got '%s'", out);
	cr_assert_gt(gs_mount_of("/", out, sizeof(out), work, sizeof(work)), 0);
	cr_assert_eq(out[0], '/');
	cr_assert_eq(out[1], ' ', "the root mount, got '%s'", out);
}

Test(mount, small_buffer_long_lines)
{
	char out[4096], work[64]; /* lines longer than the buffer are skipped */

	long n = gs_mount_of("/proc/self/status", out, sizeof(out), work, sizeof(work));
	cr_assert(n == -1 || !strncmp(out, "/proc ", 6), "got '%s'", out);
}

/* ---- common/mountinfo.c: the one parser --------------------------------- */

struct mem_src {
	const char *s;
	size_t off, step;
};

/* read(2) on a string, step bytes at a time (lines cross reads) */
static long mem_read(void *ctx, char *buf, size_t n)
{
	struct mem_src *m = ctx;
	size_t left = strlen(m->s) - m->off;

	n = n < m->step ? n : m->step;
	n = n < left ? n : left;
	memcpy(buf, m->s + m->off, n);
	m->off += n;
	return (long)n;
}

static const char mi_text[] =
	"1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"20 1 0:5 / /srv rw shared:2 - tmpfs tmpfs rw\n"
	"21 20 0:6 /a\\134b /srv/ci/my\\040tmp rw,noexec master:3 shared:4 - tmpfs my\\011src rw,size=8k\n"
	"22 1 0:7 / /srv/ci/my rw - tmpfs none rw\n"
	"23 1 0:8 / /srv rw,nosuid - tmpfs over rw\n"
	"24 1 0:9 / /bind\\012nl ro - ext4 /dev/sda1 ro\n";

static long mi_find(const char *path, uint64_t id, char *out, size_t cap, size_t step)
{
	struct mem_src m = { mi_text, 0, step };
	char work[256];

	return gs_mount_find(mem_read, &m, path, id, out, cap, work, sizeof(work));
}

Test(mountinfo, parse_unescapes_every_field)
{
	char line[] = "21 20 0:6 /a\\134b /srv/ci/my\\040tmp rw,noexec master:3 shared:4 - "
		      "tmp\\040fs my\\011src rw,size=8k\\012";
	struct gs_mi_line m;

	cr_assert_eq(gs_mi_parse(line, &m), 0);
	cr_expect_eq(m.id, 21);
	cr_expect_eq(m.parent, 20);
	cr_expect_eq(m.major, 0);
	cr_expect_eq(m.minor, 6);
	cr_expect_str_eq(m.root, "/a\\b");
	cr_expect_str_eq(m.point, "/srv/ci/my tmp");
	cr_expect_str_eq(m.opts, "rw,noexec");
	cr_expect_str_eq(m.fstype, "tmp fs");
	cr_expect_str_eq(m.source, "my\tsrc");
	cr_expect_str_eq(m.super, "rw,size=8k\n");
	char bad[] = "21 20 0:6 / /x rw master:3";
	cr_expect_eq(gs_mi_parse(bad, &m), -1, "no separator, no fstype");
}

Test(mountinfo, find_by_id_then_prefix)
{
	static const struct {
		const char *path;
		uint64_t id;
		size_t step; /* bytes per read */
		const char *want;
	} rows[] = {
		/* the prefix fallback: the longest point, the last one on ties */
		{ "/srv/ci/my tmp/go-build1/x.test", 0, 7, "/srv/ci/my\\040tmp tmpfs rw,noexec" },
		{ "/srv/ci/mytmp", 0, 7, "/srv tmpfs rw,nosuid" },
		{ "/srv/ci/my/x", 0, 4096, "/srv/ci/my tmpfs rw" },
		{ "/bind\nnl", 0, 1, "/bind\\012nl ext4 ro" },
		/* the mount id wins over any prefix (a bind mount, a symlink) */
		{ "/srv/ci/my tmp/x", 20, 7, "/srv tmpfs rw" },
		/* an id no line has: the prefix */
		{ "/usr/bin", 99, 7, "/ ext4 rw,relatime" },
	};
	char out[256], *pt, *ty, *op;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_expect_eq(mi_find(rows[i].path, rows[i].id, out, sizeof(out), rows[i].step),
			     (long)strlen(rows[i].want), "%s", rows[i].path);
		cr_expect_str_eq(out, rows[i].want);
	}
	/* nothing fits: nothing is said */
	cr_expect_eq(mi_find("/srv/ci/my tmp/x", 0, out, 12, 7), -1);
	cr_expect_str_eq(out, "");
	cr_expect_eq(mi_find("relative", 0, out, sizeof(out), 7), -1);

	cr_assert_gt(mi_find("/srv/ci/my tmp/x", 21, out, sizeof(out), 7), 0);
	cr_assert_eq(gs_mount_split(out, &pt, &ty, &op), 0);
	cr_expect_str_eq(pt, "/srv/ci/my tmp");
	cr_expect_str_eq(ty, "tmpfs");
	cr_expect_str_eq(op, "rw,noexec");
	char two[] = "/x tmpfs";
	cr_expect_eq(gs_mount_split(two, &pt, &ty, &op), -1);
}

Test(mountinfo, no_line_no_mount)
{
	struct mem_src m = { "1 0 8:1 / /srv rw - ext4 /dev/sda1 rw\n", 0, 64 };
	char out[64], work[128];

	cr_expect_eq(gs_mount_find(mem_read, &m, "/usr", 0, out, sizeof(out), work, sizeof(work)),
		     -1);
	cr_expect_str_eq(out, "");
}

/* ---- common/evpolicy.c: one evidence policy ----------------------------- */

Test(evpolicy, table)
{
	const unsigned all = GS_EVP_STATFS | GS_EVP_MOUNT | GS_EVP_CRED;

	cr_expect_eq(gs_evp_of(ENOENT, 0), 0);
	cr_expect_eq(gs_evp_of(EEXIST, 0), 0);
	cr_expect_eq(gs_evp_of(ENOENT, 1), GS_EVP_CRED, "an exec always gets the caller's ids");
	cr_expect_eq(gs_evp_of(EACCES, 0), all);
	cr_expect_eq(gs_evp_of(EDQUOT, 0), all, "a quota is the mount's");
	cr_expect_eq(gs_evp_of(ENOSPC, 0), all);
	cr_expect_eq(gs_evp_of(EINVAL, 0), GS_EVP_STATFS | GS_EVP_CRED);
	cr_expect(gs_evp_climbs(ENOENT) && gs_evp_climbs(EACCES) && gs_evp_climbs(ENOTDIR));
	cr_expect(!gs_evp_climbs(EIO) && !gs_evp_climbs(EPERM));
}

Test(evpolicy, parent)
{
	char a[] = "/a/b//", b[] = "/a", c[] = "/", d[] = "rel/x", e[] = "//";

	cr_expect(gs_evp_parent(a));
	cr_expect_str_eq(a, "/a");
	cr_expect(gs_evp_parent(a));
	cr_expect_str_eq(a, "/");
	cr_expect(gs_evp_parent(b));
	cr_expect_str_eq(b, "/");
	cr_expect(!gs_evp_parent(c));
	cr_expect(!gs_evp_parent(d));
	cr_expect(!gs_evp_parent(e));
}
