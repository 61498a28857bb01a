/* SPDX-License-Identifier: Apache-2.0 */
/* Human-readable output of `goshimctl decode` (prototypes in output.h). */
#include "output.h"

#include <string.h>

#include "args.h"
#include "container.h"
#include "flags.h"
#include "tlv.h"

static int text_colored;

void gs_text_color(int on)
{
	text_colored = on;
}

static void text_quote(FILE *f, const char *s)
{
	gs_text_str(f, s, 1);
}

static void text_line(FILE *f, const char *before, const char *s, const char *after)
{
	fputs(before, f);
	gs_text_str(f, s, 0);
	fputs(after, f);
}

void gs_text_header(FILE *f, const char *ring, const struct gs_ring_reader *r)
{
	const struct goshim_ring_hdr *h = &r->hdr;
	char size[32];

	if (!r->hdr_ok) {
		text_line(f, "ring ", ring, ": ");
		fprintf(f, "header damaged, data %s, found %zu\n",
			gs_fmt_size(r->data_size, size, sizeof(size)), r->nrecs);
		return;
	}
	char node[sizeof(h->node) + 1], machine[sizeof(h->machine) + 1];

	snprintf(node, sizeof(node), "%.*s", (int)sizeof(h->node), h->node);
	snprintf(machine, sizeof(machine), "%.*s", (int)sizeof(h->machine), h->machine);
	text_line(f, "ring ", ring, ": ");
	text_line(f, "node ", node, ", ");
	text_line(f, "machine ", machine, "");
	char lanes[160];

	lanes[0] = 0;
	if (gs_ring_lost(r)) { /* which lanes lost them */
		gs_ring_lost_lanes(r, lanes, sizeof(lanes));
	}
	fprintf(f, ", size %s, committed %llu, "
		"found %zu, lost %llu%s%s%s, dropped %llu, aggregated %llu\n",
		gs_fmt_size(h->data_size, size, sizeof(size)),
		(unsigned long long)h->committed, r->nrecs,
		(unsigned long long)gs_ring_lost(r), lanes[0] ? " (" : "", lanes,
		lanes[0] ? ")" : "", (unsigned long long)h->dropped,
		(unsigned long long)h->aggregated);
	if (r->repeats) {
		fprintf(f, "repeats across processes %llu, of which %llu without their "
			"original\n", (unsigned long long)r->repeats,
			(unsigned long long)r->repeats_alone);
	}
}

static void text_arg(FILE *f, const struct gs_arg *a)
{
	switch (a->kind) {
	case GS_AK_STR:
		text_quote(f, a->str);
		break;
	case GS_AK_STRS:
		fputc('[', f);
		for (size_t i = 0; i < a->strs->n; i++) {
			fputs(i ? ", " : "", f);
			text_quote(f, gs_evt_strs(a->strs)[i]);
		}
		fputc(']', f);
		break;
	case GS_AK_HEX:
		fprintf(f, "%#llx", (unsigned long long)a->num);
		break;
	case GS_AK_NUM:
		if (a->sym) {
			fputs(a->sym, f);
		} else {
			fprintf(f, "%lld", (long long)a->num);
		}
		break;
	}
}

static void text_call(FILE *f, const struct gs_shown *s)
{
	const struct gs_event *e = s->evt;
	struct gs_arg args[GS_ARGS_MAX];
	size_t n = gs_args_get(e, args);
	char nbuf[32];

	fprintf(f, "  %s(", gs_args_call_name(e, nbuf, sizeof(nbuf)));
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		text_arg(f, &args[i]);
	}
	if (gs_evt_has(e, GS_E_RET)) {
		fprintf(f, ") = %lld", (long long)e->ret);
	} else {
		fputs(") = ?", f);
	}
	if (gs_evt_has(e, GS_E_ERRNO)) {
		const char *name = gs_errno_name(e->err);
		const char *desc = gs_errno_desc(e->err);

		if (name) {
			fprintf(f, " %s%s%s (%s)", text_colored ? "\033[1;31m" : "", name,
				text_colored ? "\033[0m" : "", desc ? desc : "?");
		} else {
			fprintf(f, " errno %d", e->err);
		}
	}
	if (s->rec->count > 1) {
		fprintf(f, "  \u00d7%u", s->rec->count);
	}
	if (s->rec->repeat) {
		fprintf(f, "  (repeat of @%llu%s)", (unsigned long long)s->rec->repeat_of,
			s->rec->repeat == GS_REC_REPEAT_ALONE ?
			", overwritten: no evidence, no backtrace" : "");
	}
	fputc('\n', f);
	if (e->abspath && (!e->path || strcmp(e->abspath, e->path) != 0)) {
		text_line(f, "  abspath ", e->abspath, "\n");
	}
}

