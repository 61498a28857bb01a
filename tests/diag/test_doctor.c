/* SPDX-License-Identifier: Apache-2.0 */
/* doctor, run for real against real broken environments: a noexec tmpfs,
 * a root-owned cache used by uid 65534, a read-only bind mount, a missing
 * GOTMPDIR, no C compiler, a libseccomp filter, low resource limits.
 * Needs root (mounts, other uids); without it every test is reported as
 * skipped with the reason. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "classify.h"
#include "race_aslr.h"
#include "ringmake.h"
#include "tl_fs.h"
#include "tl_net.h"
#include "tl_table.h"
#include "tl_seccomp.h"

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("doctor scenarios need root (mounts, setpriv to uid 65534)");
	}
}

/* A controlled, healthy starting point: own HOME and TMPDIR, no Go
 * overrides.  Each Criterion test runs in its own process. */
static char t_base[64];
static pid_t t_owner; /* the test process that made t_base */

/* The test process's exit removes its base (mounts of its own namespace
 * below it are skipped: they vanish with the process). */
static void t_env_gone(void)
{
	if (getpid() == t_owner) {
		tl_rmtree(t_base);
	}
}

static void t_env(void)
{
	char p[128];

	need_root();
	snprintf(t_base, sizeof(t_base), "/tmp/gs-doctor-XXXXXX");
	cr_assert_not_null(mkdtemp(t_base));
	t_owner = getpid();
	atexit(t_env_gone);
	chmod(t_base, 0755);
	snprintf(p, sizeof(p), "%s/home", t_base);
	mkdir(p, 0755);
	setenv("HOME", p, 1);
	snprintf(p, sizeof(p), "%s/tmp", t_base);
	mkdir(p, 01777);
	chmod(p, 01777);
	setenv("TMPDIR", p, 1);
	unsetenv("GOCACHE");
	unsetenv("GOMODCACHE");
	unsetenv("GOTMPDIR");
	unsetenv("GOPATH");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("CC");
	unsetenv("CGO_ENABLED");
	unsetenv("NO_COLOR");
	/* no network in tests: the module proxy probe has tests of its own */
	setenv("GOPROXY", "off", 1);
	setenv("GOSUMDB", "off", 1);
	unsetenv("HTTPS_PROXY");
	unsetenv("HTTP_PROXY");
}

/* A mount namespace of our own: mounts vanish with the test process. */
static void private_mounts(void)
{
	cr_assert_eq(unshare(CLONE_NEWNS), 0, "unshare: %s", strerror(errno));
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
}

/* doctor --json [--rules RULES] (RULES may be NULL) */
static json_t *doctor_rules(const char *const *prefix, const char *rules, void (*pre)(void),
			    int want_rc)
{
	const char *argv[16];
	size_t n = 0;
	char *out, *err;
	int rc;

	for (size_t i = 0; prefix && prefix[i]; i++) {
		argv[n++] = prefix[i];
	}
	argv[n++] = getenv("DIAGCTL");
	argv[n++] = "doctor";
	argv[n++] = "--json";
	if (rules) {
		argv[n++] = "--rules";
		argv[n++] = rules;
	}
	argv[n] = NULL;
	rc = rm_run_cmd(argv, pre, &out, &err);
	cr_assert_eq(rc, want_rc, "exit %d, want %d\nstderr: %s\nstdout: %s", rc, want_rc, err, out);
	json_t *j = rm_json(out);
	free(out);
	free(err);
	return j;
}

static json_t *doctor(const char *const *prefix, void (*pre)(void), int want_rc)
{
	return doctor_rules(prefix, NULL, pre, want_rc);
}

static json_t *finding(json_t *j, const char *id)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(j, "findings"), i, f) {
		if (strcmp(json_string_value(json_object_get(f, "pattern")), id) == 0) {
			return f;
		}
	}
	return NULL;
}

static const char *fact(json_t *f, const char *k)
{
	const char *s = json_string_value(json_object_get(json_object_get(f, "evidence"), k));

	return s ? s : "";
}

static void expect_exactly(json_t *j, const char *ids)
{
	char pats[1024];

	rm_patterns(j, pats, sizeof(pats));
	cr_expect_str_eq(pats, ids, "findings [%s], want [%s]; checks: %s", pats, ids,
			 json_dumps(json_object_get(j, "checks"), 0));
}

