// SPDX-License-Identifier: Apache-2.0
/*
 * dlsym for many names at once (contract: nextsym.h).  One dl_iterate_phdr
 * pass collects the objects of the scope (this one is identified by its
 * program headers, __ehdr_start; the vDSO, in the list but not in any
 * scope, by AT_SYSINFO_EHDR; ld.so, the last, by AT_BASE); each name is
 * then hashed once and looked up in their GNU hash tables in order, as
 * ld.so's do_lookup_x and check_match do for dlsym: the first object with
 * a match wins.
 */
#include <elf.h>
#include <errno.h>
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "nextsym.h"

/* At most this many objects are searched; a name none of them defines is
 * dlsym's, which searches the rest. */
#define GS_NS_MAX 64

/* The symbol types ld.so binds (dl-lookup.c, ALLOWED_STT). */
#define GS_NS_STT ((1u << STT_NOTYPE) | (1u << STT_OBJECT) | (1u << STT_FUNC) | \
		   (1u << STT_COMMON) | (1u << STT_TLS) | (1u << STT_GNU_IFUNC))

/* Where ld.so never rewrites the dynamic section's addresses in place. */
#if defined(__mips__) || defined(__riscv)
#define GS_NS_DYN_RELOCATED(phdr) 0
#else
#define GS_NS_DYN_RELOCATED(phdr) (((phdr)->p_flags & PF_W) != 0)
#endif

/* st_info's fields: the same in ELF32 and ELF64. */
#define GS_NS_TYPE(info) ELF64_ST_TYPE(info)
#define GS_NS_BIND(info) ELF64_ST_BIND(info)

extern const ElfW(Ehdr) __ehdr_start;

struct gs_ns_obj {
	ElfW(Addr) bias;
	const uint32_t *gnu;      /* DT_GNU_HASH */
	const ElfW(Sym) *sym;     /* DT_SYMTAB */
	const char *str;          /* DT_STRTAB */
	const ElfW(Half) *ver;    /* DT_VERSYM, or NULL */
};

struct gs_ns_scan {
	enum gs_ns_scope scope;
	const ElfW(Phdr) *self;   /* our program headers */
	const ElfW(Phdr) *vdso;   /* the vDSO's, or NULL */
	ElfW(Addr) ldso;          /* ld.so's load address (0: run as a program) */
	int on;                   /* collecting */
	int whole;                /* the scope was read to its end */
	size_t n, max;
	struct gs_ns_obj *obj;    /* max of them */
};

/* The next objects kept by gs_ns_next_keep for gs_ns_next_find: read
 * only once kept (set before any other thread of the program runs). */
#define GS_NS_KEEP 16
static struct gs_ns_obj gs_ns_kept_obj[GS_NS_KEEP];
static struct gs_ns_scan gs_ns_kept;
static int gs_ns_kept_ok;

/* The object's dynamic-section tables; 0 when it has no GNU hash table. */
static int gs_ns_read(const struct dl_phdr_info *info, struct gs_ns_obj *o)
{
	const ElfW(Phdr) *dyn = NULL;
	ElfW(Addr) add;

	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
			dyn = &info->dlpi_phdr[i];
		}
	}
	if (!dyn) {
		return 0;
	}
	*o = (struct gs_ns_obj){ 0 };
	o->bias = info->dlpi_addr;
	add = GS_NS_DYN_RELOCATED(dyn) ? 0 : info->dlpi_addr;
	for (const ElfW(Dyn) *d = (const void *)(info->dlpi_addr + dyn->p_vaddr);
	     d->d_tag != DT_NULL; d++) {
		const void *p = (const void *)(d->d_un.d_ptr + add);

		if (d->d_tag == DT_GNU_HASH) {
			o->gnu = p;
		} else if (d->d_tag == DT_SYMTAB) {
			o->sym = p;
		} else if (d->d_tag == DT_STRTAB) {
			o->str = p;
		} else if (d->d_tag == DT_VERSYM) {
			o->ver = p;
		}
	}
	return o->gnu && o->sym && o->str;
}

