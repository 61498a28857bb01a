/* SPDX-License-Identifier: Apache-2.0 */
/* JSON Lines output of `goshimctl decode --json` (prototypes in output.h).
 * Field names are documented in docs/goshimctl.1 (OUTPUT).  Each line is
 * written member by member with the streaming writer of jsonw.h into one
 * buffer reused from record to record, and leaves with one fwrite. */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "args.h"
#include "container.h"
#include "flags.h"
#include "jsonw.h"
#include "tlv.h"

static void js_octal(struct gs_jw *w, const char *k, uint32_t v)
{
	char b[16];

	snprintf(b, sizeof(b), "%04o", v);
	gs_jw_str(w, k, b);
}

static void js_strs(struct gs_jw *w, const char *k, const struct gs_evt_list *l)
{
	gs_jw_arr(w, k);
	for (size_t i = 0; i < l->n; i++) {
		gs_jw_str(w, NULL, gs_evt_strs(l)[i]);
	}
	gs_jw_arr_end(w);
}

static void js_flag_push(const char *name, void *ctx)
{
	gs_jw_str(ctx, NULL, name);
}

static void js_flags(struct gs_jw *w, const char *k, const struct gs_flagset *fs, uint64_t v)
{
	gs_jw_arr(w, k);
	if (v) {
		gs_flags_each(fs, v, js_flag_push, w);
	}
	gs_jw_arr_end(w);
}

static void js_args(struct gs_jw *w, const struct gs_event *e)
{
	struct gs_arg args[GS_ARGS_MAX];
	size_t n = gs_args_get(e, args);

	gs_jw_obj(w, "args");
	for (size_t i = 0; i < n; i++) {
		const struct gs_arg *a = &args[i];
		char key[48];

		switch (a->kind) {
		case GS_AK_STR:
			gs_jw_str(w, a->key, a->str);
			break;
		case GS_AK_STRS:
			js_strs(w, a->key, a->strs);
			break;
		case GS_AK_HEX:
			gs_jw_hex(w, a->key, (uint64_t)a->num);
			break;
		case GS_AK_NUM:
			gs_jw_int(w, a->key, a->num);
			if (a->sym) {
				snprintf(key, sizeof(key), "%s_sym", a->key);
				gs_jw_str(w, key, a->sym);
			}
			break;
		}
	}
	gs_jw_obj_end(w);
}

/* The errno's name, null when it has none. */
static void js_errno_name(struct gs_jw *w, const char *k, int err)
{
	gs_jw_str(w, k, gs_errno_name(err));
}

static void js_stat(struct gs_jw *w, const struct goshim_t_stat *st)
{
	gs_jw_obj(w, "stat");
	gs_jw_int(w, "uid", st->uid);
	gs_jw_int(w, "gid", st->gid);
	js_octal(w, "mode", st->mode & 07777);
	gs_jw_str(w, "type", gs_filetype_name(st->mode));
	gs_jw_int(w, "dev", (int64_t)st->dev);
	gs_jw_int(w, "ino", (int64_t)st->ino);
	gs_jw_int(w, "nlink", (int64_t)st->nlink);
	gs_jw_int(w, "size", (int64_t)st->size);
	gs_jw_obj_end(w);
}

static void js_statfs(struct gs_jw *w, const struct goshim_t_statfs *sf)
{
	const char *t = gs_fstype_name(sf->type);

	gs_jw_obj(w, "statfs");
	if (t) {
		gs_jw_str(w, "type", t);
	} else {
		gs_jw_hex(w, "type", sf->type);
	}
	gs_jw_hex(w, "magic", sf->type);
	js_flags(w, "flags", &gs_fs_mount, sf->flags);
	gs_jw_int(w, "bavail", (int64_t)sf->bavail);
	gs_jw_int(w, "bsize", (int64_t)sf->bsize);
	gs_jw_int(w, "favail", (int64_t)sf->favail);
	gs_jw_obj_end(w);
}

