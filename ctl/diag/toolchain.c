/* SPDX-License-Identifier: Apache-2.0 */
#include "toolchain.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "gover.h"

/* A setting of pid: its value, else cmd/go's default (dflt). */
static const char *tc_env(const struct gs_model *m, uint32_t pid, const char *name,
			  const char *dflt)
{
	const char *v = gs_model_env(m, pid, name, NULL);

	return v && *v ? v : dflt;
}

/* GOTOOLCHAIN forbids switching for a toolchain line: "local", or a
 * toolchain name without "+auto" / "+path". */
static int tc_pinned(const char *gotc)
{
	return strcmp(gotc, "local") == 0 ||
	       (strncmp(gotc, "go", 2) == 0 && !strchr(gotc, '+'));
}

const char *gs_toolchain_want(const struct gs_model *m, const struct gs_proc *p, char *buf,
			      size_t cap)
{
	const char *go = p->has_rec ? p->rec.gomod_go : NULL;
	const char *tc = p->has_rec ? p->rec.gomod_toolchain : NULL;
	const char *w = go;

	if (tc && gs_gover_valid(tc) && (!w || gs_gover_cmp(tc, w) > 0) &&
	    !tc_pinned(tc_env(m, p->pid, "GOTOOLCHAIN", "auto"))) {
		w = tc;
	}
	if (!w || !gs_gover_valid(w)) {
		return NULL;
	}
	snprintf(buf, cap, "%s", strncmp(w, "go", 2) == 0 ? w + 2 : w);
	return buf;
}

/* One case of "go could not switch": when it holds, its text and its
 * remedy (templates of the other facts are not expanded here: plain). */
static void tc_case(struct gs_facts *f, const char *gotc, const char *proxy, const char *denied,
		    const char *want)
{
	if (denied) {
		gs_facts_set(f, "toolchain_why",
			     "go%s was downloaded but cannot be executed (%s: EACCES): the module cache's mount is noexec",
			     want, denied);
		gs_facts_set(f, "toolchain_remedy",
			     "move the module cache to a mount that allows exec:  export GOMODCACHE=\"$HOME/go/pkg/mod\"    (or remount it with exec; or install Go %s and put its bin/ first on PATH)",
			     want);
	} else if (strcmp(gotc, "local") == 0) {
		gs_facts_set(f, "toolchain_why", "GOTOOLCHAIN=local forbids switching to another toolchain");
		gs_facts_set(f, "toolchain_remedy",
			     "install Go %s or newer (https://go.dev/dl/, or the golang:%s image) and put its bin/ first on PATH, or let go fetch it:  export GOTOOLCHAIN=auto    (GOPROXY must then serve golang.org/toolchain)",
			     want, want);
	} else if (strncmp(gotc, "go", 2) == 0 && !strstr(gotc, "+auto") && !strstr(gotc, "+path")) {
		gs_facts_set(f, "toolchain_why", "GOTOOLCHAIN=%s pins an older toolchain", gotc);
		gs_facts_set(f, "toolchain_remedy",
			     "export GOTOOLCHAIN=go%s    (or GOTOOLCHAIN=auto; or install Go %s and unset GOTOOLCHAIN)",
			     want, want);
	} else if (strstr(gotc, "path")) {
		gs_facts_set(f, "toolchain_why", "GOTOOLCHAIN=%s lets go look for go%s on PATH only, and it is not there", gotc, want);
		gs_facts_set(f, "toolchain_remedy",
			     "install Go %s as go%s on PATH (go install golang.org/dl/go%s@latest && go%s download), or export GOTOOLCHAIN=auto",
			     want, want, want, want);
	} else if (strncmp(proxy, "off", 3) == 0) {
		gs_facts_set(f, "toolchain_why", "GOPROXY=off: go cannot download go%s", want);
		gs_facts_set(f, "toolchain_remedy",
			     "let go download it:  export GOPROXY=https://proxy.golang.org,direct    (or install Go %s and put its bin/ first on PATH)",
			     want);
	} else {
		gs_facts_set(f, "toolchain_why",
			     "go%s could not be downloaded through GOPROXY %s or run from GOMODCACHE (network, proxy, or a noexec module cache)",
			     want, proxy);
		gs_facts_set(f, "toolchain_remedy",
			     "check that %s serves golang.org/toolchain from here (goshimctl doctor probes it) and that GOMODCACHE allows exec; or install Go %s and put its bin/ first on PATH",
			     proxy, want);
	}
}

/* The downloaded toolchain's go that pid failed to exec (EACCES) on a
 * noexec mount, or NULL. */
static const char *tc_exec_denied(const struct gs_model *m, uint32_t pid)
{
	for (size_t i = 0; i < m->nev; i++) {
		const struct gs_mev *e = &m->ev[i];
		const char *path = gs_mev_path(e);

		if (e->origin == GS_ORIGIN_CALL && e->ev.pid == pid && e->ev.err == EACCES &&
		    (e->family == GOSHIM_FAM_EXEC || e->family == GOSHIM_FAM_SPAWN) && path &&
		    strstr(path, "/golang.org/toolchain@") && gs_evt_has(&e->ev, GS_E_EV_STATFS) &&
		    (e->ev.ev_statfs.flags & ST_NOEXEC)) {
			return path;
		}
	}
	return NULL;
}

void gs_toolchain_facts(const struct gs_model *m, const struct gs_proc *p, struct gs_facts *f)
{
	const char *proxy = tc_env(m, p->pid, "GOPROXY", "https://proxy.golang.org,direct");
	const char *sumdb = tc_env(m, p->pid, "GOSUMDB", "sum.golang.org");
	const char *gotc = tc_env(m, p->pid, "GOTOOLCHAIN", "auto");
	char want[64];
	int known;

	gs_model_env(m, p->pid, "PATH", &known);
	if (known) {
		gs_facts_set(f, "goproxy", "%s", proxy);
		gs_facts_set(f, "gosumdb", "%s", sumdb);
		gs_facts_set(f, "gotoolchain", "%s", gotc);
		gs_facts_set(f, "goprivate", "%s", tc_env(m, p->pid, "GOPRIVATE", "(unset)"));
	}
	if (!p->has_rec || !p->rec.goversion) {
		return;
	}
	gs_facts_set(f, "goversion", "%s", p->rec.goversion);
	if (p->rec.gomod) {
		gs_facts_set(f, "gomod", "%s", p->rec.gomod);
	}
	if (p->rec.gomod_go) {
		gs_facts_set(f, "gomod_go", "%s", p->rec.gomod_go);
	}
	if (p->rec.gomod_toolchain) {
		gs_facts_set(f, "gomod_toolchain", "%s", p->rec.gomod_toolchain);
	}
	if (gs_toolchain_want(m, p, want, sizeof(want))) {
		gs_facts_set(f, "gomod_want", "%s", want);
		tc_case(f, gotc, proxy, tc_exec_denied(m, p->pid), want);
	}
}
