// SPDX-License-Identifier: Apache-2.0
/* Calls stat and fstat and prints the sizes they gave: under libgoshim.so
 * with nextsym_interpose.so after it, 4242 and 2 (the default version). */
#include <stdio.h>
#include <sys/stat.h>

int main(void)
{
	struct stat a, b;
	int ra = stat("/", &a), rb = fstat(0, &b);

	printf("stat %d %lld fstat %d %lld\n", ra, (long long)a.st_size, rb,
	       (long long)b.st_size);
	return 0;
}
