/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loaded objects backtrace frames fall in: range, load bias, path and
 * GNU build-id, so a reader can symbolise on another machine.
 *
 * glibc's _dl_find_object (2.35+) is lock-free and async-signal-safe; it
 * is looked up at setup, with the real functions (gs_loader_find), else
 * by dlsym (older glibc: dladdr1, which takes the loader lock).  The build-id is read from the object's own headers in memory
 * (common/elfread.h), each access checked against the object's range.
 */
#include "rec.h"

#include <dlfcn.h>
#include <link.h>

#include "elfread.h"

typedef int (*mo_find_fn)(void *, struct dl_find_object *);

static mo_find_fn mo_find;

void *gs_loader_find; /* set by the constructor's gs_resolve_all (gs.h) */

void *gs_mod_setup(void)
{
	mo_find = (mo_find_fn)(gs_loader_find ? gs_loader_find
					       : dlsym(RTLD_DEFAULT, "_dl_find_object"));
	return (void *)mo_find;
}

struct mo_obj {
	uintptr_t start, end, bias;
	const char *name;
};

/* Where addr lies, or -1. */
static int mo_lookup(void *addr, struct mo_obj *o)
{
	if (mo_find) {
		struct dl_find_object f;
		if (mo_find(addr, &f) != 0 || !f.dlfo_link_map) {
			return -1;
		}
		o->start = (uintptr_t)f.dlfo_map_start;
		o->end = (uintptr_t)f.dlfo_map_end;
		o->bias = f.dlfo_link_map->l_addr;
		o->name = f.dlfo_link_map->l_name;
		return 0;
	}
	Dl_info info;
	struct link_map *lm = NULL;
	if (!dladdr1(addr, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm) {
		return -1;
	}
	o->start = (uintptr_t)info.dli_fbase;
	o->end = (uintptr_t)addr + 1; /* unknown: at least the frame */
	o->bias = lm->l_addr;
	o->name = lm->l_name;
	return 0;
}

/* The GNU build-id, read by common/elfnote.c within the object's range. */
static unsigned mo_build_id(const struct mo_obj *o, uint8_t *id)
{
	struct gs_elf_mem m = { (const uint8_t *)o->start, o->end - o->start };
	struct gs_elf e;

	if (o->end < o->start ||
	    gs_elf_open_mapped(&e, gs_elf_read_mem, &m, o->start - o->bias) < 0) {
		return 0;
	}
	return gs_elf_build_id(&e, id);
}

static void mo_put(struct gs_tlv *t, struct gs_slot *s, uint32_t pid, const struct mo_obj *o)
{
	struct goshim_t_module *m = (struct goshim_t_module *)(void *)s->work;
	const char *path = o->name && o->name[0] ? o->name : gs_exe(pid, s->tmp, sizeof(s->tmp));
	size_t n = gs_strlen(path);

	for (size_t i = 0; i < sizeof(*m); i++) {
		((uint8_t *)m)[i] = 0;
	}
	m->start = o->start;
	m->end = o->end;
	m->bias = o->bias;
	m->build_id_len = (uint8_t)mo_build_id(o, m->build_id);
	if (n > GOSHIM_STR_MAX) {
		path += n - GOSHIM_STR_MAX; /* keep the file name */
		n = GOSHIM_STR_MAX;
		gs_tlv_mark_truncated(t, GOSHIM_T_MODULE);
	}
	uint8_t *p = (uint8_t *)(m + 1);
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)path[i];
	}
	gs_tlv_put(t, GOSHIM_T_MODULE, m, sizeof(*m) + n);
}

void gs_put_modules(struct gs_tlv *t, struct gs_slot *s, uint32_t pid,
		    void *const *frames, unsigned n)
{
	uintptr_t seen[GOSHIM_FRAMES_MAX];
	unsigned nseen = 0;

	for (unsigned i = 0; i < n; i++) {
		struct mo_obj o;
		/* every frame is a return address (the first one is the
		 * wrapper's); it may sit one past a noreturn call */
		void *a = (char *)frames[i] - 1;
		if (mo_lookup(a, &o)) {
			continue;
		}
		unsigned k = 0;
		while (k < nseen && seen[k] != o.start) {
			k++;
		}
		if (k < nseen || nseen == GOSHIM_FRAMES_MAX) {
			continue;
		}
		seen[nseen++] = o.start;
		mo_put(t, s, pid, &o);
	}
}
