/* SPDX-License-Identifier: Apache-2.0 */
/* goshimctl decode on a ring holding one record of each type, stored RAW
 * and ZSTD: every JSON field and the text lines, exactly. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include "ctltest.h"

#define T0 1700000000123456789ull /* 2023-11-14T22:13:20.123456Z */

static const char *dir, *ring;

static void put_stat(struct ct_rec *c, uint32_t mode, uint32_t uid, uint32_t gid)
{
	struct goshim_t_stat st = { .dev = 2049, .ino = 77, .mode = mode, .uid = uid,
				    .gid = gid, .nlink = 3, .size = 4096 };

	gs_tlv_put(&c->t, GOSHIM_T_EV_STAT, &st, sizeof(st));
}

static void put_statfs(struct ct_rec *c, uint64_t type, uint64_t flags)
{
	struct goshim_t_statfs sf = { .type = type, .flags = flags, .bavail = 10,
				      .bsize = 4096, .favail = 20 };

	gs_tlv_put(&c->t, GOSHIM_T_EV_STATFS, &sf, sizeof(sf));
}

/* seq 0: openat ENOENT ×3, RAW */
static void rec_openat(struct gs_ring *r)
{
	struct ct_rec c;
	struct goshim_t_cred cr = { 1000, 1000, 1000, 1000, 2, { 4, 27 } };

	ct_rec_begin(&c, T0, 100, 101, "/usr/bin/go");
	gs_tlv_u32(&c.t, GOSHIM_T_PPID, 1);
	tl_payload_failed(&c, GOSHIM_CALL_openat, ENOENT, NULL);
	gs_tlv_i32(&c.t, GOSHIM_T_DIRFD, AT_FDCWD);
	gs_tlv_str(&c.t, GOSHIM_T_PATH, "y/z");
	gs_tlv_str(&c.t, GOSHIM_T_ABSPATH, "/x/y/z");
	gs_tlv_u64(&c.t, GOSHIM_T_FLAGS, O_RDONLY | O_CLOEXEC);
	gs_tlv_str(&c.t, GOSHIM_T_EV_PATH, "/x");
	gs_tlv_u32(&c.t, GOSHIM_T_EV_MISSING, 2);
	put_stat(&c, 040755, 0, 0);
	put_statfs(&c, 0xEF53, ST_RELATIME);
	gs_tlv_str(&c.t, GOSHIM_T_EV_MOUNT, "/ ext4 rw,relatime");
	gs_tlv_put(&c.t, GOSHIM_T_EV_CRED, &cr, sizeof(cr));
	int64_t pos = ct_rec_write(&c, r, GOSHIM_REC_EVENT, GOSHIM_CODEC_RAW);
	cr_assert_eq(gs_ring_agg_bump(r, (uint64_t)pos), 0);
	cr_assert_eq(gs_ring_agg_bump(r, (uint64_t)pos), 0);
}

/* seq 1: execve EACCES on a noexec tmpfs, musl interpreter missing, ZSTD */
static void rec_execve(struct gs_ring *r)
{
	struct ct_rec c;
	struct goshim_t_elf el = { .kind = 1, .ei_class = 2, .ei_data = 1, .e_type = 3,
				   .e_machine = 62, .has_interp = 1 };

	ct_rec_begin(&c, T0 + 1000, 200, 200, "/usr/lib/go/bin/go");
	tl_payload_failed(&c, GOSHIM_CALL_execve, EACCES, "/tmp/go-build1/b001/x.test");
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "/tmp/go-build1/b001/x.test");
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "-test.v");
	gs_tlv_str(&c.t, GOSHIM_T_EV_PATH, "/tmp/go-build1/b001/x.test");
	gs_tlv_u32(&c.t, GOSHIM_T_EV_MISSING, 0);
	put_stat(&c, 0100755, 1000, 1000);
	put_statfs(&c, 0x01021994, ST_NOEXEC | ST_NOSUID);
	gs_tlv_put(&c.t, GOSHIM_T_EV_ELF, &el, sizeof(el));
	gs_tlv_str(&c.t, GOSHIM_T_EV_INTERP, "/lib/ld-musl-x86_64.so.1");
	gs_tlv_i32(&c.t, GOSHIM_T_EV_INTERP_ERR, ENOENT);
	ct_rec_write(&c, r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
}

