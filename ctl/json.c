/* SPDX-License-Identifier: Apache-2.0 */
/* JSON Lines output of `goshimctl decode --json` (prototypes in output.h).
 * Field names are documented in docs/goshimctl.1 (OUTPUT). */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>

#include "args.h"
#include "flags.h"
#include "tlv.h"

/* Set when building the current record failed (a jansson allocation):
 * the record is then not written.  decode is single-threaded. */
static int js_failed;

/* Set member k, one of our names (valid UTF-8, not re-checked).  v is
 * the caller's new reference: taken, even when setting fails. */
static void js_set(json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new_nocheck(o, k, v) != 0) {
		js_failed = 1;
	}
}

/* Append v (a new reference, taken even on failure) to array a. */
static void js_push(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) != 0) {
		js_failed = 1;
	}
}

/* Set member named by a recorded string k: made UTF-8 as a value is
 * (gs_utf8_valid), so that no name is dropped.  v is taken, as by js_set. */
static void js_set_recorded(json_t *o, const char *k, json_t *v)
{
	char *copy;
	const char *u = gs_utf8_valid(k, &copy);

	/* json_object_set_new releases v itself when it fails */
	if (!u || !v || json_object_set_new(o, u, v) != 0) {
		if (!u) {
			json_decref(v);
		}
		js_failed = 1;
	}
	free(copy);
}

static json_t *js_hex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_string(b);
}

static json_t *js_octal(uint32_t v)
{
	char b[16];

	snprintf(b, sizeof(b), "%04o", v);
	return json_string(b);
}


static json_t *js_strs(const struct gs_evt_list *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++) {
		js_push(a, gs_json_str(gs_evt_strs(l)[i]));
	}
	return a;
}

static void js_flag_push(const char *name, void *ctx)
{
	js_push(ctx, json_string(name));
}

static json_t *js_flags(const struct gs_flagset *fs, uint64_t v)
{
	json_t *a = json_array();

	if (v) {
		gs_flags_each(fs, v, js_flag_push, a);
	}
	return a;
}

static json_t *js_args(const struct gs_event *e)
{
	struct gs_arg args[GS_ARGS_MAX];
	size_t n = gs_args_get(e, args);
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++) {
		const struct gs_arg *a = &args[i];
		char key[48];

		switch (a->kind) {
		case GS_AK_STR:
			js_set(o, a->key, gs_json_str(a->str));
			break;
		case GS_AK_STRS:
			js_set(o, a->key, js_strs(a->strs));
			break;
		case GS_AK_HEX:
			js_set(o, a->key, js_hex((uint64_t)a->num));
			break;
		case GS_AK_NUM:
			js_set(o, a->key, json_integer(a->num));
			if (a->sym) {
				snprintf(key, sizeof(key), "%s_sym", a->key);
				js_set(o, key, json_string(a->sym));
			}
			break;
		}
	}
	return o;
}

static json_t *js_errno_name(int err)
{
	const char *n = gs_errno_name(err);

	return n ? json_string(n) : json_null();
}

