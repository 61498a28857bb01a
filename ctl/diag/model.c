/* SPDX-License-Identifier: Apache-2.0 */
#include "model.h"
#include "ringopen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/audit.h>

#include "calls.h"
#include "facts.h"
#include "flags.h"
#include "goenv.h"
#include "tlv.h"

static struct gs_proc *mo_proc(struct gs_model *m, uint32_t pid)
{
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].pid == pid) {
			return &m->proc[i];
		}
	}
	m->proc = gs_xgrow(m->proc, m->nproc, sizeof(*m->proc));
	memset(&m->proc[m->nproc], 0, sizeof(*m->proc));
	m->proc[m->nproc].pid = pid;
	return &m->proc[m->nproc++];
}

static void mo_identity(struct gs_proc *p, const struct gs_event *e)
{
	if (!p->ppid && gs_evt_has(e, GS_E_PPID)) {
		p->ppid = e->ppid;
	}
	if (!p->exe && e->exe) {
		p->exe = e->exe;
	}
}

/* Syscalls outside the call table that rules may still name. */
static const struct {
	uint32_t arch, nr;
	const char *name;
} mo_sysnames[] = {
	{ AUDIT_ARCH_X86_64, 434, "pidfd_open" },
	{ AUDIT_ARCH_X86_64, 424, "pidfd_send_signal" },
	{ AUDIT_ARCH_X86_64, 247, "waitid" },
	{ AUDIT_ARCH_AARCH64, 434, "pidfd_open" },
	{ AUDIT_ARCH_AARCH64, 424, "pidfd_send_signal" },
	{ AUDIT_ARCH_AARCH64, 95, "waitid" },
	{ AUDIT_ARCH_I386, 434, "pidfd_open" },
	{ AUDIT_ARCH_I386, 424, "pidfd_send_signal" },
	{ AUDIT_ARCH_I386, 284, "waitid" },
};

int gs_model_sysname_known(const char *name)
{
	for (size_t i = 0; i < sizeof(mo_sysnames) / sizeof(mo_sysnames[0]); i++) {
		if (strcmp(mo_sysnames[i].name, name) == 0) {
			return 1;
		}
	}
	return 0;
}

static const char *mo_sysname(const struct gs_event *e)
{
	if (!gs_evt_has(e, GS_E_ARCH) || !gs_evt_has(e, GS_E_SYSNR)) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(mo_sysnames) / sizeof(mo_sysnames[0]); i++) {
		if (mo_sysnames[i].arch == e->arch && mo_sysnames[i].nr == e->sysnr) {
			return mo_sysnames[i].name;
		}
	}
	return NULL;
}

static struct gs_mev *mo_push(struct gs_model *m, const struct gs_rec *r, enum gs_origin o)
{
	struct gs_mev *v;

	m->ev = gs_xgrow(m->ev, m->nev, sizeof(*m->ev));
	v = &m->ev[m->nev++];
	memset(v, 0, sizeof(*v));
	v->count = 1;
	v->engine = r->engine;
	v->origin = o;
	v->call = "?";
	return v;
}

static void mo_event(struct gs_model *m, const struct gs_rec *r, struct gs_event *e)
{
	struct gs_mev *v = mo_push(m, r, GS_ORIGIN_CALL);
	const struct gs_call_info *ci = gs_call_info(e->call);

	v->ev = *e;
	v->count = r->count ? r->count : 1;
	if (ci) {
		v->call = gs_call_display(ci);
		v->family = ci->family;
		v->kind = ci->kind;
	} else {
		v->call = mo_sysname(&v->ev);
		v->kind = v->call ? 'S' : 0;
		if (!v->call) {
			v->call = "?";
		}
	}
}

/* The EV_PATH + EV_STATFS pairs of an EXIT record (gs_event keeps only
 * the last of repeated tags): one GS_ORIGIN_EXITFS event each. */