static void js_cred(struct gs_jw *w, const struct goshim_t_cred *c)
{
	gs_jw_obj(w, "cred");
	gs_jw_int(w, "uid", c->uid);
	gs_jw_int(w, "euid", c->euid);
	gs_jw_int(w, "gid", c->gid);
	gs_jw_int(w, "egid", c->egid);
	gs_jw_int(w, "ngroups", c->ngroups);
	gs_jw_arr(w, "groups");
	for (uint32_t i = 0; i < c->ngroups && i < 16; i++) {
		gs_jw_int(w, NULL, c->groups[i]);
	}
	gs_jw_arr_end(w);
	gs_jw_obj_end(w);
}

static void js_elf(struct gs_jw *w, const struct gs_event *e)
{
	static const char *const kinds[] = { "unreadable", "elf", "script", "other" };
	const struct goshim_t_elf *el = &e->ev_elf;

	gs_jw_obj(w, "elf");
	if (gs_evt_has(e, GS_E_EV_ELF)) {
		const char *m = gs_machine_name(el->e_machine);

		gs_jw_str(w, "kind", el->kind < 4 ? kinds[el->kind] : "?");
		if (el->open_errno) {
			js_errno_name(w, "open_errno", el->open_errno);
		}
		if (el->kind == 1) {
			gs_jw_int(w, "class", el->ei_class == 1 ? 32 : el->ei_class == 2 ? 64 : 0);
			if (m) {
				gs_jw_str(w, "machine", m);
			} else {
				gs_jw_int(w, "machine", el->e_machine);
			}
			gs_jw_int(w, "e_machine", el->e_machine);
			gs_jw_int(w, "e_type", el->e_type);
		}
		gs_jw_bool(w, "has_interp", el->has_interp);
	}
	if (e->ev_interp) {
		gs_jw_str(w, "interp", e->ev_interp);
	}
	if (gs_evt_has(e, GS_E_EV_INTERP_ERR)) {
		gs_jw_bool(w, "interp_exists", e->ev_interp_err == 0);
		if (e->ev_interp_err) {
			js_errno_name(w, "interp_errno", e->ev_interp_err);
		}
	}
	gs_jw_obj_end(w);
}

static void js_evidence(struct gs_jw *w, const struct gs_event *e)
{
	gs_jw_obj(w, "evidence");
	if (e->ev_path) {
		gs_jw_str(w, "path", e->ev_path);
	}
	if (gs_evt_has(e, GS_E_EV_MISSING)) {
		gs_jw_int(w, "missing", e->ev_missing);
	}
	if (gs_evt_has(e, GS_E_EV_STAT)) {
		js_stat(w, &e->ev_stat);
	}
	if (gs_evt_has(e, GS_E_EV_STATFS)) {
		js_statfs(w, &e->ev_statfs);
	}
	if (e->ev_mount) {
		gs_jw_str(w, "mount", e->ev_mount);
	}
	if (gs_evt_has(e, GS_E_EV_CRED)) {
		js_cred(w, &e->ev_cred);
	}
	if (gs_evt_has(e, GS_E_EV_ELF) || e->ev_interp) {
		js_elf(w, e);
	}
	if (e->ev_resolved) {
		gs_jw_str(w, "resolved", e->ev_resolved);
	}
	gs_jw_obj_end(w);
}

/* Names recorded at capture time for frame i: the physical function as
 * function/file/line (the last one recorded for the frame; file and line
 * of the last that has a file), inlined calls (innermost first) in
 * "inlined".  Returns 0 when the frame has none. */
