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

GS_EXPORT FILE *fopen(const char *path, const char *mode)
{
	FILE *f = gs_real.fopen(path, mode);

	if (gs_unlikely(f == NULL)) {
		fo_fail(GOSHIM_CALL_fopen, path, mode, GS_CALLER());
	}
	return f;
}

GS_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	FILE *f = gs_real.fopen64(path, mode);

	if (gs_unlikely(f == NULL)) {
		fo_fail(GOSHIM_CALL_fopen64, path, mode, GS_CALLER());
	}
	return f;
}

GS_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	FILE *f = gs_real.freopen(path, mode, stream);

	if (gs_unlikely(f == NULL)) {
		fo_fail(GOSHIM_CALL_freopen, path, mode, GS_CALLER());
	}
	return f;
}

GS_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	FILE *f = gs_real.freopen64(path, mode, stream);

	if (gs_unlikely(f == NULL)) {
		fo_fail(GOSHIM_CALL_freopen64, path, mode, GS_CALLER());
	}
	return f;
}
