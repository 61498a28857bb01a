/* SPDX-License-Identifier: Apache-2.0 */
#include "classify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "calls.h"
#include "ccpkg.h"
#include "flags.h"
#include "fmt.h"
#include "goenv.h"
#include "modfetch.h"
#include "mountinfo.h"
#include "place.h"
#include "pred.h"
#include "sieve.h"
#include "toolchain.h"

static const int cl_significant[] = {
	EACCES, EPERM, EROFS, ENOSPC, ENOEXEC, ETXTBSY, EMFILE, ENFILE, EDQUOT,
	ENOSYS, E2BIG,
};

int gs_errno_significant(int err, uint16_t family)
{
	if (err == ENOMEM) {
		return family == GOSHIM_FAM_MMAP;
	}
	for (size_t i = 0; i < sizeof(cl_significant) / sizeof(cl_significant[0]); i++) {
		if (cl_significant[i] == err) {
			return 1;
		}
	}
	return 0;
}

/* Go's directories and the variables behind them, for pid. */
static void cl_go_facts(const struct gs_model *m, uint32_t pid, struct gs_facts *f)
{
	static const struct {
		const char *fact, *var;
	} dirs[] = {
		{ "gocache", "GOCACHE" }, { "gomodcache", "GOMODCACHE" },
		{ "gopath", "GOPATH" }, { "work", "WORK" },
		{ "tmpdir", "TMPDIR" }, { "gotmpdir", "GOTMPDIR" }, { "home", "HOME" },
		{ "cgo_enabled", "CGO_ENABLED" },
	};
	int known;
	const char *cc;
	char pkg[128];

	gs_model_env(m, pid, "PATH", &known);
	if (!known) {
		return;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *v = gs_model_go_dir(m, pid, dirs[i].var);
		gs_facts_set(f, dirs[i].fact, v ? "%s" : "(unset)", v);
		free(v);
	}
	cc = gs_model_env(m, pid, "CC", NULL);
	gs_facts_set(f, "prog", "%.*s", cc && *cc ? (int)strcspn(cc, " \t") : 3,
		     cc && *cc ? cc : "gcc");
	if (gs_cc_package(gs_facts_get(f, "prog"), pkg, sizeof(pkg))) {
		gs_facts_set(f, "prog_pkg", "%s", pkg);
	}
}

void gs_proc_facts(const struct gs_model *m, const struct gs_proc *p, struct gs_facts *f)
{
	const char *exe = p->exe ? p->exe : "?";

	gs_facts_set(f, "pid", "%u", p->pid);
	gs_facts_set(f, "ppid", "%u", p->ppid);
	gs_facts_set(f, "exe", "%s", exe);
	gs_facts_set(f, "exe_base", "%s", gs_exe_base(exe));
	cl_go_facts(m, p->pid, f);
	gs_toolchain_facts(m, p, f);
	if (p->has_rec) {
		for (size_t i = 0; i < p->rec.rlimits.n; i++) {
			const struct goshim_t_rlimit *r = &gs_evt_rlimits(&p->rec)[i];
			const char *n = gs_rlimit_name(r->resource);
			char name[64], buf[32];
			if (!n) {
				continue;
			}
			snprintf(name, sizeof(name), "rlimit_%s", n);
			for (char *s = name; *s; s++) {
				*s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
			}
			int bytes = r->resource == RLIMIT_AS || r->resource == RLIMIT_DATA ||
				    r->resource == RLIMIT_FSIZE || r->resource == RLIMIT_STACK;
			gs_facts_set(f, name, "%s", r->cur == ~0ull ? "unlimited" : bytes ?
				     gs_fmt_size(r->cur, buf, sizeof(buf)) :
				     (snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->cur), buf));
			strcat(name, "_hard");
			gs_facts_set(f, name, "%s", r->max == ~0ull ? "unlimited" : bytes ?
				     gs_fmt_size(r->max, buf, sizeof(buf)) :
				     (snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->max), buf));
		}
		if (gs_evt_has(&p->rec, GS_E_SECCOMP)) {
			gs_facts_set(f, "seccomp", "%d", p->rec.seccomp.mode);
		}
	}
	/* a process without a record of its own runs where its parent ran */
	const struct gs_proc *r = gs_model_rec_of(m, p->pid);
	if (r && gs_evt_has(&r->rec, GS_E_CONTAINER)) {
		gs_place_facts(&r->rec.container, f);
	}
}

