// SPDX-License-Identifier: Apache-2.0
/*
 * failer SCENARIO DIR
 *
 * Makes one libc entry point fail for real, from a function named
 * fail_<scenario> (so a backtrace names it), and prints exactly one line
 * on stdout:
 *
 *   ret=<return value> errno=<ERRNAME>
 *
 * (wait-family and process scenarios print their own one-line summary).
 * The same line must come out with and without libgoshim.so preloaded.
 * DIR is an empty directory the caller created and removes; every path
 * the failures use lives under it:
 *
 *   DIR/nonexistent        never created                  -> ENOENT
 *   DIR/locked             regular file, mode 000         -> EACCES (non-root)
 *   DIR/ro/                directory, mode 555            -> EACCES (non-root)
 *   DIR/garbage            mode 755, neither ELF nor #!   -> ENOEXEC
 *   DIR/noexec/prog        copy of /bin/true on a tmpfs mounted noexec in a
 *                          private mount namespace        -> EACCES
 *   <build>/badinterp      ELF whose PT_INTERP is missing -> ENOENT
 *
 * Scenarios needing root (noexec mount, uid switch when root) exit 77 with
 * a message on stderr when they cannot be set up.  Built -O0 -g
 * -fno-omit-frame-pointer; the fail_* functions are noinline and global.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <dirent.h>
#include <dlfcn.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "undeclared.h" /* preload/: __xstat & co, __open_2 & co */

#define FL_STAT_VER 1 /* _STAT_VER_LINUX on x86_64 */
#define FL_SKIP 77

extern char **environ;

static char g_dir[PATH_MAX];
static int g_dirfd = -1;
static int g_err;

/* Paths under DIR. */
static char p_missing[PATH_MAX], p_missing_sub[PATH_MAX], p_locked[PATH_MAX],
	p_ro[PATH_MAX], p_ro_new[PATH_MAX], p_garbage[PATH_MAX],
	p_noexec_dir[PATH_MAX], p_noexec[PATH_MAX], p_badinterp[PATH_MAX];

#define RET(expr)                        \
	do {                             \
		errno = 0;               \
		long r_ = (long)(expr);  \
		g_err = errno;           \
		return r_;               \
	} while (0)

static void die(const char *what)
{
	fprintf(stderr, "failer: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void skip(const char *why)
{
	fprintf(stderr, "failer: SKIP: %s\n", why);
	exit(FL_SKIP);
}

/* When root, become uid/gid 65534 so permission checks apply for real. */
static void drop_root(void)
{
	if (geteuid() != 0) {
		return;
	}
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		die("dropping to uid 65534");
	}
}

static void write_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd)) {
		die(path);
	}
	if (chmod(path, mode)) {
		die(path);
	}
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0) {
		die(from);
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (out < 0) {
		die(to);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			die(to);
		}
	}
	if (n < 0 || close(out) || close(in)) {
		die(to);
	}
}

/* A tmpfs mounted noexec at DIR/noexec, in a private mount namespace,
 * holding an executable copy of /bin/true. */
static void setup_noexec(void)
{
	if (geteuid() != 0) {
		skip("a noexec tmpfs mount needs root");
	}
	if (unshare(CLONE_NEWNS)) {
		skip("unshare(CLONE_NEWNS) failed");
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		die("mount --make-rprivate /");
	}
	if (mkdir(p_noexec_dir, 0755) && errno != EEXIST) {
		die(p_noexec_dir);
	}
	if (mount("tmpfs", p_noexec_dir, "tmpfs", MS_NOEXEC | MS_NOSUID,
		  "mode=0755,size=16m")) {
		die("mount -t tmpfs -o noexec");
	}
	copy_file("/bin/true", p_noexec, 0755);
}

static void setup_files(void)
{
	static const char junk[] = "this is neither an ELF file nor a script\n";

	write_file(p_locked, "secret\n", 7, 0);
	write_file(p_garbage, junk, sizeof(junk) - 1, 0755);
	if (mkdir(p_ro, 0555) || chmod(p_ro, 0555)) {
		die(p_ro);
	}
	if (chmod(g_dir, 0755)) {
		die(g_dir);
	}
}

