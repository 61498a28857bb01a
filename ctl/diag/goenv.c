/* SPDX-License-Identifier: Apache-2.0 */
#include "goenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

static const char *ge_get(gs_getenv_fn get, void *ctx, const char *name)
{
	const char *v = get(ctx, name);

	return v && *v ? v : NULL;
}

static char *ge_join(const char *a, const char *b)
{
	size_t n = strlen(a);
	char *s;

	while (n > 0 && a[n - 1] == '/') {
		n--;
	}
	if (asprintf(&s, "%.*s/%s", (int)n, a, b) < 0) {
		abort();
	}
	return s;
}

static char *ge_gocache(gs_getenv_fn get, void *ctx)
{
	const char *v;

	if ((v = ge_get(get, ctx, "GOCACHE"))) {
		return gs_xstrdup(v);
	}
	if ((v = ge_get(get, ctx, "XDG_CACHE_HOME"))) {
		return ge_join(v, "go-build");
	}
	if ((v = ge_get(get, ctx, "HOME"))) {
		return ge_join(v, ".cache/go-build");
	}
	return NULL;
}

static char *ge_gopath(gs_getenv_fn get, void *ctx)
{
	const char *v = ge_get(get, ctx, "GOPATH");

	if (v) {
		size_t n = strcspn(v, ":");
		char *s = gs_xstrdup(v);
		s[n] = 0;
		return s;
	}
	if ((v = ge_get(get, ctx, "HOME"))) {
		return ge_join(v, "go");
	}
	return NULL;
}

static char *ge_gomodcache(gs_getenv_fn get, void *ctx)
{
	const char *v = ge_get(get, ctx, "GOMODCACHE");
	char *gopath, *s;

	if (v) {
		return gs_xstrdup(v);
	}
	gopath = ge_gopath(get, ctx);
	if (!gopath) {
		return NULL;
	}
	s = ge_join(gopath, "pkg/mod");
	free(gopath);
	return s;
}

static char *ge_work(gs_getenv_fn get, void *ctx)
{
	const char *v = ge_get(get, ctx, "GOTMPDIR");

	if (!v) {
		v = ge_get(get, ctx, "TMPDIR");
	}
	return gs_xstrdup(v ? v : "/tmp");
}

static const struct {
	const char *name;
	char *(*fn)(gs_getenv_fn, void *);
} ge_dirs[] = {
	{ "GOCACHE", ge_gocache },
	{ "GOPATH", ge_gopath },
	{ "GOMODCACHE", ge_gomodcache },
	{ "WORK", ge_work },
};

int gs_go_dir_known(const char *name)
{
	for (size_t i = 0; i < sizeof(ge_dirs) / sizeof(ge_dirs[0]); i++) {
		if (strcmp(ge_dirs[i].name, name) == 0) {
			return 1;
		}
	}
	return 0;
}

char *gs_go_dir(const char *name, gs_getenv_fn get, void *ctx)
{
	const char *v;

	for (size_t i = 0; i < sizeof(ge_dirs) / sizeof(ge_dirs[0]); i++) {
		if (strcmp(ge_dirs[i].name, name) == 0) {
			return ge_dirs[i].fn(get, ctx);
		}
	}
	v = get(ctx, name);
	return v ? gs_xstrdup(v) : NULL;
}

const char *gs_getenv_self(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}
