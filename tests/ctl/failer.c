/* SPDX-License-Identifier: Apache-2.0 */
/* Helper for test_e2e: makes calls that fail for real and prints, for
 * each, the source line of the call, as the decoder should show it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int fail_openat(const char *path);
int fail_mkdir(const char *path);

__attribute__((noinline, noclone)) int fail_openat(const char *path)
{
	printf("openat %d\n", __LINE__ + 1);
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

__attribute__((noinline, noclone)) int fail_mkdir(const char *path)
{
	printf("mkdir %d\n", __LINE__ + 1);
	int rc = mkdir(path, 0755);
	return rc < 0 ? -errno : rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: failer MISSING-PATH UNWRITABLE-DIR\n");
		return 2;
	}
	fail_openat(argv[1]);
	fail_mkdir(argv[2]);
	return 0;
}