static void setup_paths(const char *dir)
{
	char self[PATH_MAX];
	const char *bi = getenv("FAILER_BADINTERP");
	ssize_t n;

	if (!realpath(dir, g_dir)) {
		die(dir);
	}
	g_dirfd = open(g_dir, O_RDONLY | O_DIRECTORY);
	if (g_dirfd < 0) {
		die(g_dir);
	}
	snprintf(p_missing, sizeof(p_missing), "%s/nonexistent", g_dir);
	snprintf(p_missing_sub, sizeof(p_missing_sub), "%s/nonexistent/sub", g_dir);
	snprintf(p_locked, sizeof(p_locked), "%s/locked", g_dir);
	snprintf(p_ro, sizeof(p_ro), "%s/ro", g_dir);
	snprintf(p_ro_new, sizeof(p_ro_new), "%s/ro/new", g_dir);
	snprintf(p_garbage, sizeof(p_garbage), "%s/garbage", g_dir);
	snprintf(p_noexec_dir, sizeof(p_noexec_dir), "%s/noexec", g_dir);
	snprintf(p_noexec, sizeof(p_noexec), "%s/noexec/prog", g_dir);
	if (bi) {
		snprintf(p_badinterp, sizeof(p_badinterp), "%s", bi);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			die("/proc/self/exe");
		}
		self[n] = '\0';
		snprintf(p_badinterp, sizeof(p_badinterp), "%s/badinterp", dirname(self));
	}
}

/* ---- exec family ---------------------------------------------------- */

__attribute__((noinline)) long fail_execve(void)
{
	char *argv[] = { p_badinterp, NULL };

	RET(execve(p_badinterp, argv, environ));
}

__attribute__((noinline)) long fail_execv(void)
{
	char *argv[] = { p_noexec, NULL };

	setup_noexec();
	RET(execv(p_noexec, argv));
}

__attribute__((noinline)) long fail_execvp(void)
{
	char *argv[] = { "goshim-no-such-program", NULL };

	setenv("PATH", g_dir, 1);
	RET(execvp("goshim-no-such-program", argv));
}

__attribute__((noinline)) long fail_execvpe(void)
{
	char *argv[] = { "goshim-no-such-program", NULL };

	setenv("PATH", g_dir, 1);
	RET(execvpe("goshim-no-such-program", argv, environ));
}

__attribute__((noinline)) long fail_execl(void)
{
	setup_noexec();
	RET(execl(p_noexec, "prog", "one", "two", (char *)NULL));
}

__attribute__((noinline)) long fail_execlp(void)
{
	setenv("PATH", g_dir, 1);
	RET(execlp("goshim-no-such-program", "goshim-no-such-program", "x",
		   (char *)NULL));
}

__attribute__((noinline)) long fail_execle(void)
{
	char *envp[] = { "A=1", NULL };

	RET(execle(p_badinterp, "badinterp", "arg", (char *)NULL, envp));
}

__attribute__((noinline)) long fail_fexecve(void)
{
	char *argv[] = { "prog", NULL };
	int fd;

	setup_noexec();
	fd = open(p_noexec, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		die(p_noexec);
	}
	RET(fexecve(fd, argv, environ));
}

__attribute__((noinline)) long fail_execveat(void)
{
	char *argv[] = { "garbage", NULL };

	RET(execveat(g_dirfd, "garbage", argv, environ, 0));
}

/* ---- spawn ---------------------------------------------------------- */

static long spawn_reaped(int r, pid_t pid)
{
	int st;

	if (r == 0) {
		waitpid(pid, &st, 0);
	}
	return r;
}

__attribute__((noinline)) long fail_posix_spawn(void)
{
	char *argv[] = { p_missing, NULL };
	pid_t pid = 0;

	RET(spawn_reaped(posix_spawn(&pid, p_missing, NULL, NULL, argv, environ), pid));
}

__attribute__((noinline)) long fail_posix_spawn_noexec(void)
{
	char *argv[] = { p_noexec, NULL };
	pid_t pid = 0;

	setup_noexec();
	RET(spawn_reaped(posix_spawn(&pid, p_noexec, NULL, NULL, argv, environ), pid));
}