/* seq 2: process, RAW */
static void rec_process(struct gs_ring *r)
{
	struct ct_rec c;
	struct goshim_t_rlimit nofile = { RLIMIT_NOFILE, 0, 1024, 4096 };
	struct goshim_t_rlimit as = { RLIMIT_AS, 0, ~0ull, ~0ull };
	struct goshim_t_seccomp sc = { 2, 1, 1, 0 };

	ct_rec_begin(&c, T0 + 2000, 300, 300, "/usr/bin/go");
	gs_tlv_u32(&c.t, GOSHIM_T_PPID, 299);
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "go");
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "test");
	gs_tlv_str(&c.t, GOSHIM_T_ARGV, "./...");
	gs_tlv_str(&c.t, GOSHIM_T_CWD, "/src/proj");
	gs_tlv_str(&c.t, GOSHIM_T_ENV, "GOCACHE=/c");
	gs_tlv_str(&c.t, GOSHIM_T_ENV, "GOFLAGS=-mod=mod");
	gs_tlv_put(&c.t, GOSHIM_T_RLIMIT, &nofile, sizeof(nofile));
	gs_tlv_put(&c.t, GOSHIM_T_RLIMIT, &as, sizeof(as));
	gs_tlv_put(&c.t, GOSHIM_T_SECCOMP, &sc, sizeof(sc));
	gs_tlv_str(&c.t, GOSHIM_T_UNAME, "Linux 6.1.0 x86_64");
	ct_rec_write(&c, r, GOSHIM_REC_PROCESS, GOSHIM_CODEC_RAW);
}

/* seq 3: exit, killed by SIGSEGV with a core, ZSTD; seq 4: exit 3, RAW */
static void rec_exits(struct gs_ring *r)
{
	struct ct_rec c;

	ct_rec_begin(&c, T0 + 3000, 300, 300, "/usr/bin/go");
	gs_tlv_u32(&c.t, GOSHIM_T_CHILD, 555);
	gs_tlv_i32(&c.t, GOSHIM_T_STATUS, SIGSEGV | 0x80);
	ct_rec_write(&c, r, GOSHIM_REC_EXIT, GOSHIM_CODEC_ZSTD);
	ct_rec_begin(&c, T0 + 4000, 300, 300, "/usr/bin/go");
	gs_tlv_u32(&c.t, GOSHIM_T_CHILD, 556);
	gs_tlv_i32(&c.t, GOSHIM_T_STATUS, 3 << 8);
	/* the filesystems it was writing to: a full tmpfs, then the cache */
	struct goshim_t_statfs full = { .type = 0x01021994, .bavail = 0, .bsize = 4096,
					.favail = 7 };
	struct goshim_t_statfs roomy = { .type = 0xEF53, .bavail = 1000, .bsize = 4096,
					 .favail = 50 };
	gs_tlv_str(&c.t, GOSHIM_T_EV_PATH, "/tmp");
	gs_tlv_put(&c.t, GOSHIM_T_EV_STATFS, &full, sizeof(full));
	gs_tlv_str(&c.t, GOSHIM_T_EV_PATH, "/c");
	gs_tlv_put(&c.t, GOSHIM_T_EV_STATFS, &roomy, sizeof(roomy));
	ct_rec_write(&c, r, GOSHIM_REC_EXIT, GOSHIM_CODEC_RAW);
}