static void mo_exit_fs(struct gs_model *m, const struct gs_rec *r, uint32_t pid)
{
	struct gs_tlv_field f;
	size_t off = 0;
	char *path = NULL;

	while (gs_tlv_next(r->payload, r->raw_len, &off, &f) == 1) {
		if (f.tag == GOSHIM_T_EV_PATH) {
			free(path);
			path = gs_xrealloc(NULL, (size_t)f.len + 1);
			memcpy(path, f.val, f.len);
			path[f.len] = 0;
		} else if (f.tag == GOSHIM_T_EV_STATFS && path &&
			   f.len == sizeof(struct goshim_t_statfs)) {
			struct gs_mev *v = mo_push(m, r, GS_ORIGIN_EXITFS);
			memcpy(&v->ev.ev_statfs, f.val, sizeof(v->ev.ev_statfs));
			v->ev.pid = pid;
			v->ev.ev_path = path;
			v->ev.abspath = gs_xstrdup(path);
			v->ev.has = 1ull << GS_E_PID | 1ull << GS_E_EV_PATH |
				    1ull << GS_E_EV_STATFS | 1ull << GS_E_ABSPATH;
			path = NULL;
		}
	}
	free(path);
}

/* Exit: T_CHILD is the pid that ended when present, else T_PID. */
static void mo_exit(struct gs_model *m, const struct gs_rec *r, struct gs_event *e)
{
	uint32_t pid = gs_evt_has(e, GS_E_CHILD) ? e->child : e->pid;
	struct gs_proc *p = mo_proc(m, pid);

	if (gs_evt_has(e, GS_E_EV_STATFS)) {
		mo_exit_fs(m, r, pid);
	}

	if (gs_evt_has(e, GS_E_STATUS)) {
		p->exited = 1;
		p->status = e->status;
	}
	if (gs_evt_has(e, GS_E_CHILD) && e->pid != pid && !p->ppid) {
		p->ppid = e->pid;
	}
	gs_event_free(e);
}

int gs_model_probe_items(const char *text, void (*fn)(const char *name, int err, void *ctx),
			 void *ctx)
{
	static const char tag[] = "seccomp-denied:";
	char item[256];
	int n = 0;

	if (strncmp(text, tag, sizeof(tag) - 1) != 0) {
		return -1;
	}
	for (const char *s = text + sizeof(tag) - 1; *s;) {
		size_t len = strcspn(s, " \t");
		const char *eq = memchr(s, '=', len);
		if (eq && eq > s && len < sizeof(item)) {
			memcpy(item, s, len);
			item[len] = 0;
			item[eq - s] = 0;
			int err = gs_errno_parse(item + (eq - s) + 1);
			if (err > 0) {
				fn(item, err, ctx);
				n++;
			}
		}
		s += len;
		while (*s == ' ' || *s == '\t') {
			s++;
		}
	}
	return n;
}

struct mo_note {
	struct gs_model *m;
	const struct gs_rec *r;
	const struct gs_event *e;
};

/* The note's process as the identity of an event made from it: pid, ppid,
 * exe and seccomp state. */
static void mo_note_identity(struct gs_mev *v, const struct gs_event *e)
{
	v->ev.pid = e->pid;
	v->ev.ppid = e->ppid;
	v->ev.has |= 1ull << GS_E_PID;
	if (gs_evt_has(e, GS_E_PPID)) {
		v->ev.has |= 1ull << GS_E_PPID;
	}
	if (e->exe) {
		v->ev.exe = gs_xstrdup(e->exe);
		v->ev.has |= 1ull << GS_E_EXE;
	}
	if (gs_evt_has(e, GS_E_SECCOMP)) {
		v->ev.seccomp = e->seccomp;
		v->ev.has |= 1ull << GS_E_SECCOMP;
	}
}

/* One denied call of a probe note: a GS_ORIGIN_PROBE event. */
static void mo_probe_item(const char *name, int err, void *ctx)
{
	static const char i386[] = "i386:";
	const struct mo_note *n = ctx;
	struct gs_mev *v = mo_push(n->m, n->r, GS_ORIGIN_PROBE);
	const char *call = name;
	const struct gs_call_info *ci;

	v->label = gs_xstrdup(name);
	if (strncmp(name, i386, sizeof(i386) - 1) == 0) {
		call = v->label + sizeof(i386) - 1;
		v->ev.arch = AUDIT_ARCH_I386;
		v->ev.has |= 1ull << GS_E_ARCH;
	} else {
		call = v->label;
	}
	ci = gs_call_by_name(call, 'S');
	v->call = ci ? gs_call_display(ci) : call;
	v->family = ci ? ci->family : 0;
	v->kind = 'S';
	v->ev.err = err;
	v->ev.has |= 1ull << GS_E_ERRNO;
	mo_note_identity(v, n->e);
}