static json_t *js_evidence(const struct gs_event *e)
{
	json_t *o = json_object();

	if (e->ev_path) {
		js_set(o, "path", gs_json_str(e->ev_path));
	}
	if (gs_evt_has(e, GS_E_EV_MISSING)) {
		js_set(o, "missing", json_integer(e->ev_missing));
	}
	if (gs_evt_has(e, GS_E_EV_STAT)) {
		const struct goshim_t_stat *st = &e->ev_stat;
		js_set(o, "stat", json_pack("{s:I,s:I,s:o,s:s,s:I,s:I,s:I,s:I}",
			"uid", (json_int_t)st->uid, "gid", (json_int_t)st->gid,
			"mode", js_octal(st->mode & 07777), "type", gs_filetype_name(st->mode),
			"dev", (json_int_t)st->dev, "ino", (json_int_t)st->ino,
			"nlink", (json_int_t)st->nlink, "size", (json_int_t)st->size));
	}
	if (gs_evt_has(e, GS_E_EV_STATFS)) {
		const struct goshim_t_statfs *sf = &e->ev_statfs;
		const char *t = gs_fstype_name(sf->type);
		json_t *j = json_pack("{s:o,s:o,s:o,s:I,s:I,s:I}",
			"type", t ? json_string(t) : js_hex(sf->type),
			"magic", js_hex(sf->type), "flags", js_flags(&gs_fs_mount, sf->flags),
			"bavail", (json_int_t)sf->bavail, "bsize", (json_int_t)sf->bsize,
			"favail", (json_int_t)sf->favail);
		js_set(o, "statfs", j);
	}
	if (e->ev_mount) {
		js_set(o, "mount", gs_json_str(e->ev_mount));
	}
	if (gs_evt_has(e, GS_E_EV_CRED)) {
		const struct goshim_t_cred *c = &e->ev_cred;
		json_t *g = json_array();
		for (uint32_t i = 0; i < c->ngroups && i < 16; i++) {
			js_push(g, json_integer(c->groups[i]));
		}
		js_set(o, "cred", json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}",
			"uid", (json_int_t)c->uid, "euid", (json_int_t)c->euid,
			"gid", (json_int_t)c->gid, "egid", (json_int_t)c->egid,
			"ngroups", (json_int_t)c->ngroups, "groups", g));
	}
	if (gs_evt_has(e, GS_E_EV_ELF) || e->ev_interp) {
		static const char *const kinds[] = { "unreadable", "elf", "script", "other" };
		const struct goshim_t_elf *el = &e->ev_elf;
		json_t *j = json_object();

		if (gs_evt_has(e, GS_E_EV_ELF)) {
			const char *m = gs_machine_name(el->e_machine);
			js_set(j, "kind", json_string(el->kind < 4 ? kinds[el->kind] : "?"));
			if (el->open_errno) {
				js_set(j, "open_errno", js_errno_name(el->open_errno));
			}
			if (el->kind == 1) {
				js_set(j, "class", json_integer(el->ei_class == 1 ? 32 :
								el->ei_class == 2 ? 64 : 0));
				js_set(j, "machine", m ? json_string(m) : json_integer(el->e_machine));
				js_set(j, "e_machine", json_integer(el->e_machine));
				js_set(j, "e_type", json_integer(el->e_type));
			}
			js_set(j, "has_interp", json_boolean(el->has_interp));
		}
		if (e->ev_interp) {
			js_set(j, "interp", gs_json_str(e->ev_interp));
		}
		if (gs_evt_has(e, GS_E_EV_INTERP_ERR)) {
			js_set(j, "interp_exists", json_boolean(e->ev_interp_err == 0));
			if (e->ev_interp_err) {
				js_set(j, "interp_errno", js_errno_name(e->ev_interp_err));
			}
		}
		js_set(o, "elf", j);
	}
	if (e->ev_resolved) {
		js_set(o, "resolved", gs_json_str(e->ev_resolved));
	}
	return o;
}

/* Names recorded at capture time for frame i: the physical function as
 * function/file/line, inlined calls (innermost first) in "inlined".
 * Returns 0 when the frame has none. */
static int js_frame_syms(json_t *f, const struct gs_event *e, size_t i)
{
	json_t *inl = NULL;
	int n = 0;

	for (size_t k = 0; k < e->frame_syms.n; k++) {
		const struct gs_evt_frame_sym *fs = &gs_evt_frame_syms(e)[k];
		json_t *o;

		if (fs->s.frame != i) {
			continue;
		}
		o = fs->s.inlined ? json_object() : f;
		n++;
		js_set(o, "function", gs_json_str(fs->func ? fs->func : "?"));
		if (fs->file && fs->file[0]) {
			js_set(o, "file", gs_json_str(fs->file));
			js_set(o, "line", json_integer(fs->s.line));
		}
		if (fs->s.inlined) {
			inl = inl ? inl : json_array();
			js_push(inl, o); /* fails on a NULL array */
		}
	}
	if (inl) {
		js_set(f, "inlined", inl);
	}
	return n;
}

