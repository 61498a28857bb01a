/* SPDX-License-Identifier: Apache-2.0 */
/* Formatters shared by the text and JSON output (prototypes in output.h). */
#include "output.h"

#include <sys/wait.h>
#include <time.h>

#include "flags.h"

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

char *gs_fmt_time(uint64_t ns, char *buf, size_t size)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;
	char day[32];

	if (!gmtime_r(&sec, &tm) || !strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, size, "@%llu", (unsigned long long)ns);
		return buf;
	}
	snprintf(buf, size, "%s.%06uZ", day, (unsigned)(ns % 1000000000u / 1000u));
	return buf;
}

static const char *const rec_types[] = {
	[GOSHIM_REC_EVENT] = "event", [GOSHIM_REC_PROCESS] = "process",
	[GOSHIM_REC_EXIT] = "exit", [GOSHIM_REC_NOTE] = "note",
};

const char *gs_rec_type_name(uint16_t type, char *buf, size_t size)
{
	if (type < sizeof(rec_types) / sizeof(rec_types[0]) && rec_types[type]) {
		return rec_types[type];
	}
	snprintf(buf, size, "type#%u", type);
	return buf;
}

static const char *const engines[] = {
	[GOSHIM_ENGINE_PRELOAD] = "preload", [GOSHIM_ENGINE_TRACE] = "trace",
};

const char *gs_engine_name(uint32_t engine, char *buf, size_t size)
{
	if (engine < sizeof(engines) / sizeof(engines[0]) && engines[engine]) {
		return engines[engine];
	}
	snprintf(buf, size, "engine#%u", engine);
	return buf;
}

char *gs_fmt_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status)) {
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		const char *n = gs_signal_name(WTERMSIG(status));
		char num[16];

		snprintf(num, sizeof(num), "signal %d", WTERMSIG(status));
		snprintf(buf, size, "killed by %s%s", n ? n : num,
			 WCOREDUMP(status) ? " (core dumped)" : "");
	} else {
		snprintf(buf, size, "status %#x", (unsigned)status);
	}
	return buf;
}

char *gs_fmt_size(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (n >= 1024 && n % 1024 == 0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, "%llu %s", (unsigned long long)n, units[u]);
	return buf;
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
