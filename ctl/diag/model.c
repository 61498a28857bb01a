/* SPDX-License-Identifier: Apache-2.0 */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>

#include "calls.h"
#include "facts.h"

static struct gs_proc *mo_proc(struct gs_model *m, uint32_t pid)
{
	for (size_t i = 0; i < m->nproc; i++) {
		if (m->proc[i].pid == pid) {
			return &m->proc[i];
		}
	}
	m->proc = gs_xrealloc(m->proc, (m->nproc + 1) * sizeof(*m->proc));
	memset(&m->proc[m->nproc], 0, sizeof(*m->proc));
	m->proc[m->nproc].pid = pid;
	return &m->proc[m->nproc++];
}

static void mo_identity(struct gs_proc *p, const struct gs_event *e)
{
	if (!p->ppid && gs_ev_has(e, GS_E_PPID)) {
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
	if (!gs_ev_has(e, GS_E_ARCH) || !gs_ev_has(e, GS_E_SYSNR)) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(mo_sysnames) / sizeof(mo_sysnames[0]); i++) {
		if (mo_sysnames[i].arch == e->arch && mo_sysnames[i].nr == e->sysnr) {
			return mo_sysnames[i].name;
		}
	}
	return NULL;
}

static void mo_event(struct gs_model *m, const struct gs_rec *r, struct gs_event *e)
{
	struct gs_mev *v;
	const struct gs_call_info *ci = gs_call_info(e->call);

	m->ev = gs_xrealloc(m->ev, (m->nev + 1) * sizeof(*m->ev));
	v = &m->ev[m->nev++];
	memset(v, 0, sizeof(*v));
	v->ev = *e;
	v->count = r->count ? r->count : 1;
	v->engine = r->engine;
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

/* Exit: T_CHILD is the pid that ended when present, else T_PID. */
static void mo_exit(struct gs_model *m, struct gs_event *e)
{
	uint32_t pid = gs_ev_has(e, GS_E_CHILD) ? e->child : e->pid;
	struct gs_proc *p = mo_proc(m, pid);

	if (gs_ev_has(e, GS_E_STATUS)) {
		p->exited = 1;
		p->status = e->status;
	}
	if (gs_ev_has(e, GS_E_CHILD) && e->pid != pid && !p->ppid) {
		p->ppid = e->pid;
	}
	gs_event_free(e);
}

static void mo_record(struct gs_model *m, const struct gs_rec *r)
{
	struct gs_event e;

	if (!r->payload) {
		m->bad_payloads++;
		return;
	}
	if (gs_event_parse(&e, r->payload, r->raw_len) < 0) {
		m->bad_payloads++;
	}
	if (!gs_ev_has(&e, GS_E_PID)) {
		gs_event_free(&e);
		return;
	}
	switch (r->type) {
	case GOSHIM_REC_EVENT:
		mo_event(m, r, &e);
		break;
	case GOSHIM_REC_PROCESS: {
		struct gs_proc *p = mo_proc(m, e.pid);
		if (p->has_rec) {
			gs_event_free(&e);
			break;
		}
		p->has_rec = 1;
		p->rec = e;
		p->exe = NULL;
		p->ppid = 0;
		mo_identity(p, &p->rec);
		break;
	}
	case GOSHIM_REC_EXIT:
		mo_exit(m, &e);
		break;
	case GOSHIM_REC_NOTE:
		if (e.note) {
			m->notes = gs_xrealloc(m->notes, (m->nnotes + 1) * sizeof(char *));
			m->notes[m->nnotes++] = gs_xstrdup(e.note);
		}
		gs_event_free(&e);
		break;
	default:
		gs_event_free(&e);
	}
}

int gs_model_load(struct gs_model *m, const char *path, char *err, size_t errlen)
{
	int rc;

	memset(m, 0, sizeof(*m));
	rc = gs_ring_load(&m->rd, path);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
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
	memcpy(m->host_machine, m->rd.hdr.machine, sizeof(m->rd.hdr.machine));
	m->host_machine[16] = 0;
	for (size_t i = 0; i < m->rd.nrecs; i++) {
		mo_record(m, &m->rd.recs[i]);
	}
	/* processes seen only through their events */
	for (size_t i = 0; i < m->nev; i++) {
		mo_identity(mo_proc(m, m->ev[i].ev.pid), &m->ev[i].ev);
	}
	return 0;
}

void gs_model_free(struct gs_model *m)
{
	for (size_t i = 0; i < m->nev; i++) {
		gs_event_free(&m->ev[i].ev);
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
	free(m->ev);
	free(m->proc);
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
	char **env = gs_ev_strs(&p->rec.env);
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
