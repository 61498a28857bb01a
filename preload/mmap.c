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

#define MM_WRAP(name, otype)                                                 \
	GS_WRAP_WITH(void *, name, (void *addr, size_t len, int prot, int flags, \
				    int fd, otype off), ,                    \
		     gs_real.name(addr, len, prot, flags, fd, off),          \
		     gs_unlikely(r == MAP_FAILED),                           \
		     mm_fail(GOSHIM_CALL_##name, addr, len, prot, flags, fd, off, \
			     GS_CALLER()))

MM_WRAP(mmap, off_t)
MM_WRAP(mmap64, off64_t)