/* The mount line of e: its own EV_MOUNT, else (an EXIT record's
 * filesystems carry none) the longest one another record of the ring
 * holds that holds e's path on a filesystem of the same type, as the
 * prefix fallback of common/mountinfo.h.  NULL when none: the mount is
 * then not known, and no "mount" fact says otherwise.  Malloc'd. */
static char *cl_mount_line(const struct gs_model *m, const struct gs_event *e)
{
	const char *best = NULL;
	long best_len = -1;

	if (e->ev_mount || !e->ev_path || !gs_evt_has(e, GS_E_EV_STATFS)) {
		return e->ev_mount ? gs_xstrdup(e->ev_mount) : NULL;
	}
	for (size_t i = 0; i < m->nev; i++) {
		const struct gs_event *o = &m->ev[i].ev;
		char *line, *mp, *type, *opts;
		if (!o->ev_mount || !gs_evt_has(o, GS_E_EV_STATFS) ||
		    o->ev_statfs.type != e->ev_statfs.type) {
			continue;
		}
		line = gs_xstrdup(o->ev_mount);
		long k = gs_mount_split(line, &mp, &type, &opts) == 0 ?
			 gs_mount_holds(mp, e->ev_path) : -1;
		if (k > best_len) {
			best_len = k;
			best = o->ev_mount;
		}
		free(line);
	}
	return best ? gs_xstrdup(best) : NULL;
}

/* EV_MOUNT, "point fstype options" (common/mountinfo.h), taken apart. */
static void cl_mount_facts(const struct gs_model *m, const struct gs_event *e,
			   struct gs_facts *f)
{
	char *line = cl_mount_line(m, e);
	char *mp = NULL, *type = NULL, *opts = NULL;
	char buf[256];

	if (line && gs_mount_split(line, &mp, &type, &opts) == 0) {
		gs_facts_set(f, "mount", "%s", mp);
		gs_facts_set(f, "fstype", "%s", type);
		gs_facts_set(f, "mount_opts", "%s", opts);
	} else if (gs_evt_has(e, GS_E_EV_STATFS) && gs_fstype_name(e->ev_statfs.type)) {
		gs_facts_set(f, "fstype", "%s", gs_fstype_name(e->ev_statfs.type));
	}
	free(line);
	if (gs_evt_has(e, GS_E_EV_STATFS)) {
		gs_facts_set(f, "mount_flags", "%s",
			     gs_flags_str(&gs_fs_mount, e->ev_statfs.flags, buf, sizeof(buf)));
		gs_facts_set(f, "avail", "%s", gs_fmt_size(e->ev_statfs.bavail *
			     e->ev_statfs.bsize, buf, sizeof(buf)));
		gs_facts_set(f, "inodes_free", "%llu", (unsigned long long)e->ev_statfs.favail);
	}
}

static void cl_path_facts(const struct gs_mev *e, struct gs_facts *f)
{
	const char *p = gs_mev_path(e);

	if (p) {
		gs_facts_path(f, p, e->family == GOSHIM_FAM_EXEC || e->family == GOSHIM_FAM_SPAWN);
	}
}

/* The fact "access": who owns the examined path and who asked, as far as
 * the record says ("/x is a file owned by uid 0, mode 0644; go runs as uid
 * 1000"); not set when it says neither. */
static void cl_access_fact(const struct gs_event *e, struct gs_facts *f)
{
	const char *exe = gs_facts_get(f, "exe_base");
	char st[512] = "", cr[160] = "";

	if (gs_evt_has(e, GS_E_EV_STAT)) {
		const char *t = gs_filetype_name(e->ev_stat.mode);
		int typed = strcmp(t, "unknown") != 0;
		snprintf(st, sizeof(st), "%s is %s%s%sowned by uid %u, mode %04o",
			 e->ev_path ? e->ev_path : "the path", typed ? "a " : "", typed ? t : "",
			 typed ? " " : "", e->ev_stat.uid, e->ev_stat.mode & 07777);
	}
	if (gs_evt_has(e, GS_E_EV_CRED)) {
		snprintf(cr, sizeof(cr), "%s runs as uid %u", exe ? exe : "the process",
			 e->ev_cred.euid);
	}
	if (st[0] || cr[0]) {
		gs_facts_set(f, "access", "%s%s%s", st, st[0] && cr[0] ? "; " : "", cr);
	}
}

