/* SPDX-License-Identifier: Apache-2.0 */
#include "symbolize.h"

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileas.h"

/* One (path, bias, build-id) seen in some record, and what we made of it. */
struct sym_entry {
	char *path;
	uint64_t bias;
	uint8_t bid[20];
	uint8_t bid_len;
	Dwfl *dwfl;          /* NULL: no usable file on this machine */
	Dwfl_Module *mod;
};

/* What one lookup address resolved to, in one entry. */
struct sym_memo {
	const struct sym_entry *e; /* NULL: free slot */
	uint64_t addr;
	const char *function;
	uint64_t fn_start;
	const char *file;
	int line;
};

struct gs_symbolizer {
	int enabled;
	struct sym_entry **v;      /* stable pointers: memos refer to them */
	size_t n, cap;
	unsigned opened;
	struct sym_memo *memo;     /* open addressing, power-of-two size */
	size_t nmemo, memo_cap;
	struct gs_as as;           /* whose rights files are opened with */
};

static char *sym_debuginfo_path = NULL;

/* The rights libdwfl's own opens are made with (one symbolizer at a
 * time opens files: decode is single-threaded). */
static const struct gs_as *sym_cur_as;

/* The separate debug file of a module: only by build-id, under
 * /usr/lib/debug/.build-id, opened as gs_open_as does (a debuglink name
 * comes from the file and could name anything next to it). */
static int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			      GElf_Addr base, const char *file_name, const char *debuglink_file,
			      GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	char dbg[128];
	int len = dwfl_module_build_id(mod, &bits, &vaddr), n, fd;

	(void)userdata, (void)modname, (void)base, (void)file_name;
	(void)debuglink_file, (void)debuglink_crc;
	if (len < 2 || len > 40) {
		errno = ENOENT;
		return -1;
	}
	n = snprintf(dbg, sizeof(dbg), "/usr/lib/debug/.build-id/%02x/", bits[0]);
	for (int i = 1; i < len; i++) {
		n += snprintf(dbg + n, sizeof(dbg) - (size_t)n, "%02x", bits[i]);
	}
	snprintf(dbg + n, sizeof(dbg) - (size_t)n, ".debug");
	fd = gs_open_as(dbg, sym_cur_as);
	if (fd >= 0) {
		*debuginfo_file_name = strdup(dbg);
	}
	return fd;
}

static const Dwfl_Callbacks sym_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = sym_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &sym_debuginfo_path,
};

struct gs_symbolizer *gs_sym_new(int enabled)
{
	struct gs_symbolizer *s = calloc(1, sizeof(*s));

	if (s) {
		s->enabled = enabled;
	}
	return s;
}

void gs_sym_set_ring(struct gs_symbolizer *s, const struct stat *ring)
{
	if (s) {
		gs_as_of_ring(ring, &s->as);
	}
}

unsigned gs_sym_opened(const struct gs_symbolizer *s)
{
	return s->opened;
}

/* Report file at the entry's bias; keep it only if its build-id is the
 * recorded one (a recorded module without a build-id is taken on trust). */
static int sym_try(struct gs_symbolizer *s, struct sym_entry *e, const char *file)
{
	int fd = gs_open_as(file, &s->as);

	if (fd < 0) {
		return -1;
	}
	s->opened++;
	Dwfl *d = dwfl_begin(&sym_callbacks);
	if (!d) {
		close(fd);
		return -1;
	}
	const char *base = strrchr(e->path, '/');
	dwfl_report_begin(d);
	/* add_p_vaddr: base is the load bias, also for prelinked objects */
	Dwfl_Module *m = dwfl_report_elf(d, base ? base + 1 : e->path, file, fd,
					 e->bias, true);
	dwfl_report_end(d, NULL, NULL);
	if (!m) {
		close(fd); /* dwfl_report_elf consumes fd only on success */
		dwfl_end(d);
		return -1;
	}
	if (e->bid_len) {
		const unsigned char *bits;
		GElf_Addr vaddr;
		int n = dwfl_module_build_id(m, &bits, &vaddr);

		if (n != e->bid_len || memcmp(bits, e->bid, (size_t)n) != 0) {
			dwfl_end(d);
			return -1;
		}
	}
	e->dwfl = d;
	e->mod = m;
	return 0;
}

static void sym_open(struct gs_symbolizer *s, struct sym_entry *e)
{
	char dbg[128];
	int n;

	sym_cur_as = &s->as;
	if (sym_try(s, e, e->path) == 0 || e->bid_len < 2) {
		return;
	}
	n = snprintf(dbg, sizeof(dbg), "/usr/lib/debug/.build-id/%02x/", e->bid[0]);
	for (unsigned i = 1; i < e->bid_len; i++) {
		n += snprintf(dbg + n, sizeof(dbg) - (size_t)n, "%02x", e->bid[i]);
	}
	snprintf(dbg + n, sizeof(dbg) - (size_t)n, ".debug");
	sym_try(s, e, dbg);
}

