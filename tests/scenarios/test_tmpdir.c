/* SPDX-License-Identifier: Apache-2.0 */
/* Go's work directory: a noexec TMPDIR under `go test` and `go run`, a
 * GOTMPDIR that does not exist, a full tmpfs. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"
#include "tl_table.h"

static int mount_tmpfs(struct sc *s, unsigned long flags, const char *opts)
{
	if (mount("tmpfs", s->mnt, "tmpfs", flags, opts) < 0) {
		fprintf(stderr, "mount tmpfs %s (%s): %s\n", s->mnt, opts, strerror(errno));
		return -1;
	}
	return 0;
}

static int noexec_tmpfs(struct sc *s)
{
	return mount_tmpfs(s, MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=512m,mode=1777");
}

/* The report's tmpdir-noexec finding (returned) and doctor's name the
 * mount s->mnt, unescaped; the remount remedy quotes it. */
static json_t *noexec_expect(const struct sc *s, json_t *rep)
{
	char want[256];
	json_t *f = sc_expect(s, rep, "tmpdir-noexec", "error");

	cr_expect_str_eq(sc_fact(f, "mount"), s->mnt);
	cr_expect_str_eq(sc_fact(f, "fstype"), "tmpfs");
	cr_expect(strstr(sc_fact(f, "mount_opts"), "noexec"), "mount_opts %s",
		  sc_fact(f, "mount_opts"));
	snprintf(want, sizeof(want), "sudo mount -o remount,exec \"%s\"", s->mnt);
	cr_expect(strstr(sc_str(f, "remedy"), want), "remedy: %s", sc_str(f, "remedy"));
	json_t *doc = sc_doctor(s);
	json_t *d = sc_doctor_expect(s, doc, "tmpdir-noexec");
	cr_expect_str_eq(sc_fact(d, "mount"), s->mnt);
	json_decref(doc);
	return f;
}

/* go test / go run with TMPDIR on a noexec tmpfs: the test binary or
 * exe/main cannot be executed. */
static void noexec_case(const char *tag, const char *verb, const char *want_path)
{
	struct sc s;

	sc_go_start(&s, tag, 0, "m", "main.go", sc_go_main, "main_test.go", sc_go_test, NULL);
	s.mounts = noexec_tmpfs;
	s.doctor = 1;
	setenv("TMPDIR", s.mnt, 1);
	char *argv[] = { SC_GO, (char *)verb, "-count=1", ".", NULL };
	if (strcmp(verb, "run") == 0) {
		argv[2] = ".";
		argv[3] = NULL;
	}
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { "permission denied" }, .id = "tmpdir-noexec",
		.sev = "error", .fact = { { "mount", s.mnt }, { "fstype", "tmpfs" } },
		.event = { { "call", "execve" }, { "errno", "EACCES" } },
		.doctor = "tmpdir-noexec", .doctor_fact = { { "mount", s.mnt } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f), *e = sc_event(f);
	cr_expect(strstr(sc_fact(f, "mount_opts"), "noexec"), "mount_opts %s",
		  sc_fact(f, "mount_opts"));
	char want[256];
	snprintf(want, sizeof(want), "sudo mount -o remount,exec \"%s\"", s.mnt);
	cr_expect(strstr(sc_str(f, "remedy"), want), "remedy: %s", sc_str(f, "remedy"));
	cr_expect(strncmp(sc_str(e, "path"), s.mnt, strlen(s.mnt)) == 0 &&
		  strstr(sc_str(e, "path"), "/go-build") && strstr(sc_str(e, "path"), want_path),
		  "exec path %s", sc_str(e, "path"));
	json_decref(rep);
	sc_done(&s);
}

Test(tmpdir, noexec_go_test, .timeout = 240)
{
	noexec_case("noexec-test", "test", ".test");
}

Test(tmpdir, noexec_go_run, .timeout = 240)
{
	noexec_case("noexec-run", "run", "/exe/");
}

Test(tmpdir, gotmpdir_missing, .timeout = 240)
{
	struct sc s;
	char gt[256];

	sc_go_start(&s, "gotmpdir", 0, "m", "main.go", sc_go_main, NULL);
	snprintf(gt, sizeof(gt), "%s/gotmp-was-removed", s.dir);
	setenv("GOTMPDIR", gt, 1);
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	struct sc_want w = {
		.exit = 1, .out = { "creating work dir" }, .id = "tmpdir-unusable", .sev = "error",
		.fact = { { "work", gt } },
		.doctor = "tmpdir-unusable", .doctor_fact = { { "var", "GOTMPDIR" } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_str(sc_event(f), "path"), gt), "path %s",
		  sc_str(sc_event(f), "path"));
	json_decref(rep);
	sc_done(&s);
}

