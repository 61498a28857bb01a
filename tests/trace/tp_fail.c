/* SPDX-License-Identifier: Apache-2.0 */
/* The traced program of the trace tests.  It makes watched system calls
 * fail directly with syscall(2), so neither libc nor the preload is
 * involved, then behaves as its first argument says:
 *
 *   fail [EXIT]        the failures, then exit EXIT (a number, "segv" or
 *                      "kill": die of that signal)
 *   cat                copy stdin to stdout
 *   threads N          N threads, each fails openat("thread-<i>-missing")
 *   chain N            fail openat("chain-level-N"); if N > 0 fork and exec
 *                      itself with "chain N-1", exit with the child's code
 *   threadexec         a second thread execs "fail 4" (the tid changes)
 *   repeat N           fail openat("repeat-missing") N times, same call site
 *   fifo-intr FIFO     open FIFO for reading (it blocks); a child interrupts
 *                      the open with a signal (SA_RESTART: it comes round),
 *                      then opens it for writing: nothing fails
 *   hotloop N T [EXIT] T threads fail newfstatat("hot-missing-journal") N
 *                      times in all, one call site (SQLite's look for its
 *                      journal), then exit as "fail" does
 *   exec PATH          execve(PATH) directly; print its errno, exit 7
 *   tick FILE N        write our pid then a counter into FILE every 10 ms,
 *                      N times (the stop/continue test watches it)
 *   listener           load a seccomp filter with a listener of our own (as
 *                      a sandbox does): print "listener ok" and exit 0, or
 *                      the errno and exit 1
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void tp_failures(void)
{
	static char buf[512];
	char *av[] = { "passwd", NULL };
	struct timespec ts;

	syscall(SYS_openat, AT_FDCWD, "nope/openat-missing", O_RDONLY);
	syscall(SYS_open, "/nonexistent-dir/open-missing", O_RDONLY);
#ifdef SYS_newfstatat
	syscall(SYS_newfstatat, AT_FDCWD, "/nonexistent-dir/stat-missing", buf, 0);
#else
	syscall(SYS_fstatat64, AT_FDCWD, "/nonexistent-dir/stat-missing", buf, 0);
#endif
	syscall(SYS_mkdirat, AT_FDCWD, "/", 0755);                 /* EEXIST */
	syscall(SYS_faccessat, AT_FDCWD, "/nonexistent-dir/access-missing", F_OK);
	syscall(SYS_execve, "/etc/passwd", av, NULL);              /* EACCES */
	syscall(SYS_memfd_create, "tp-memfd", 0xffff);             /* EINVAL */
	syscall(SYS_clock_gettime, 12345, &ts);                    /* EINVAL */
	/* a fixed mapping over ourselves: EEXIST */
	syscall(SYS_mmap, (long)((uintptr_t)buf & ~4095ul), 4096, PROT_READ,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

static void *tp_thread(void *arg)
{
	char p[64];

	snprintf(p, sizeof(p), "thread-%ld-missing", (long)arg);
	syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
	return NULL;
}

static void *tp_thread_exec(void *arg)
{
	execl("/proc/self/exe", (const char *)arg, "fail", "4", (char *)NULL);
	return NULL;
}

#ifndef SYS_newfstatat
#define SYS_newfstatat SYS_fstatat64 /* i386 */
#endif

static void *tp_hot(void *arg)
{
	struct stat st;

	for (long i = (long)arg; i > 0; i--) {
		syscall(SYS_newfstatat, AT_FDCWD, "hot-missing-journal", &st, 0);
	}
	return NULL;
}

static void tp_nop(int sig)
{
	(void)sig;
}

static int tp_fifo_intr(const char *fifo)
{
	struct sigaction sa = { .sa_handler = tp_nop, .sa_flags = SA_RESTART };
	pid_t parent = getpid(), pid;
	int fd, status;

	sigaction(SIGUSR1, &sa, NULL);
	if (mkfifo(fifo, 0600) < 0 || (pid = fork()) < 0) {
		return 2;
	}
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kill(parent, SIGUSR1);
		nanosleep(&ts, NULL);
		fd = open(fifo, O_WRONLY);
		_exit(fd < 0 ? 3 : 0);
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, fifo, O_RDONLY);
	waitpid(pid, &status, 0);
	return fd < 0 ? 4 : WIFEXITED(status) ? WEXITSTATUS(status) : 5;
}