static void cl_evidence_facts(const struct gs_model *m, const struct gs_event *e,
			      struct gs_facts *f)
{
	const char *mn;

	if (e->ev_path) {
		gs_facts_set(f, "ev_path", "%s", e->ev_path);
	}
	if (gs_evt_has(e, GS_E_EV_STAT)) {
		gs_facts_set(f, "owner", "%u", e->ev_stat.uid);
		gs_facts_set(f, "owner_gid", "%u", e->ev_stat.gid);
		gs_facts_set(f, "mode", "%04o", e->ev_stat.mode & 07777);
	}
	if (gs_evt_has(e, GS_E_EV_CRED)) {
		gs_facts_set(f, "euid", "%u", e->ev_cred.euid);
		gs_facts_set(f, "egid", "%u", e->ev_cred.egid);
	}
	cl_access_fact(e, f);
	if (e->ev_interp) {
		gs_facts_set(f, "interp", "%s", e->ev_interp);
	}
	if (gs_evt_has(e, GS_E_EV_INTERP_ERR) && e->ev_interp_err) {
		mn = gs_errno_name(e->ev_interp_err);
		gs_facts_set(f, "interp_err", "%s", mn ? mn : "?");
	}
	if (gs_evt_has(e, GS_E_EV_ELF) && e->ev_elf.kind == 1) {
		mn = gs_machine_name(e->ev_elf.e_machine);
		if (mn) {
			gs_facts_set(f, "machine", "%s", mn);
		} else {
			gs_facts_set(f, "machine", "EM %u", e->ev_elf.e_machine);
		}
	}
	if (e->ev_resolved) {
		gs_facts_set(f, "resolved", "%s", e->ev_resolved);
	}
	if (m->host_machine[0]) {
		gs_facts_set(f, "host_machine", "%s", m->host_machine);
	}
	cl_mount_facts(m, e, f);
}

void gs_event_facts(const struct gs_model *m, const struct gs_mev *e, struct gs_facts *f)
{
	const struct gs_event *v = &e->ev;
	const struct gs_proc *p = gs_model_proc(m, v->pid);
	const char *en = gs_errno_name(v->err);
	const char *ed = gs_errno_desc(v->err);
	const struct gs_flagset *fs = gs_flags_for_family(e->family);
	char buf[256];

	if (p) {
		gs_proc_facts(m, p, f);
	}
	if (v->exe) {
		gs_facts_set(f, "exe", "%s", v->exe);
		gs_facts_set(f, "exe_base", "%s", gs_exe_base(v->exe));
	}
	gs_facts_set(f, "pid", "%u", v->pid);
	if (gs_evt_has(v, GS_E_SECCOMP)) {
		gs_facts_set(f, "seccomp", "%d", v->seccomp.mode);
	}
	if (e->label) {
		gs_facts_set(f, "denied", "%s", e->label);
	}
	if (e->origin != GS_ORIGIN_EXITFS) {
		gs_facts_set(f, "call", "%s", e->call);
		gs_facts_set(f, "family", "%s", gs_family_name(e->family));
	}
	if (gs_evt_has(v, GS_E_ERRNO)) {
		gs_facts_set(f, "errno", "%s", en ? en : "?");
		gs_facts_set(f, "errno_desc", "%s", ed ? ed : "?");
	}
	if (gs_evt_has(v, GS_E_FLAGS)) {
		if (fs) {
			gs_facts_set(f, "flags", "%s", gs_flags_str(fs, v->flags, buf, sizeof(buf)));
		} else {
			gs_facts_set(f, "flags", "0x%llx", (unsigned long long)v->flags);
		}
	}
	if (gs_evt_has(v, GS_E_LENGTH)) {
		gs_facts_set(f, "length", "%s", gs_fmt_size(v->length, buf, sizeof(buf)));
	}
	if (gs_evt_has(v, GS_E_ADDR)) {
		gs_facts_set(f, "addr", "0x%llx", (unsigned long long)v->addr);
	}
	cl_path_facts(e, f);
	cl_evidence_facts(m, v, f);
	gs_modfetch_facts(m, v->pid, gs_mev_path(e), f);
}