__attribute__((noinline)) long fail_posix_spawnp(void)
{
	char *argv[] = { "goshim-no-such-program", NULL };
	pid_t pid = 0;

	setenv("PATH", g_dir, 1);
	RET(spawn_reaped(posix_spawnp(&pid, "goshim-no-such-program", NULL, NULL,
				      argv, environ), pid));
}

/* ---- open family ---------------------------------------------------- */

__attribute__((noinline)) long fail_open(void)
{
	RET(open(p_missing, O_RDONLY));
}

__attribute__((noinline)) long fail_open64(void)
{
	drop_root();
	RET(open64(p_locked, O_RDONLY));
}

__attribute__((noinline)) long fail_openat(void)
{
	RET(openat(g_dirfd, "nonexistent", O_RDONLY | O_CLOEXEC));
}

__attribute__((noinline)) long fail_openat64(void)
{
	drop_root();
	RET(openat64(g_dirfd, "ro/new", O_WRONLY | O_CREAT | O_EXCL, 0644));
}

__attribute__((noinline)) long fail_creat(void)
{
	drop_root();
	RET(creat(p_locked, 0644));
}

__attribute__((noinline)) long fail_creat64(void)
{
	RET(creat64(p_missing_sub, 0600));
}

__attribute__((noinline)) long fail___open_2(void)
{
	RET(__open_2(p_missing, O_RDONLY));
}

__attribute__((noinline)) long fail___open64_2(void)
{
	drop_root();
	RET(__open64_2(p_locked, O_RDWR));
}

__attribute__((noinline)) long fail___openat_2(void)
{
	RET(__openat_2(g_dirfd, "nonexistent", O_RDONLY));
}

__attribute__((noinline)) long fail___openat64_2(void)
{
	RET(__openat64_2(g_dirfd, "locked/x", O_RDONLY));
}

__attribute__((noinline)) long fail_fopen(void)
{
	RET(fopen(p_missing, "r"));
}

__attribute__((noinline)) long fail_fopen64(void)
{
	drop_root();
	RET(fopen64(p_locked, "r"));
}

__attribute__((noinline)) long fail_freopen(void)
{
	FILE *f = fopen("/dev/null", "r");

	if (!f) {
		die("/dev/null");
	}
	RET(freopen(p_missing, "r", f));
}

__attribute__((noinline)) long fail_freopen64(void)
{
	FILE *f = fopen("/dev/null", "r");

	if (!f) {
		die("/dev/null");
	}
	drop_root();
	RET(freopen64(p_locked, "w", f));
}

/* ---- stat family ---------------------------------------------------- */

__attribute__((noinline)) long fail_stat(void)
{
	struct stat st;

	RET(stat(p_missing, &st));
}

__attribute__((noinline)) long fail_lstat(void)
{
	struct stat st;
	char p[PATH_MAX + 8];

	snprintf(p, sizeof(p), "%s/x", p_locked);
	RET(lstat(p, &st));
}

__attribute__((noinline)) long fail_fstat(void)
{
	struct stat st;

	RET(fstat(987, &st));
}

__attribute__((noinline)) long fail_fstatat(void)
{
	struct stat st;

	RET(fstatat(g_dirfd, "nonexistent", &st, AT_SYMLINK_NOFOLLOW));
}

__attribute__((noinline)) long fail_stat64(void)
{
	struct stat64 st;

	RET(stat64(p_missing_sub, &st));
}

__attribute__((noinline)) long fail_lstat64(void)
{
	struct stat64 st;

	RET(lstat64(p_missing, &st));
}

__attribute__((noinline)) long fail_fstat64(void)
{
	struct stat64 st;

	RET(fstat64(-1, &st));
}

__attribute__((noinline)) long fail_fstatat64(void)
{
	struct stat64 st;

	RET(fstatat64(986, "relative", &st, 0));
}

__attribute__((noinline)) long fail_statx(void)
{
	struct statx stx;

	RET(statx(AT_FDCWD, p_missing, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx));
}

__attribute__((noinline)) long fail___xstat(void)
{
	struct stat st;

	RET(__xstat(FL_STAT_VER, p_missing, &st));
}

__attribute__((noinline)) long fail___lxstat(void)
{
	struct stat st;

	RET(__lxstat(FL_STAT_VER, p_missing, &st));
}