static int gs_ns_collect(struct dl_phdr_info *info, size_t size, void *data)
{
	struct gs_ns_scan *s = data;
	int last;

	(void)size;
	if (s->scope == GS_NS_NEXT && !s->on) {
		s->on = info->dlpi_phdr == s->self;
		return 0;
	}
	if (info->dlpi_phdr == s->vdso) {
		return 0;
	}
	if (s->n == s->max || !gs_ns_read(info, &s->obj[s->n])) {
		return 1;
	}
	s->n++;
	last = s->scope == GS_NS_PROGRAM || (s->ldso && info->dlpi_addr == s->ldso);
	s->whole = last;
	return last;
}

/* Whether s starts with p; and whether a and b are the same string.  Not
 * libc's: each would be one more function ld.so binds at every start. */
static int gs_ns_prefix(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return !*p;
}

static int gs_ns_same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t gs_ns_hash(const char *name, size_t *len)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 5381;

	for (; *p; p++) {
		h = h * 33 + *p;
	}
	*len = (size_t)(p - (const unsigned char *)name);
	return h;
}

/* check_match for dlsym: NULL when sym does not define name, else sym;
 * a versioned definition that is not hidden is counted in *nver and
 * remembered in *versioned, and does not match by itself. */
/* Whether the environment asks ld.so for what this walk does not do: an
 * auditor may rebind what dlsym returns (LD_AUDIT), LD_DYNAMIC_WEAK makes
 * a weak definition give way to a later global one.  One pass. */
static int gs_ns_env_steers(void)
{
	for (char **e = environ; e && *e; e++) {
		const char *v = *e;

		if (v[0] == 'L' && v[1] == 'D' && v[2] == '_' &&
		    (gs_ns_prefix(v + 3, "AUDIT=") || gs_ns_prefix(v + 3, "DYNAMIC_WEAK="))) {
			return 1;
		}
	}
	return 0;
}

static const ElfW(Sym) *gs_ns_match(const struct gs_ns_obj *o, uint32_t idx,
				    const char *name, const ElfW(Sym) **versioned,
				    int *nver)
{
	const ElfW(Sym) *sym = &o->sym[idx];
	unsigned stt = GS_NS_TYPE(sym->st_info);

	if ((sym->st_value == 0 && stt != STT_TLS) || !(GS_NS_STT & (1u << stt)) ||
	    !gs_ns_same(o->str + sym->st_name, name)) {
		return NULL;
	}
	if (o->ver && (o->ver[idx] & 0x7fff) >= 2) {
		if (!(o->ver[idx] & 0x8000) && (*nver)++ == 0) {
			*versioned = sym;
		}
		return NULL;
	}
	return sym;
}

/* The object's definition of name (hash h), or NULL. */
static const ElfW(Sym) *gs_ns_lookup(const struct gs_ns_obj *o, const char *name,
				     uint32_t h)
{
	const uint32_t nbuckets = o->gnu[0], symoffset = o->gnu[1];
	const uint32_t nbloom = o->gnu[2], shift = o->gnu[3];
	const ElfW(Addr) *bloom = (const void *)&o->gnu[4];
	const uint32_t *buckets = (const void *)&bloom[nbloom];
	const uint32_t *chain = &buckets[nbuckets];
	const unsigned bits = sizeof(ElfW(Addr)) * 8;
	const ElfW(Addr) mask = ((ElfW(Addr))1 << (h % bits)) |
				((ElfW(Addr))1 << ((h >> shift) % bits));
	const ElfW(Sym) *versioned = NULL;
	int nver = 0;
	uint32_t idx;

	if (nbuckets == 0 || nbloom == 0 ||
	    (bloom[(h / bits) & (nbloom - 1)] & mask) != mask) {
		return NULL;
	}
	idx = buckets[h % nbuckets];
	if (idx < symoffset) {
		return NULL;
	}
	for (;; idx++) {
		uint32_t c = chain[idx - symoffset];

		if (((c ^ h) >> 1) == 0) {
			const ElfW(Sym) *sym = gs_ns_match(o, idx, name, &versioned, &nver);

			if (sym) {
				return sym;
			}
		}
		if (c & 1) {
			break;
		}
	}
	return nver == 1 ? versioned : NULL;
}