static void expect_severity(json_t *j, const char *id, const char *sev)
{
	cr_expect_str_eq(json_string_value(json_object_get(finding(j, id), "severity")), sev,
			 "%s", id);
}

Test(doctor, healthy_environment_has_no_finding)
{
	t_env();
	json_t *j = doctor(NULL, NULL, 0);
	expect_exactly(j, "");
	json_decref(j);
}

static void tmpfs_tmpdir(unsigned long flags, const char *opts, char *dir, size_t size)
{
	snprintf(dir, size, "%s/tmpfs", t_base);
	mkdir(dir, 0755);
	cr_assert_eq(mount("tmpfs", dir, "tmpfs", flags, opts), 0, "mount: %s", strerror(errno));
	setenv("TMPDIR", dir, 1);
}

Test(doctor, noexec_tmpdir)
{
	char dir[128], prog[160];
	json_t *j, *f;

	t_env();
	private_mounts();
	tmpfs_tmpdir(MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=2g,mode=1777", dir, sizeof(dir));
	/* the oracle: executing a file there really fails with EACCES */
	snprintf(prog, sizeof(prog), "%s/x.test", dir);
	int fd = open(prog, O_CREAT | O_WRONLY, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	cr_assert_eq(execl(prog, prog, (char *)NULL) == -1 && errno == EACCES, 1);

	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "tmpdir-noexec");
	f = finding(j, "tmpdir-noexec");
	cr_assert_not_null(f);
	cr_expect_str_eq(fact(f, "mount"), dir);
	cr_expect_str_eq(fact(f, "fstype"), "tmpfs");
	cr_expect(strstr(json_string_value(json_object_get(f, "summary")), "is on a noexec mount"));
	json_decref(j);
	umount(dir);
}

Test(doctor, gotmpdir_fine_but_tmpdir_noexec_is_a_warning)
{
	char dir[128], gt[128];
	json_t *j;

	t_env();
	private_mounts();
	tmpfs_tmpdir(MS_NOEXEC, "size=2g,mode=1777", dir, sizeof(dir));
	snprintf(gt, sizeof(gt), "%s/gotmp", t_base);
	mkdir(gt, 0755);
	setenv("GOTMPDIR", gt, 1);
	j = doctor(NULL, NULL, 0);
	expect_exactly(j, "tmpdir-noexec");
	cr_expect_str_eq(json_string_value(json_object_get(finding(j, "tmpdir-noexec"), "severity")),
			 "warning");
	json_decref(j);
}

Test(doctor, small_tmpfs_is_disk_full_warning)
{
	char dir[128];
	json_t *j;

	t_env();
	private_mounts();
	tmpfs_tmpdir(0, "size=16m,mode=1777", dir, sizeof(dir));
	j = doctor(NULL, NULL, 0);
	expect_exactly(j, "disk-full");
	cr_expect(strstr(json_string_value(json_object_get(finding(j, "disk-full"), "summary")), "MiB free"));
	json_decref(j);
}

static const char *const as_nobody[] = {
	"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", NULL,
};

/* A cache dir owned by root, and a HOME that uid 65534 owns. */
static void root_cache(char *cache, size_t size)
{
	snprintf(cache, size, "%s/cache", t_base);
	cr_assert_eq(mkdir(cache, 0755), 0);
	setenv("GOCACHE", cache, 1);
	cr_assert_eq(chown(getenv("HOME"), 65534, 65534), 0);
}

Test(doctor, root_owned_empty_cache_for_uid_65534)
{
	char cache[128];
	json_t *j, *f;

	t_env();
	root_cache(cache, sizeof(cache));
	j = doctor(as_nobody, NULL, 1);
	expect_exactly(j, "gocache-init-denied");
	f = finding(j, "gocache-init-denied");
	cr_assert_not_null(f);
	cr_expect_str_eq(fact(f, "owner"), "0");
	cr_expect_str_eq(fact(f, "euid"), "65534");
	cr_expect_str_eq(fact(f, "errno"), "EACCES");
	json_decref(j);
}

Test(doctor, root_written_cache_for_uid_65534_is_foreign_owner)
{
	char cache[128], p[160];
	json_t *j;

	t_env();
	root_cache(cache, sizeof(cache));
	for (const char *s = "00\0ab\0ff\0"; *s; s += 3) {
		snprintf(p, sizeof(p), "%s/%s", cache, s);
		cr_assert_eq(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof(p), "%s/README", cache);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	j = doctor(as_nobody, NULL, 0);
	expect_exactly(j, "gocache-foreign-owner");
	expect_severity(j, "gocache-foreign-owner", "warning");
	json_decref(j);
}

Test(doctor, readonly_gocache)
{
	char cache[128];
	json_t *j;

	t_env();
	private_mounts();
	snprintf(cache, sizeof(cache), "%s/rocache", t_base);
	mkdir(cache, 0755);
	cr_assert_eq(mount(cache, cache, NULL, MS_BIND, NULL), 0);
	cr_assert_eq(mount(NULL, cache, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0);
	setenv("GOCACHE", cache, 1);
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "gocache-readonly");
	json_decref(j);
}

Test(doctor, unwritable_gomodcache)
{
	char mc[128];
	json_t *j;

	t_env();
	snprintf(mc, sizeof(mc), "%s/modcache", t_base);
	mkdir(mc, 0755);
	setenv("GOMODCACHE", mc, 1);
	cr_assert_eq(chown(getenv("HOME"), 65534, 65534), 0);
	j = doctor(as_nobody, NULL, 1);
	expect_exactly(j, "gomodcache-denied");
	json_decref(j);
}

Test(doctor, missing_gotmpdir)
{
	json_t *j, *f;

	t_env();
	setenv("GOTMPDIR", "/nonexistent/gotmp", 1);
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "tmpdir-unusable");
	f = finding(j, "tmpdir-unusable");
	cr_expect_str_eq(fact(f, "path"), "/nonexistent/gotmp");
	cr_expect_str_eq(fact(f, "var"), "GOTMPDIR");
	json_decref(j);
}

Test(doctor, gocache_undefined)
{
	json_t *j;

	t_env();
	unsetenv("HOME");
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "gocache-undefined");
	json_decref(j);
}

