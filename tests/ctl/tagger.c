/* SPDX-License-Identifier: Apache-2.0 */
/* Fails one call for each argument tag of include/goshim/record.h, the
 * same calls every run, for the golden ring of test_golden.c: run under
 * libgoshim.so and under `goshimctl run`, its events carry every
 * argument kind both writers store.  Paths are absolute and below
 * /nonexistent-goshim-tags; the first one ("begin") marks where the
 * program's own failures start (the loader's come before). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DIR "/nonexistent-goshim-tags"

int main(void)
{
	static char longp[1400];
	char *argv[] = { "goshim-tags", "-a", "b c", NULL };
	char *envp[] = { "GOSHIM_TAGS=1", NULL };
	struct stat st;
	struct statx sx;
	struct timespec ts;
	void *fixed = (void *)0x200000000ul;
	int fd;

	close(open(DIR "/begin", O_RDONLY));
	close(open(DIR "/file", O_WRONLY | O_CREAT | O_TRUNC, 0640));
	close(openat(AT_FDCWD, DIR "/file", O_RDONLY | O_CLOEXEC | O_DIRECTORY));
	mkdir(DIR "/dir", 0751);
	access(DIR "/file", R_OK | X_OK);
	faccessat(AT_FDCWD, DIR "/file", W_OK, AT_EACCESS);
	stat(DIR "/file", &st);
	fstatat(AT_FDCWD, DIR "/file", &st, AT_SYMLINK_NOFOLLOW);
	statx(AT_FDCWD, DIR "/file", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &sx);
	FILE *f = fopen(DIR "/fopen", "re");
	if (f) {
		fclose(f);
	}
	memfd_create("goshim-tags", 0x7ffffff0u);
	clock_gettime((clockid_t)99, &ts);
	if (mmap(fixed, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	    fixed) {
		mmap(fixed, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	}
	/* longer than GOSHIM_STR_MAX: the path is stored cut short */
	memset(longp, 'a', sizeof(longp) - 1);
	memcpy(longp, DIR "/", sizeof(DIR));
	for (size_t i = 100; i < sizeof(longp) - 1; i += 100) {
		longp[i] = '/';
	}
	close(open(longp, O_RDONLY));
	fd = open("/dev/null", O_RDONLY);
	fallocate(fd, 0, 4096, 8192);
	ftruncate(fd, 0);
	close(fd);
	execve(DIR "/prog", argv, envp);
	execvp("goshim-tags-no-such-program", argv);
	return 0;
}
