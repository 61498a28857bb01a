/* SPDX-License-Identifier: Apache-2.0 */
#include "args.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "calls.h"
#include "flags.h"

enum arg_id {
	A_DIRFD, A_FD, A_PATH, A_NAME, A_ARGV, A_FMODE, A_FLAGS, A_MODE,
	A_AMODE, A_ADDR, A_LENGTH, A_PROT, A_OFFSET, A_CLOCKID, A_MASK,
	A_END = -1,
};

/* Argument order per family; a family not listed shows all in A_* order. */
static const int8_t arg_order[][GS_ARGS_MAX] = {
	[GOSHIM_FAM_EXEC] = { A_DIRFD, A_FD, A_PATH, A_NAME, A_ARGV, A_FLAGS, A_END },
	[GOSHIM_FAM_SPAWN] = { A_PATH, A_NAME, A_ARGV, A_END },
	[GOSHIM_FAM_OPEN] = { A_DIRFD, A_PATH, A_FMODE, A_FLAGS, A_MODE, A_END },
	[GOSHIM_FAM_STAT] = { A_DIRFD, A_FD, A_PATH, A_FLAGS, A_MASK, A_END },
	[GOSHIM_FAM_MMAP] = { A_ADDR, A_LENGTH, A_PROT, A_FLAGS, A_FD, A_OFFSET, A_END },
	[GOSHIM_FAM_MEMFD] = { A_NAME, A_FLAGS, A_END },
	[GOSHIM_FAM_CLOCK] = { A_CLOCKID, A_END },
	[GOSHIM_FAM_MKDIR] = { A_DIRFD, A_PATH, A_MODE, A_END },
	[GOSHIM_FAM_ACCESS] = { A_DIRFD, A_PATH, A_AMODE, A_FLAGS, A_END },
	[GOSHIM_FAM_SPACE] = { A_FD, A_MODE, A_OFFSET, A_LENGTH, A_END }, /* fallocate */
	[0] = { A_DIRFD, A_FD, A_PATH, A_NAME, A_ARGV, A_FMODE, A_FLAGS, A_MODE,
		A_AMODE, A_ADDR, A_LENGTH, A_PROT, A_OFFSET, A_CLOCKID, A_MASK, A_END },
};

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
	a->kind = GS_AK_NUM;
	a->num = (int64_t)v;
	if (fs) {
		a->sym = gs_flags_str(fs, v, a->sym_buf, sizeof(a->sym_buf));
	}
}

/* Fill a for argument id; returns 0 when e does not carry it. */
static int arg_fill(const struct gs_event *e, int id, struct gs_arg *a)
{
	memset(a, 0, sizeof(*a) - sizeof(a->sym_buf));
	a->sym_buf[0] = '\0';
	switch (id) {
	case A_DIRFD:
		if (!gs_ev_has(e, GS_E_DIRFD)) {
			return 0;
		}
		a->key = "dirfd";
		a->num = e->dirfd;
		a->sym = e->dirfd == AT_FDCWD ? "AT_FDCWD" : NULL;
		return 1;
	case A_FD:
		if (!gs_ev_has(e, GS_E_FD)) {
			return 0;
		}
		a->key = "fd";
		a->num = e->fd;
		return 1;
	case A_PATH:
	case A_NAME:
	case A_FMODE: {
		char *s = id == A_PATH ? e->path : id == A_NAME ? e->name : e->fmode;
		if (!s) {
			return 0;
		}
		a->key = id == A_PATH ? "path" : id == A_NAME ? "name" : "fmode";
		a->kind = GS_AK_STR;
		a->str = s;
		return 1;
	}
	case A_ARGV:
		if (!e->argv.n) {
			return 0;
		}
		a->key = "argv";
		a->kind = GS_AK_STRS;
		a->strs = &e->argv;
		return 1;
	case A_FLAGS:
		if (!gs_ev_has(e, GS_E_FLAGS)) {
			return 0;
		}
		a->key = "flags";
		arg_flags(a, gs_flags_for_family(args_family(e)), e->flags);
		return 1;
	case A_MODE:
		if (!gs_ev_has(e, GS_E_MODE)) {
			return 0;
		}
		a->key = "mode";
		a->num = e->mode;
		snprintf(a->sym_buf, sizeof(a->sym_buf), "%#o", e->mode);
		a->sym = a->sym_buf;
		return 1;
	case A_AMODE:
		if (!gs_ev_has(e, GS_E_AMODE)) {
			return 0;
		}
		a->key = "amode";
		arg_flags(a, &gs_fs_amode, (uint32_t)e->amode);
		return 1;
	case A_ADDR:
	case A_LENGTH:
		if (!gs_ev_has(e, id == A_ADDR ? GS_E_ADDR : GS_E_LENGTH)) {
			return 0;
		}
		a->key = id == A_ADDR ? "addr" : "length";
		a->kind = GS_AK_HEX;
		a->num = (int64_t)(id == A_ADDR ? e->addr : e->length);
		return 1;
	case A_PROT:
		if (!gs_ev_has(e, GS_E_PROT)) {
			return 0;
		}
		a->key = "prot";
		arg_flags(a, &gs_fs_prot, e->prot);
		return 1;
	case A_OFFSET:
		if (!gs_ev_has(e, GS_E_OFFSET)) {
			return 0;
		}
		a->key = "offset";
		a->num = e->offset;
		return 1;
	case A_CLOCKID:
		if (!gs_ev_has(e, GS_E_CLOCKID)) {
			return 0;
		}
		a->key = "clockid";
		a->num = e->clockid;
		a->sym = gs_clock_name(e->clockid);
		return 1;
	case A_MASK:
		if (!gs_ev_has(e, GS_E_MASK)) {
			return 0;
		}
		a->key = "mask";
		arg_flags(a, &gs_fs_statx, e->mask);
		return 1;
	}
	return 0;
}

size_t gs_args_get(const struct gs_event *e, struct gs_arg out[GS_ARGS_MAX])
{
	uint16_t fam = args_family(e);
	const int8_t *order = arg_order[0];
	size_t n = 0;

	/* a family without a row has all zeros there: use the full order */
	if (fam < sizeof(arg_order) / sizeof(arg_order[0]) &&
	    (arg_order[fam][0] | arg_order[fam][1]) != 0) {
		order = arg_order[fam];
	}
	for (size_t i = 0; i < GS_ARGS_MAX && order[i] != A_END && n < GS_ARGS_MAX; i++) {
		if (arg_fill(e, order[i], &out[n])) {
			n++;
		}
	}
	return n;
}