static int tp_exit(const char *how)
{
	if (strcmp(how, "segv") == 0) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	} else if (strcmp(how, "kill") == 0) {
		raise(SIGKILL);
	}
	return atoi(how);
}

/* A filter of our own that notifies getppid to its listener (which
 * nobody reads: getppid is never called). */
static int tp_listener(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };
	long fd;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	if (fd < 0) {
		printf("listener errno=%d\n", errno);
		return 1;
	}
	printf("listener ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "fail";

	if (strcmp(mode, "fail") == 0) {
		tp_failures();
		fflush(stdout);
		return tp_exit(argc > 2 ? argv[2] : "0");
	}
	if (strcmp(mode, "cat") == 0) {
		char b[4096];
		ssize_t n;

		while ((n = read(0, b, sizeof(b))) > 0) {
			if (write(1, b, (size_t)n) != n) {
				return 1;
			}
		}
		return 0;
	}
	if (strcmp(mode, "threads") == 0 && argc > 2) {
		long n = atol(argv[2]);
		pthread_t t[64];

		for (long i = 0; i < n && i < 64; i++) {
			pthread_create(&t[i], NULL, tp_thread, (void *)i);
		}
		for (long i = 0; i < n && i < 64; i++) {
			pthread_join(t[i], NULL);
		}
		return 0;
	}
	if (strcmp(mode, "fifo-intr") == 0 && argc > 2) {
		return tp_fifo_intr(argv[2]);
	}
	if (strcmp(mode, "hotloop") == 0 && argc > 3) {
		long n = atol(argv[2]), k = atol(argv[3]);
		pthread_t t[64];

		k = k < 1 ? 1 : k > 64 ? 64 : k;
		for (long i = 0; i < k; i++) {
			pthread_create(&t[i], NULL, tp_hot, (void *)(n / k + (i < n % k)));
		}
		for (long i = 0; i < k; i++) {
			pthread_join(t[i], NULL);
		}
		return tp_exit(argc > 4 ? argv[4] : "0");
	}
	if (strcmp(mode, "chain") == 0 && argc > 2) {
		int n = atoi(argv[2]), status;
		char p[64], next[16];
		pid_t pid;

		snprintf(p, sizeof(p), "chain-level-%d", n);
		syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
		if (n == 0) {
			return 5;
		}
		snprintf(next, sizeof(next), "%d", n - 1);
		pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", argv[0], "chain", next, (char *)NULL);
			_exit(126);
		}
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
	}
	if (strcmp(mode, "threadexec") == 0) {
		pthread_t t;

		pthread_create(&t, NULL, tp_thread_exec, argv[0]);
		pthread_join(t, NULL);
		return 1; /* not reached: the exec replaces us */
	}
	if (strcmp(mode, "repeat") == 0 && argc > 2) {
		for (int i = atoi(argv[2]); i > 0; i--) {
			syscall(SYS_openat, AT_FDCWD, "repeat-missing", O_RDONLY);
		}
		return 0;
	}
	if (strcmp(mode, "exec") == 0 && argc > 2) {
		char *av[] = { argv[2], NULL };
		long r = syscall(SYS_execve, argv[2], av, NULL);

		printf("execve=%ld errno=%d\n", r, errno);
		return 7;
	}
	if (strcmp(mode, "listener") == 0) {
		return tp_listener();
	}
	if (strcmp(mode, "tick") == 0 && argc > 3) {
		int n = atoi(argv[3]);

		char tmp[4096];

		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
		for (int i = 0; i <= n; i++) {
			FILE *f = fopen(tmp, "w");

			if (!f) {
				return 1;
			}
			fprintf(f, "%d %d\n", (int)getpid(), i);
			fclose(f);
			rename(tmp, argv[2]); /* never seen half-written */
			usleep(10000);
		}
		return 0;
	}
	fprintf(stderr, "tp_fail: bad arguments\n");
	return 2;
}