__attribute__((noinline)) long fail___fxstat(void)
{
	struct stat st;

	RET(__fxstat(FL_STAT_VER, 985, &st));
}

__attribute__((noinline)) long fail___fxstatat(void)
{
	struct stat st;

	RET(__fxstatat(FL_STAT_VER, g_dirfd, "nonexistent", &st, 0));
}

__attribute__((noinline)) long fail___xstat64(void)
{
	struct stat64 st;

	RET(__xstat64(FL_STAT_VER, p_missing, &st));
}

__attribute__((noinline)) long fail___lxstat64(void)
{
	struct stat64 st;

	RET(__lxstat64(FL_STAT_VER, p_missing_sub, &st));
}

__attribute__((noinline)) long fail___fxstat64(void)
{
	struct stat64 st;

	RET(__fxstat64(FL_STAT_VER, 984, &st));
}

__attribute__((noinline)) long fail___fxstatat64(void)
{
	struct stat64 st;

	RET(__fxstatat64(FL_STAT_VER, g_dirfd, "nonexistent", &st, AT_SYMLINK_NOFOLLOW));
}

/* ---- mmap, memfd, clock --------------------------------------------- */

__attribute__((noinline)) long fail_mmap(void)
{
	struct rlimit rl = { 256u << 20, 256u << 20 };

	if (setrlimit(RLIMIT_AS, &rl)) {
		die("setrlimit(RLIMIT_AS)");
	}
	RET(mmap(NULL, (size_t)1 << 32, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
}

__attribute__((noinline)) long fail_mmap64(void)
{
	RET(mmap64(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

__attribute__((noinline)) long fail_memfd_create(void)
{
	RET(memfd_create("goshim-test", 0x7000u));
}

__attribute__((noinline)) long fail_memfd_create_seccomp(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(memfd_create), 0) ||
	    seccomp_load(ctx)) {
		die("loading the seccomp filter");
	}
	seccomp_release(ctx);
	RET(memfd_create("goshim-test", MFD_CLOEXEC));
}

__attribute__((noinline)) long fail_clock_gettime(void)
{
	struct timespec ts;

	RET(clock_gettime((clockid_t)4242, &ts));
}

/* ---- mkdir, access -------------------------------------------------- */

__attribute__((noinline)) long fail_mkdir(void)
{
	RET(mkdir(g_dir, 0755));
}

__attribute__((noinline)) long fail_mkdirat(void)
{
	drop_root();
	RET(mkdirat(g_dirfd, "ro/new", 0700));
}

__attribute__((noinline)) long fail_access(void)
{
	RET(access(p_missing, F_OK));
}

__attribute__((noinline)) long fail_faccessat(void)
{
	drop_root();
	RET(faccessat(g_dirfd, "locked", R_OK, 0));
}

__attribute__((noinline)) long fail_euidaccess(void)
{
	drop_root();
	RET(euidaccess(p_locked, W_OK));
}

__attribute__((noinline)) long fail_eaccess(void)
{
	RET(eaccess(p_missing, X_OK));
}

/* ---- scenarios with their own output line --------------------------- */

/* A child that exits 3 and one killed by SIGSEGV, reaped by each member
 * of the wait family; prints the statuses. */
static pid_t child_exit(int code, int sig)
{
	pid_t pid = fork();

	if (pid < 0) {
		die("fork");
	}
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		if (sig) {
			signal(sig, SIG_DFL);
			raise(sig);
		}
		_exit(code);
	}
	return pid;
}

static const char *same(pid_t got, pid_t want)
{
	return got == want ? "child" : "OTHER";
}

__attribute__((noinline)) long fail_wait(void)
{
	pid_t c1, c2, c3, c4, c5, r;
	int st = 0;
	siginfo_t si;
	struct rusage ru;

	c1 = child_exit(3, 0);
	r = wait(&st);
	printf("wait=%s:%#x ", same(r, c1), st);
	c2 = child_exit(0, SIGSEGV);
	r = waitpid(c2, &st, 0);
	printf("waitpid=%s:%#x ", same(r, c2), st & 0x7f);
	c3 = child_exit(4, 0);
	r = wait3(&st, 0, &ru);
	printf("wait3=%s:%#x ", same(r, c3), st);
	c4 = child_exit(0, SIGTERM);
	r = wait4(c4, NULL, 0, NULL);
	printf("wait4=%s ", same(r, c4));
	c5 = child_exit(5, 0);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, c5, &si, WEXITED);
	printf("waitid=%ld:%d:%d\n", (long)r, si.si_code, si.si_status);
	fflush(stdout);
	_exit(0);
}

/* vfork, then a failing execve in the child, then _exit(127). */
__attribute__((noinline)) long fail_vfork_execve(void)
{
	char *argv[] = { p_missing, NULL };
	int st = 0;
	pid_t pid = vfork();

	if (pid == 0) {
		execve(p_missing, argv, environ);
		_exit(127);
	}
	if (pid < 0) {
		die("vfork");
	}
	if (waitpid(pid, &st, 0) != pid) {
		die("waitpid");
	}
	printf("vfork child exited=%d code=%d\n", WIFEXITED(st), WEXITSTATUS(st));
	fflush(stdout);
	_exit(0);
}

/* A child killed by SIGSEGV: the parent prints the raw wait status. */
__attribute__((noinline)) long fail_segv(void)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		volatile int *p = (volatile int *)16;
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		signal(SIGSEGV, SIG_DFL);
		*p = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("signaled=%d sig=%d core=%d\n", WIFSIGNALED(st), WTERMSIG(st),
	       WCOREDUMP(st) ? 1 : 0);
	fflush(stdout);
	_exit(0);
}