void gs_finding_finish(struct gs_finding *f, int doctor)
{
	const struct gs_rule *r = f->rule;
	const char *s = doctor && r->doctor_summary ? r->doctor_summary : r->summary;

	gs_facts_set(&f->facts, "count", "%llu", (unsigned long long)f->count);
	free(f->summary);
	free(f->remedy);
	char *rem = gs_rule_remedy_for(r, gs_place_of(&f->facts), f->rem_held);

	const char *tmpl = s ? s : r->id;
	char *passed = NULL;

	if (f->passed) {
		size_t n = strlen(tmpl) + sizeof(GS_RUN_PASSED);
		passed = gs_xrealloc(NULL, n);
		snprintf(passed, n, "%s%s", tmpl, GS_RUN_PASSED);
	}
	f->summary = gs_tmpl_expand(passed ? passed : tmpl, &f->facts);
	free(passed);
	f->remedy = gs_tmpl_expand(rem, &f->facts);
	free(rem);
}

void gs_finding_free(struct gs_finding *f)
{
	free(f->key);
	free(f->ev);
	free(f->summary);
	free(f->remedy);
	gs_facts_free(&f->facts);
}

static struct gs_finding *cl_finding(struct gs_report *out, const struct gs_rule *r,
				     struct gs_facts *facts, uint32_t pid)
{
	char *key = r->group ? gs_tmpl_expand(r->group, facts) : gs_xstrdup("");
	struct gs_finding *f;

	for (size_t i = 0; i < out->nf; i++) {
		f = &out->f[i];
		if (f->rule == r && strcmp(f->key, key) == 0) {
			free(key);
			gs_facts_free(facts);
			return f;
		}
	}
	out->f = gs_xrealloc(out->f, (out->nf + 1) * sizeof(*out->f));
	f = &out->f[out->nf++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->sev = r->sev;
	f->key = key;
	f->facts = *facts;
	f->pid = pid;
	return f;
}

static void cl_suppress(struct gs_report *out, const char *id, uint64_t n)
{
	out->suppressed += n;
	for (size_t i = 0; i < out->nsupp; i++) {
		if (strcmp(out->supp[i].id, id) == 0) {
			out->supp[i].count += n;
			return;
		}
	}
	out->supp = gs_xrealloc(out->supp, (out->nsupp + 1) * sizeof(*out->supp));
	out->supp[out->nsupp].id = gs_xstrdup(id);
	out->supp[out->nsupp++].count = n;
}

/* What rules an event of this origin is tried against. */
static const enum gs_subject cl_subject[] = {
	[GS_ORIGIN_CALL] = GS_SUBJ_EVENT,
	[GS_ORIGIN_PROBE] = GS_SUBJ_NOTE,
	[GS_ORIGIN_EXITFS] = GS_SUBJ_EXIT,
	[GS_ORIGIN_NOTE] = GS_SUBJ_NOTE,
};

/* The record's severity under r, from base (the rule's severity, or its
 * doctor-severity): error when an error-when clause holds. */
static enum gs_sev cl_sev(enum gs_sev base, const struct gs_rule *r, const struct gs_ctx *x)
{
	if (base != GS_SEV_BENIGN && base != GS_SEV_ERROR && gs_rule_escalates(r, x)) {
		return GS_SEV_ERROR;
	}
	return base;
}

static void cl_event(const struct gs_model *m, const struct gs_rules *rs, size_t i,
		     struct gs_sieve *sv, struct gs_report *out)
{
	const struct gs_mev *e = &m->ev[i];
	struct gs_ctx x = { m, e, gs_model_proc(m, e->ev.pid), e->ev.pid, cl_subject[e->origin], NULL };
	const uint64_t *sets = gs_sieve_sets(sv, &x);