/* A NOTE "kind: text" that is not a probe's: one GS_ORIGIN_NOTE event,
 * about the note's process. */
static void mo_note_event(const struct mo_note *n, const char *text)
{
	size_t k = strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789-");

	if (k == 0 || text[k] != ':') {
		return;
	}
	struct gs_mev *v = mo_push(n->m, n->r, GS_ORIGIN_NOTE);

	v->label = gs_xstrdup(text);
	v->call = "note";
	mo_note_identity(v, n->e);
}

/* Every T_NOTE of a NOTE record (gs_event keeps only the last one); a
 * probe's "seccomp-denied:" text gives one event per denied call, any
 * other "kind: text" one GS_ORIGIN_NOTE event. */
static void mo_note(struct gs_model *m, const struct gs_rec *r, const struct gs_event *e)
{
	struct mo_note n = { m, r, e };
	struct gs_tlv_field f;
	size_t off = 0;

	while (gs_tlv_next(r->payload, r->raw_len, &off, &f) == 1) {
		if (f.tag != GOSHIM_T_NOTE) {
			continue;
		}
		char *text = gs_xrealloc(NULL, (size_t)f.len + 1);
		memcpy(text, f.val, f.len);
		text[f.len] = 0;
		m->notes = gs_xgrow(m->notes, m->nnotes, sizeof(char *));
		m->notes[m->nnotes++] = text;
		if (gs_model_probe_items(text, mo_probe_item, &n) < 0) {
			mo_note_event(&n, text);
		}
	}
}

/* 1 + the index of run id in m->runs (added, from time t, when new). */
static unsigned mo_run(struct gs_model *m, const char *id, uint64_t t)
{
	size_t i = 0;

	while (i < m->nruns && strcmp(m->runs[i], id) != 0) {
		i++;
	}
	if (i == m->nruns) {
		m->runs = gs_xrealloc(m->runs, (m->nruns + 1) * sizeof(*m->runs));
		m->run_start = gs_xrealloc(m->run_start, (m->nruns + 1) * sizeof(*m->run_start));
		m->runs[i] = gs_xstrdup(id);
		m->run_start[i] = t;
		m->nruns++;
	}
	return (unsigned)i + 1;
}

static void mo_record_one(struct gs_model *m, const struct gs_rec *r);

/* A record, and the run of the events it made: that of the process (or
 * its nearest ancestor with a record) as the ring says at this point. */
static void mo_record(struct gs_model *m, const struct gs_rec *r)
{
	size_t before = m->nev;

	mo_record_one(m, r);
	for (size_t i = before; i < m->nev; i++) {
		const struct gs_event *e = &m->ev[i].ev;
		const struct gs_proc *p = gs_model_rec_of(m, e->pid);
		if (!p && gs_evt_has(e, GS_E_PPID) && e->ppid != e->pid) {
			p = gs_model_rec_of(m, e->ppid); /* its parent, not yet linked */
		}
		m->ev[i].run = p ? p->run : 0;
	}
}