/* Wrappers called from a handler on a SIGSTKSZ alternate stack, while
 * the main thread loops on a failing open. */
static volatile sig_atomic_t sa_hits, sa_bad;

static void sa_on_alarm(int sig)
{
	struct timespec ts;
	int e = errno;

	if (openat(g_dirfd, "nonexistent-in-handler", O_RDONLY) != -1 || errno != ENOENT) {
		sa_bad = 1;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 ||
	    clock_gettime((clockid_t)4243, &ts) != -1 || errno != EINVAL) {
		sa_bad = 1;
	}
	sa_hits++;
	errno = e;
}

__attribute__((noinline)) long fail_sigaltstack(void)
{
	size_t sz = SIGSTKSZ;
	void *stack = malloc(sz);
	stack_t ss = { .ss_sp = stack, .ss_size = sz };
	struct sigaction sa = { .sa_handler = sa_on_alarm, .sa_flags = SA_ONSTACK };
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	long loops = 0, wrong = 0;

	if (!stack || sigaltstack(&ss, NULL) || sigaction(SIGALRM, &sa, NULL)) {
		die("sigaltstack");
	}
	setitimer(ITIMER_REAL, &it, NULL);
	while (sa_hits < 200) {
		errno = 0;
		if (open(p_missing, O_RDONLY) != -1 || errno != ENOENT) {
			wrong++;
		}
		loops++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("handler=ok bad=%d wrong=%ld\n", (int)sa_bad, wrong);
	fflush(stdout);
	_exit(0);
}

/* 8 threads, 1000 failing opens each on distinct paths. */
static void *th_main(void *arg)
{
	long id = (long)arg, bad = 0;
	char p[PATH_MAX + 64];

	for (int i = 0; i < 1000; i++) {
		snprintf(p, sizeof(p), "%s/missing-%ld-%d", g_dir, id, i);
		errno = 0;
		if (open(p, O_RDONLY) != -1 || errno != ENOENT) {
			bad++;
		}
	}
	return (void *)bad;
}

__attribute__((noinline)) long fail_threads(void)
{
	pthread_t t[8];
	long bad = 0;

	for (long i = 0; i < 8; i++) {
		if (pthread_create(&t[i], NULL, th_main, (void *)i)) {
			die("pthread_create");
		}
	}
	for (int i = 0; i < 8; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("threads=8 opens=8000 bad=%ld\n", bad);
	fflush(stdout);
	_exit(0);
}

/* Successes and failures side by side: every value must match. */
static void mx_show(const char *what, long r)
{
	printf("%s=%ld/%s ", what, r, errno ? strerrorname_np(errno) : "0");
}

__attribute__((noinline)) long fail_mixed(void)
{
	struct stat st;
	struct timespec ts;
	long r;
	int fd;

	errno = 0;
	fd = open("/dev/null", O_RDONLY);
	mx_show("open", fd >= 0);
	r = fstat(fd, &st);
	mx_show("fstat", r);
	close(fd);
	errno = 0;
	r = stat(p_missing, &st);
	mx_show("stat", r);
	errno = 0;
	r = stat(p_locked, &st);
	mx_show("statok", r);
	printf("mode=%o ", (unsigned)(st.st_mode & 07777));
	r = clock_gettime(CLOCK_REALTIME, &ts);
	mx_show("clock", r);
	errno = 0;
	r = access(p_missing, F_OK);
	mx_show("access", r);
	errno = 12345;
	r = access(g_dir, W_OK);
	printf("accessok=%ld keep=%d ", r, errno == 12345);
	errno = 0;
	fd = open(p_ro, O_RDONLY | O_DIRECTORY);
	mx_show("opendir", fd >= 0);
	errno = 0;
	r = mkdir(p_ro, 0700);
	mx_show("mkdir", r);
	errno = 0;
	r = (long)fopen(p_missing, "r");
	mx_show("fopen", r);
	errno = 0;
	r = (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
	    (long)MAP_FAILED;
	mx_show("mmap", r);
	printf("\n");
	fflush(stdout);
	_exit(0);
}

/* An exec of a FIFO: EACCES at once (never a hang in the hand-over's
 * look at the target; the alarm ends a hung run). */
__attribute__((noinline)) long fail_exec_fifo(void)
{
	char fifo[PATH_MAX + 8];
	char *argv[] = { "fifo", NULL };

	snprintf(fifo, sizeof(fifo), "%s/fifo", g_dir);
	if (mkfifo(fifo, 0755) < 0 || chmod(fifo, 0755) < 0) {
		die(fifo);
	}
	alarm(60);
	RET(execv(fifo, argv));
}

/* Empty paths without AT_EMPTY_PATH: ENOENT, naming no file. */
__attribute__((noinline)) long fail_fstatat_empty(void)
{
	struct stat st;

	RET(fstatat(AT_FDCWD, "", &st, 0));
}

__attribute__((noinline)) long fail_fstatat_empty_dirfd(void)
{
	struct stat st;

	RET(fstatat(g_dirfd, "", &st, 0));
}

/* Nothing fails: used by the early-constructor test. */
__attribute__((noinline)) long fail_none(void)
{
	RET(0);
}

/* ---- lazy set-up: what a process that has not failed yet holds ------ */

/* The page-rounded range libgoshim.so was loaded into (its PT_LOADs). */
static int lazy_lib_range(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t *r = data, lo = UINTPTR_MAX, hi = 0;

	(void)size;
	if (!strstr(info->dlpi_name, "libgoshim")) {
		return 0;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD) {
			uintptr_t a = info->dlpi_addr + ph->p_vaddr, b = a + ph->p_memsz;

			lo = a < lo ? a : lo;
			hi = b > hi ? b : hi;
		}
	}
	r[0] = lo & ~(uintptr_t)4095;
	r[1] = (hi + 4095) & ~(uintptr_t)4095;
	return 1;
}

/* Bytes of anonymous memory (the .bss ld.so maps beyond the file) inside
 * the range of line, a /proc/self/maps line. */
static long lazy_anon_in(const char *line, const uintptr_t r[2])
{
	unsigned long a, b, inode;
	char perms[8];

	if (sscanf(line, "%lx-%lx %7s %*s %*s %lu", &a, &b, perms, &inode) != 4 || inode) {
		return 0;
	}
	a = a > r[0] ? a : r[0];
	b = b < r[1] ? b : r[1];
	return b > a ? (long)(b - a) : 0;
}

/* On stderr: "lazy WHEN ring-mapped=0|1 fds=N lib-anon=B", N the open
 * descriptors (the directory read to count them aside), B the bytes of
 * anonymous memory inside libgoshim.so's range (0 without it). */
static void lazy_state(const char *when)
{
	const char *ring = getenv("GOSHIM_RING");
	char line[4096];
	int mapped = 0, fds = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!f || !d) {
		die("/proc/self");
	}
	uintptr_t lib[2] = { 0, 0 };
	long anon = 0;

	dl_iterate_phdr(lazy_lib_range, lib);
	while (fgets(line, sizeof(line), f)) {
		mapped |= ring && *ring && strstr(line, ring) != NULL;
		anon += lazy_anon_in(line, lib);
	}
	fclose(f);
	while ((e = readdir(d))) {
		fds += e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d);
	}
	closedir(d);
	fprintf(stderr, "lazy %s ring-mapped=%d fds=%d lib-anon=%ld\n", when, mapped, fds, anon);
}