/* The filesystems an EXIT record carries, with their free space. */
static void text_exit_fs(FILE *f, const struct gs_event *e)
{
	for (size_t i = 0; i < e->fs.n; i++) {
		const struct gs_evt_fs *x = &gs_evt_fss(e)[i];
		const char *t = x->has_sf ? gs_fstype_name(x->sf.type) : NULL;

		text_line(f, "  fs ", x->path ? x->path : "?", "");
		if (x->has_sf) {
			fprintf(f, ": %s, %llu blocks of %llu bytes free, %llu inodes free",
				t ? t : "?", (unsigned long long)x->sf.bavail,
				(unsigned long long)x->sf.bsize, (unsigned long long)x->sf.favail);
		}
		fputc('\n', f);
	}
}

static void text_path_evidence(FILE *f, const struct gs_event *e)
{
	char buf[128];

	if (!e->ev_path && !gs_evt_has(e, GS_E_EV_STAT) && !gs_evt_has(e, GS_E_EV_STATFS) &&
	    !e->ev_mount) {
		return;
	}
	text_line(f, "  path ", e->ev_path ? e->ev_path : "?", ":");
	if (gs_evt_has(e, GS_E_EV_MISSING)) {
		if (e->ev_missing) {
			fprintf(f, " missing %u component(s) below it", e->ev_missing);
		} else {
			fputs(" exists", f);
		}
	}
	if (gs_evt_has(e, GS_E_EV_STAT)) {
		fprintf(f, " (%s, uid %u gid %u mode %04o)",
			gs_filetype_name(e->ev_stat.mode), e->ev_stat.uid, e->ev_stat.gid,
			e->ev_stat.mode & 07777);
	}
	if (gs_evt_has(e, GS_E_EV_STATFS)) {
		const char *t = gs_fstype_name(e->ev_statfs.type);

		fprintf(f, "; fs ");
		if (t) {
			fputs(t, f);
		} else {
			fprintf(f, "%#llx", (unsigned long long)e->ev_statfs.type);
		}
		fprintf(f, " (%s)", e->ev_statfs.flags ?
			gs_flags_str(&gs_fs_mount, e->ev_statfs.flags, buf, sizeof(buf)) : "rw");
	}
	if (e->ev_mount) {
		text_line(f, "; mount ", e->ev_mount, "");
	}
	fputc('\n', f);
}

static void text_elf_evidence(FILE *f, const struct gs_event *e)
{
	static const char *const kinds[] = { "unreadable", "ELF", "script", "not ELF" };
	const struct goshim_t_elf *el = &e->ev_elf;

	if (gs_evt_has(e, GS_E_EV_ELF)) {
		fprintf(f, "  elf: ");
		if (el->kind == 1) {
			const char *m = gs_machine_name(el->e_machine);

			fprintf(f, "ELF%s ", el->ei_class == 1 ? "32" : el->ei_class == 2 ? "64" : "??");
			if (m) {
				fputs(m, f);
			} else {
				fprintf(f, "machine %u", el->e_machine);
			}
		} else {
			fputs(el->kind < 4 ? kinds[el->kind] : "?", f);
			if (el->kind == 0 && el->open_errno) {
				const char *n = gs_errno_name(el->open_errno);
				fprintf(f, " (%s)", n ? n : "?");
			}
		}
	} else if (e->ev_interp) {
		fprintf(f, "  elf:");
	} else {
		return;
	}
	if (e->ev_interp) {
		text_line(f, ", interpreter ", e->ev_interp, "");
		if (gs_evt_has(e, GS_E_EV_INTERP_ERR)) {
			if (e->ev_interp_err) {
				const char *n = gs_errno_name(e->ev_interp_err);
				fprintf(f, " (missing: %s)", n ? n : "?");
			} else {
				fputs(" (present)", f);
			}
		}
	}
	fputc('\n', f);
}

