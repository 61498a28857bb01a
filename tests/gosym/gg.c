/* SPDX-License-Identifier: Apache-2.0 */
#include "gg.h"

#include "tl_env.h"
#include "tl_run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *path;
	const char *name;
} gg_gos[GG_GO_N] = {
	[GG_GO_OFFICIAL] = { "/usr/local/go/bin/go", "official go (/usr/local/go)" },
	[GG_GO_DEBIAN] = { "/usr/lib/go-1.19/bin/go", "Debian go 1.19" },
};

const char *gg_go(enum gg_go g)
{
	cr_assert(access(gg_gos[g].path, X_OK) == 0,
		  "%s is not installed at %s: this test needs it", gg_gos[g].name, gg_gos[g].path);
	return gg_gos[g].path;
}

const char *gg_go_name(enum gg_go g)
{
	return gg_gos[g].name;
}

void gg_go_env(void)
{
	setenv("GOCACHE", gg_build("tests/gosym/gocache"), 1);
	setenv("GOPATH", gg_build("tests/gosym/gopath"), 1);
	setenv("GOFLAGS", "-mod=mod", 1);
	setenv("GOTOOLCHAIN", "local", 1);
	setenv("GOPROXY", "off", 1);
	setenv("GOTELEMETRY", "off", 1);
	setenv("CGO_ENABLED", "0", 1);
}

const char *gg_traced(const char *ring)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "'%s' run --ring '%s' --", gg_build("ctl/goshimctl"), ring);
	return buf;
}

char *gg_decode_json(const char *ring)
{
	int st;
	char *out = gg_out(&st, "'%s' decode --json '%s'", gg_build("ctl/goshimctl"), ring);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "goshimctl decode failed: %#x", st);
	return out;
}

const char *gg_bin(enum gg_go g, const char *kind)
{
	static char out[8][4096];
	static int k;
	char *o = out[k++ % 8];
	int test = strncmp(kind, "test", 4) == 0, strip = strchr(kind, '-') != NULL;

	snprintf(o, 4096, "%s/%d-%s", gg_build("tests/gosym/bin"), (int)g, kind);
	if (access(o, X_OK) == 0) {
		return o;
	}
	/* Criterion runs tests in parallel worker processes: one builds,
	 * the others wait on the lock and find the result. */
	gg_go_env();
	gg_sh("mkdir -p '%s' && cd '%s' && flock '%s/.lock' sh -c \"test -x '%s' || "
	      "('%s' %s -o '%s.%d' %s . && mv '%s.%d' '%s')\"",
	      gg_build("tests/gosym/bin"), gg_source(test ? "tests/gosym/go/m" : "tests/gosym/go/inl"),
	      gg_build("tests/gosym/bin"), o, gg_go(g), test ? "test -c" : "build", o, (int)getpid(),
	      strip ? "-ldflags='-s -w'" : "", o, (int)getpid(), o);
	return o;
}
