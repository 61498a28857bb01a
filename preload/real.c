// SPDX-License-Identifier: Apache-2.0
/*
 * Resolution of the real functions (table: real.def).
 *
 * Every gs_real pointer starts at a lazy stub.  The first call through it
 * resolves that one symbol and passes the call on, after which a
 * wrapper's call is one indirect call.  The constructor (gs_resolve_all)
 * keeps the next objects' hash tables (rec/nextsym.h) and resolves
 * nothing else: a stub then looks its name up there, reading memory only
 * (async-signal-safe, in a vfork child too), so that a process pays for
 * the functions it calls, not for all of them; a process that forks
 * resolves the rest before its first fork (gs_resolve_rest, an atfork
 * handler), so that its children, which would each look up and write the
 * same pointers into pages they share with it copy-on-write, inherit
 * them.  Before the constructor
 * (a call from another library's constructor), or for a name the tables
 * do not settle (an IFUNC, an auditor; none with glibc), the stub asks
 * dlsym(RTLD_NEXT); when the scope could not be kept (this library
 * dlopened, more than 16 objects after it) the constructor resolves every
 * row in one pass as before.  If dlsym calls back into a wrapper
 * while it resolves (it may allocate, and malloc may mmap), the stub sees
 * gs_rs_busy and takes the fallback: the raw system call, or ENOSYS.  A
 * symbol libc does not have points at the fallback for good.
 */
#include <dlfcn.h>
#include <string.h>

#include "real.h"
#include "rec/nextsym.h"

/* Set while this thread is inside dlsym. */
static __thread int gs_rs_busy __attribute__((tls_model("initial-exec")));

/* GOSHIM_DEBUG set to anything but "" or "0": say when a lazy stub was
 * taken (a call before the constructor).  Reads environ directly and
 * writes with a raw system call: no stdio, no allocation. */
static int gs_rs_debug(void)
{
	static const char key[] = "GOSHIM_DEBUG=";

	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, key, sizeof(key) - 1) == 0) {
			const char *v = *e + sizeof(key) - 1;
			return v[0] != '\0' && strcmp(v, "0") != 0;
		}
	}
	return 0;
}

static void gs_rs_note_lazy(const char *name)
{
	static const char pre[] = "goshim: lazy resolve of ";
	char buf[128];
	size_t n = sizeof(pre) - 1, l = strlen(name);

	if (!gs_rs_debug() || l > sizeof(buf) - n - 2) {
		return;
	}
	memcpy(buf, pre, n);
	memcpy(buf + n, name, l);
	n += l;
	buf[n++] = '\n';
	gs_sys3(SYS_write, 2, buf, n);
}

/* Look a symbol up with the re-entry guard held.  errno is preserved. */
static void *gs_rs_lookup(const char *name)
{
	int e = errno;
	void *p;

	gs_rs_busy = 1;
	p = dlsym(RTLD_NEXT, name);
	gs_rs_busy = 0;
	errno = e;
	return p;
}

/* The resolvers of one row: store p (the real symbol, else the fallback
 * for good), or look the symbol up first: in the kept tables, else with
 * dlsym (then returns 1). */