/* A tmpfs whose inodes are all used: creating $WORK fails with ENOSPC.
 * Its byte size is large, so that only the inodes are exhausted (doctor's
 * free-space check must not be what flags it). */
static int inode_full_tmpfs(struct sc *s)
{
	char p[256];

	if (mount_tmpfs(s, 0, "size=8g,nr_inodes=8,mode=1777") < 0) {
		return -1;
	}
	for (int i = 0;; i++) {
		snprintf(p, sizeof(p), "%s/fill%d", s->mnt, i);
		int fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0 && errno == ENOSPC) {
			return 0;
		}
		if (fd < 0 || i > 64) {
			fprintf(stderr, "filling %s: %s\n", s->mnt, strerror(errno));
			return -1;
		}
		close(fd);
	}
}

static int small_tmpfs(struct sc *s)
{
	return mount_tmpfs(s, 0, "size=1m,mode=1777");
}

/* A full TMPDIR (and output dir): no inodes left, or 1 MiB, too small
 * for the linker's output ("mapping output file failed: no space left on
 * device"). */
struct full_case {
	const char *tag;
	int (*mounts)(struct sc *s);
	int bin_on_mnt;          /* go build -o dir/mnt/m, else /dev/null */
	int check_errno;         /* the event's errno is ENOSPC           */
};

static struct full_case full_cases[] = {
	{ "inodes", inode_full_tmpfs, 0, 1 },
	{ "small", small_tmpfs, 1, 0 },
};

/* disk_full_no_inodes and disk_full_small_tmpfs, as rows. */
TL_TABLE_TEST(struct full_case, full_cases, tmpdir, disk_full, .timeout = 240)
{
	struct sc s;
	char bin[256] = "/dev/null";

	sc_go_start(&s, c->tag, 0, "m", "main.go", sc_go_main, NULL);
	setenv("TMPDIR", s.mnt, 1);
	if (c->bin_on_mnt) {
		snprintf(bin, sizeof(bin), "%s/m", s.mnt);
	}
	s.mounts = c->mounts;
	s.doctor = 1;
	char *argv[] = { SC_GO, "build", "-o", bin, ".", NULL };
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { "no space left on device" }, .id = "disk-full",
		.sev = "error", .doctor = "disk-full",
	};
	if (c->check_errno) {
		w.event[0] = (struct sc_kv){ "errno", "ENOSPC" };
	}
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	/* Right or silent: a failed call's record names the mount; when only
	 * EXIT records saw the full filesystem (a compile's write(2), with a
	 * cold cache) the mount is not known and no fact claims one.  The
	 * finding names the full directory either way. */
	const char *mnt = sc_fact(f, "mount");
	cr_expect(!*mnt || strcmp(mnt, s.mnt) == 0, "mount %s, want %s or none", mnt, s.mnt);
	cr_expect(strstr(sc_str(f, "summary"), s.mnt), "summary: %s", sc_str(f, "summary"));
	json_decref(rep);
	sc_done(&s);
}

/* A noexec tmpfs at a mount point with a space, holding a test binary
 * where go would put one (mountinfo writes the space as \040). */
static int noexec_spaced_tmpfs(struct sc *s)
{
	if (noexec_tmpfs(s) < 0) {
		return -1;
	}
	sc_sh("mkdir -p '%s/go-build1/b001' && cp /bin/true '%s/go-build1/b001/m.test'", s->mnt,
	      s->mnt);
	return 0;
}

/* The evidence names that mount, unescaped, and the remedy quotes it. */
static void noexec_spaced_case(const char *tag, enum sc_engine engine)
{
	struct sc s;
	char test[256];

	sc_need(1, 0);
	sc_init(&s, tag, engine, 0);
	snprintf(s.mnt, sizeof(s.mnt), "%s/my tmp", s.dir);
	cr_assert(mkdir(s.mnt, 0755) == 0);
	snprintf(test, sizeof(test), "%s/go-build1/b001/m.test", s.mnt);
	setenv("TMPDIR", s.mnt, 1);
	s.mounts = noexec_spaced_tmpfs;
	s.doctor = 1;
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog"), "run", test, NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1 &&
		  strstr(out, "Permission denied"), "sc-prog run: %s", sc_tail(out));
	free(out);

	json_t *rep = sc_report(&s);
	noexec_expect(&s, rep);
	json_decref(rep);
	sc_done(&s);
}

Test(tmpdir, noexec_mount_point_with_space_trace, .timeout = 120)
{
	noexec_spaced_case("spaced-trace", SC_TRACE);
}

Test(tmpdir, noexec_mount_point_with_space_preload, .timeout = 120)
{
	noexec_spaced_case("spaced-preload", SC_PRELOAD);
}
