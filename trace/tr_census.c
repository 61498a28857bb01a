/* SPDX-License-Identifier: Apache-2.0 */
/* -vv: the notifications of a run by class and by what became of them.
 * A class is what the seccomp filter could tell apart by the arguments
 * (the call; its flags; AT_FDCWD or a descriptor; the access or open
 * mode) and, for the reader, whether the path was empty or absolute,
 * which the filter cannot see.  The outcomes: let run, answered as a new
 * failure (captured and recorded), answered as a repeat of a recorded
 * one, followed.  The data behind the choice of what the filter leaves
 * out (docs/design.md, "Fewer notifications"). */
#include <fcntl.h>
#include <string.h>

#include "goshim/record.h"
#include "tr.h"

#define CN_SLOTS 512

struct cn_class {
	uint16_t row1;      /* 1 + tr_table row, 0 a free slot */
	uint8_t cwd, path;  /* dirfd AT_FDCWD; path 0 empty, 1 relative, 2 absolute */
	uint32_t flags, mode;
	uint64_t n[TR_CN_OUTCOMES];
};

static struct cn_class cn_tab[CN_SLOTS];
static uint64_t cn_lost;

static uint32_t cn_arg(const struct tr_sc *s, const uint64_t *args, uint16_t tag)
{
	int i = tr_sc_arg(s, tag);

	return i < 0 ? 0 : (uint32_t)args[i];
}

void tr_census_add(const struct tr_task *t, int row, const char *path, enum tr_cn_outcome o)
{
	if (tr.verbose < 2) {
		return;
	}
	const struct tr_sc *s = &tr_table[row];
	int di = tr_sc_arg(s, GOSHIM_T_DIRFD);
	struct cn_class k = {
		.row1 = (uint16_t)(row + 1),
		.cwd = di < 0 || (int32_t)t->args[di] == AT_FDCWD,
		.path = !path || !path[0] ? 0 : path[0] == '/' ? 2 : 1,
		.flags = cn_arg(s, t->args, GOSHIM_T_FLAGS),
		.mode = cn_arg(s, t->args, GOSHIM_T_AMODE) | cn_arg(s, t->args, GOSHIM_T_MODE),
	};
	uint32_t h = (k.row1 * 2654435761u) ^ (k.flags * 40503u) ^ k.mode ^ (k.cwd << 3) ^ k.path;

	for (uint32_t i = 0; i < CN_SLOTS; i++) {
		struct cn_class *c = &cn_tab[(h + i) % CN_SLOTS];

		if (!c->row1) {
			*c = k;
		}
		if (c->row1 == k.row1 && c->cwd == k.cwd && c->path == k.path &&
		    c->flags == k.flags && c->mode == k.mode) {
			c->n[o]++;
			return;
		}
	}
	cn_lost++;
}

void tr_census_report(void)
{
	static const char *path_name[] = { "empty", "rel", "abs" };

	if (tr.verbose < 2) {
		return;
	}
	for (size_t i = 0; i < CN_SLOTS; i++) {
		const struct cn_class *c = &cn_tab[i];

		if (c->row1) {
			tr_dbg2("census %s %s flags=%#x mode=%#o %s %s go=%llu fail=%llu repeat=%llu "
				"follow=%llu\n", tr_table[c->row1 - 1].name,
				tr_table[c->row1 - 1].arch == TR_I386 ? "i386" : "x86_64", c->flags,
				c->mode, c->cwd ? "cwd" : "fd", path_name[c->path],
				(unsigned long long)c->n[TR_CN_GO], (unsigned long long)c->n[TR_CN_FAIL],
				(unsigned long long)c->n[TR_CN_REPEAT],
				(unsigned long long)c->n[TR_CN_FOLLOW]);
		}
	}
	if (cn_lost) {
		tr_dbg2("census: %llu notifications of classes beyond %d\n",
			(unsigned long long)cn_lost, CN_SLOTS);
	}
}