	for (size_t k = 0; k < rs->n; k++) {
		const struct gs_rule *r = &rs->r[k];
		if ((!sets[k] && r->nalt <= 64) || !(r->subjects & (int)x.subject) ||
		    !gs_rule_matches_sets(r, &x, sets[k])) {
			continue;
		}
		struct gs_facts facts = { 0 };
		enum gs_sev sev = cl_sev(r->sev, r, &x);
		gs_event_facts(m, e, &facts);
		struct gs_finding *f = cl_finding(out, r, &facts, e->ev.pid);
		f->ev = gs_xgrow(f->ev, f->nev, sizeof(*f->ev));
		f->ev[f->nev++] = i;
		f->count += e->count;
		f->rem_held |= gs_rule_remedy_held(r, &x);
		if (sev > f->sev) {
			f->sev = sev;
		}
		if (r->sev == GS_SEV_BENIGN) {
			cl_suppress(out, r->id, e->count);
		}
		return;
	}
	/* probe items, notes and exit evidence no rule explains are not
	 * failures of the workload: the notes and the exit records show them */
	if (e->origin != GS_ORIGIN_CALL) {
		return;
	}
	if (e->ev.err == ENOENT) {
		cl_suppress(out, "unmatched-enoent", e->count);
	} else if (gs_errno_significant(e->ev.err, e->family) && x.p &&
		   gs_model_exit_ok(m, x.p) == 1) {
		/* the process went on to succeed: a failure it expected or coped
		 * with (a test asserting EACCES, gcc skipping a PATH dir) */
		cl_suppress(out, "unmatched-survived", e->count);
		out->quiet = gs_xgrow(out->quiet, out->nquiet, sizeof(*out->quiet));
		out->quiet[out->nquiet++] = i;
	} else if (gs_errno_significant(e->ev.err, e->family)) {
		out->unc = gs_xgrow(out->unc, out->nunc, sizeof(*out->unc));
		out->unc[out->nunc++] = i;
	} else {
		cl_suppress(out, "unmatched-other", e->count);
	}
}

static void cl_process(const struct gs_model *m, const struct gs_rules *rs,
		       const struct gs_proc *p, struct gs_report *out)
{
	struct gs_ctx x = { m, NULL, p, p->pid, GS_SUBJ_PROCESS, NULL };

	for (size_t k = 0; k < rs->n; k++) {
		const struct gs_rule *r = &rs->r[k];
		if (!(r->subjects & GS_SUBJ_PROCESS) || !gs_rule_matches(r, &x)) {
			continue;
		}
		struct gs_facts facts = { 0 };
		enum gs_sev sev = cl_sev(r->sev, r, &x);
		gs_proc_facts(m, p, &facts);
		struct gs_finding *f = cl_finding(out, r, &facts, p->pid);
		f->count++;
		f->rem_held |= gs_rule_remedy_held(r, &x);
		if (sev > f->sev) {
			f->sev = sev;
		}
		if (r->sev == GS_SEV_BENIGN) {
			cl_suppress(out, r->id, 1);
		}
		return;
	}
}

int gs_classify_found(const struct gs_rules *rs, const struct gs_facts *rec,
		      struct gs_finding *out)
{
	struct gs_ctx x = { .subject = GS_SUBJ_DOCTOR, .facts = rec };

	for (size_t k = 0; k < rs->n; k++) {
		const struct gs_rule *r = &rs->r[k];
		if (!(r->subjects & GS_SUBJ_DOCTOR) || !gs_rule_matches(r, &x)) {
			continue;
		}
		memset(out, 0, sizeof(*out));
		out->rule = r;
		out->sev = cl_sev(r->doctor_sev, r, &x);
		out->key = gs_xstrdup("");
		out->count = 1;
		out->rem_held = gs_rule_remedy_held(r, &x);
		gs_facts_merge(&out->facts, rec);
		gs_finding_finish(out, 1);
		return 0;
	}
	return -1;
}

/* The fact "calls": the distinct calls of a finding's events, in order
 * ("clone3, pthread_create"). */
static void cl_calls_fact(const struct gs_model *m, struct gs_finding *f)
{
	char buf[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < f->nev; i++) {
		const char *c = m->ev[f->ev[i]].call;
		int seen = m->ev[f->ev[i]].origin == GS_ORIGIN_EXITFS ||
			   m->ev[f->ev[i]].origin == GS_ORIGIN_NOTE;
		for (size_t k = 0; k < i && !seen; k++) {
			seen = strcmp(m->ev[f->ev[k]].call, c) == 0;
		}
		if (!seen && len + strlen(c) + 3 < sizeof(buf)) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", c);
		}
	}
	if (len) {
		gs_facts_set(&f->facts, "calls", "%s", buf);
	}
}

/* Does a rank before b (gs_findings_sort)? */
static int cl_before(const struct gs_finding *a, const struct gs_finding *b)
{
	int ca = a->sev != GS_SEV_BENIGN && a->link == GS_LINK_CAUSE;
	int cb = b->sev != GS_SEV_BENIGN && b->link == GS_LINK_CAUSE;

	if (ca != cb) {
		return ca > cb;
	}
	return a->sev != b->sev ? a->sev > b->sev : a->link > b->link;
}