static void text_cred(FILE *f, const struct gs_event *e)
{
	const struct goshim_t_cred *c = &e->ev_cred;

	if (!gs_evt_has(e, GS_E_EV_CRED)) {
		return;
	}
	fprintf(f, "  cred uid %u euid %u gid %u egid %u", c->uid, c->euid, c->gid, c->egid);
	if (c->ngroups) {
		fputs(" groups ", f);
		for (uint32_t i = 0; i < c->ngroups && i < 16; i++) {
			fprintf(f, "%s%u", i ? "," : "", c->groups[i]);
		}
		if (c->ngroups > 16) {
			fprintf(f, ",... (%u)", c->ngroups);
		}
	}
	fputc('\n', f);
}

static void text_truncated(FILE *f, const struct gs_event *e)
{
	if (!e->truncated) {
		return;
	}
	fputs("  truncated:", f);
	for (unsigned b = 0; b < 32; b++) {
		if (e->truncated & (1u << b)) {
			const char *n = gs_tag_name(gs_tlv_trunc_tag(b));
			fprintf(f, " %s", n ? n : "other");
		}
	}
	fputc('\n', f);
}

static void text_basename_line(FILE *f, const char *file, unsigned line)
{
	const char *b = strrchr(file, '/');

	text_line(f, " (", b ? b + 1 : file, "");
	fprintf(f, ":%u)", line);
}

/* A frame named at capture time: one line per recorded name (inlined
 * calls first, marked), the module on the last.  Returns 0 if none. */
static int text_frame_syms(FILE *f, const struct gs_event *e, size_t i,
			   const struct gs_frame_info *fi)
{
	int n = 0;

	for (size_t k = 0; k < e->frame_syms.n; k++) {
		const struct gs_evt_frame_sym *fs = &gs_evt_frame_syms(e)[k];

		if (fs->s.frame != i) {
			continue;
		}
		fprintf(f, "%s    #%zu 0x%016llx", n++ ? "\n" : "", i, (unsigned long long)fi->pc);
		text_line(f, " ", fs->func ? fs->func : "?", "");
		if (fs->file && fs->file[0]) {
			text_basename_line(f, fs->file, fs->s.line);
		}
		if (fs->s.inlined) {
			fputs(" (inlined)", f);
		}
	}
	if (n && fi->module) {
		text_line(f, "  [", fi->module, "]");
	}
	if (n) {
		fputc('\n', f);
	}
	return n;
}

static void text_frames(FILE *f, struct gs_symbolizer *sym, const struct gs_event *e)
{
	for (size_t i = 0; i < e->frames.n; i++) {
		struct gs_frame_info fi;

		gs_sym_frame(sym, e, i, &fi);
		if (text_frame_syms(f, e, i, &fi)) {
			continue;
		}
		fprintf(f, "    #%zu 0x%016llx", i, (unsigned long long)fi.pc);
		if (fi.function) {
			text_line(f, " ", fi.function, "");
			fprintf(f, "+%#llx", (unsigned long long)fi.fn_offset);
		} else if (fi.module) {
			const char *b = strrchr(fi.module, '/');
			text_line(f, " ", b ? b + 1 : fi.module, "");
			fprintf(f, "+%#llx", (unsigned long long)fi.offset);
		} else {
			fputs(" ?", f);
		}
		if (fi.file) {
			const char *b = strrchr(fi.file, '/');
			text_line(f, " (", b ? b + 1 : fi.file, "");
			fprintf(f, ":%d)", fi.line);
		}
		if (fi.module) {
			text_line(f, "  [", fi.module, "]");
		}
		fputc('\n', f);
	}
}