/* cgo on, CC set to cc, and nothing on PATH. */
static void no_compilers(const char *cc)
{
	char empty[128];

	snprintf(empty, sizeof(empty), "%s/emptybin", t_base);
	mkdir(empty, 0755);
	setenv("CC", cc, 1);
	setenv("CGO_ENABLED", "1", 1);
	setenv("PATH", empty, 1);
}

Test(doctor, no_c_compiler_with_cgo_enabled)
{
	json_t *j, *f;

	t_env();
	no_compilers("/nonexistent");
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "cgo-compiler-missing");
	f = finding(j, "cgo-compiler-missing");
	cr_expect_str_eq(json_string_value(json_object_get(f, "severity")), "error");
	cr_expect_str_eq(fact(f, "prog"), "/nonexistent");
	json_decref(j);

	/* CGO_ENABLED unset: go >= 1.20 turns cgo off quietly — a warning */
	unsetenv("CGO_ENABLED");
	unsetenv("CC");
	j = doctor(NULL, NULL, 0);
	expect_exactly(j, "cgo-compiler-missing");
	expect_severity(j, "cgo-compiler-missing", "warning");
	json_decref(j);
}

/* A cross compiler that is not installed: the remedy installs that one. */
Test(doctor, missing_cross_compiler_names_its_package)
{
	json_t *j, *f;

	t_env();
	no_compilers("aarch64-linux-gnu-gcc");
	setenv("GOARCH", "arm64", 1);
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, "cgo-compiler-missing");
	f = finding(j, "cgo-compiler-missing");
	cr_expect(strstr(json_string_value(json_object_get(f, "remedy")),
			 "apt-get install -y gcc-aarch64-linux-gnu"), "remedy: %s",
		  json_string_value(json_object_get(f, "remedy")));
	json_decref(j);
}

/* Cross-compiling with CGO_ENABLED unset: cgo is off, a missing gcc is no
 * problem at all. */
