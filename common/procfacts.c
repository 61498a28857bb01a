/* SPDX-License-Identifier: Apache-2.0 */
#include "procfacts.h"

#include <sys/resource.h>

const char *const gs_proc_env[] = {
	"GOCACHE", "GOMODCACHE", "GOTMPDIR", "TMPDIR", "GOROOT", "GOPATH",
	"GOFLAGS", "GOENV", "CGO_ENABLED", "CC", "CXX", "PATH", "HOME",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GODEBUG", "GOTOOLCHAIN", "GOOS",
	"GOARCH", "GOSHIM_RING",
	/* modules and toolchains: where go fetches from, what it verifies */
	"GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOINSECURE",
	"GOEXPERIMENT", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
	"NO_PROXY", "no_proxy",
};
const size_t gs_proc_env_n = sizeof(gs_proc_env) / sizeof(gs_proc_env[0]);

const int gs_proc_rlimits[] = { RLIMIT_AS, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_FSIZE };
const size_t gs_proc_rlimits_n = sizeof(gs_proc_rlimits) / sizeof(gs_proc_rlimits[0]);

static int pf_authority_end(char c)
{
	return c == 0 || c == '/' || c == ',' || c == '|' || c == '?' || c == '#' ||
	       c == ';' || c == ' ' || c == '\t';
}

size_t gs_proc_env_redact(char *dst, size_t cap, const char *kv)
{
	size_t o = 0;

	if (!cap) {
		return 0;
	}
	for (size_t i = 0; kv[i] && o + 1 < cap;) {
		if (kv[i] == ':' && kv[i + 1] == '/' && kv[i + 2] == '/') {
			size_t a = i + 3, end = a, at = 0;
			while (!pf_authority_end(kv[end])) {
				if (kv[end] == '@') {
					at = end;
				}
				end++;
			}
			for (size_t k = i; k < a && o + 1 < cap; k++) {
				dst[o++] = kv[k];
			}
			if (at) {
				for (const char *r = "***"; *r && o + 1 < cap; r++) {
					dst[o++] = *r;
				}
				a = at;
			}
			i = a;
			continue;
		}
		dst[o++] = kv[i++];
	}
	dst[o] = 0;
	return o;
}
