/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "calls.h"
#include "flags.h"
#include "out.h"
#include "output.h"

#define OT_RED    "\033[1;31m"
#define OT_YELLOW "\033[1;33m"
#define OT_DIM    "\033[2m"
#define OT_BOLD   "\033[1m"
#define OT_OFF    "\033[0m"

static const char *ot_base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "?";
}

void gs_text_event(FILE *o, const struct gs_mev *e)
{
	const char *en = gs_errno_name(e->ev.err);
	const char *p = gs_mev_path(e);
	char buf[64];

	if (e->origin == GS_ORIGIN_EXITFS) {
		fprintf(o, "exited with %s free, %llu inodes free on ",
			gs_fmt_size(e->ev.ev_statfs.bavail * e->ev.ev_statfs.bsize, buf,
				       sizeof(buf)),
			(unsigned long long)e->ev.ev_statfs.favail);
		gs_text_str(o, p ? p : "?", 0);
		fprintf(o, "  [pid %u]\n", e->ev.pid);
		return;
	}
	if (e->origin == GS_ORIGIN_NOTE) {
		fputs("note: ", o);
		gs_text_str(o, e->label ? e->label : "", 0);
		fprintf(o, "  [pid %u ", e->ev.pid);
		gs_text_str(o, ot_base(e->ev.exe), 0);
		fputs("]\n", o);
		return;
	}
	if (e->origin == GS_ORIGIN_PROBE) {
		gs_text_str(o, e->label ? e->label : e->call, 0);
		fprintf(o, " → %s  [seccomp probe, pid %u]\n", en ? en : "?", e->ev.pid);
		return;
	}
	fprintf(o, "%s%s", e->call, p ? " " : "");
	gs_text_str(o, p ? p : "", 0);
	fprintf(o, " → %s", en ? en : "?");
	if (e->count > 1) {
		fprintf(o, " ×%u", e->count);
	}
	fprintf(o, "  [pid %u ", e->ev.pid);
	gs_text_str(o, ot_base(e->ev.exe), 0);
	fputs("]\n", o);
}

static void ot_chain(FILE *o, const struct gs_model *m, const struct gs_finding *f)
{
	uint32_t pids[64];
	size_t n = gs_model_chain(m, f->pid, pids, 64);
	char buf[64];
	int any = 0;

	fputs("  chain:    ", o);
	for (size_t i = 0; i < n; i++) {
		const struct gs_proc *p = gs_model_proc(m, pids[i]);
		fputs(i ? " → " : "", o);
		gs_text_str(o, ot_base(p ? p->exe : NULL), 0);
		fprintf(o, "[%u]", pids[i]);
	}
	if (f->nev && m->ev[f->ev[0]].family == GOSHIM_FAM_EXEC) {
		fputs(" → ", o);
		gs_text_str(o, ot_base(gs_mev_path(&m->ev[f->ev[0]])), 0);
		fputs(" (not started)", o);
	}
	fputc('\n', o);
	for (size_t i = 0; i < n; i++) {
		const struct gs_proc *p = gs_model_proc(m, pids[i]);
		if (p && p->exited && p->status != 0) {
			fputs(any ? ", " : "  exited:   ", o);
			gs_text_str(o, ot_base(p->exe), 0);
			fprintf(o, "[%u] %s", p->pid, gs_fmt_status(p->status, buf, sizeof(buf)));
			any = 1;
		}
	}
	if (any) {
		fputc('\n', o);
	}
}

static void ot_facts(FILE *o, const struct gs_finding *f)
{
	static const char *const shown[] = {
		"mount", "fstype", "mount_opts", "owner", "euid", "mode", "interp", "machine",
		"host_machine", "seccomp", "value", "avail", "container",
	};
	int any = 0;

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		const char *v = gs_facts_get(&f->facts, shown[i]);
		if (v) {
			fprintf(o, "%s%s=", any ? "  " : "  facts:    ", shown[i]);
			gs_text_str(o, v, strchr(v, ' ') != NULL); /* facts split at spaces */
			any = 1;
		}
	}
	if (any) {
		fputc('\n', o);
	}
}

void gs_text_finding(FILE *o, const struct gs_model *m, const struct gs_finding *f, int color)
{
	const char *c = f->sev == GS_SEV_ERROR ? OT_RED : f->sev == GS_SEV_WARNING ? OT_YELLOW : OT_DIM;
	const char *r;

	fprintf(o, "%s%s%s %s%s%s: %s\n", color ? c : "", gs_sev_name(f->sev),
		color ? OT_OFF : "", color ? OT_BOLD : "", f->rule->id, color ? OT_OFF : "",
		f->summary ? f->summary : "");
	for (size_t i = 0; m && i < f->nev && i < 5; i++) {
		fputs(i ? "            " : "  calls:    ", o);
		gs_text_event(o, &m->ev[f->ev[i]]);
	}
	if (m && f->nev > 5) {
		fprintf(o, "            ... and %zu more\n", f->nev - 5);
	}
	ot_facts(o, f);
	if (m) {
		ot_chain(o, m, f);
	}
	r = f->remedy;
	for (int first = 1; r && *r; first = 0) {
		size_t n = strcspn(r, "\n");
		fprintf(o, "%s%.*s\n", first ? "  remedy:   " : "            ", (int)n, r);
		r += n + (r[n] == '\n');
	}
	fputc('\n', o);
}