/* Look name up in the collected objects: GS_NS_*, *addr when found. */
static int gs_ns_find(const struct gs_ns_scan *s, const char *name, uint32_t h,
		      void **addr)
{
	for (size_t k = 0; k < s->n; k++) {
		const ElfW(Sym) *sym = gs_ns_lookup(&s->obj[k], name, h);
		unsigned bind, type;

		if (!sym) {
			continue;
		}
		bind = GS_NS_BIND(sym->st_info);
		type = GS_NS_TYPE(sym->st_info);
		if (bind == STB_LOCAL) {
			continue;       /* ld.so passes it by */
		}
		if (bind != STB_GLOBAL && bind != STB_WEAK) {
			return GS_NS_ASK;       /* STB_GNU_UNIQUE: ld.so's table */
		}
		if (type == STT_GNU_IFUNC || type == STT_TLS) {
			return GS_NS_ASK;       /* computed, not read */
		}
		*addr = (void *)(s->obj[k].bias + sym->st_value);
		return GS_NS_FOUND;
	}
	/* Absent only where nothing can come after: a later RTLD_GLOBAL
	 * dlopen joins RTLD_NEXT's scope. */
	return s->n && s->scope == GS_NS_PROGRAM ? GS_NS_ABSENT : GS_NS_ASK;
}

/* Collect the objects of scope into s (obj: max of them); none when the
 * walk did not reach the scope's end. */
static void gs_ns_walk(struct gs_ns_scan *s, enum gs_ns_scope scope, struct gs_ns_obj *obj,
		       size_t max)
{
	s->scope = scope;
	s->self = (const void *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
	s->vdso = NULL;
	s->ldso = 0;
	s->on = scope == GS_NS_PROGRAM;
	s->whole = 0;
	s->n = 0;
	s->max = max;
	s->obj = obj;
	if (scope == GS_NS_NEXT) {
		const ElfW(Ehdr) *v = (const void *)getauxval(AT_SYSINFO_EHDR);

		s->vdso = v ? (const void *)((const char *)v + v->e_phoff) : NULL;
		/* 0: ld.so run as a program, its end unknown */
		s->ldso = gs_ns_env_steers() ? 0 : getauxval(AT_BASE);
	}
	if (scope == GS_NS_PROGRAM || s->ldso) {
		dl_iterate_phdr(gs_ns_collect, s);
	}
	if (!s->whole) {
		s->n = 0;        /* the scope's end not reached: all dlsym's */
	}
}

size_t gs_ns_syms(enum gs_ns_scope scope, const char *names, size_t n, void **addr,
		  unsigned char *found)
{
	struct gs_ns_obj obj[GS_NS_MAX];
	struct gs_ns_scan s;
	size_t got = 0;
	int e = errno;

	gs_ns_walk(&s, scope, obj, GS_NS_MAX);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		uint32_t h = gs_ns_hash(names, &len);

		found[i] = (unsigned char)gs_ns_find(&s, names, h, &addr[i]);
		got += found[i] == GS_NS_FOUND;
		names += len + 1;
	}
	errno = e;
	return got;
}

int gs_ns_next_keep(void)
{
	int e = errno;

	gs_ns_walk(&gs_ns_kept, GS_NS_NEXT, gs_ns_kept_obj, GS_NS_KEEP);
	__atomic_store_n(&gs_ns_kept_ok, gs_ns_kept.whole, __ATOMIC_RELEASE);
	errno = e;
	return gs_ns_kept.whole;
}

int gs_ns_next_find(const char *name, void **addr)
{
	size_t len;

	if (!__atomic_load_n(&gs_ns_kept_ok, __ATOMIC_ACQUIRE)) {
		return GS_NS_ASK;
	}
	return gs_ns_find(&gs_ns_kept, name, gs_ns_hash(name, &len), addr);
}

int gs_ns_program_defines(const char *name)
{
	void *p = NULL;
	unsigned char f;

	gs_ns_syms(GS_NS_PROGRAM, name, 1, &p, &f);
	return f == GS_NS_ASK ? dlsym(RTLD_DEFAULT, name) != NULL : f == GS_NS_FOUND;
}
