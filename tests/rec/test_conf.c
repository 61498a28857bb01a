/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration parsing and lexical path helpers. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	gs_rec_conf_parse(&c, gs_rec_getenv, 0);
	cr_assert_str_eq(c.ring_path, "/tmp/goshim-0.ring");
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
	cr_assert(gs_rec.on, "recording into %s", want);
	gs_ring_detach(&gs_rec.ring);
	unlink("r.ring");
	rmdir("sub");
	cr_assert_eq(chdir("/"), 0);
	rmdir(dir);
}

static const char *fake_env(const char *name)
{
	static const char *const kv[][2] = {
		{ "GOSHIM_RING_SIZE", "junk" }, { "GOSHIM_RING_MODE", "0640" },
		{ "GOSHIM_BACKTRACE", "0" }, { "GOSHIM_DEBUG", "0" },
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

	gs_rec_conf_parse(&c, fake_env, 1234);
	cr_assert_str_eq(c.ring_path, "/tmp/goshim-1234.ring");
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
