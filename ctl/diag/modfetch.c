/* SPDX-License-Identifier: Apache-2.0 */
#include "modfetch.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#define MF_DL "/cache/download/"

int gs_modfetch_private(const char *list, const char *mod)
{
	char pat[512], pre[512];

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ","), elems = 1, k = 0;

		snprintf(pat, sizeof(pat), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		for (char *s = pat; *s; s++) {
			elems += *s == '/';
		}
		/* the first `elems` path elements of mod */
		while (mod[k] && (elems > 1 || mod[k] != '/')) {
			elems -= mod[k] == '/';
			k++;
		}
		snprintf(pre, sizeof(pre), "%.*s", (int)k, mod);
		if (pat[0] && elems == 1 && fnmatch(pat, pre, FNM_PATHNAME) == 0) {
			return 1;
		}
	}
	return 0;
}

/* "example.com/!foo/bar" -> "example.com/Foo/bar" into out. */
static void mf_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		if (s[i] == '!' && i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z') {
			out[o++] = (char)(s[++i] - 'a' + 'A');
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = 0;
}

static const char *mf_env(const struct gs_model *m, uint32_t pid, const char *name)
{
	const char *v = gs_model_env(m, pid, name, NULL);

	return v && *v ? v : NULL;
}

void gs_modfetch_facts(const struct gs_model *m, uint32_t pid, const char *path,
		       struct gs_facts *f)
{
	const char *dl = path ? strstr(path, MF_DL) : NULL;
	const char *at = dl ? strstr(dl, "/@v/") : NULL;
	const char *proxy = mf_env(m, pid, "GOPROXY");
	const char *priv = mf_env(m, pid, "GONOPROXY");
	char mod[512];

	if (!at || at == dl + strlen(MF_DL) - 1) {
		return;
	}
	mf_decode(dl + strlen(MF_DL), (size_t)(at - dl - strlen(MF_DL)), mod, sizeof(mod));
	gs_facts_set(f, "module", "%s", mod);
	const char *v = at + 4, *dot = strrchr(v, '.');
	if (*v && strcmp(v, "list") != 0) {
		int n = dot && dot > v ? (int)(dot - v) : (int)strlen(v);
		gs_facts_set(f, "module_version", "%.*s", n, v);
	}
	if (!priv) {
		priv = mf_env(m, pid, "GOPRIVATE");
	}
	if (!proxy) {
		proxy = "https://proxy.golang.org,direct";
	}
	if (priv && gs_modfetch_private(priv, mod)) {
		gs_facts_set(f, "fetch_route", "direct (GOPRIVATE/GONOPROXY %s)", priv);
		gs_facts_set(f, "fetch_why",
			     "go fetched it directly from its repository (it matches GOPRIVATE/GONOPROXY %s): the repository is unreachable, or git has no credentials for it",
			     priv);
		gs_facts_set(f, "fetch_remedy",
			     "check access to the repository as the job's user:  GIT_TERMINAL_PROMPT=0 go mod download -x %s    (credentials: ~/.netrc, or git config --global url.\"https://TOKEN@host/\".insteadOf \"https://host/\")",
			     mod);
	} else if (strncmp(proxy, "off", 3) == 0) {
		gs_facts_set(f, "fetch_route", "off");
		gs_facts_set(f, "fetch_why", "GOPROXY=off forbids downloads and the module cache does not have it");
		gs_facts_set(f, "fetch_remedy",
			     "allow downloads:  export GOPROXY=https://proxy.golang.org,direct    (or fill GOMODCACHE beforehand with  go mod download  where the network is, or vendor:  go mod vendor)");
	} else {
		gs_facts_set(f, "fetch_route", "GOPROXY %s", proxy);
		gs_facts_set(f, "fetch_why",
			     "go fetched it through GOPROXY %s: the proxy is unreachable (refused, no route, DNS) or does not serve it (404/410: a private module needs GOPRIVATE)",
			     proxy);
		gs_facts_set(f, "fetch_remedy",
			     "if %s is private:  export GOPRIVATE=%s    (go then fetches it with git and skips the checksum database); else check the proxy from here:  goshimctl doctor    (behind an HTTP proxy: export HTTPS_PROXY=…)",
			     mod, mod);
	}
}