/* seq 5: note, RAW; seq 6: mmap ENOMEM, ZSTD */
static void rec_note_mmap(struct gs_ring *r)
{
	struct ct_rec c;

	ct_rec_begin(&c, T0 + 5000, 400, 401, "/bin/sh");
	gs_tlv_str(&c.t, GOSHIM_T_NOTE, "ring nearly full");
	ct_rec_write(&c, r, GOSHIM_REC_NOTE, GOSHIM_CODEC_RAW);
	ct_rec_begin(&c, T0 + 6000, 400, 402, "/bin/sh");
	tl_payload_failed(&c, GOSHIM_CALL_mmap, ENOMEM, NULL);
	gs_tlv_u64(&c.t, GOSHIM_T_ADDR, 0x7e8000000000ull);
	gs_tlv_u64(&c.t, GOSHIM_T_LENGTH, 0x10000000000ull);
	gs_tlv_u32(&c.t, GOSHIM_T_PROT, PROT_READ | PROT_WRITE);
	gs_tlv_u64(&c.t, GOSHIM_T_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE);
	gs_tlv_i32(&c.t, GOSHIM_T_FD, -1);
	gs_tlv_i64(&c.t, GOSHIM_T_OFFSET, 0);
	ct_rec_write(&c, r, GOSHIM_REC_EVENT, GOSHIM_CODEC_ZSTD);
}

static void setup(void)
{
	struct gs_ring r;

	dir = ct_tmpdir();
	ring = tl_ring_in(dir, &r, GOSHIM_RING_MIN_DATA);
	rec_openat(&r);
	rec_execve(&r);
	rec_process(&r);
	rec_exits(&r);
	rec_note_mmap(&r);
	gs_ring_detach(&r);
}

static void teardown(void)
{
	ct_rmtree(dir);
}

TestSuite(decode, .init = setup, .fini = teardown);

static json_t *get(json_t *o, const char *path)
{
	char buf[128], *save = NULL;

	strcpy(buf, path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(k)) : json_object_get(o, k);
	}
	cr_assert_not_null(o, "no member %s", path);
	return o;
}

#define JSTR(o, p, want) cr_assert_str_eq(json_string_value(get(o, p)), want, "%s", p)
#define JINT(o, p, want) cr_assert_eq(json_integer_value(get(o, p)), (long long)(want), "%s", p)

/* A member of a decode --json object (a dotted path) and its value: a
 * string, or (s NULL) an integer. */
struct member {
	const char *path;
	const char *s;
	long long i;
};

#define MSTR(p, v) { p, v, 0 }
#define MINT(p, v) { p, NULL, (long long)(v) }

static void expect_members(json_t *o, const struct member *m, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (m[k].s) {
			JSTR(o, m[k].path, m[k].s);
		} else {
			JINT(o, m[k].path, m[k].i);
		}
	}
}

