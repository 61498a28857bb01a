/* SPDX-License-Identifier: Apache-2.0 */
/* C processes: glibc and most distribution code keep no frame pointers,
 * so the thread is unwound with libunwind-ptrace from .eh_frame.  That
 * costs about a millisecond and a half per backtrace; tr_modules.c calls
 * it only for records worth it.  One address space (with libunwind's
 * caches) is kept per process image; the per-thread _UPT handle is made
 * for each backtrace, as libunwind-ptrace requires. */
#include <libunwind-ptrace.h>
#include <string.h>

#include "tr_bt.h"

#define UW_SPACES 16

struct uw_space {
	pid_t tgid;            /* 0: free slot */
	uint64_t key;
	unw_addr_space_t as;
};

static struct uw_space uw_spaces[UW_SPACES];
static unsigned uw_next;

static unw_addr_space_t uw_space(pid_t tgid, uint64_t key)
{
	struct uw_space *s;

	for (unsigned i = 0; i < UW_SPACES; i++) {
		if (uw_spaces[i].tgid == tgid && uw_spaces[i].key == key) {
			return uw_spaces[i].as;
		}
	}
	s = &uw_spaces[uw_next++ % UW_SPACES];
	if (s->tgid) {
		unw_destroy_addr_space(s->as);
	}
	*s = (struct uw_space){ .tgid = tgid, .key = key };
	s->as = unw_create_addr_space(&_UPT_accessors, 0);
	if (!s->as) {
		s->tgid = 0;
		return NULL;
	}
	unw_set_caching_policy(s->as, UNW_CACHE_GLOBAL);
	return s->as;
}

unsigned tr_unwind(pid_t tgid, pid_t tid, uint64_t key, uint64_t *pcs, unsigned max)
{
	unw_addr_space_t as = uw_space(tgid, key);
	unw_cursor_t c;
	unsigned k = 1;
	void *upt;

	if (!as || !(upt = _UPT_create(tid))) {
		return 0;
	}
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