static json_t *js_backtrace(struct gs_symbolizer *sym, const struct gs_event *e)
{
	json_t *a = json_array();

	for (size_t i = 0; i < e->frames.n; i++) {
		struct gs_frame_info fi;
		json_t *f = json_object();

		gs_sym_frame(sym, e, i, &fi);
		js_set(f, "pc", js_hex(fi.pc));
		if (fi.module) {
			js_set(f, "module", gs_json_str(fi.module));
			js_set(f, "offset", js_hex(fi.offset));
		}
		if (js_frame_syms(f, e, i)) {
			/* named at capture time: takes precedence */
		} else {
			if (fi.function) {
				js_set(f, "function", gs_json_str(fi.function));
				js_set(f, "function_offset", js_hex(fi.fn_offset));
			}
			if (fi.file) {
				js_set(f, "file", gs_json_str(fi.file));
				js_set(f, "line", json_integer(fi.line));
			}
		}
		js_push(a, f);
	}
	return a;
}

static json_t *js_modules(const struct gs_event *e)
{
	json_t *a = json_array();

	for (size_t i = 0; i < e->modules.n; i++) {
		const struct gs_evt_module *m = &gs_evt_modules(e)[i];
		char bid[41];

		for (unsigned k = 0; k < m->m.build_id_len; k++) {
			snprintf(bid + 2 * k, 3, "%02x", m->m.build_id[k]);
		}
		bid[2 * m->m.build_id_len] = '\0';
		js_push(a, json_pack("{s:o,s:o,s:o,s:o,s:s}",
			"path", gs_json_str(m->path), "start", js_hex(m->m.start),
			"end", js_hex(m->m.end), "bias", js_hex(m->m.bias), "build_id", bid));
	}
	return a;
}

static void js_event(json_t *o, struct gs_symbolizer *sym, const struct gs_shown *s)
{
	const struct gs_event *e = s->evt;
	char nb[32];

	js_set(o, "syscall", json_string(gs_args_call_name(e, nb, sizeof(nb))));
	js_set(o, "call_id", json_integer(e->call));
	js_set(o, "family", json_string(gs_args_family(e)));
	if (gs_evt_has(e, GS_E_ERRNO)) {
		js_set(o, "errno", js_errno_name(e->err));
		js_set(o, "errno_num", json_integer(e->err));
		if (gs_errno_desc(e->err)) {
			js_set(o, "strerror", json_string(gs_errno_desc(e->err)));
		}
	}
	if (gs_evt_has(e, GS_E_RET)) {
		js_set(o, "ret", json_integer(e->ret));
	}
	if (gs_evt_has(e, GS_E_ARCH)) {
		js_set(o, "arch", js_hex(e->arch));
	}
	if (gs_evt_has(e, GS_E_SYSNR)) {
		js_set(o, "sysnr", json_integer(e->sysnr));
	}
	if (e->path) {
		js_set(o, "path", gs_json_str(e->path));
	}
	if (e->abspath) {
		js_set(o, "abspath", gs_json_str(e->abspath));
	}
	js_set(o, "args", js_args(e));
	js_set(o, "count", json_integer(s->rec->count));
	if (s->rec->repeat) {
		js_set(o, "repeat_of", json_integer((json_int_t)s->rec->repeat_of));
		js_set(o, "original_lost", json_boolean(s->rec->repeat == GS_REC_REPEAT_ALONE));
	}
	js_set(o, "evidence", js_evidence(e));
	js_set(o, "backtrace", js_backtrace(sym, e));
	js_set(o, "modules", js_modules(e));
}