Test(decode, json_all_types)
{
	struct ct_run res;
	const char *args[] = { "decode", "--json", "--type", "all", ring, NULL };

	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "exit %d, stderr: %s", res.status, res.err);
	cr_assert_str_empty(res.err);
	json_t *a = ct_json_lines(res.out);
	cr_assert_eq(json_array_size(a), 7);

	json_t *o = json_array_get(a, 0);
	static const struct member members0[] = {
		MINT("seq", 0),
		MSTR("type", "event"),
		MSTR("engine", "preload"),
		MSTR("time", "2023-11-14T22:13:20.123456Z"),
		MINT("time_ns", T0),
		MINT("mono_ns", T0 / 1000),
		MINT("pid", 100),
		MINT("tid", 101),
		MINT("ppid", 1),
		MSTR("exe", "/usr/bin/go"),
		MSTR("syscall", "openat"),
		MSTR("family", "open"),
		MSTR("errno", "ENOENT"),
		MINT("errno_num", ENOENT),
		MINT("ret", -1),
		MSTR("path", "y/z"),
		MSTR("abspath", "/x/y/z"),
		MINT("count", 3),
		MINT("args.dirfd", AT_FDCWD),
		MSTR("args.dirfd_sym", "AT_FDCWD"),
		MINT("args.flags", O_RDONLY | O_CLOEXEC),
		MSTR("args.flags_sym", "O_RDONLY|O_CLOEXEC"),
		MSTR("evidence.path", "/x"),
		MINT("evidence.missing", 2),
		MINT("evidence.stat.uid", 0),
		MINT("evidence.stat.gid", 0),
		MSTR("evidence.stat.mode", "0755"),
		MSTR("evidence.stat.type", "dir"),
		MSTR("evidence.statfs.type", "ext4"),
		MSTR("evidence.statfs.flags.0", "relatime"),
		MSTR("evidence.mount", "/ ext4 rw,relatime"),
		MINT("evidence.cred.euid", 1000),
		MINT("evidence.cred.groups.1", 27),
	};
	expect_members(o, members0, sizeof(members0) / sizeof(members0[0]));
	cr_assert_eq(json_array_size(get(o, "backtrace")), 0);

	o = json_array_get(a, 1);
	static const struct member members1[] = {
		MINT("seq", 1),
		MSTR("syscall", "execve"),
		MSTR("family", "exec"),
		MSTR("errno", "EACCES"),
		MINT("count", 1),
		MSTR("args.argv.1", "-test.v"),
		MINT("evidence.missing", 0),
		MSTR("evidence.stat.mode", "0755"),
		MSTR("evidence.stat.type", "file"),
		MSTR("evidence.statfs.type", "tmpfs"),
	};
	expect_members(o, members1, sizeof(members1) / sizeof(members1[0]));
	cr_assert_eq(json_array_size(get(o, "evidence.statfs.flags")), 2);
	static const struct member members2[] = {
		MSTR("evidence.statfs.flags.0", "nosuid"),
		MSTR("evidence.statfs.flags.1", "noexec"),
		MSTR("evidence.elf.kind", "elf"),
		MINT("evidence.elf.class", 64),
		MSTR("evidence.elf.machine", "x86_64"),
		MSTR("evidence.elf.interp", "/lib/ld-musl-x86_64.so.1"),
	};
	expect_members(o, members2, sizeof(members2) / sizeof(members2[0]));
	cr_assert(json_is_false(get(o, "evidence.elf.interp_exists")));
	JSTR(o, "evidence.elf.interp_errno", "ENOENT");

	o = json_array_get(a, 2);
	static const struct member members3[] = {
		MSTR("type", "process"),
		MINT("ppid", 299),
		MSTR("argv.2", "./..."),
		MSTR("cwd", "/src/proj"),
		MSTR("env.GOCACHE", "/c"),
		MSTR("env.GOFLAGS", "-mod=mod"),
		MINT("rlimits.NOFILE.cur", 1024),
		MINT("rlimits.NOFILE.max", 4096),
		MSTR("rlimits.AS.cur", "unlimited"),
		MINT("seccomp.mode", 2),
		MINT("seccomp.filters", 1),
		MINT("seccomp.no_new_privs", 1),
	};
	expect_members(o, members3, sizeof(members3) / sizeof(members3[0]));

	o = json_array_get(a, 3);
	JSTR(o, "type", "exit");
	JINT(o, "child", 555);
	cr_assert(json_is_true(get(o, "signaled")));
	JSTR(o, "signal", "SIGSEGV");
	cr_assert(json_is_true(get(o, "core_dumped")));

	o = json_array_get(a, 4);
	JINT(o, "child", 556);
	cr_assert(json_is_true(get(o, "exited")));
	JINT(o, "code", 3);
	json_t *fss = get(o, "filesystems");
	cr_assert(json_is_array(fss) && json_array_size(fss) == 2, "both filesystems");
	JSTR(json_array_get(fss, 0), "path", "/tmp");
	JSTR(json_array_get(fss, 0), "type", "tmpfs");
	JINT(json_array_get(fss, 0), "bavail", 0);
	JINT(json_array_get(fss, 0), "favail", 7);
	JSTR(json_array_get(fss, 1), "path", "/c");
	JSTR(json_array_get(fss, 1), "type", "ext4");
	JINT(json_array_get(fss, 1), "bavail", 1000);

	o = json_array_get(a, 5);
	JSTR(o, "type", "note");
	JSTR(o, "note", "ring nearly full");

	o = json_array_get(a, 6);
	static const struct member members4[] = {
		MSTR("syscall", "mmap"),
		MSTR("errno", "ENOMEM"),
		MSTR("args.addr", "0x7e8000000000"),
		MSTR("args.length", "0x10000000000"),
		MSTR("args.prot_sym", "PROT_READ|PROT_WRITE"),
		MSTR("args.flags_sym", "MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE"),
		MINT("args.fd", -1),
	};
	expect_members(o, members4, sizeof(members4) / sizeof(members4[0]));
	json_decref(a);
	ct_run_free(&res);
}

