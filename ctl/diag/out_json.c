/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>
#include <sys/wait.h>

#include "calls.h"
#include "flags.h"
#include "out.h"
#include "output.h"

json_t *gs_json_status(int status)
{
	if (WIFSIGNALED(status)) {
		const char *s = gs_signal_name(WTERMSIG(status));
		return json_pack("{s:i, s:s*}", "signal", WTERMSIG(status), "signame", s);
	}
	return json_pack("{s:i}", "code", WEXITSTATUS(status));
}

json_t *gs_json_chain(const struct gs_model *m, uint32_t pid, const char *target)
{
	uint32_t pids[64];
	size_t n = gs_model_chain(m, pid, pids, 64);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct gs_proc *p = gs_model_proc(m, pids[i]);
		json_array_append_new(a, json_pack("{s:I, s:o*}", "pid", (json_int_t)pids[i],
						   "exe", p && p->exe ? gs_json_str(p->exe) : NULL));
	}
	if (target) {
		json_array_append_new(a, json_pack("{s:o, s:b}", "exe", gs_json_str(target),
						   "started", 0));
	}
	return a;
}

static void oj_set_str(json_t *o, const char *k, const char *v)
{
	if (v) {
		json_object_set_new(o, k, gs_json_str(v));
	}
}

json_t *gs_json_event(const struct gs_model *m, const struct gs_mev *e)
{
	const struct gs_event *v = &e->ev;
	const struct gs_flagset *fs = gs_flags_for_family(e->family);
	json_t *o = json_object();
	char buf[256];

	json_object_set_new(o, "pid", json_integer(v->pid));
	if (gs_evt_has(v, GS_E_PPID)) {
		json_object_set_new(o, "ppid", json_integer(v->ppid));
	}
	oj_set_str(o, "exe", v->exe);
	oj_set_str(o, "call", e->call);
	oj_set_str(o, "family", gs_family_name(e->family));
	oj_set_str(o, "engine", e->engine == GOSHIM_ENGINE_TRACE ? "trace" :
		   e->engine == GOSHIM_ENGINE_PRELOAD ? "preload" : "?");
	/* not a call of the workload: a probe's denied call, an exit's fs */
	oj_set_str(o, "source", e->origin == GS_ORIGIN_PROBE ? "probe" :
		   e->origin == GS_ORIGIN_EXITFS ? "exit" :
		   e->origin == GS_ORIGIN_NOTE ? "note" : NULL);
	oj_set_str(o, e->origin == GS_ORIGIN_NOTE ? "note" : "denied", e->label);
	if (gs_evt_has(v, GS_E_EV_STATFS) && e->origin == GS_ORIGIN_EXITFS) {
		oj_set_str(o, "fs", v->ev_path);
		json_object_set_new(o, "bytes_avail", json_integer((json_int_t)(v->ev_statfs.bavail *
				    v->ev_statfs.bsize)));
		json_object_set_new(o, "inodes_avail", json_integer((json_int_t)v->ev_statfs.favail));
	}
	if (gs_evt_has(v, GS_E_ERRNO) && e->origin != GS_ORIGIN_EXITFS) {
		const char *n = gs_errno_name(v->err);
		json_object_set_new(o, "errno", n ? json_string(n) : json_integer(v->err));
	}
	oj_set_str(o, "path", gs_mev_path(e));
	if (v->path && v->abspath && strcmp(v->path, v->abspath)) {
		oj_set_str(o, "path_arg", v->path);
	}
	if (gs_evt_has(v, GS_E_FLAGS)) {
		oj_set_str(o, "flags", fs ? gs_flags_str(fs, v->flags, buf, sizeof(buf)) : NULL);
		if (!fs) {
			json_object_set_new(o, "flags", json_integer((json_int_t)v->flags));
		}
	}
	if (gs_evt_has(v, GS_E_LENGTH)) {
		json_object_set_new(o, "length", json_integer((json_int_t)v->length));
	}
	oj_set_str(o, "fmode", v->fmode);
	json_object_set_new(o, "count", json_integer(e->count));
	(void)m;
	return o;
}

json_t *gs_json_finding(const struct gs_model *m, const struct gs_finding *f)
{
	json_t *o = json_object();
	json_t *ev = json_array(), *evid = json_object(), *exits = json_array();
	const char *target = NULL;

	json_object_set_new(o, "pattern", json_string(f->rule->id));
	json_object_set_new(o, "severity", json_string(gs_sev_name(f->sev)));
	json_object_set_new(o, "summary", gs_json_str(f->summary ? f->summary : ""));
	json_object_set_new(o, "remedy", gs_json_str(f->remedy ? f->remedy : ""));
	if (f->key && *f->key) {
		json_object_set_new(o, "key", gs_json_str(f->key));
	}
	json_object_set_new(o, "count", json_integer((json_int_t)f->count));
	for (size_t i = 0; m && i < f->nev; i++) {
		json_array_append_new(ev, gs_json_event(m, &m->ev[f->ev[i]]));
	}
	json_object_set_new(o, "events", ev);
	for (size_t i = 0; i < f->facts.n; i++) {
		json_object_set_new(evid, f->facts.name[i], gs_json_str(f->facts.value[i]));
	}
	json_object_set_new(o, "evidence", evid);
	if (m) {
		uint32_t pids[64];
		size_t n = gs_model_chain(m, f->pid, pids, 64);
		if (f->nev && m->ev[f->ev[0]].family == GOSHIM_FAM_EXEC) {
			target = gs_mev_path(&m->ev[f->ev[0]]);
		}
		json_object_set_new(o, "chain", gs_json_chain(m, f->pid, target));
		json_object_set_new(o, "exit_link", json_string(gs_link_name(f->link)));
		json_object_set_new(o, "run_passed", json_boolean(f->passed != 0));
		for (size_t i = 0; i < n; i++) {
			const struct gs_proc *p = gs_model_proc(m, pids[i]);
			if (p && p->exited && p->status != 0) {
				json_array_append_new(exits, json_pack("{s:I, s:o*, s:o}",
					"pid", (json_int_t)p->pid,
					"exe", p->exe ? gs_json_str(p->exe) : NULL,
					"exit", gs_json_status(p->status)));
			}
		}
	} else {
		json_object_set_new(o, "chain", json_array());
	}
	json_object_set(evid, "exits", exits);
	json_decref(exits);
	return o;
}
