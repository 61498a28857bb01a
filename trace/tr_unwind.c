/* SPDX-License-Identifier: Apache-2.0 */
/* C processes: glibc and most distribution code keep no frame pointers,
 * so the thread is unwound with libunwind-ptrace from .eh_frame.  That
 * costs about a millisecond and a half per backtrace; tr_modules.c calls
 * it only for records worth it.  One address space (with libunwind's
 * caches) is kept per process image; the per-thread _UPT handle is made
 * for each backtrace, as libunwind-ptrace requires.
 *
 * A failure the in-kernel watcher handed over (tr_ebpf.c) is unwound the
 * same way from what was copied at the call: its registers, and its stack
 * through tr_mem_read.  Only the register and memory accessors differ;
 * finding a pc's unwind table (/proc/PID/maps and the ELF file) is
 * libunwind-ptrace's own. */
#include <libunwind-ptrace.h>
#include <string.h>

#include "tr.h"
#include "tr_bt.h"
#include "bpf/tr_ebpf_event.h"

/* The copy being unwound (one at a time: the engine is single-threaded). */
static struct {
	pid_t tid;
	const uint64_t *regs;
} uw_copy;

static const struct {
	unw_regnum_t reg;
	int at;
} uw_regmap[] = {
	{ UNW_X86_64_RIP, TR_UR_IP }, { UNW_X86_64_RSP, TR_UR_SP },
	{ UNW_X86_64_RBP, TR_UR_BP }, { UNW_X86_64_RBX, TR_UR_BX },
	{ UNW_X86_64_R12, TR_UR_R12 }, { UNW_X86_64_R13, TR_UR_R13 },
	{ UNW_X86_64_R14, TR_UR_R14 }, { UNW_X86_64_R15, TR_UR_R15 },
};

static int uw_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	(void)as;
	(void)arg;
	if (write) {
		return -UNW_EREADONLYREG;
	}
	return tr_mem_read(uw_copy.tid, addr, val, sizeof(*val)) == (ssize_t)sizeof(*val)
		       ? 0
		       : -UNW_EINVAL;
}

static int uw_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
	(void)as;
	(void)arg;
	for (size_t i = 0; !write && i < sizeof(uw_regmap) / sizeof(uw_regmap[0]); i++) {
		if (uw_regmap[i].reg == reg) {
			*val = uw_copy.regs[uw_regmap[i].at];
			return 0;
		}
	}
	return -UNW_EBADREG; /* caller-saved: not needed to unwind */
}

static int uw_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
		    void *arg)
{
	return -UNW_EBADREG;
}

static int uw_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	return -UNW_EINVAL;
}

static unw_accessors_t uw_copy_accessors = {
	.find_proc_info = _UPT_find_proc_info,
	.put_unwind_info = _UPT_put_unwind_info,
	.get_dyn_info_list_addr = _UPT_get_dyn_info_list_addr,
	.access_mem = uw_mem,
	.access_reg = uw_reg,
	.access_fpreg = uw_fpreg,
	.resume = uw_resume,
	.get_proc_name = _UPT_get_proc_name,
};

#define UW_SPACES 16

struct uw_space {
	pid_t tgid;            /* 0: free slot */
	uint64_t key;
	unw_accessors_t *acc;
	unw_addr_space_t as;
};

static struct uw_space uw_spaces[UW_SPACES];
static unsigned uw_next;

static unw_addr_space_t uw_space(pid_t tgid, uint64_t key, unw_accessors_t *acc)
{
	struct uw_space *s;

	for (unsigned i = 0; i < UW_SPACES; i++) {
		if (uw_spaces[i].tgid == tgid && uw_spaces[i].key == key &&
		    uw_spaces[i].acc == acc) {
			return uw_spaces[i].as;
		}
	}
	s = &uw_spaces[uw_next++ % UW_SPACES];
	if (s->tgid) {
		unw_destroy_addr_space(s->as);
	}
	*s = (struct uw_space){ .tgid = tgid, .key = key, .acc = acc };
	s->as = unw_create_addr_space(acc, 0);
	if (!s->as) {
		s->tgid = 0;
		return NULL;
	}
	unw_set_caching_policy(s->as, UNW_CACHE_GLOBAL);
	return s->as;
}

unsigned tr_unwind(pid_t tgid, pid_t tid, uint64_t key, const uint64_t *uregs, uint64_t *pcs,
		   unsigned max)
{
	unw_addr_space_t as = uw_space(tgid, key, uregs ? &uw_copy_accessors : &_UPT_accessors);
	unw_cursor_t c;
	unsigned k = 1;
	void *upt;

	if (!as || !(upt = _UPT_create(tid))) {
		return 0;
	}
	uw_copy.tid = tid;
	uw_copy.regs = uregs;
	if (unw_init_remote(&c, as, upt) < 0) {
		_UPT_destroy(upt);
		return 0;
	}
	while (k < max && unw_step(&c) > 0) {
		unw_word_t ip;

		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || !ip) {
			break;
		}
		pcs[k++] = ip;
	}
	_UPT_destroy(upt);
	return k > 1 ? k : 0;
}