void gs_findings_sort(struct gs_finding *f, size_t n)
{
	/* insertion sort: stable, and n is small */
	for (size_t i = 1; i < n; i++) {
		struct gs_finding t = f[i];
		size_t j = i;
		while (j > 0 && cl_before(&t, &f[j - 1])) {
			f[j] = f[j - 1];
			j--;
		}
		f[j] = t;
	}
}

/* The closest link of f's failures to the failed exit (link.h); benign
 * findings, never shown first, are not judged; a probe's items, made by
 * the engine for the whole tree, cannot be. */
static void cl_link(const struct gs_model *m, struct gs_finding *f)
{
	uint32_t last = 0;

	f->link = f->nev ? GS_LINK_SURVIVED : gs_link_of(m, f->pid, NULL);
	for (size_t i = 0; i < f->nev && f->sev != GS_SEV_BENIGN; i++) {
		uint32_t pid = m->ev[f->ev[i]].ev.pid;
		if (i && pid == last) {
			continue;
		}
		/* a policy probe's item says what the whole tree was denied, not
		 * which process failed of it */
		enum gs_link l = m->ev[f->ev[i]].origin == GS_ORIGIN_PROBE ? GS_LINK_UNKNOWN :
				 gs_link_of(m, pid, NULL);
		f->link = l > f->link ? l : f->link;
		last = pid;
	}
}

/* An error all of whose failures happened in a run that passed, on the
 * evidence of its recorded exit 0 (gs_link_passed), is a warning: the
 * program expected the failure or coped with it (a test asserting
 * ENOEXEC).  A policy probe's items speak for the policy, not for a
 * process of the run: never. */
static void cl_passed(const struct gs_model *m, struct gs_finding *f)
{
	if (f->sev != GS_SEV_ERROR) {
		return;
	}
	uint32_t top = f->nev ? 0 : gs_link_passed(m, f->pid), last = 0;

	for (size_t i = 0; i < f->nev; i++) {
		const struct gs_mev *e = &m->ev[f->ev[i]];
		if (i && e->ev.pid == last) {
			continue;
		}
		top = e->origin == GS_ORIGIN_PROBE ? 0 : gs_link_passed(m, e->ev.pid);
		if (!top) {
			return;
		}
		last = e->ev.pid;
	}
	if (top) {
		const struct gs_proc *p = gs_model_proc(m, top);
		f->sev = GS_SEV_WARNING;
		f->passed = top;
		gs_facts_set(&f->facts, "passed_by", "%s (pid %u)",
			     p && p->exe ? gs_exe_base(p->exe) : "the command", top);
	}
}

void gs_classify(const struct gs_model *m, const struct gs_rules *rs, struct gs_report *out)
{
	/* probe items first: in a finding they are the cause (the policy),
	 * the failed calls the effect; exit evidence last */
	static const enum gs_origin order[] = {
		GS_ORIGIN_PROBE, GS_ORIGIN_NOTE, GS_ORIGIN_CALL, GS_ORIGIN_EXITFS,
	};

	struct gs_sieve sv;

	memset(out, 0, sizeof(*out));
	gs_sieve_init(&sv, rs);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
		for (size_t i = 0; i < m->nev; i++) {
			if (m->ev[i].origin == order[o]) {
				cl_event(m, rs, i, &sv, out);
			}
		}
	}
	gs_sieve_free(&sv);
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].has_rec) {
			cl_process(m, rs, &m->proc[i], out);
		}
	}
	for (size_t i = 0; i < out->nf; i++) {
		cl_calls_fact(m, &out->f[i]);
		cl_link(m, &out->f[i]);
		cl_passed(m, &out->f[i]);
		gs_finding_finish(&out->f[i], 0);
	}
	gs_findings_sort(out->f, out->nf);
}

void gs_report_free(struct gs_report *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		gs_finding_free(&r->f[i]);
	}
	for (size_t i = 0; i < r->nsupp; i++) {
		free(r->supp[i].id);
	}
	free(r->f);
	free(r->unc);
	free(r->quiet);
	free(r->supp);
	free(r->unx);
	memset(r, 0, sizeof(*r));
}