/* Nothing fails. */
__attribute__((noinline)) long fail_lazy_none(void)
{
	lazy_state("end");
	RET(0);
}

/* The first failure is an ordinary call. */
__attribute__((noinline)) long fail_lazy_call(void)
{
	lazy_state("before");
	errno = 0;
	long r = open(p_missing, O_RDONLY);
	g_err = errno;
	lazy_state("after");
	return r;
}

/* The first failure is in a vfork child, before its exec; then one in
 * the parent, which shares the ring the child attached. */
__attribute__((noinline)) long fail_lazy_vfork(void)
{
	char *argv[] = { "true", NULL };
	int st = 0;

	lazy_state("before");
	pid_t pid = vfork();
	if (pid == 0) {
		if (openat(g_dirfd, "nonexistent-in-vfork-child", O_RDONLY) != -1) {
			_exit(3);
		}
		execve("/bin/true", argv, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) {
		die("vfork child");
	}
	lazy_state("after");
	RET(open(p_missing, O_RDONLY));
}

static void lazy_on_usr1(int sig)
{
	int e = errno;

	(void)sig;
	if (openat(g_dirfd, "nonexistent-in-handler", O_RDONLY) != -1) {
		_exit(3);
	}
	errno = e;
}

/* The first failure is in a signal handler. */
__attribute__((noinline)) long fail_lazy_signal(void)
{
	struct sigaction sa = { .sa_handler = lazy_on_usr1 };

	lazy_state("before");
	if (sigaction(SIGUSR1, &sa, NULL) || raise(SIGUSR1)) {
		die("SIGUSR1");
	}
	lazy_state("after");
	RET(0);
}

/* The object gs_real.<row> of libgoshim.so points into, by its file's
 * base name ("-" when unknown): FL_GS_REAL is gs_real's offset in the
 * library (hex, from its symbol table), the rows are real.def's in order. */
#if defined(__TIMESIZE) && __TIMESIZE == 32 /* real.h's row condition */
#define GS_HAVE_CLOCK_GETTIME64 1
#else
#define GS_HAVE_CLOCK_GETTIME64 0
#endif
enum {
#define GS_REAL(ret, name, params, args, fb) LZ_RS_##name,
#define GS_REAL_VA(ret, name, params, args, flags, fb) LZ_RS_##name,
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
};

static int lazy_lib_base(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (!strstr(info->dlpi_name, "libgoshim")) {
		return 0;
	}
	*(uintptr_t *)data = info->dlpi_addr;
	return 1;
}

static const char *lazy_real_obj(int row)
{
	const char *off = getenv("FL_GS_REAL");
	uintptr_t base = 0;
	Dl_info di = { 0 };
	void *const *fn;

	dl_iterate_phdr(lazy_lib_base, &base);
	if (!off || !base) {
		return "-";
	}
	fn = (void *const *)(base + strtoull(off, NULL, 16)) + row;
	if (!dladdr(__atomic_load_n(fn, __ATOMIC_ACQUIRE), &di) || !di.dli_fname) {
		return "-";
	}
	return strrchr(di.dli_fname, '/') ? strrchr(di.dli_fname, '/') + 1 : di.dli_fname;
}

/* "resolve WHEN euidaccess=OBJ eaccess=OBJ faccessat=OBJ" on stderr. */
static void lazy_resolved(const char *when)
{
	fprintf(stderr, "resolve %s euidaccess=%s", when, lazy_real_obj(LZ_RS_euidaccess));
	fprintf(stderr, " eaccess=%s", lazy_real_obj(LZ_RS_eaccess));
	fprintf(stderr, " faccessat=%s\n", lazy_real_obj(LZ_RS_faccessat));
}

static volatile sig_atomic_t lazy_handler_ret = -2;

static void lazy_eaccess_on_usr1(int sig)
{
	int e = errno;

	(void)sig;
	lazy_handler_ret = eaccess("/", F_OK);
	errno = e;
}

/* Three wrapped functions called for the first time: one in an ordinary
 * call, one in a signal handler, one in a vfork child; none fails.  Then
 * a fork child looks at one nothing called. */
__attribute__((noinline)) long fail_lazy_resolve(void)
{
	struct sigaction sa = { .sa_handler = lazy_eaccess_on_usr1 };
	int st = 0;

	lazy_resolved("before");
	if (euidaccess("/", F_OK) != 0) {
		die("euidaccess");
	}
	if (sigaction(SIGUSR1, &sa, NULL) || raise(SIGUSR1) || lazy_handler_ret != 0) {
		die("eaccess in a handler");
	}
	pid_t pid = vfork();
	if (pid == 0) {
		_exit(faccessat(AT_FDCWD, "/", F_OK, 0) == 0 ? 0 : 3);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) {
		die("faccessat in a vfork child");
	}
	lazy_resolved("after");
	/* a function nothing called yet: resolved before the fork, for the child */
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		fprintf(stderr, "resolve fork-child mkdirat=%s\n", lazy_real_obj(LZ_RS_mkdirat));
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) {
		die("fork child");
	}
	RET(0);
}

