/* SPDX-License-Identifier: Apache-2.0 */
#include "args.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"
#include "flags.h"
#include "tags.h"

static uint16_t args_family(const struct gs_event *e)
{
	const struct gs_call_info *c = gs_call_info(e->call);

	return c ? c->family : 0;
}

const char *gs_args_family(const struct gs_event *e)
{
	return gs_family_name(args_family(e));
}

const char *gs_args_call_name(const struct gs_event *e, char *buf, size_t size)
{
	const struct gs_call_info *c = gs_call_info(e->call);

	if (c) {
		return gs_call_display(c);
	}
	snprintf(buf, size, "call#%u", e->call);
	return buf;
}

static void arg_flags(struct gs_arg *a, const struct gs_flagset *fs, uint64_t v)
{
	a->num = (int64_t)v;
	if (fs) {
		a->sym = gs_flags_str(fs, v, a->sym_buf, sizeof(a->sym_buf));
	}
}

/* Symbolic forms of an integer argument a->num. */
static void sym_dirfd(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	a->sym = a->num == AT_FDCWD ? "AT_FDCWD" : NULL;
}

static void sym_flags(struct gs_arg *a, const struct gs_event *e)
{
	arg_flags(a, gs_flags_for_family(args_family(e)), (uint64_t)a->num);
}

static void sym_octal(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	snprintf(a->sym_buf, sizeof(a->sym_buf), "%#o", (unsigned)a->num);
	a->sym = a->sym_buf;
}

static void sym_amode(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	arg_flags(a, &gs_fs_amode, (uint32_t)a->num);
}

static void sym_prot(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	arg_flags(a, &gs_fs_prot, (uint64_t)a->num);
}

static void sym_clock(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	a->sym = gs_clock_name((int)a->num);
}

static void sym_statx(struct gs_arg *a, const struct gs_event *e)
{
	(void)e;
	arg_flags(a, &gs_fs_statx, (uint64_t)a->num);
}

/* How each argument tag is shown: in hex (addresses), with which
 * symbolic form.  Its key and value come from the tag table; the order of
 * this table is the order for a call whose family has no row below. */
static const struct arg_show {
	uint16_t tag;
	uint8_t hex;
	void (*sym)(struct gs_arg *a, const struct gs_event *e);
} arg_shows[] = {
	{ GOSHIM_T_DIRFD, 0, sym_dirfd },  { GOSHIM_T_FD, 0, NULL },
	{ GOSHIM_T_PATH, 0, NULL },        { GOSHIM_T_NAME, 0, NULL },
	{ GOSHIM_T_ARGV, 0, NULL },        { GOSHIM_T_FMODE, 0, NULL },
	{ GOSHIM_T_FLAGS, 0, sym_flags },  { GOSHIM_T_MODE, 0, sym_octal },
	{ GOSHIM_T_AMODE, 0, sym_amode },  { GOSHIM_T_ADDR, 1, NULL },
	{ GOSHIM_T_LENGTH, 1, NULL },      { GOSHIM_T_PROT, 0, sym_prot },
	{ GOSHIM_T_OFFSET, 0, NULL },      { GOSHIM_T_CLOCKID, 0, sym_clock },
	{ GOSHIM_T_MASK, 0, sym_statx },
};

#define ARG_NSHOWS (sizeof(arg_shows) / sizeof(arg_shows[0]))

_Static_assert(ARG_NSHOWS <= GS_ARGS_MAX, "every argument fits gs_args_get's out[]");

/* Argument order per family (tags, 0-terminated); a family not listed
 * shows them in arg_shows order. */
static const uint16_t arg_order[][GS_ARGS_MAX] = {
#define A(t) GOSHIM_T_##t
	[GOSHIM_FAM_EXEC] = { A(DIRFD), A(FD), A(PATH), A(NAME), A(ARGV), A(FLAGS) },
	[GOSHIM_FAM_SPAWN] = { A(PATH), A(NAME), A(ARGV) },
	[GOSHIM_FAM_OPEN] = { A(DIRFD), A(PATH), A(FMODE), A(FLAGS), A(MODE) },
	[GOSHIM_FAM_STAT] = { A(DIRFD), A(FD), A(PATH), A(FLAGS), A(MASK) },
	[GOSHIM_FAM_MMAP] = { A(ADDR), A(LENGTH), A(PROT), A(FLAGS), A(FD), A(OFFSET) },
	[GOSHIM_FAM_MEMFD] = { A(NAME), A(FLAGS) },
	[GOSHIM_FAM_CLOCK] = { A(CLOCKID) },
	[GOSHIM_FAM_MKDIR] = { A(DIRFD), A(PATH), A(MODE) },
	[GOSHIM_FAM_ACCESS] = { A(DIRFD), A(PATH), A(AMODE), A(FLAGS) },
	[GOSHIM_FAM_SPACE] = { A(FD), A(MODE), A(OFFSET), A(LENGTH) }, /* fallocate */
#undef A
};

static const struct arg_show *arg_show(uint16_t tag)
{
	for (size_t i = 0; i < ARG_NSHOWS; i++) {
		if (arg_shows[i].tag == tag) {
			return &arg_shows[i];
		}
	}
	return NULL;
}

/* Fill a for the argument of tag; returns 0 when e does not carry it. */
static int arg_fill(const struct gs_event *e, const struct arg_show *s, struct gs_arg *a)
{
	const struct gs_tag_info *t = gs_tag_info(s->tag);
	const struct gs_evt_list *l = gs_evt_list_of(e, s->tag);

	memset(a, 0, sizeof(*a) - sizeof(a->sym_buf));
	a->sym_buf[0] = '\0';
	a->key = t->key;
	if (l) {
		a->kind = GS_AK_STRS;
		a->strs = l;
		return l->n > 0;
	}
	if (t->kind == GS_TK_STR) {
		a->kind = GS_AK_STR;
		a->str = gs_evt_str(e, s->tag);
		return a->str != NULL;
	}
	if (!gs_evt_int(e, s->tag, &a->num)) {
		return 0;
	}
	a->kind = s->hex ? GS_AK_HEX : GS_AK_NUM;
	if (s->sym) {
		s->sym(a, e);
	}
	return 1;
}

size_t gs_args_get(const struct gs_event *e, struct gs_arg out[GS_ARGS_MAX])
{
	uint16_t fam = args_family(e);
	const uint16_t *order = NULL;
	size_t n = 0;

	if (fam < sizeof(arg_order) / sizeof(arg_order[0]) && arg_order[fam][0]) {
		order = arg_order[fam];
	}
	for (size_t i = 0; i < (order ? GS_ARGS_MAX : ARG_NSHOWS); i++) {
		const struct arg_show *s = order ? arg_show(order[i]) : &arg_shows[i];

		if (order && !order[i]) {
			break;
		}
		if (s && arg_fill(e, s, &out[n])) {
			n++;
		}
	}
	return n;
}