Test(decode, json_default_is_events)
{
	struct ct_run res;
	const char *args[] = { "decode", "--json", ring, NULL };

	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "exit %d, stderr: %s", res.status, res.err);
	json_t *a = ct_json_lines(res.out);
	cr_assert_eq(json_array_size(a), 3);
	JINT(json_array_get(a, 0), "seq", 0);
	JINT(json_array_get(a, 1), "seq", 1);
	JINT(json_array_get(a, 2), "seq", 6);
	json_decref(a);
	ct_run_free(&res);
}

static void assert_has_line(const char *out, const char *line)
{
	const char *p = out;
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0')) {
			return;
		}
		p++;
	}
	cr_assert_fail("line not found:\n%s\nin output:\n%s", line, out);
}

Test(decode, text)
{
	struct ct_run res;
	const char *args[] = { "decode", "--type", "all", ring, NULL };
	char hdr[512];

	ct_run(&res, args);
	cr_assert_eq(res.status, 0, "exit %d, stderr: %s", res.status, res.err);
	snprintf(hdr, sizeof(hdr), "ring %s: node ", ring);
	cr_assert_eq(strncmp(res.out, hdr, strlen(hdr)), 0, "header: %s", res.out);
	cr_assert(strstr(res.out, ", size 64 KiB, committed 7, found 7, lost 0, dropped 0, "
			 "aggregated 2\n"), "%s", res.out);
	assert_has_line(res.out, "#0 2023-11-14T22:13:20.123456Z 100/101 /usr/bin/go");
	assert_has_line(res.out, "  openat(AT_FDCWD, \"y/z\", O_RDONLY|O_CLOEXEC) = -1 ENOENT "
			"(No such file or directory)  \u00d73");
	assert_has_line(res.out, "  abspath /x/y/z");
	assert_has_line(res.out, "  path /x: missing 2 component(s) below it (dir, uid 0 gid 0 "
			"mode 0755); fs ext4 (relatime); mount / ext4 rw,relatime");
	assert_has_line(res.out, "  cred uid 1000 euid 1000 gid 1000 egid 1000 groups 4,27");
	assert_has_line(res.out, "  execve(\"/tmp/go-build1/b001/x.test\", "
			"[\"/tmp/go-build1/b001/x.test\", \"-test.v\"]) = -1 EACCES "
			"(Permission denied)");
	assert_has_line(res.out, "  path /tmp/go-build1/b001/x.test: exists (file, uid 1000 "
			"gid 1000 mode 0755); fs tmpfs (nosuid|noexec)");
	assert_has_line(res.out, "  elf: ELF64 x86_64, interpreter /lib/ld-musl-x86_64.so.1 "
			"(missing: ENOENT)");
	assert_has_line(res.out, "#2 2023-11-14T22:13:20.123458Z 300/300 /usr/bin/go  [process]");
	assert_has_line(res.out, "  argv: \"go\" \"test\" \"./...\"");
	assert_has_line(res.out, "  env GOCACHE=/c");
	assert_has_line(res.out, "  rlimit NOFILE 1024/4096");
	assert_has_line(res.out, "  rlimit AS unlimited/unlimited");
	assert_has_line(res.out, "  child 555 killed by SIGSEGV (core dumped)");
	assert_has_line(res.out, "  child 556 exit 3");
	assert_has_line(res.out, "  fs /tmp: tmpfs, 0 blocks of 4096 bytes free, 7 inodes free");
	assert_has_line(res.out, "  fs /c: ext4, 1000 blocks of 4096 bytes free, 50 inodes free");
	assert_has_line(res.out, "  note: ring nearly full");
	assert_has_line(res.out, "  mmap(0x7e8000000000, 0x10000000000, PROT_READ|PROT_WRITE, "
			"MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = -1 ENOMEM "
			"(Cannot allocate memory)");
	ct_run_free(&res);
}
