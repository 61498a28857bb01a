/* SPDX-License-Identifier: Apache-2.0 */
/* doctor: resource limits that break go test -race and big builds. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cgpids.h"
#include "doctor.h"
#include "doctor_checks.h"
#include "fmt.h"

/* A finite address-space limit below this leaves the race runtime no room
 * (measured with Go 1.26.8 on x86_64, 3 runs each: a small package's -race
 * test binary starts at 1.2 GiB but not always at 1.5; encoding/json's
 * fails at 2 GB with "ThreadSanitizer failed to allocate" and starts at
 * 3 GB; 4 GB passes — patterns.md has the 2 GB internal-allocator death).
 * Above it the need grows with the live goroutines: TSan maps a 128 KiB
 * trace part for each; 3000 of them fail at 2 GB and pass at 2.5 GB,
 * 20000 fail at 4 GiB (Go 1.19.8 passes there) and pass at 5 GiB. */
#define DL_RACE_AS_MIN (4ull << 30)
/* Go >= 1.19 raises the soft NOFILE limit to the hard one; a hard limit
 * below this is too low for go build/test of many packages. */
#define DL_NOFILE_MIN 4096ull
/* Room in the pids cgroup below this: a go build or test runs a compile
 * or test process per CPU, each with GOMAXPROCS threads and more */
#define DL_PIDS_ROOM_MIN 256ll

/* The pids cgroup's room: pids.max - pids.current (cgroup v1 or v2) */
static void dl_pids(struct gs_doc *d)
{
	char dir[PATH_MAX], max[32], cur[32];

	if (gs_cgpids_dir(dir, sizeof(dir)) < 0 ||
	    gs_cgpids_read(dir, "pids.max", max, sizeof(max)) < 0 ||
	    gs_cgpids_read(dir, "pids.current", cur, sizeof(cur)) < 0) {
		return;
	}
	if (strcmp(max, "max") == 0) {
		gs_doc_check(d, "pids", GS_CHK_OK, "unlimited (%s)", dir);
		return;
	}
	long long room = atoll(max) - atoll(cur);

	if (room >= DL_PIDS_ROOM_MIN) {
		gs_doc_check(d, "pids", GS_CHK_OK, "pids.max %s, pids.current %s (%s)", max, cur, dir);
		return;
	}
	struct gs_facts f = { 0 };

	gs_facts_set(&f, "pids_max", "%s", max);
	gs_facts_set(&f, "pids_current", "%s", cur);
	gs_facts_set(&f, "pids_room", "%lld", room);
	gs_facts_set(&f, "cgroup", "%s", dir);
	gs_facts_set(&f, "errno", "EAGAIN");
	gs_doc_check(d, "pids", GS_CHK_PROBLEM, "pids.max %s, pids.current %s (%s)", max, cur, dir);
	gs_doc_found(d, "pids", "too-small", &f);
}

void gs_doctor_limits(struct gs_doc *d)
{
	struct rlimit as, nf;
	char buf[64];

	if (getrlimit(RLIMIT_AS, &as) == 0) {
		if (as.rlim_cur == RLIM_INFINITY) {
			gs_doc_check(d, "RLIMIT_AS", GS_CHK_OK, "unlimited");
		} else if (as.rlim_cur < DL_RACE_AS_MIN) {
			struct gs_facts f = { 0 };
			gs_facts_set(&f, "rlimit_as", "%s", gs_fmt_size(as.rlim_cur, buf, sizeof(buf)));
			gs_doc_check(d, "RLIMIT_AS", GS_CHK_PROBLEM, "%s: too small for -race", buf);
			gs_doc_found(d, "RLIMIT_AS", "too-small", &f);
		} else {
			gs_doc_check(d, "RLIMIT_AS", GS_CHK_NOTE,
				     "%s: finite; -race may still fail (128 KiB per live goroutine)",
				     gs_fmt_size(as.rlim_cur, buf, sizeof(buf)));
		}
	}
	if (getrlimit(RLIMIT_NOFILE, &nf) == 0) {
		if (nf.rlim_max != RLIM_INFINITY && nf.rlim_max < DL_NOFILE_MIN) {
			struct gs_facts f = { 0 };
			gs_facts_set(&f, "rlimit_nofile_hard", "%llu", (unsigned long long)nf.rlim_max);
			gs_facts_set(&f, "errno", "EMFILE");
			gs_doc_check(d, "RLIMIT_NOFILE", GS_CHK_PROBLEM, "hard limit %llu",
				     (unsigned long long)nf.rlim_max);
			gs_doc_found(d, "RLIMIT_NOFILE", "too-small", &f);
		} else {
			gs_doc_check(d, "RLIMIT_NOFILE", GS_CHK_OK, "soft %llu, hard %llu",
				     (unsigned long long)nf.rlim_cur, (unsigned long long)nf.rlim_max);
		}
	}
	dl_pids(d);
}