Test(doctor, cross_compiling_needs_no_c_compiler)
{
	json_t *j;

	t_env();
	no_compilers("");
	unsetenv("CC");
	unsetenv("CGO_ENABLED");
	setenv("GOARCH", "arm64", 1);
	j = doctor(NULL, NULL, 0);
	expect_exactly(j, "");
	json_decref(j);
}

/* doctor in a process its parent restricted: a seccomp filter (action
 * for the listed syscalls) or a resource limit. */
struct restricted_case {
	const char *name;
	uint32_t action;         /* 0: no filter */
	int nrs[2];
	int resource;            /* -1: no limit */
	rlim_t soft, hard;
	int rc;                  /* doctor's exit status */
	const char *ids;         /* exactly these findings */
	const char *id;          /* and of this one: */
	const char *sev;         /* its severity (NULL: not checked) */
	struct { const char *k, *v; } fact[2];
};

#define DENY(nr) SCMP_ACT_ERRNO(EPERM), { SCMP_SYS(nr), -1 }, -1, 0, 0
#define LIMIT(res, soft, hard) 0, { -1, -1 }, res, soft, hard

static struct restricted_case restricted_cases[] = {
	/* no Go tool calls memfd_create: a warning */
	{ "seccomp_denies_memfd_create", DENY(memfd_create), 0, "seccomp-memfd-denied",
	  "seccomp-memfd-denied", "warning", { { "errno", "EPERM" }, { "seccomp", "2" } } },
	{ "seccomp_kill_costs_only_the_probe", SCMP_ACT_KILL_PROCESS,
	  { SCMP_SYS(memfd_create), -1 }, -1, 0, 0, 0, "seccomp-memfd-denied",
	  "seccomp-memfd-denied", NULL, { { "errno", "killed by SIGSYS" } } },
	{ "seccomp_legacy_profile_and_personality", SCMP_ACT_ERRNO(EPERM),
	  { SCMP_SYS(clone3), SCMP_SYS(personality) }, -1, 0, 0, 1,
	  "seccomp-legacy-profile,race-personality-denied", "seccomp-legacy-profile", NULL,
	  { { "call", "clone3" } } },
	/* only ppc64le's race runtime and C/C++ TSan call personality: a
	 * warning (it was an error, which no Go tool on amd64 can meet) */
	{ "seccomp_denies_personality", DENY(personality), 0, "race-personality-denied",
	  "race-personality-denied", "warning", { { "call", "personality" }, { "errno", "EPERM" } } },
	{ "low_address_space_limit", LIMIT(RLIMIT_AS, 2ull << 30, 2ull << 30), 0,
	  "race-shadow-mmap", "race-shadow-mmap", NULL, { { "rlimit_as", "2.0 GiB" } } },
	/* 8 GiB is room enough for -race (4 GiB passes): no finding, a note */
	{ "finite_but_roomy_address_space_limit", LIMIT(RLIMIT_AS, 8ull << 30, 8ull << 30), 0,
	  "", NULL, NULL, { { NULL } } },
	{ "low_nofile_hard_limit", LIMIT(RLIMIT_NOFILE, 256, 512), 0, "fd-limit", "fd-limit",
	  NULL, { { "rlimit_nofile_hard", "512" } } },
	/* goshim's own prerequisites: the engine's filter and its ptrace */
	{ "seccomp_denies_the_engines_filter", DENY(seccomp), 0, "goshim-no-seccomp-notify",
	  "goshim-no-seccomp-notify", "warning", { { "errno", "EPERM" }, { "seccomp", "2" } } },
	{ "seccomp_denies_the_engines_ptrace", DENY(ptrace), 0, "goshim-ptrace-refused",
	  "goshim-ptrace-refused", "warning", { { "errno", "EPERM" } } },
};

/* The row the next doctor runs under (read in its child). */
static const struct restricted_case *restricted;

static void restrict_child(void)
{
	const struct restricted_case *c = restricted;

	if (c->action) {
		struct tl_rule rules[2];
		size_t n = 0;

		for (; n < 2 && c->nrs[n] != -1; n++) {
			rules[n] = (struct tl_rule){ c->action, c->nrs[n] };
		}
		if (tl_seccomp_load(rules, n, 0) < 0) {
			_exit(99);
		}
	}
	if (c->resource >= 0) {
		struct rlimit rl = { c->soft, c->hard };

		setrlimit(c->resource, &rl);
	}
}

