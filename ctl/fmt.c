/* SPDX-License-Identifier: Apache-2.0 */
#include "fmt.h"

#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "flags.h"

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

char *gs_fmt_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status)) {
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
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
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)n;
	unsigned u = 0;

	while (d >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		d /= 1024;
		u++;
	}
	if (u == 0) {
		snprintf(buf, size, "%llu B", (unsigned long long)n);
	} else {
		snprintf(buf, size, "%.*f %s", d < 10 ? 1 : 0, d, unit[u]);
	}
	return buf;
}