static void mo_record_one(struct gs_model *m, const struct gs_rec *r)
{
	/* no rule reads a failed call's backtrace: it is never kept; nor the
	 * fs list of any record (an EXIT record's pairs: mo_exit_fs) */
	static const uint16_t unread[] = { GS_EVT_NO_FS, GOSHIM_T_FRAME, GOSHIM_T_MODULE,
					   GOSHIM_T_FRAME_SYM };
	struct gs_event e;

	if (!r->payload) {
		m->bad_payloads++;
		return;
	}
	if (gs_event_parse_without(&e, r->payload, r->raw_len, unread,
				   r->type == GOSHIM_REC_EVENT ? sizeof(unread) / sizeof(unread[0]) :
				   1) < 0) {
		m->bad_payloads++;
	}
	if (r->type == GOSHIM_REC_NOTE) {
		mo_note(m, r, &e);
		gs_event_free(&e);
		return;
	}
	if (!gs_evt_has(&e, GS_E_PID)) {
		gs_event_free(&e);
		return;
	}
	switch (r->type) {
	case GOSHIM_REC_EVENT:
		mo_event(m, r, &e);
		break;
	case GOSHIM_REC_PROCESS: {
		struct gs_proc *p = mo_proc(m, e.pid);
		/* the newest record speaks for the pid: after an exec (env ->
		 * go) it is the program that now runs */
		if (p->has_rec) {
			gs_event_free(&p->rec);
		}
		p->has_rec = 1;
		p->engine = r->engine;
		p->rec = e;
		p->exe = NULL;
		p->ppid = 0;
		p->run = 0;
		p->exited = 0; /* an exit recorded before is an earlier process's */
		p->status = 0;
		if (p->rec.run && *p->rec.run) {
			p->run = m->last_run = mo_run(m, p->rec.run, p->rec.time_real);
		}
		mo_identity(p, &p->rec);
		break;
	}
	case GOSHIM_REC_EXIT:
		mo_exit(m, r, &e);
		break;
	default:
		gs_event_free(&e);
	}
}

/* No file at path, in a directory that exists: a run under the preload
 * that failed nothing (a missing directory is a wrong path). */
static int mo_no_ring(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (stat(path, &st) == 0 || errno != ENOENT) {
		return 0;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Records were found but not one of them decoded (a zstd dictionary this
 * goshimctl does not know, a codec it lacks): nothing to explain, which
 * must not read as a clean run.  Says so in err. */
static int mo_none_decoded(const struct gs_ring_reader *rd, const char *path, char *err,
			   size_t errlen)
{
	for (size_t i = 0; i < rd->nrecs; i++) {
		if (!rd->recs[i].error) {
			return 0;
		}
	}
	if (rd->nrecs) {
		snprintf(err, errlen, "%s: none of its %zu records could be decoded (%s): "
			 "nothing to explain, and the run may have failed", path, rd->nrecs,
			 rd->recs[0].error);
	}
	return rd->nrecs != 0;
}

int gs_model_load(struct gs_model *m, const char *path, char *err, size_t errlen)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if (mo_no_ring(path)) {
		m->no_file = 1;
		return 0; /* the preload creates its ring at the first failure */
	}
	rc = gs_ctl_ring_load(&m->rd, path, err, errlen, m->owner_warn, sizeof(m->owner_warn));
	if (rc < 0) {
		return -1;
	}
	for (size_t i = 0; i < m->rd.nissues; i++) {
		enum gs_ring_problem p = m->rd.issues[i].what;
		if ((p == GS_RP_FOREIGN || p == GS_RP_EMPTY || p == GS_RP_SHORT_HDR ||
		     p == GS_RP_NEWER || p == GS_RP_ENDIAN) && m->rd.nrecs == 0) {
			snprintf(err, errlen, "%s: not a usable goshim ring: %s", path,
				 m->rd.issues[i].msg);
			gs_ring_unload(&m->rd);
			return -1;
		}
	}
	if (mo_none_decoded(&m->rd, path, err, errlen)) {
		gs_ring_unload(&m->rd);
		return -1;
	}
	memcpy(m->host_machine, m->rd.hdr.machine, sizeof(m->rd.hdr.machine));
	m->host_machine[16] = 0;
	for (size_t i = 0; i < m->rd.nrecs; i++) {
		mo_record(m, &m->rd.recs[i]);
		/* the model keeps copies: the payload's memory is the next record's */
		free(m->rd.recs[i].payload);
		m->rd.recs[i].payload = NULL;
	}
	/* processes seen only through their events */
	for (size_t i = 0; i < m->nev; i++) {
		if (m->ev[i].origin != GS_ORIGIN_CALL) {
			continue;
		}
		mo_identity(mo_proc(m, m->ev[i].ev.pid), &m->ev[i].ev);
	}
	return 0;
}

void gs_model_free(struct gs_model *m)
{
	for (size_t i = 0; i < m->nev; i++) {
		gs_event_free(&m->ev[i].ev);
		free(m->ev[i].label);
	}
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].has_rec) {
			gs_event_free(&m->proc[i].rec);
		}
	}
	for (size_t i = 0; i < m->nnotes; i++) {
		free(m->notes[i]);
	}
	free(m->notes);
	for (size_t i = 0; i < m->nruns; i++) {
		free(m->runs[i]);
	}
	free(m->runs);
	free(m->run_start);
	free(m->ev);
	free(m->proc);
	gs_godir_memo_clear(m->godir);
	free(m->godir);
	gs_ring_unload(&m->rd);
	memset(m, 0, sizeof(*m));
}