/* seccomp_denies_memfd_create, seccomp_kill_costs_only_the_probe,
 * seccomp_legacy_profile_and_personality, low_address_space_limit,
 * finite_but_roomy_address_space_limit and low_nofile_hard_limit, as
 * rows. */
TL_TABLE_TEST(struct restricted_case, restricted_cases, doctor, restricted)
{
	json_t *j, *f;

	t_env();
	restricted = c;
	j = doctor(NULL, restrict_child, c->rc);
	expect_exactly(j, c->ids);
	if (c->id) {
		f = finding(j, c->id);
		if (c->sev) {
			cr_expect_str_eq(json_string_value(json_object_get(f, "severity")), c->sev,
					 "%s", c->name);
		}
		for (size_t i = 0; i < 2 && c->fact[i].k; i++) {
			cr_expect_str_eq(fact(f, c->fact[i].k), c->fact[i].v, "%s", c->name);
		}
	}
	json_decref(j);
}

/* The status and detail of doctor's check `name`. */
static const char *check(json_t *j, const char *name, const char **detail)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(j, "checks"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "check")), name) == 0) {
			*detail = json_string_value(json_object_get(c, "detail"));
			return json_string_value(json_object_get(c, "status"));
		}
	}
	cr_assert_fail("no check %s: %s", name, json_dumps(json_object_get(j, "checks"), 0));
	return NULL;
}

