/* SPDX-License-Identifier: Apache-2.0 */
#include "mountinfo.h"

#include <errno.h>

#include "sys.h"

#define MI_FIELDS 6 /* before the optional fields */

/* The characters the kernel escapes as \ooo (fs/proc_namespace.c). */
static int mi_special(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\\';
}

static int mi_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo \ooo in place (s is NUL-terminated). */
static void mi_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && mi_odigit(s[2]) &&
		    mi_odigit(s[3])) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* The next space-separated field of *p, NUL-terminated; NULL at the end. */
static char *mi_field(char **p)
{
	char *s = *p, *f;

	while (*s == ' ') {
		s++;
	}
	if (!*s) {
		return NULL;
	}
	f = s;
	while (*s && *s != ' ') {
		s++;
	}
	if (*s) {
		*s++ = 0;
	}
	*p = s;
	return f;
}

/* A decimal number ending at stop (or the end); -1 when there is none. */
static int mi_num(const char *s, char stop, uint64_t *v, const char **end)
{
	const char *p = s;

	*v = 0;
	while (*p >= '0' && *p <= '9') {
		*v = *v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == s || *p != stop) {
		return -1;
	}
	*end = p;
	return 0;
}

static int mi_dev(const char *s, uint32_t *major, uint32_t *minor)
{
	uint64_t a, b;
	const char *e;

	if (mi_num(s, ':', &a, &e) < 0 || mi_num(e + 1, 0, &b, &e) < 0) {
		return -1;
	}
	*major = (uint32_t)a;
	*minor = (uint32_t)b;
	return 0;
}

int gs_mi_parse(char *line, struct gs_mi_line *m)
{
	char *f[MI_FIELDS], *p = line, *sep;
	const char *e;

	for (int i = 0; i < MI_FIELDS; i++) {
		if (!(f[i] = mi_field(&p))) {
			return -1;
		}
	}
	do { /* the optional fields, up to "-" */
		sep = mi_field(&p);
	} while (sep && !(sep[0] == '-' && sep[1] == 0));
	m->fstype = mi_field(&p);
	m->source = mi_field(&p);
	m->super = mi_field(&p);
	if (!m->super || mi_num(f[0], 0, &m->id, &e) < 0 ||
	    mi_num(f[1], 0, &m->parent, &e) < 0 || mi_dev(f[2], &m->major, &m->minor) < 0) {
		return -1;
	}
	m->root = f[3];
	m->point = f[4];
	m->opts = f[5];
	char *str[] = { m->root, m->point, m->opts, m->fstype, m->source, m->super };
	for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		mi_unescape(str[i]);
	}
	return 0;
}

long gs_mi_read_fd(void *ctx, char *buf, size_t n)
{
	long r;

	do {
		r = gs_sys3(SYS_read, *(int *)ctx, buf, n);
	} while (r == -EINTR);
	return r;
}

int gs_mi_each(gs_mi_read_fn rd, void *rctx, char *work, size_t cap,
	       gs_mi_line_fn fn, void *fctx)
{
	size_t have = 0;
	int skipping = 0;

	for (;;) {
		long r = rd(rctx, work + have, cap - 1 - have);
		if (r < 0) {
			return -1;
		}
		if (r == 0) {
			return 0; /* a last line without newline is incomplete */
		}
		have += (size_t)r;
		size_t start = 0;
		for (size_t i = 0; i < have; i++) {
			struct gs_mi_line m;
			if (work[i] != '\n') {
				continue;
			}
			work[i] = 0;
			if (!skipping && gs_mi_parse(work + start, &m) == 0 && fn(fctx, &m)) {
				return 0;
			}
			skipping = 0;
			start = i + 1;
		}
		if (start == 0 && have == cap - 1) {
			skipping = 1; /* a line longer than the buffer */
			have = 0;
			continue;
		}
		for (size_t i = start; i < have; i++) {
			work[i - start] = work[i];
		}
		have -= start;
	}
}

/* ---- the mount of a path ----------------------------------------------- */

struct mi_find {
	const char *path;
	uint64_t id;
	char *out;
	size_t cap;
	long best;   /* length of the best prefix so far, -1: none   */
	long len;    /* length of out, -1: the best did not fit      */
	int exact;
};

long gs_mount_holds(const char *point, const char *path)
{
	long k = 0;

	while (point[k] && point[k] == path[k]) {
		k++;
	}
	if (point[k]) {
		return -1;
	}
	return k == 1 || path[k] == 0 || path[k] == '/' ? k : -1;
}

/* Append s escaped as mountinfo escapes it. */
static int mi_put(struct mi_find *x, size_t *o, const char *s, int last)
{
	for (; *s; s++) {
		if (mi_special(*s)) {
			if (*o + 4 >= x->cap) {
				return -1;
			}
			x->out[(*o)++] = '\\';
			x->out[(*o)++] = (char)('0' + ((unsigned char)*s >> 6));
			x->out[(*o)++] = (char)('0' + (((unsigned char)*s >> 3) & 7));
			x->out[(*o)++] = (char)('0' + ((unsigned char)*s & 7));
		} else if (*o + 1 < x->cap) {
			x->out[(*o)++] = *s;
		} else {
			return -1;
		}
	}
	if (!last) {
		if (*o + 1 >= x->cap) {
			return -1;
		}
		x->out[(*o)++] = ' ';
	}
	return 0;
}

static void mi_take(struct mi_find *x, const struct gs_mi_line *m)
{
	size_t o = 0;

	if (x->cap && mi_put(x, &o, m->point, 0) == 0 && mi_put(x, &o, m->fstype, 0) == 0 &&
	    mi_put(x, &o, m->opts, 1) == 0) {
		x->out[o] = 0;
		x->len = (long)o;
	} else {
		x->len = -1;
		if (x->cap) {
			x->out[0] = 0;
		}
	}
}

static int mi_find_line(void *ctx, const struct gs_mi_line *m)
{
	struct mi_find *x = ctx;

	if (x->id && m->id == x->id) {
		mi_take(x, m);
		x->exact = 1;
		return 1;
	}
	long k = gs_mount_holds(m->point, x->path);
	if (k >= 0 && k >= x->best) {
		x->best = k;
		mi_take(x, m);
	}
	return 0;
}

long gs_mount_find(gs_mi_read_fn rd, void *rctx, const char *path, uint64_t mnt_id,
		   char *out, size_t cap, char *work, size_t work_cap)
{
	struct mi_find x = { path, mnt_id, out, cap, -1, -1, 0 };

	if (cap) {
		out[0] = 0;
	}
	if (path[0] != '/' || work_cap < 2 ||
	    gs_mi_each(rd, rctx, work, work_cap, mi_find_line, &x) < 0) {
		return -1;
	}
	return x.exact || x.best >= 0 ? x.len : -1;
}

int gs_mount_split(char *s, char **point, char **fstype, char **opts)
{
	char *p = s;

	*point = mi_field(&p);
	*fstype = mi_field(&p);
	*opts = mi_field(&p);
	if (!*opts) {
		return -1;
	}
	mi_unescape(*point);
	mi_unescape(*fstype);
	mi_unescape(*opts);
	return 0;
}