const struct gs_proc *gs_model_proc(const struct gs_model *m, uint32_t pid)
{
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].pid == pid) {
			return &m->proc[i];
		}
	}
	return NULL;
}

const char *gs_exe_base(const char *exe)
{
	const char *b = exe ? strrchr(exe, '/') : NULL;

	return b ? b + 1 : exe ? exe : "?";
}

const struct gs_proc *gs_model_rec_of(const struct gs_model *m, uint32_t pid)
{
	for (int depth = 0; depth < 64 && pid; depth++) {
		const struct gs_proc *p = gs_model_proc(m, pid);
		if (!p) {
			return NULL;
		}
		if (p->has_rec) {
			return p;
		}
		if (p->ppid == pid) {
			return NULL;
		}
		pid = p->ppid;
	}
	return NULL;
}

const char *gs_model_env(const struct gs_model *m, uint32_t pid, const char *name,
			 int *known)
{
	const struct gs_proc *p = gs_model_rec_of(m, pid);
	size_t n = strlen(name);

	if (known) {
		*known = p != NULL;
	}
	if (!p) {
		return NULL;
	}
	char **env = gs_evt_strs(&p->rec.env);
	for (size_t i = 0; i < p->rec.env.n; i++) {
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=') {
			return env[i] + n + 1;
		}
	}
	return NULL;
}

size_t gs_model_chain(const struct gs_model *m, uint32_t pid, uint32_t *out, size_t max)
{
	size_t n = 0;

	while (pid && n < max) {
		for (size_t i = 0; i < n; i++) {
			if (out[i] == pid) {
				goto done;
			}
		}
		out[n++] = pid;
		const struct gs_proc *p = gs_model_proc(m, pid);
		if (!p || !gs_model_proc(m, p->ppid)) {
			break;
		}
		pid = p->ppid;
	}
done:
	for (size_t i = 0; i < n / 2; i++) {
		uint32_t t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

int gs_model_procs_lost(const struct gs_model *m)
{
	return m->rd.nlanes > 1 ? gs_ring_lane_lost(&m->rd, GOSHIM_LANE_PROCESS) > 0 :
				  gs_ring_lost(&m->rd) > 0;
}

int gs_model_exit_ok(const struct gs_model *m, const struct gs_proc *p)
{
	if (p->exited) {
		return p->status == 0;
	}
	/* a child known only from its failed calls never exec'd: a vfork or
	 * posix_spawn child whose execvp failed everywhere dies unrecorded */
	if (p->has_rec && (p->engine == GOSHIM_ENGINE_TRACE || gs_model_proc(m, p->ppid))) {
		return 1;
	}
	return -1;
}

/* The longest chain of parents followed (a loop of ppids in a damaged
 * ring ends there). */
#define GS_MODEL_CHAIN_MAX 64

int gs_model_failure_propagates(const struct gs_model *m, const struct gs_proc *p)
{
	if (!p->exited || p->status == 0) {
		return 0;
	}
	for (size_t depth = 0; depth < GS_MODEL_CHAIN_MAX; depth++) {
		const struct gs_proc *parent = gs_model_proc(m, p->ppid);
		if (!parent) {
			return gs_model_procs_lost(m) ? -1 : 1;
		}
		if (gs_model_exit_ok(m, parent) == 1) {
			return 0;
		}
		if (!parent->exited || parent == p) {
			return 1;
		}
		p = parent;
	}
	return 1;
}

int gs_model_tree_failed(const struct gs_model *m)
{
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].exited && m->proc[i].status != 0) {
			return 1;
		}
	}
	return 0;
}

const char *gs_mev_path(const struct gs_mev *e)
{
	if (e->ev.abspath) {
		return e->ev.abspath;
	}
	if (e->ev.path) {
		return e->ev.path;
	}
	return e->ev.name;
}
