/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: can `go` start here (its PT_INTERP exists, its machine is the
 * host's), and is there a C compiler when cgo is on? */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_checks.h"
#include "elfread.h"
#include "flags.h"
#include "ccpkg.h"
#include "hostarch.h"

struct dx_elf {
	int machine;          /* e_machine, -1 when not an ELF file */
	char interp[256];     /* PT_INTERP, "" when static */
};

/* Read e_machine and PT_INTERP of an ELF file (common/elfread.h). */
static int dx_read_elf(const char *path, struct dx_elf *e)
{
	uint8_t cache[4096];
	struct gs_elf x;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(e, 0, sizeof(*e));
	e->machine = -1;
	if (fd < 0) {
		return -errno;
	}
	if (gs_elf_open(&x, gs_elf_read_fd, (void *)(intptr_t)fd, cache, sizeof(cache)) == 0) {
		e->machine = x.machine;
		gs_elf_interp(&x, e->interp, sizeof(e->interp));
	}
	close(fd);
	return 0;
}

static void dx_go(struct gs_doc *d)
{
	struct dx_elf e;
	struct utsname u;
	struct stat st;
	int host, rc;

	if (!d->go_bin) {
		gs_doc_check(d, "go binary", GS_CHK_SKIPPED, "go is not on PATH");
		return;
	}
	rc = dx_read_elf(d->go_bin, &e);
	if (rc < 0 || e.machine < 0) {
		gs_doc_check(d, "go binary", GS_CHK_NOTE, "%s: %s", d->go_bin,
			     rc < 0 ? strerror(-rc) : "not an ELF file (a wrapper script?)");
		return;
	}
	uname(&u);
	host = gs_machine_em(u.machine);
	if (host >= 0 && e.machine != host) {
		struct gs_facts f = { 0 };
		const char *mn = gs_machine_name((unsigned)e.machine);
		gs_facts_set(&f, "path", "%s", d->go_bin);
		gs_facts_set(&f, "machine", "%s", mn ? mn : "unknown");
		gs_facts_set(&f, "host_machine", "%s", u.machine);
		gs_doc_check(d, "go binary", GS_CHK_PROBLEM, "%s is built for %s, this host is %s",
			     d->go_bin, mn ? mn : "another machine", u.machine);
		gs_doc_found(d, "go binary", "foreign-machine", &f);
		return;
	}
	if (!e.interp[0]) {
		gs_doc_check(d, "go binary", GS_CHK_OK, "%s: static (no ELF interpreter needed)",
			     d->go_bin);
		return;
	}
	if (stat(e.interp, &st) < 0) {
		struct gs_facts f = { 0 };
		gs_facts_set(&f, "path", "%s", d->go_bin);
		gs_facts_set(&f, "interp", "%s", e.interp);
		gs_facts_set(&f, "interp_err", "%s", gs_errno_name(errno) ? gs_errno_name(errno) : "?");
		gs_doc_check(d, "go binary", GS_CHK_PROBLEM, "%s: interpreter %s is missing",
			     d->go_bin, e.interp);
		gs_doc_found(d, "go binary", "interp-missing", &f);
		return;
	}
	gs_doc_check(d, "go binary", GS_CHK_OK, "%s: interpreter %s present", d->go_bin, e.interp);
}

/* Does go build for another architecture than this machine's?  Then cgo is
 * off by default (go/build: only a native build turns it on by itself). */
static int dx_cross(const struct gs_doc *d, char *goarch, size_t size)
{
	const char *a = getenv("GOARCH");
	struct utsname u;

	if (!a || !*a) {
		a = gs_doc_go(d, "GOARCH");
	}
	if (!a || !*a || uname(&u) < 0) {
		return 0;
	}
	snprintf(goarch, size, "%s", a);
	return gs_machine_em(a) != gs_machine_em(u.machine);
}

static void dx_cc(struct gs_doc *d)
{
	const char *cgo = getenv("CGO_ENABLED");
	const char *cc = getenv("CC");
	char prog[256], goarch[32];
	char *found;

	if (cgo && strcmp(cgo, "0") == 0) {
		gs_doc_check(d, "C compiler", GS_CHK_SKIPPED, "CGO_ENABLED=0: cgo is off");
		return;
	}
	if (!cgo && dx_cross(d, goarch, sizeof(goarch))) {
		gs_doc_check(d, "C compiler", GS_CHK_SKIPPED, "cross-compiling for GOARCH=%s: cgo is "
			     "off unless CGO_ENABLED=1", goarch);
		return;
	}
	if (!cc || !*cc) {
		cc = gs_doc_go(d, "CC");
	}
	if (!cc || !*cc) {
		cc = "gcc";
	}
	snprintf(prog, sizeof(prog), "%.*s", (int)strcspn(cc, " \t"), cc);
	found = gs_doc_which(prog);
	if (!found && strcmp(prog, "gcc") == 0 && !getenv("CC")) {
		found = gs_doc_which("cc");
	}
	if (found) {
		gs_doc_check(d, "C compiler", GS_CHK_OK, "%s", found);
		free(found);
		return;
	}
	struct gs_facts f = { 0 };
	char pkg[128];
	gs_facts_set(&f, "prog", "%s", prog);
	if (gs_cc_package(prog, pkg, sizeof(pkg))) {
		gs_facts_set(&f, "prog_pkg", "%s", pkg);
	}
	gs_facts_set(&f, "cgo_enabled", "%s", cgo ? cgo : "(unset)");
	gs_doc_check(d, "C compiler", GS_CHK_PROBLEM, "\"%s\" is not on PATH (CGO_ENABLED=%s)",
		     prog, cgo ? cgo : "unset");
	gs_doc_found(d, "C compiler", "not-on-path", &f);
}

void gs_doctor_exec(struct gs_doc *d)
{
	dx_go(d);
	dx_cc(d);
}