static void js_process(json_t *o, const struct gs_event *e)
{
	json_t *env = json_object(), *rl = json_object();

	js_set(o, "argv", js_strs(&e->argv));
	if (e->cwd) {
		js_set(o, "cwd", gs_json_str(e->cwd));
	}
	if (e->run) {
		js_set(o, "run", gs_json_str(e->run));
	}
	if (e->uname) {
		js_set(o, "uname", gs_json_str(e->uname));
	}
	const struct {
		const char *key, *v;
	} gofacts[] = {
		{ "goversion", e->goversion }, { "gomod", e->gomod },
		{ "gomod_go", e->gomod_go }, { "gomod_toolchain", e->gomod_toolchain },
	};
	for (size_t i = 0; i < sizeof(gofacts) / sizeof(gofacts[0]); i++) {
		if (gofacts[i].v) {
			js_set(o, gofacts[i].key, gs_json_str(gofacts[i].v));
		}
	}
	for (size_t i = 0; i < e->env.n; i++) {
		const char *kv = gs_evt_strs(&e->env)[i];
		const char *eq = strchr(kv, '=');
		char *k = strndup(kv, eq ? (size_t)(eq - kv) : strlen(kv));

		if (k) {
			js_set_recorded(env, k, gs_json_str(eq ? eq + 1 : ""));
		} else {
			js_failed = 1;
		}
		free(k);
	}
	js_set(o, "env", env);
	for (size_t i = 0; i < e->rlimits.n; i++) {
		const struct goshim_t_rlimit *r = &gs_evt_rlimits(e)[i];
		const char *n = gs_rlimit_name(r->resource);
		char nb[24];

		if (!n) {
			snprintf(nb, sizeof(nb), "%u", r->resource);
			n = nb;
		}
		js_set(rl, n, json_pack("{s:o,s:o}",
			"cur", r->cur == UINT64_MAX ? json_string("unlimited") : json_integer((json_int_t)r->cur),
			"max", r->max == UINT64_MAX ? json_string("unlimited") : json_integer((json_int_t)r->max)));
	}
	js_set(o, "rlimits", rl);
	if (gs_evt_has(e, GS_E_SECCOMP)) {
		js_set(o, "seccomp", json_pack("{s:i,s:i,s:i,s:i}",
			"mode", e->seccomp.mode, "filters", e->seccomp.filters,
			"no_new_privs", e->seccomp.no_new_privs, "tracer_pid", e->seccomp.tracer_pid));
	}
}

/* The filesystems an EXIT record carries: path, type, free space. */
static json_t *js_exit_fs(const struct gs_event *e)
{
	json_t *a = json_array();

	for (size_t i = 0; i < e->fs.n; i++) {
		const struct gs_evt_fs *x = &gs_evt_fss(e)[i];
		json_t *o = json_object();
		const char *t = x->has_sf ? gs_fstype_name(x->sf.type) : NULL;

		js_set(o, "path", gs_json_str(x->path ? x->path : ""));
		if (x->has_sf) {
			js_set(o, "type", t ? json_string(t) : json_integer((json_int_t)x->sf.type));
			js_set(o, "bavail", json_integer((json_int_t)x->sf.bavail));
			js_set(o, "bsize", json_integer((json_int_t)x->sf.bsize));
			js_set(o, "favail", json_integer((json_int_t)x->sf.favail));
		}
		js_push(a, o);
	}
	return a;
}

static void js_exit(json_t *o, const struct gs_event *e)
{
	js_set(o, "child", json_integer(e->child));
	if (e->fs.n) {
		js_set(o, "filesystems", js_exit_fs(e));
	}
	if (!gs_evt_has(e, GS_E_STATUS)) {
		return;
	}
	int st = e->status;
	js_set(o, "status", json_integer(st));
	if (WIFEXITED(st)) {
		js_set(o, "exited", json_true());
		js_set(o, "code", json_integer(WEXITSTATUS(st)));
	} else if (WIFSIGNALED(st)) {
		const char *n = gs_signal_name(WTERMSIG(st));
		js_set(o, "signaled", json_true());
		js_set(o, "signal", n ? json_string(n) : json_integer(WTERMSIG(st)));
		js_set(o, "core_dumped", json_boolean(WCOREDUMP(st)));
	}
}

