/* SPDX-License-Identifier: Apache-2.0 */
/* A C program without frame pointers (-O2) whose open(2) of argv[1]
 * (O_WRONLY) fails three calls deep: level1 -> level2 -> level3. */
#include <fcntl.h>
#include <stdio.h>

#define GG_KEEP() __asm__ volatile("" ::: "memory")

/* External, so that their names stay in the symbol table as they are. */
int level3(const char *p);
int level2(const char *p);
int level1(const char *p);

__attribute__((noinline)) int level3(const char *p)
{
	int fd = open(p, O_WRONLY);

	GG_KEEP();
	return fd;
}

__attribute__((noinline)) int level2(const char *p)
{
	int r = level3(p);

	GG_KEEP();
	return r + 1;
}

__attribute__((noinline)) int level1(const char *p)
{
	int r = level2(p);

	GG_KEEP();
	return r * 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		return 2;
	}
	printf("%d\n", level1(argv[1]));
	return 0;
}