static struct sym_entry *sym_entry_for(struct gs_symbolizer *s, const struct gs_evt_module *m)
{
	for (size_t i = 0; i < s->n; i++) {
		struct sym_entry *e = s->v[i];

		if (e->bias == m->m.bias && e->bid_len == m->m.build_id_len &&
		    memcmp(e->bid, m->m.build_id, e->bid_len) == 0 &&
		    strcmp(e->path, m->path) == 0) {
			return e;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct sym_entry **v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			return NULL;
		}
		s->v = v;
		s->cap = cap;
	}
	struct sym_entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->path = strdup(m->path))) {
		free(e);
		return NULL;
	}
	s->v[s->n++] = e;
	e->bias = m->m.bias;
	e->bid_len = m->m.build_id_len;
	memcpy(e->bid, m->m.build_id, e->bid_len);
	if (e->path[0] == '/') {
		sym_open(s, e);
	}
	return e;
}

static const struct gs_evt_module *sym_module_of(const struct gs_event *e, uint64_t pc)
{
	const struct gs_evt_module *mods = gs_evt_modules(e);

	for (size_t i = 0; i < e->modules.n; i++) {
		if (pc >= mods[i].m.start && pc < mods[i].m.end) {
			return &mods[i];
		}
	}
	return NULL;
}

static size_t sym_hash(const struct sym_entry *e, uint64_t addr)
{
	uint64_t h = (addr ^ (uintptr_t)e) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 17);
}

static int sym_memo_grow(struct gs_symbolizer *s)
{
	size_t cap = s->memo_cap ? 2 * s->memo_cap : 4096;
	struct sym_memo *m = calloc(cap, sizeof(*m));

	if (!m) {
		return -1;
	}
	for (size_t i = 0; i < s->memo_cap; i++) {
		const struct sym_memo *o = &s->memo[i];
		size_t k = sym_hash(o->e, o->addr) & (cap - 1);

		if (!o->e) {
			continue;
		}
		while (m[k].e) {
			k = (k + 1) & (cap - 1);
		}
		m[k] = *o;
	}
	free(s->memo);
	s->memo = m;
	s->memo_cap = cap;
	return 0;
}

/* Function and line of addr in e: looked up once per address (libdwfl's
 * symbol search is linear in the symbol table), then remembered. */
static const struct sym_memo *sym_resolve(struct gs_symbolizer *s,
					  const struct sym_entry *e, uint64_t addr)
{
	size_t k;

	if (2 * (s->nmemo + 1) > s->memo_cap && sym_memo_grow(s) < 0) {
		return NULL;
	}
	for (k = sym_hash(e, addr) & (s->memo_cap - 1); s->memo[k].e;
	     k = (k + 1) & (s->memo_cap - 1)) {
		if (s->memo[k].e == e && s->memo[k].addr == addr) {
			return &s->memo[k];
		}
	}
	struct sym_memo *mo = &s->memo[k];
	GElf_Off off = 0;
	GElf_Sym sym;

	/* libdw opens the debug files it needs now, with the ring's rights */
	int in = gs_as_enter(&s->as);

	sym_cur_as = &s->as;
	if (in < 0) {
		return NULL;
	}
	mo->e = e;
	mo->addr = addr;
	mo->function = dwfl_module_addrinfo(e->mod, addr, &off, &sym, NULL, NULL, NULL);
	mo->fn_start = addr - off;
	Dwfl_Line *line = dwfl_module_getsrc(e->mod, addr);
	if (line) {
		mo->file = dwfl_lineinfo(line, NULL, &mo->line, NULL, NULL, NULL);
	}
	if (in > 0) {
		gs_as_leave();
	}
	s->nmemo++;
	return mo;
}

void gs_sym_frame(struct gs_symbolizer *s, const struct gs_event *e, size_t idx,
		  struct gs_frame_info *out)
{
	uint64_t pc = gs_evt_frames(e)[idx];
	/* every recorded frame is a return address (record.h, T_FRAME): it
	 * points after the call, so look up the call itself */
	uint64_t addr = pc > 0 ? pc - 1 : pc;
	const struct gs_evt_module *m = sym_module_of(e, addr);

	memset(out, 0, sizeof(*out));
	out->pc = pc;
	if (!m) {
		return;
	}
	out->module = m->path;
	out->offset = pc - m->m.bias;
	if (!s || !s->enabled) {
		return;
	}
	struct sym_entry *se = sym_entry_for(s, m);
	if (!se || !se->mod) {
		return;
	}
	const struct sym_memo *mo = sym_resolve(s, se, addr);
	if (mo && mo->function) {
		out->function = mo->function;
		out->fn_offset = pc - mo->fn_start;
	}
	if (mo && mo->file) {
		out->file = mo->file;
		out->line = mo->line;
	}
}

void gs_sym_free(struct gs_symbolizer *s)
{
	if (!s) {
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i]->dwfl) {
			dwfl_end(s->v[i]->dwfl);
		}
		free(s->v[i]->path);
		free(s->v[i]);
	}
	free(s->v);
	free(s->memo);
	free(s);
}