static int js_frame_syms(struct gs_jw *w, const struct gs_event *e, size_t i)
{
	const struct gs_evt_frame_sym *fs = gs_evt_frame_syms(e);
	const struct gs_evt_frame_sym *phys = NULL, *file = NULL;
	size_t inl = 0;

	for (size_t k = 0; k < e->frame_syms.n; k++) {
		if (fs[k].s.frame != i) {
			continue;
		}
		if (fs[k].s.inlined) {
			inl++;
			continue;
		}
		phys = &fs[k];
		file = fs[k].file && fs[k].file[0] ? &fs[k] : file;
	}
	if (phys) {
		gs_jw_str(w, "function", phys->func ? phys->func : "?");
	}
	if (file) {
		gs_jw_str(w, "file", file->file);
		gs_jw_int(w, "line", file->s.line);
	}
	if (inl) {
		gs_jw_arr(w, "inlined");
		for (size_t k = 0; k < e->frame_syms.n; k++) {
			if (fs[k].s.frame != i || !fs[k].s.inlined) {
				continue;
			}
			gs_jw_obj(w, NULL);
			gs_jw_str(w, "function", fs[k].func ? fs[k].func : "?");
			if (fs[k].file && fs[k].file[0]) {
				gs_jw_str(w, "file", fs[k].file);
				gs_jw_int(w, "line", fs[k].s.line);
			}
			gs_jw_obj_end(w);
		}
		gs_jw_arr_end(w);
	}
	return phys || inl;
}

/* Which of the record's modules some frame falls in (one flag each). */
struct js_used {
	unsigned char *v;
	size_t cap;
};

/* The line being written and its modules' flags: kept from record to
 * record (decode is single-threaded). */
static struct gs_jw js_w;
static struct js_used js_used_mods;

static int js_used_reset(struct js_used *u, size_t n)
{
	if (n > u->cap) {
		unsigned char *v = (js_w.grow ? js_w.grow : realloc)(u->v, n);

		if (!v) {
			return -1;
		}
		u->v = v;
		u->cap = n;
	}
	memset(u->v, 0, n);
	return 0;
}

static void js_backtrace(struct gs_jw *w, struct gs_symbolizer *sym, const struct gs_event *e,
			 struct js_used *used)
{
	const struct gs_evt_module *mods = gs_evt_modules(e);

	gs_jw_arr(w, "backtrace");
	for (size_t i = 0; i < e->frames.n; i++) {
		struct gs_frame_info fi;

		gs_sym_frame(sym, e, i, &fi);
		gs_jw_obj(w, NULL);
		gs_jw_hex(w, "pc", fi.pc);
		if (fi.module) {
			gs_jw_str(w, "module", fi.module);
			gs_jw_hex(w, "offset", fi.offset);
			for (size_t k = 0; k < e->modules.n; k++) {
				if (mods[k].path == fi.module) {
					used->v[k] = 1;
					break;
				}
			}
		}
		if (js_frame_syms(w, e, i)) {
			/* named at capture time: takes precedence */
		} else {
			if (fi.function) {
				gs_jw_str(w, "function", fi.function);
				gs_jw_hex(w, "function_offset", fi.fn_offset);
			}
			if (fi.file) {
				gs_jw_str(w, "file", fi.file);
				gs_jw_int(w, "line", fi.line);
			}
		}
		gs_jw_obj_end(w);
	}
	gs_jw_arr_end(w);
}

/* The modules the frames fall in, each once: its path (what a frame's
 * "module" names) and build-id; a frame carries its offset in it. */
static void js_modules(struct gs_jw *w, const struct gs_event *e, const struct js_used *used)
{
	static const char hex[] = "0123456789abcdef";

	gs_jw_arr(w, "modules");
	for (size_t i = 0; i < e->modules.n; i++) {
		const struct gs_evt_module *m = &gs_evt_modules(e)[i];
		char bid[2 * sizeof(m->m.build_id) + 1];
		unsigned n = m->m.build_id_len < sizeof(m->m.build_id) ?
			     m->m.build_id_len : sizeof(m->m.build_id);

		if (!used->v[i]) {
			continue;
		}
		for (unsigned k = 0; k < n; k++) {
			bid[2 * k] = hex[m->m.build_id[k] >> 4];
			bid[2 * k + 1] = hex[m->m.build_id[k] & 15];
		}
		bid[2 * n] = '\0';
		gs_jw_obj(w, NULL);
		gs_jw_str(w, "path", m->path);
		gs_jw_str(w, "build_id", bid);
		gs_jw_obj_end(w);
	}
	gs_jw_arr_end(w);
}

