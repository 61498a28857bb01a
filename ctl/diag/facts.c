/* SPDX-License-Identifier: Apache-2.0 */
#include "facts.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void facts_oom(void)
{
	fprintf(stderr, "goshimctl: out of memory\n");
	abort();
}

void *gs_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		facts_oom();
	}
	return q;
}

void *gs_xgrow(void *p, size_t n, size_t size)
{
	if (n & (n - 1)) {
		return p;
	}
	if (n > SIZE_MAX / 2 / size) {
		facts_oom();
	}
	return gs_xrealloc(p, (n ? 2 * n : 1) * size);
}

char *gs_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(gs_xrealloc(NULL, n), s, n);
}

static ssize_t facts_index(const struct gs_facts *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->name[i], name) == 0) {
			return (ssize_t)i;
		}
	}
	return -1;
}

static void facts_put(struct gs_facts *f, const char *name, char *value)
{
	ssize_t i = facts_index(f, name);

	if (i >= 0) {
		free(f->value[i]);
		f->value[i] = value;
		return;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->name = gs_xrealloc(f->name, f->cap * sizeof(*f->name));
		f->value = gs_xrealloc(f->value, f->cap * sizeof(*f->value));
	}
	f->name[f->n] = gs_xstrdup(name);
	f->value[f->n++] = value;
}

void gs_facts_set(struct gs_facts *f, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;

	if (!fmt) {
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0) {
		fprintf(stderr, "goshimctl: out of memory\n");
		abort();
	}
	va_end(ap);
	facts_put(f, name, v);
}

const char *gs_facts_get(const struct gs_facts *f, const char *name)
{
	ssize_t i = facts_index(f, name);

	return i >= 0 ? f->value[i] : NULL;
}

void gs_facts_merge(struct gs_facts *dst, const struct gs_facts *src)
{
	for (size_t i = 0; i < src->n; i++) {
		facts_put(dst, src->name[i], gs_xstrdup(src->value[i]));
	}
}

void gs_facts_free(struct gs_facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->name[i]);
		free(f->value[i]);
	}
	free(f->name);
	free(f->value);
	memset(f, 0, sizeof(*f));
}

int gs_tmpl_check(const char *tmpl, const char **bad)
{
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			p++;
			continue;
		}
		if (*p != '{') {
			continue;
		}
		const char *e = p + 1;
		while (*e && *e != '}' && *e != '{' && (*e != ' ' || memchr(p, '|', (size_t)(e - p)))) {
			e++;
		}
		if (*e != '}' || e == p + 1) {
			*bad = p;
			return -1;
		}
		p = e;
	}
	return 0;
}

/* A fact comes from a record (a path, a program name): in a summary or a
 * remedy line it may not break the line or carry an escape sequence. */
static void ft_put_safe(FILE *m, const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '\n') {
			fputs("\\n", m);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(m, "\\x%02x", *p);
		} else {
			fputc(*p, m);
		}
	}
}

char *gs_tmpl_expand(const char *tmpl, const struct gs_facts *f)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	if (!tmpl) {
		return NULL;
	}
	m = open_memstream(&out, &len);
	if (!m) {
		abort();
	}
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			fputc('{', m);
			p++;
			continue;
		}
		const char *e = p[0] == '{' ? strchr(p, '}') : NULL;
		if (!e) {
			fputc(*p, m);
			continue;
		}
		char name[256];
		size_t n = (size_t)(e - p - 1);
		if (n >= sizeof(name)) {
			fputc(*p, m);
			continue;
		}
		memcpy(name, p + 1, n);
		name[n] = 0;
		char *dflt = strchr(name, '|');
		if (dflt) {
			*dflt++ = 0;
		}
		const char *v = gs_facts_get(f, name);
		if (v) {
			ft_put_safe(m, v);
		} else if (dflt) {
			fputs(dflt, m);
		} else {
			fprintf(m, "<%s>", name);
		}
		p = e;
	}
	fclose(m);
	return out;
}

void gs_facts_path(struct gs_facts *f, const char *p, int exec)
{
	const char *slash = strrchr(p, '/');
	size_t n = strlen(p);

	gs_facts_set(f, "path", "%s", p);
	gs_facts_set(f, "base", "%s", slash ? slash + 1 : p);
	if (exec) {
		gs_facts_set(f, "target", "%s", n > 5 && strcmp(p + n - 5, ".test") == 0 ?
			     "the test binary" : "the program");
	}
	if (slash) {
		gs_facts_set(f, "dir", "%.*s", slash == p ? 1 : (int)(slash - p), p);
	} else {
		gs_facts_set(f, "dir", ".");
	}
}