#define GS_RESOLVER(name)                                                  \
	static void gs_rs_set_##name(void *p)                              \
	{                                                                  \
		__atomic_store_n(&gs_real.name,                            \
				 p ? (__typeof__(gs_real.name))p : gs_fb_##name, \
				 __ATOMIC_RELEASE);                        \
	}                                                                  \
	static int gs_rs_##name(void)                                      \
	{                                                                  \
		void *p_;                                                  \
		int ask_ = gs_ns_next_find(#name, &p_) != GS_NS_FOUND;     \
		gs_rs_set_##name(ask_ ? gs_rs_lookup(#name) : p_);         \
		return ask_;                                               \
	}

/* The lazy stub's body: the fallback while dlsym runs on this thread,
 * else resolve and pass the call on (cargs: the call's arguments). */
#define GS_LAZY_BODY(name, cargs)                                          \
	if (gs_rs_busy) {                                                  \
		return gs_fb_##name cargs;                                 \
	}                                                                  \
	if (gs_rs_##name()) {                                              \
		gs_rs_note_lazy(#name);                                    \
	}                                                                  \
	return gs_real.name cargs;

/* Per row: the fallback, the resolver and the lazy stub. */
#define GS_REAL(ret, name, params, args, fb)                               \
	static ret gs_fb_##name params                                     \
	{                                                                  \
		return (ret)(fb);                                          \
	}                                                                  \
	GS_RESOLVER(name)                                                  \
	static ret gs_lazy_##name params                                   \
	{                                                                  \
		GS_LAZY_BODY(name, args)                                   \
	}

#define GS_REAL_VA(ret, name, params, args, flags, fb)                     \
	static ret gs_fb_##name(GS_UNPAREN params, ...)                    \
	{                                                                  \
		mode_t m = 0;                                              \
		GS_VA_MODE(flags, m);                                      \
		(void)m;                                                   \
		return (ret)(fb);                                          \
	}                                                                  \
	GS_RESOLVER(name)                                                  \
	static ret gs_lazy_##name(GS_UNPAREN params, ...)                  \
	{                                                                  \
		mode_t m = 0;                                              \
		GS_VA_MODE(flags, m);                                      \
		GS_LAZY_BODY(name, (GS_UNPAREN args, m))                   \
	}

#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA

struct gs_real_fns gs_real = {
#define GS_REAL(ret, name, params, args, fb) .name = gs_lazy_##name,
#define GS_REAL_VA(ret, name, params, args, flags, fb) .name = gs_lazy_##name,
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
};

/* The rows' names, one string (nextsym.h), and their indices. */
static const char gs_rs_names[] =
#define GS_REAL(ret, name, params, args, fb) #name "\0"
#define GS_REAL_VA(ret, name, params, args, flags, fb) #name "\0"
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
	/* not a real function: the loader's, for the recorder (gs.h) */
	"_dl_find_object\0";

enum {
#define GS_REAL(ret, name, params, args, fb) GS_RS_##name,
#define GS_REAL_VA(ret, name, params, args, flags, fb) GS_RS_##name,
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
	GS_RS_N,
	GS_RS_FIND = GS_RS_N, /* _dl_find_object */
	GS_RS_ALL
};

void gs_resolve_rest(void)
{
	void *p;

#define GS_REAL(ret, name, params, args, fb)                               \
	if (__atomic_load_n(&gs_real.name, __ATOMIC_ACQUIRE) == gs_lazy_##name && \
	    gs_ns_next_find(#name, &p) == GS_NS_FOUND) {                   \
		gs_rs_set_##name(p);                                       \
	}
#define GS_REAL_VA(ret, name, params, args, flags, fb) GS_REAL(ret, name, params, args, fb)
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
}

/* Keep the next objects' hash tables for the stubs and look the loader's
 * _dl_find_object up now; when they cannot be kept, one pass over them
 * for every row, dlsym only for what it leaves (rec/nextsym.h: an IFUNC,
 * an auditor, an object without GNU hash; a name libc lacks: its
 * fallback for good). */
void gs_resolve_all(void)
{
	void *p[GS_RS_ALL];
	unsigned char found[GS_RS_ALL];

	if (gs_ns_next_keep()) {
		gs_loader_find = gs_ns_next_find("_dl_find_object", &p[0]) == GS_NS_FOUND ? p[0]
											    : NULL;
		return;
	}
	gs_ns_syms(GS_NS_NEXT, gs_rs_names, GS_RS_ALL, p, found);
	gs_loader_find = found[GS_RS_FIND] == GS_NS_FOUND ? p[GS_RS_FIND] : NULL;
#define GS_REAL(ret, name, params, args, fb)                               \
	if (found[GS_RS_##name] == GS_NS_FOUND) {                          \
		gs_rs_set_##name(p[GS_RS_##name]);                         \
	} else {                                                           \
		gs_rs_##name();                                            \
	}
#define GS_REAL_VA(ret, name, params, args, flags, fb) GS_REAL(ret, name, params, args, fb)
#include "real.def"
#undef GS_REAL
#undef GS_REAL_VA
}