static void js_event(struct gs_jw *w, struct gs_symbolizer *sym, const struct gs_shown *s)
{
	struct js_used *used = &js_used_mods;
	const struct gs_event *e = s->evt;
	char nb[32];

	gs_jw_str(w, "syscall", gs_args_call_name(e, nb, sizeof(nb)));
	gs_jw_int(w, "call_id", e->call);
	gs_jw_str(w, "family", gs_args_family(e));
	if (gs_evt_has(e, GS_E_ERRNO)) {
		js_errno_name(w, "errno", e->err);
		gs_jw_int(w, "errno_num", e->err);
		if (gs_errno_desc(e->err)) {
			gs_jw_str(w, "strerror", gs_errno_desc(e->err));
		}
	}
	if (gs_evt_has(e, GS_E_RET)) {
		gs_jw_int(w, "ret", e->ret);
	}
	if (gs_evt_has(e, GS_E_ARCH)) {
		gs_jw_hex(w, "arch", e->arch);
	}
	if (gs_evt_has(e, GS_E_SYSNR)) {
		gs_jw_int(w, "sysnr", e->sysnr);
	}
	if (e->path) {
		gs_jw_str(w, "path", e->path);
	}
	if (e->abspath) {
		gs_jw_str(w, "abspath", e->abspath);
	}
	js_args(w, e);
	gs_jw_int(w, "count", s->rec->count);
	if (s->rec->repeat) {
		gs_jw_int(w, "repeat_of", (int64_t)s->rec->repeat_of);
		gs_jw_bool(w, "original_lost", s->rec->repeat == GS_REC_REPEAT_ALONE);
	}
	js_evidence(w, e);
	if (js_used_reset(used, e->modules.n) < 0) {
		w->failed = 1;
		return;
	}
	js_backtrace(w, sym, e, used);
	js_modules(w, e, used);
}

/* Do two recorded names read the same once made UTF-8 (gs_utf8_valid:
 * each invalid byte one U+FFFD)?  a[0..an), b[0..bn). */
static int js_name_eq(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	const unsigned char *pe = p + an, *qe = q + bn;

	while (p < pe && q < qe) {
		int k = *p < 0x80 ? 1 : gs_utf8_len(p), l = *q < 0x80 ? 1 : gs_utf8_len(q);

		k = p + k <= pe ? k : 0;
		l = q + l <= qe ? l : 0;
		if (k != l || memcmp(p, q, (size_t)(k ? k : 0)) != 0) {
			return 0;
		}
		p += k ? k : 1;
		q += l ? l : 1;
	}
	return p == pe && q == qe;
}

