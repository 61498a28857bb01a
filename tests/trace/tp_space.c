/* SPDX-License-Identifier: Apache-2.0 */
/* Traced by tests/trace/test_probe.c: runs out of space for real.
 *
 *   tp-space fallocate FILE   fallocate 64 MiB at the start of FILE
 *   tp-space fill             write(2) $TMPDIR/tp-space-fill until it fails
 *
 * Exits 1 when the call failed with ENOSPC (what the test expects),
 * 2 when it did not fail, 3 on any other error. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tp_fallocate(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror(path);
		return 3;
	}
	if (fallocate(fd, 0, 0, 64l << 20) == 0) {
		return 2;
	}
	fprintf(stderr, "fallocate %s: %s\n", path, strerror(errno));
	return errno == ENOSPC ? 1 : 3;
}

static int tp_fill(void)
{
	static char block[64 * 1024];
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/tp-space-fill", dir ? dir : "/tmp");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return 3;
	}
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < 1 << 16; i++) {
		if (write(fd, block, sizeof(block)) < 0) {
			fprintf(stderr, "write %s: %s\n", path, strerror(errno));
			return errno == ENOSPC ? 1 : 3;
		}
	}
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "fallocate") == 0) {
		return tp_fallocate(argv[2]);
	}
	if (argc == 2 && strcmp(argv[1], "fill") == 0) {
		return tp_fill();
	}
	fprintf(stderr, "usage: tp-space fallocate FILE | fill\n");
	return 3;
}
