// SPDX-License-Identifier: Apache-2.0
/*
 * posix_spawn, posix_spawnp.  glibc reports the child's exec failure as
 * the return value (errno is not set), so that value is the recorded
 * error.  The record is made in the parent.  A static target is first
 * handed over to the trace engine (handover.h): this process, and so the
 * child it spawns, is traced from then on, and records nothing itself.
 */
#include "goshim/record.h"
#include "handover.h"
#include "real.h"

/* 1 when check handed this process over. */
static int sp_handover(int check)
{
	if (check) {
		gs_ho_spawned();
	}
	return check;
}

static GS_COLD void sp_fail(uint32_t call, int r, unsigned present,
			    const char *path, const char *name,
			    char *const argv[], const void *caller)
{
	int e = errno;
	struct gs_call c = {
		.call = call, .err = r, .ret = r,
		.present = GS_A_EXEC | present,
		.path = path, .name = name, .argv = argv, .caller = caller,
	};

	gs_fail(&c);
	errno = e;
}

GS_EXPORT int posix_spawn(pid_t *pid, const char *path,
			  const posix_spawn_file_actions_t *fa,
			  const posix_spawnattr_t *attr, char *const argv[],
			  char *const envp[])
{
	int ho = gs_unlikely(gs_ho_armed) ? sp_handover(gs_ho_exec_path(path)) : 0;
	int r = gs_real.posix_spawn(pid, path, fa, attr, argv, envp);

	if (gs_unlikely(r != 0) && !ho) {
		sp_fail(GOSHIM_CALL_posix_spawn, r, 0, path, NULL, argv,
			GS_CALLER());
	}
	return r;
}

GS_EXPORT int posix_spawnp(pid_t *pid, const char *file,
			   const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *attr, char *const argv[],
			   char *const envp[])
{
	int ho = gs_unlikely(gs_ho_armed) ? sp_handover(gs_ho_exec_search(file)) : 0;
	int r = gs_real.posix_spawnp(pid, file, fa, attr, argv, envp);

	if (gs_unlikely(r != 0) && !ho) {
		sp_fail(GOSHIM_CALL_posix_spawnp, r, GS_A_SEARCH, NULL, file,
			argv, GS_CALLER());
	}
	return r;
}