/* A root job's program drops to uid 65534 and execs another: the new
 * image cannot open the root-owned ring (0600).  Not root: nothing to
 * drop, skipped. */
__attribute__((noinline)) long fail_exec_dropped(void)
{
	if (geteuid() != 0) {
		skip("needs root to drop to uid 65534");
	}
	drop_root();
	execl("/bin/true", "true", (char *)NULL);
	die("exec /bin/true");
	return -1;
}

struct scenario {
	const char *name;
	long (*fn)(void);
};

#define S(n) { #n, fail_##n }
static const struct scenario scenarios[] = {
	S(execve), S(execv), S(execvp), S(execvpe), S(execl), S(execlp),
	S(execle), S(fexecve), S(execveat),
	S(posix_spawn), S(posix_spawn_noexec), S(posix_spawnp),
	S(open), S(open64), S(openat), S(openat64), S(creat), S(creat64),
	S(__open_2), S(__open64_2), S(__openat_2), S(__openat64_2),
	S(fopen), S(fopen64), S(freopen), S(freopen64),
	S(stat), S(lstat), S(fstat), S(fstatat), S(stat64), S(lstat64),
	S(fstat64), S(fstatat64), S(statx),
	S(__xstat), S(__lxstat), S(__fxstat), S(__fxstatat),
	S(__xstat64), S(__lxstat64), S(__fxstat64), S(__fxstatat64),
	S(mmap), S(mmap64), S(memfd_create), S(memfd_create_seccomp),
	S(clock_gettime), S(mkdir), S(mkdirat),
	S(access), S(faccessat), S(euidaccess), S(eaccess),
	S(wait), S(vfork_execve), S(segv), S(sigaltstack), S(threads),
	S(mixed), S(none), S(exec_fifo), S(fstatat_empty), S(fstatat_empty_dirfd),
	S(lazy_none), S(lazy_call), S(lazy_vfork), S(lazy_signal), S(lazy_resolve), S(exec_dropped),
};

int main(int argc, char **argv)
{
	const struct scenario *s = NULL;
	long r;

	if (argc != 3) {
		fprintf(stderr, "usage: failer SCENARIO DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(scenarios[i].name, argv[1]) == 0) {
			s = &scenarios[i];
		}
	}
	if (!s) {
		fprintf(stderr, "failer: unknown scenario %s\n", argv[1]);
		return 2;
	}
	setup_paths(argv[2]);
	setup_files();
	r = s->fn();
	printf("ret=%ld errno=%s\n", r, g_err ? strerrorname_np(g_err) : "0");
	return 0;
}
