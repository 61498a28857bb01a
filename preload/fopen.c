// SPDX-License-Identifier: Apache-2.0
/* fopen family: failure is a NULL stream; the path and mode string are
 * recorded. */
#include "goshim/record.h"
#include "real.h"

static GS_COLD void fo_fail(uint32_t call, const char *path, const char *fmode,
			    const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = e, .ret = 0,
		.path = path, .fmode = fmode, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

/* failure is NULL */
#define FO_WRAP(name, params, args)                                           \
	GS_WRAP_WITH(FILE *, name, params, , gs_real.name args, gs_unlikely(r == NULL), \
		     fo_fail(GOSHIM_CALL_##name, path, mode, GS_CALLER()))

FO_WRAP(fopen, (const char *path, const char *mode), (path, mode))
FO_WRAP(fopen64, (const char *path, const char *mode), (path, mode))
FO_WRAP(freopen, (const char *path, const char *mode, FILE *stream), (path, mode, stream))
FO_WRAP(freopen64, (const char *path, const char *mode, FILE *stream), (path, mode, stream))
