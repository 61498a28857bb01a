/* SPDX-License-Identifier: Apache-2.0 */
/* Memory mapped at its first use: lazymem.h. */
#include "lazymem.h"

#include <stdint.h>
#include <sys/mman.h>

#include "sys.h"

void *gs_lazymem(void **at, size_t size)
{
	void *p = __atomic_load_n(at, __ATOMIC_ACQUIRE);

	if (p) {
		return p;
	}
	long m = gs_sys6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if ((unsigned long)m > -4096ul) {
		return NULL;
	}
	if (!__atomic_compare_exchange_n(at, &p, (void *)m, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		gs_sys2(SYS_munmap, m, (long)size); /* another caller's won: p */
		return p;
	}
	return (void *)m;
}