static json_t *js_truncated(uint32_t t)
{
	json_t *a = json_array();

	for (unsigned b = 0; b < 32; b++) {
		if (t & (1u << b)) {
			const char *n = gs_tag_name(gs_tlv_trunc_tag(b));
			js_push(a, json_string(n ? n : "other"));
		}
	}
	return a;
}

/* Serialise into one growing buffer and write each line with one fwrite:
 * json_dumpf writes token by token, which costs more than building. */
struct js_buf {
	char *p;
	size_t len, cap;
};

static int js_append(const char *buf, size_t size, void *ctx)
{
	struct js_buf *b = ctx;

	if (b->len + size + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + size + 1) {
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (!p) {
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, buf, size);
	b->len += size;
	return 0;
}

/* Write o as one line, unless building it failed; releases o. */
static int js_emit(FILE *f, json_t *o)
{
	static struct js_buf b;
	int rc = -1;

	b.len = 0;
	if (o && !js_failed && json_dump_callback(o, js_append, &b, JSON_COMPACT) == 0 &&
	    js_append("\n", 1, &b) == 0) {
		rc = fwrite(b.p, 1, b.len, f) == b.len ? 0 : -1;
	}
	json_decref(o);
	return rc;
}

int gs_json_record(FILE *f, struct gs_symbolizer *sym, const struct gs_shown *s)
{
	const struct gs_event *e = s->evt;
	json_t *o = json_object();
	char tb[48], nb[16];

	js_failed = 0;
	js_set(o, "seq", json_integer((json_int_t)s->seq));
	js_set(o, "pos", json_integer((json_int_t)s->rec->pos));
	if (!e) {
		js_set(o, "type", json_string("damaged"));
		js_set(o, "record_type", json_string(gs_rec_type_name(s->rec->type, nb, sizeof(nb))));
		js_set(o, "error", json_string(s->rec->error ? s->rec->error : "?"));
		return js_emit(f, o);
	}
	if (gs_evt_has(e, GS_E_TIME_REAL)) {
		js_set(o, "time", json_string(gs_fmt_time(e->time_real, tb, sizeof(tb))));
		js_set(o, "time_ns", json_integer((json_int_t)e->time_real));
	}
	if (gs_evt_has(e, GS_E_TIME_MONO)) {
		js_set(o, "mono_ns", json_integer((json_int_t)e->time_mono));
	}
	js_set(o, "pid", json_integer(e->pid));
	js_set(o, "tid", json_integer(e->tid));
	if (gs_evt_has(e, GS_E_PPID)) {
		js_set(o, "ppid", json_integer(e->ppid));
	}
	if (e->exe) {
		js_set(o, "exe", gs_json_str(e->exe));
	}
	js_set(o, "engine", json_string(gs_engine_name(s->rec->engine, nb, sizeof(nb))));
	js_set(o, "type", json_string(gs_rec_type_name(s->rec->type, nb, sizeof(nb))));
	switch (s->rec->type) {
	case GOSHIM_REC_EVENT:
		js_event(o, sym, s);
		break;
	case GOSHIM_REC_PROCESS:
		js_process(o, e);
		break;
	case GOSHIM_REC_EXIT:
		js_exit(o, e);
		break;
	case GOSHIM_REC_NOTE:
		js_set(o, "note", gs_json_str(e->note ? e->note : ""));
		break;
	}
	if (e->truncated) {
		js_set(o, "truncated", js_truncated(e->truncated));
	}
	if (e->error) {
		js_set(o, "error", json_string(e->error));
	}
	return js_emit(f, o);
}
