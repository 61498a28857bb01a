/* SPDX-License-Identifier: Apache-2.0 */
/* Formatters shared by the text and JSON output (prototypes in output.h). */
#include "output.h"

#include <stdio.h>

int gs_utf8_len(const unsigned char *p)
{
	int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3 :
		p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;

	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			return 0;
		}
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)) {
		return 0;
	}
	return n;
}

static const char *const rec_types[] = {
	[GOSHIM_REC_EVENT] = "event", [GOSHIM_REC_PROCESS] = "process",
	[GOSHIM_REC_EXIT] = "exit", [GOSHIM_REC_NOTE] = "note",
};

/* names[v], else "what#v" in buf. */
static const char *show_name(const char *const *names, size_t n, unsigned v,
			     const char *what, char *buf, size_t size)
{
	if (v < n && names[v]) {
		return names[v];
	}
	snprintf(buf, size, "%s#%u", what, v);
	return buf;
}

const char *gs_rec_type_name(uint16_t type, char *buf, size_t size)
{
	return show_name(rec_types, sizeof(rec_types) / sizeof(rec_types[0]), type, "type",
			 buf, size);
}

static const char *const engines[] = {
	[GOSHIM_ENGINE_PRELOAD] = "preload", [GOSHIM_ENGINE_TRACE] = "trace",
};

const char *gs_engine_name(uint32_t engine, char *buf, size_t size)
{
	return show_name(engines, sizeof(engines) / sizeof(engines[0]), engine, "engine",
			 buf, size);
}

void gs_text_str(FILE *f, const char *s, int quote)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (quote) {
		fputc('"', f);
	}
	while (*p) {
		int n;

		if (quote && (*p == '"' || *p == '\\')) {
			fprintf(f, "\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
		} else if (*p >= 0x80) {
			n = gs_utf8_len(p);
			if (n) {
				fwrite(p, 1, (size_t)n, f);
				p += n;
				continue;
			}
			fprintf(f, "\\x%02x", *p);
		} else {
			fputc(*p, f);
		}
		p++;
	}
	if (quote) {
		fputc('"', f);
	}
}