static size_t js_env_name(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* The environment as an object.  A name recorded twice is one member,
 * where it first appears, with the value it was last given. */
static void js_env(struct gs_jw *w, const struct gs_event *e)
{
	char **env = gs_evt_strs(&e->env);

	gs_jw_obj(w, "env");
	for (size_t i = 0; i < e->env.n; i++) {
		size_t n = js_env_name(env[i]), last = i, k;

		for (k = 0; k < i; k++) {
			if (js_name_eq(env[k], js_env_name(env[k]), env[i], n)) {
				break;
			}
		}
		if (k < i) {
			continue;
		}
		for (k = i + 1; k < e->env.n; k++) {
			if (js_name_eq(env[k], js_env_name(env[k]), env[i], n)) {
				last = k;
			}
		}
		gs_jw_strn(w, NULL, env[i], n);
		gs_jw_raw(w, ":", 1);
		n = js_env_name(env[last]);
		gs_jw_str(w, NULL, env[last][n] ? env[last] + n + 1 : "");
	}
	gs_jw_obj_end(w);
}

static void js_rlim(struct gs_jw *w, const char *k, uint64_t v)
{
	if (v == UINT64_MAX) {
		gs_jw_str(w, k, "unlimited");
	} else {
		gs_jw_int(w, k, (int64_t)v);
	}
}

/* Limits by resource name; a resource recorded twice is one member, as
 * js_env does. */
static void js_rlimits(struct gs_jw *w, const struct gs_event *e)
{
	const struct goshim_t_rlimit *rl = gs_evt_rlimits(e);

	gs_jw_obj(w, "rlimits");
	for (size_t i = 0; i < e->rlimits.n; i++) {
		const char *n = gs_rlimit_name(rl[i].resource);
		size_t last = i, k;
		char nb[24];

		for (k = 0; k < i && rl[k].resource != rl[i].resource; k++) {
		}
		if (k < i) {
			continue;
		}
		for (k = i + 1; k < e->rlimits.n; k++) {
			last = rl[k].resource == rl[i].resource ? k : last;
		}
		if (!n) {
			snprintf(nb, sizeof(nb), "%u", rl[i].resource);
			n = nb;
		}
		gs_jw_obj(w, n);
		js_rlim(w, "cur", rl[last].cur);
		js_rlim(w, "max", rl[last].max);
		gs_jw_obj_end(w);
	}
	gs_jw_obj_end(w);
}

static void js_process(struct gs_jw *w, const struct gs_event *e)
{
	js_strs(w, "argv", &e->argv);
	if (e->cwd) {
		gs_jw_str(w, "cwd", e->cwd);
	}
	if (e->run) {
		gs_jw_str(w, "run", e->run);
	}
	if (e->uname) {
		gs_jw_str(w, "uname", e->uname);
	}
	const struct {
		const char *key, *v;
	} gofacts[] = {
		{ "goversion", e->goversion }, { "gomod", e->gomod },
		{ "gomod_go", e->gomod_go }, { "gomod_toolchain", e->gomod_toolchain },
	};
	for (size_t i = 0; i < sizeof(gofacts) / sizeof(gofacts[0]); i++) {
		if (gofacts[i].v) {
			gs_jw_str(w, gofacts[i].key, gofacts[i].v);
		}
	}
	if (gs_evt_has(e, GS_E_GORACE)) {
		gs_jw_bool(w, "go_race", e->gorace != 0);
	}
	js_env(w, e);
	js_rlimits(w, e);
	if (gs_evt_has(e, GS_E_CONTAINER)) {
		const struct goshim_t_container *c = &e->container;

		gs_jw_obj(w, "container");
		gs_jw_bool(w, "is", gs_container_is(c));
		gs_jw_strn(w, "engine", c->engine, strnlen(c->engine, sizeof(c->engine)));
		gs_jw_strn(w, "pid1", c->pid1, strnlen(c->pid1, sizeof(c->pid1)));
		js_flags(w, "evidence", &gs_fs_container, c->evidence);
		gs_jw_obj_end(w);
	}
	if (gs_evt_has(e, GS_E_SECCOMP)) {
		gs_jw_obj(w, "seccomp");
		gs_jw_int(w, "mode", e->seccomp.mode);
		gs_jw_int(w, "filters", e->seccomp.filters);
		gs_jw_int(w, "no_new_privs", e->seccomp.no_new_privs);
		gs_jw_int(w, "tracer_pid", e->seccomp.tracer_pid);
		gs_jw_obj_end(w);
	}
}

/* The filesystems an EXIT record carries: path, type, free space. */
static void js_exit_fs(struct gs_jw *w, const struct gs_event *e)
{
	gs_jw_arr(w, "filesystems");
	for (size_t i = 0; i < e->fs.n; i++) {
		const struct gs_evt_fs *x = &gs_evt_fss(e)[i];
		const char *t = x->has_sf ? gs_fstype_name(x->sf.type) : NULL;

		gs_jw_obj(w, NULL);
		gs_jw_str(w, "path", x->path ? x->path : "");
		if (x->has_sf) {
			if (t) {
				gs_jw_str(w, "type", t);
			} else {
				gs_jw_int(w, "type", (int64_t)x->sf.type);
			}
			gs_jw_int(w, "bavail", (int64_t)x->sf.bavail);
			gs_jw_int(w, "bsize", (int64_t)x->sf.bsize);
			gs_jw_int(w, "favail", (int64_t)x->sf.favail);
		}
		gs_jw_obj_end(w);
	}
	gs_jw_arr_end(w);
}

static void js_exit(struct gs_jw *w, const struct gs_event *e)
{
	gs_jw_int(w, "child", e->child);
	if (e->fs.n) {
		js_exit_fs(w, e);
	}
	if (!gs_evt_has(e, GS_E_STATUS)) {
		return;
	}
	int st = e->status;
	gs_jw_int(w, "status", st);
	if (WIFEXITED(st)) {
		gs_jw_bool(w, "exited", 1);
		gs_jw_int(w, "code", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		const char *n = gs_signal_name(WTERMSIG(st));

		gs_jw_bool(w, "signaled", 1);
		if (n) {
			gs_jw_str(w, "signal", n);
		} else {
			gs_jw_int(w, "signal", WTERMSIG(st));
		}
		gs_jw_bool(w, "core_dumped", WCOREDUMP(st));
	}
}

static void js_truncated(struct gs_jw *w, uint32_t t)
{
	gs_jw_arr(w, "truncated");
	for (unsigned b = 0; b < 32; b++) {
		if (t & (1u << b)) {
			const char *n = gs_tag_name(gs_tlv_trunc_tag(b));
			gs_jw_str(w, NULL, n ? n : "other");
		}
	}
	gs_jw_arr_end(w);
}

/* End the line and write it, unless writing it failed. */
static int js_emit(FILE *f, struct gs_jw *w)
{
	gs_jw_obj_end(w);
	gs_jw_raw(w, "\n", 1);
	if (gs_jw_failed(w)) {
		return -1;
	}
	return fwrite(w->p, 1, w->len, f) == w->len ? 0 : -1;
}

void gs_json_set_realloc(void *(*fn)(void *p, size_t n))
{
	gs_jw_free(&js_w);
	js_w.grow = fn;
	free(js_used_mods.v);
	memset(&js_used_mods, 0, sizeof(js_used_mods));
}

int gs_json_record(FILE *f, struct gs_symbolizer *sym, const struct gs_shown *s)
{
	struct gs_jw *w = &js_w;
	const struct gs_event *e = s->evt;
	char tb[48], nb[16];

	gs_jw_reset(w);
	gs_jw_obj(w, NULL);
	gs_jw_int(w, "seq", (int64_t)s->seq);
	gs_jw_int(w, "pos", (int64_t)s->rec->pos);
	if (!e) {
		gs_jw_str(w, "type", "damaged");
		gs_jw_str(w, "record_type", gs_rec_type_name(s->rec->type, nb, sizeof(nb)));
		gs_jw_str(w, "error", s->rec->error ? s->rec->error : "?");
		return js_emit(f, w);
	}
	if (gs_evt_has(e, GS_E_TIME_REAL)) {
		gs_jw_str(w, "time", gs_fmt_time(e->time_real, tb, sizeof(tb)));
		gs_jw_int(w, "time_ns", (int64_t)e->time_real);
	}
	if (gs_evt_has(e, GS_E_TIME_MONO)) {
		gs_jw_int(w, "mono_ns", (int64_t)e->time_mono);
	}
	gs_jw_int(w, "pid", e->pid);
	gs_jw_int(w, "tid", e->tid);
	if (gs_evt_has(e, GS_E_PPID)) {
		gs_jw_int(w, "ppid", e->ppid);
	}
	if (e->exe) {
		gs_jw_str(w, "exe", e->exe);
	}
	gs_jw_str(w, "engine", gs_engine_name(s->rec->engine, nb, sizeof(nb)));
	gs_jw_str(w, "type", gs_rec_type_name(s->rec->type, nb, sizeof(nb)));
	switch (s->rec->type) {
	case GOSHIM_REC_EVENT:
		js_event(w, sym, s);
		break;
	case GOSHIM_REC_PROCESS:
		js_process(w, e);
		break;
	case GOSHIM_REC_EXIT:
		js_exit(w, e);
		break;
	case GOSHIM_REC_NOTE:
		gs_jw_str(w, "note", e->note ? e->note : "");
		break;
	}
	if (e->truncated) {
		js_truncated(w, e->truncated);
	}
	if (e->error) {
		gs_jw_str(w, "error", e->error);
	}
	return js_emit(f, w);
}
