/* SPDX-License-Identifier: Apache-2.0 */
#include "procfacts.h"

#include <sys/resource.h>

const char *const gs_proc_env[] = {
	"GOCACHE", "GOMODCACHE", "GOTMPDIR", "TMPDIR", "GOROOT", "GOPATH",
	"GOFLAGS", "GOENV", "CGO_ENABLED", "CC", "CXX", "PATH", "HOME",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GODEBUG", "GOTOOLCHAIN", "GOOS",
	"GOARCH", "GOSHIM_RING",
};
const size_t gs_proc_env_n = sizeof(gs_proc_env) / sizeof(gs_proc_env[0]);

const int gs_proc_rlimits[] = { RLIMIT_AS, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_FSIZE };
const size_t gs_proc_rlimits_n = sizeof(gs_proc_rlimits) / sizeof(gs_proc_rlimits[0]);
