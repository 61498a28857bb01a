// SPDX-License-Identifier: Apache-2.0
/* mmap, mmap64: failure is MAP_FAILED; every argument is recorded. */
#include <sys/mman.h>

#include "goshim/record.h"
#include "real.h"

static GS_COLD void mm_fail(uint32_t call, void *addr, size_t len, int prot,
			    int flags, int fd, int64_t off, const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = -1,
		.present = GS_A_MMAP | GS_A_FD | GS_A_FLAGS,
		.addr = (uintptr_t)addr, .length = len, .prot = (unsigned)prot,
		.flags = (unsigned)flags, .fd = fd, .offset = off,
		.caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		     off_t off)
{
	void *p = gs_real.mmap(addr, len, prot, flags, fd, off);

	if (gs_unlikely(p == MAP_FAILED)) {
		mm_fail(GOSHIM_CALL_mmap, addr, len, prot, flags, fd, off,
			GS_CALLER());
	}
	return p;
}

GS_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		       off64_t off)
{
	void *p = gs_real.mmap64(addr, len, prot, flags, fd, off);

	if (gs_unlikely(p == MAP_FAILED)) {
		mm_fail(GOSHIM_CALL_mmap64, addr, len, prot, flags, fd, off,
			GS_CALLER());
	}
	return p;
}
