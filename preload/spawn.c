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

/* check: the hand-over check of the target (path or file) */
#define SP_WRAP(name, file, check, present, path, search)                      \
	GS_WRAP_WITH(int, name, (pid_t *pid, const char *file,                 \
				 const posix_spawn_file_actions_t *fa,         \
				 const posix_spawnattr_t *attr, char *const argv[], \
				 char *const envp[]),                          \
		     int ho = gs_unlikely(gs_ho_armed) ? sp_handover(check(file)) : 0, \
		     gs_real.name(pid, file, fa, attr, argv, envp),            \
		     gs_unlikely(r != 0) && !ho,                               \
		     sp_fail(GOSHIM_CALL_##name, r, present, path, search, argv, \
			     GS_CALLER()))

SP_WRAP(posix_spawn, path, gs_ho_exec_path, 0, path, NULL)
SP_WRAP(posix_spawnp, file, gs_ho_exec_search, GS_A_SEARCH, NULL, file)