static void text_process(FILE *f, const struct gs_event *e)
{
	if (gs_evt_has(e, GS_E_PPID) || e->cwd || e->uname) {
		fprintf(f, "  ppid %u", e->ppid);
		text_line(f, ", cwd ", e->cwd ? e->cwd : "?", "");
		text_line(f, ", uname ", e->uname ? e->uname : "?", "\n");
	}
	if (e->run) {
		text_line(f, "  run ", e->run, "\n");
	}
	if (e->argv.n) {
		fputs("  argv:", f);
		for (size_t i = 0; i < e->argv.n; i++) {
			fputc(' ', f);
			text_quote(f, gs_evt_strs(&e->argv)[i]);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < e->env.n; i++) {
		text_line(f, "  env ", gs_evt_strs(&e->env)[i], "\n");
	}
	if (e->goversion) {
		text_line(f, "  go ", e->goversion, "");
		text_line(f, ", go.mod ", e->gomod ? e->gomod : "none", "");
		text_line(f, ": go ", e->gomod_go ? e->gomod_go : "-", "");
		text_line(f, ", toolchain ", e->gomod_toolchain ? e->gomod_toolchain : "-", "\n");
	}
	if (gs_evt_has(e, GS_E_GORACE)) {
		fputs(e->gorace ? "  go program built with -race\n" : "  go program built without -race\n", f);
	}
	for (size_t i = 0; i < e->rlimits.n; i++) {
		const struct goshim_t_rlimit *rl = &gs_evt_rlimits(e)[i];
		const char *n = gs_rlimit_name(rl->resource);
		char cur[24], max[24];

		snprintf(cur, sizeof(cur), "%llu", (unsigned long long)rl->cur);
		snprintf(max, sizeof(max), "%llu", (unsigned long long)rl->max);
		fprintf(f, "  rlimit %s %s/%s\n", n ? n : "?",
			rl->cur == UINT64_MAX ? "unlimited" : cur,
			rl->max == UINT64_MAX ? "unlimited" : max);
	}
	if (gs_evt_has(e, GS_E_CONTAINER)) {
		char eng[sizeof(e->container.engine) + 1], p1[sizeof(e->container.pid1) + 1], ev[160];

		snprintf(eng, sizeof(eng), "%.*s", (int)sizeof(e->container.engine), e->container.engine);
		snprintf(p1, sizeof(p1), "%.*s", (int)sizeof(e->container.pid1), e->container.pid1);
		fputs(gs_container_is(&e->container) ? "  container yes" : "  container no", f);
		text_line(f, ", engine ", eng[0] ? eng : "?", "");
		text_line(f, ", pid 1 ", p1[0] ? p1 : "?", "");
		text_line(f, ", evidence ", gs_flags_str(&gs_fs_container, e->container.evidence,
							 ev, sizeof(ev)), "\n");
	}
	if (gs_evt_has(e, GS_E_SECCOMP)) {
		fprintf(f, "  seccomp mode %d, filters %d, no_new_privs %d, tracer %d\n",
			e->seccomp.mode, e->seccomp.filters, e->seccomp.no_new_privs,
			e->seccomp.tracer_pid);
	}
}

void gs_text_record(FILE *f, struct gs_symbolizer *sym, const struct gs_shown *s)
{
	const struct gs_event *e = s->evt;
	char tbuf[48], tyb[16];

	if (!e) {
		fprintf(f, "#%zu damaged record at %llu: %s\n", s->seq,
			(unsigned long long)s->rec->pos, s->rec->error ? s->rec->error : "?");
		return;
	}
	fprintf(f, "#%zu %s %u/%u", s->seq,
		gs_evt_has(e, GS_E_TIME_REAL) ? gs_fmt_time(e->time_real, tbuf, sizeof(tbuf)) : "-",
		e->pid, e->tid);
	text_line(f, " ", e->exe ? e->exe : "?", "");
	if (s->rec->type != GOSHIM_REC_EVENT) {
		fprintf(f, "  [%s]", gs_rec_type_name(s->rec->type, tyb, sizeof(tyb)));
	}
	fputc('\n', f);
	switch (s->rec->type) {
	case GOSHIM_REC_EVENT:
		text_call(f, s);
		text_path_evidence(f, e);
		text_elf_evidence(f, e);
		if (e->ev_resolved) {
			text_line(f, "  resolved ", e->ev_resolved, "\n");
		}
		text_cred(f, e);
		break;
	case GOSHIM_REC_PROCESS:
		text_process(f, e);
		break;
	case GOSHIM_REC_EXIT: {
		char st[64];
		fprintf(f, "  child %u %s\n", e->child,
			gs_evt_has(e, GS_E_STATUS) ? gs_fmt_status(e->status, st, sizeof(st)) : "?");
		text_exit_fs(f, e);
		break;
	}
	case GOSHIM_REC_NOTE:
		text_line(f, "  note: ", e->note, "\n");
		break;
	}
	text_truncated(f, e);
	if (e->error) {
		fprintf(f, "  (payload damaged: %s)\n", e->error);
	}
	text_frames(f, sym, e);
}