static void set_nnp(void)
{
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* goshim's own prerequisites as root (nothing stands in the way here),
 * under an inherited no_new_privs, and as a user without CAP_BPF. */
Test(doctor, engine_prerequisites_as_root)
{
	const char *d;
	json_t *j;

	t_env();
	j = doctor(NULL, NULL, 0);
	cr_expect_str_eq(check(j, "seccomp notify", &d), "ok", "%s", d);
	/* a reaped child's exit status through its pidfd: Linux 6.15 */
	struct utsname u;
	int major = 0, minor = 0;

	cr_assert_eq(uname(&u), 0);
	sscanf(u.release, "%d.%d", &major, &minor);
	cr_expect_str_eq(check(j, "exit statuses", &d),
			 major > 6 || (major == 6 && minor >= 15) ? "ok" : "note", "%s", d);
	cr_expect_str_eq(check(j, "ptrace", &d), "ok", "%s", d);
	cr_expect_str_eq(check(j, "no_new_privs", &d), "ok", "%s", d);
	cr_expect(strstr(d, "not set; goshimctl run as root leaves it so"), "%s", d);
	json_decref(j);
}

Test(doctor, engine_prerequisites_under_no_new_privs)
{
	const char *d;
	json_t *j;

	t_env();
	j = doctor(NULL, set_nnp, 0);
	expect_exactly(j, "");
	cr_expect_str_eq(check(j, "no_new_privs", &d), "note", "%s", d);
	cr_expect(strstr(d, "already set (inherited): setuid, setgid and file-capability "
			  "programs (sudo, su, ping) run without their privilege"), "%s", d);
	json_decref(j);
}

Test(doctor, engine_prerequisites_without_cap_bpf)
{
	const char *d;
	json_t *j;

	t_env();
	cr_assert_eq(chown(getenv("HOME"), 65534, 65534), 0);
	j = doctor(as_nobody, NULL, 0);
	cr_expect_str_eq(check(j, "ebpf watcher", &d), "note", "%s", d);
	cr_expect(strstr(d, "not possible here (not root without CAP_BPF and CAP_PERFMON "
			  "(kernel.unprivileged_bpf_disabled="), "%s", d);
	cr_expect(strstr(d, "a go test takes ~18% longer than bare instead of ~4%"), "%s", d);
	cr_expect_str_eq(check(j, "no_new_privs", &d), "note", "%s", d);
	cr_expect(strstr(d, "goshimctl run sets it to load its filter (not root)"), "%s", d);
	/* the engine seizes only children of its own: allowed for any user */
	cr_expect_str_eq(check(j, "ptrace", &d), "ok", "%s", d);
	cr_expect_str_eq(check(j, "seccomp notify", &d), "ok", "%s", d);
	json_decref(j);
}

/* The NOFILE and AS limits of the table's low_nofile_hard_limit and
 * low_address_space_limit rows, both at once. */
static void low_nofile_and_as(void)
{
	struct rlimit nofile = { 256, 512 }, as = { 2ull << 30, 2ull << 30 };

	setrlimit(RLIMIT_NOFILE, &nofile);
	setrlimit(RLIMIT_AS, &as);
}

/* The classifier's side, without root: a doctor record (facts) is matched
 * by `fact` pairs (unknown when a fact is missing), takes the rule's
 * doctor-severity, raised by `error-when fact`, and its summary. */
Test(doctor, records_are_classified_by_the_rules)
{
	static const char text[] =
		"[a]\nseverity error\ndoctor-severity warning\nerror-when fact role work\n"
		"summary s\ndoctor-summary d {path}\nremedy r\nmatch errno EPERM\n"
		"or\nsubject doctor\nmatch fact role work|tmp problem noexec\n";
	static const struct {
		const char *role, *problem;
		int rc;
		enum gs_sev sev;
	} cases[] = {
		{ "tmp", "noexec", 0, GS_SEV_WARNING },
		{ "work", "noexec", 0, GS_SEV_ERROR },
		{ NULL, "noexec", -1, 0 },          /* no role: unknown, no match */
		{ "work", "full", -1, 0 },
	};
	struct gs_rules rs = { 0 };
	char err[256] = "";

	cr_assert_eq(gs_rules_load_text(&rs, "t", text, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gs_facts rec = { 0 };
		struct gs_finding f;
		if (cases[i].role) {
			gs_facts_set(&rec, "role", "%s", cases[i].role);
		}
		gs_facts_set(&rec, "problem", "%s", cases[i].problem);
		gs_facts_set(&rec, "path", "/x");
		cr_assert_eq(gs_classify_found(&rs, &rec, &f), cases[i].rc, "case %zu", i);
		if (cases[i].rc == 0) {
			cr_expect_str_eq(f.rule->id, "a");
			cr_expect_eq(f.sev, cases[i].sev, "case %zu", i);
			cr_expect_str_eq(f.summary, "d /x");
			cr_expect_str_eq(f.remedy, "r");
			gs_finding_free(&f);
		}
		gs_facts_free(&rec);
	}
	gs_rules_free(&rs);
	cr_expect_eq(gs_rules_load_text(&rs, "t", "[b]\nseverity benign\nsubject doctor\n"
					 "match fact role work problem\n", err, sizeof(err)), -1);
	cr_expect(strstr(err, "t:4: fact: arguments come in pairs"), "%s", err);
}

/* doctor decides with the rules, the user's file first: a site rule makes
 * the low NOFILE limit an error with the site's remedy, another silences
 * the -race address-space warning. */
Test(doctor, user_rules_decide_severity_and_remedy)
{
	char rules[128];
	json_t *j, *f;
	FILE *o;

	t_env();
	j = doctor(NULL, low_nofile_and_as, 0);
	expect_exactly(j, "race-shadow-mmap,fd-limit");
	f = finding(j, "fd-limit");
	cr_expect_str_eq(json_string_value(json_object_get(f, "severity")), "warning");
	cr_expect(strstr(json_string_value(json_object_get(f, "remedy")), "ulimit -Hn"));
	json_decref(j);

	snprintf(rules, sizeof(rules), "%s/site.rules", t_base);
	o = fopen(rules, "w");
	cr_assert_not_null(o);
	fputs("[fd-limit]\nseverity error\n"
	      "summary open files: hard limit {rlimit_nofile_hard}, below this site's minimum\n"
	      "remedy ask the CI admins for nofile=65536\n"
	      "subject doctor\nmatch fact check RLIMIT_NOFILE problem too-small\n\n"
	      "[site-race-unused]\nseverity benign\n"
	      "subject doctor\nmatch fact check RLIMIT_AS\n", o);
	fclose(o);
	j = doctor_rules(NULL, rules, low_nofile_and_as, 1);
	expect_exactly(j, "fd-limit");
	f = finding(j, "fd-limit");
	cr_expect_str_eq(json_string_value(json_object_get(f, "severity")), "error");
	cr_expect_str_eq(json_string_value(json_object_get(f, "remedy")),
			 "ask the CI admins for nofile=65536");
	cr_expect_str_eq(json_string_value(json_object_get(f, "summary")),
			 "open files: hard limit 512, below this site's minimum");
	json_decref(j);
}

Test(doctor, usage_errors_exit_2)
{
	char *out, *err;
	const char *a1[] = { "doctor", "--format=yaml", NULL };
	const char *a2[] = { "doctor", "extra", NULL };

	cr_expect_eq(rm_run(a1, &out, &err), 2);
	free(out);
	free(err);
	cr_expect_eq(rm_run(a2, &out, &err), 2);
	free(out);
	free(err);
}

/* A `go` on PATH patched from a real ELF program: its PT_INTERP made to
 * name a loader that does not exist here, or its e_machine another
 * architecture's.  The kernel refuses both for real (the oracle). */
static void fake_go(const char *what, char *dir, size_t size)
{
	char path[256];
	FILE *in = fopen("/bin/true", "rb");
	static unsigned char buf[4 << 20];
	size_t n;

	cr_assert_not_null(in);
	n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	cr_assert_gt(n, 64);
	if (strcmp(what, "interp") == 0) {
		static const char old[] = "/lib64/ld-linux-x86-64.so.2";
		static const char repl[] = "/lib/ld-musl-x86_64.so.1\0\0\0";
		unsigned char *p = memmem(buf, n, old, sizeof(old));
		cr_assert_not_null(p, "/bin/true has no glibc PT_INTERP");
		memcpy(p, repl, sizeof(old));
	} else {
		uint16_t em = 183; /* EM_AARCH64 */
		memcpy(buf + 18, &em, 2);
	}
	snprintf(dir, size, "%s/fakebin", t_base);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/go", dir);
	FILE *out = fopen(path, "wb");
	cr_assert_not_null(out);
	cr_assert_eq(fwrite(buf, 1, n, out), n);
	fclose(out);
	chmod(path, 0755);
	int rc = execl(path, path, (char *)NULL);
	cr_assert_eq(rc, -1);
	cr_assert_eq(errno, strcmp(what, "interp") == 0 ? ENOENT : ENOEXEC,
		     "kernel said %s", strerror(errno));
	char p2[512];
	snprintf(p2, sizeof(p2), "%s:/usr/bin:/bin", dir);
	setenv("PATH", p2, 1);
}

/* A `go` first on PATH that the kernel cannot execute. */
struct fake_go_case {
	const char *what;        /* fake_go's kind */
	const char *id;          /* doctor's only finding */
	struct { const char *k, *v; } fact[2];
};

static const struct fake_go_case fake_go_cases[] = {
	{ "interp", "elf-interpreter-missing",
	  { { "interp", "/lib/ld-musl-x86_64.so.1" }, { "interp_err", "ENOENT" } } },
	{ "machine", "exec-format", { { "machine", "aarch64" } } },
};

/* go_with_missing_elf_interpreter (interp) and go_for_another_architecture
 * (machine), as rows. */
TL_TABLE_TEST(struct fake_go_case, fake_go_cases, doctor, unrunnable_go)
{
	char dir[128];
	json_t *j, *f;

	t_env();
	fake_go(c->what, dir, sizeof(dir));
	j = doctor(NULL, NULL, 1);
	expect_exactly(j, c->id);
	f = finding(j, c->id);
	for (size_t i = 0; i < 2 && c->fact[i].k; i++) {
		cr_expect_str_eq(fact(f, c->fact[i].k), c->fact[i].v, "%s", c->what);
	}
	json_decref(j);
}

/* Text with a finding: coloured with --color=always even on a pipe, never
 * with --color=never. */
Test(doctor, color_option)
{
	static const struct {
		const char *opt;
		int colour;
	} cases[] = { { "--color=always", 1 }, { "--color=never", 0 }, { NULL, 0 } };

	unsetenv("NO_COLOR");
	setenv("GOTMPDIR", "/nonexistent/gotmp", 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[] = { getenv("DIAGCTL"), "doctor", cases[i].opt, NULL };
		char *out, *err;

		cr_expect_eq(rm_run_cmd(argv, NULL, &out, &err), 1, "%s: %s", cases[i].opt, err);
		cr_expect(strstr(out, "tmpdir-unusable"), "%s: %s", cases[i].opt, out);
		if (cases[i].colour) {
			cr_expect(strstr(out, "\033[1;31merror\033[0m"), "%s: %s", cases[i].opt, out);
		} else {
			cr_expect_null(strchr(out, '\033'), "%s: %s", cases[i].opt, out);
		}
		free(out);
		free(err);
	}
}

/* GOPROXY on a closed port, credentials in its URL: a warning that names
 * the proxy without them; GOSUMDB's server listening: fine. */
Test(doctor, module_proxy_unreachable)
{
	char proxy[128], sumdb[160];
	int fd;

	t_env();
	snprintf(proxy, sizeof(proxy), "https://ci:s3cret@127.0.0.1:%d,direct", tl_loopback_port(NULL));
	setenv("GOPROXY", proxy, 1);
	snprintf(sumdb, sizeof(sumdb), "sum.golang.org http://127.0.0.1:%d", tl_loopback_port(&fd));
	setenv("GOSUMDB", sumdb, 1);
	json_t *j = doctor(NULL, NULL, 0);
	expect_exactly(j, "module-fetch-failed");
	json_t *f = finding(j, "module-fetch-failed");
	expect_severity(j, "module-fetch-failed", "warning");
	cr_expect_str_eq(fact(f, "check"), "GOPROXY");
	cr_expect_str_eq(fact(f, "errno"), "ECONNREFUSED");
	cr_expect(strncmp(fact(f, "url"), "https://***@127.0.0.1:", 22) == 0, "url %s", fact(f, "url"));
	char *all = json_dumps(j, 0);
	cr_expect(!strstr(all, "s3cret"), "the password is not shown");
	free(all);
	json_decref(j);
	close(fd);
}

/* vm.mmap_rnd_bits against the race runtime of each GOARCH (race_aslr.h),
 * fed values: this machine's sysctl is not changed. */
Test(doctor, race_aslr_entropy_by_goarch)
{
	static const struct {
		const char *goarch;
		long bits;
		enum gs_race_aslr want;
	} rows[] = {
		{ "amd64", 28, GS_RACE_ASLR_FITS },      { "amd64", 32, GS_RACE_ASLR_NO_CHECK },
		{ "arm64", 33, GS_RACE_ASLR_NO_CHECK },  { "s390x", 30, GS_RACE_ASLR_NO_CHECK },
		{ "ppc64le", 28, GS_RACE_ASLR_FITS },    { "ppc64le", 30, GS_RACE_ASLR_REEXEC },
		{ "386", 16, GS_RACE_ASLR_NO_RUNTIME },  { NULL, 28, GS_RACE_ASLR_NO_RUNTIME },
	};
	const char *why;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		why = NULL;
		cr_expect_eq(gs_race_aslr(rows[i].goarch, rows[i].bits, &why), rows[i].want,
			     "%s %ld", rows[i].goarch ? rows[i].goarch : "(none)", rows[i].bits);
		cr_expect(why && *why, "%s: no reason", rows[i].goarch ? rows[i].goarch : "(none)");
	}
	cr_expect(strstr(gs_race_aslr("ppc64le", 30, &why) ? why : "", "personality"), "%s", why);
}

/* The sysctl is read through a path: a redirected one, an unreadable one */
Test(doctor, race_aslr_reads_the_sysctl_file)
{
	char p[] = "/tmp/gs-rnd-XXXXXX";
	int fd = mkstemp(p);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "32\n", 3), 3);
	close(fd);
	cr_expect_eq(gs_race_rnd_bits(p), 32);
	fd = open(p, O_WRONLY | O_TRUNC);
	cr_assert_eq(write(fd, "x\n", 2), 2);
	close(fd);
	cr_expect_eq(gs_race_rnd_bits(p), -1);
	unlink(p);
	cr_expect_eq(gs_race_rnd_bits("/nonexistent/mmap_rnd_bits"), -1);
	long live = gs_race_rnd_bits("/proc/sys/vm/mmap_rnd_bits");
	cr_expect(live == -1 || (live >= 8 && live <= 33), "live %ld", live);
}
