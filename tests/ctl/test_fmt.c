/* SPDX-License-Identifier: Apache-2.0 */
/* The one status and one size formatter decode, report and doctor share:
 * the same words everywhere. */
#include <criterion/criterion.h>
#include <signal.h>

#include "fmt.h"

/* A wait(2) status, as the kernel composes it. */
#define EXITED(code) ((code) << 8)
#define KILLED(sig, core) ((sig) | ((core) ? 0x80 : 0))

Test(fmt, status)
{
	static const struct {
		int status;
		const char *text;
	} cases[] = {
		{ EXITED(0), "exit 0" },
		{ EXITED(1), "exit 1" },
		{ EXITED(253), "exit 253" },
		{ KILLED(SIGKILL, 0), "killed by SIGKILL" },
		{ KILLED(SIGSEGV, 1), "killed by SIGSEGV (core dumped)" },
		{ 0x137f, "status 0x137f" }, /* stopped by SIGSTOP */
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_str_eq(gs_fmt_status(cases[i].status, buf, sizeof(buf)), cases[i].text);
	}
}

Test(fmt, size)
{
	static const struct {
		uint64_t n;
		const char *text;
	} cases[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 64 << 10, "64 KiB" },
		{ 4 << 20, "4.0 MiB" },
		{ 1536ull << 20, "1.5 GiB" },
		{ 12ull << 30, "12 GiB" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_str_eq(gs_fmt_size(cases[i].n, buf, sizeof(buf)), cases[i].text);
	}
}
