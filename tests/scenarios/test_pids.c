/* SPDX-License-Identifier: Apache-2.0 */
/* A pids cgroup limit: a Go program that locks 64 OS threads, in a fresh
 * pids cgroup (v1 /sys/fs/cgroup/pids, else cgroup2 with the pids
 * controller) whose pids.max is 12: Go's clone fails with EAGAIN and the
 * runtime dies with "failed to create new OS thread (have N already;
 * errno=11)".  The remedy, a higher pids.max, makes it pass. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sc.h"

static const char threads_main[] =
	"package main\n\n"
	"import (\n\t\"fmt\"\n\t\"runtime\"\n\t\"sync\"\n)\n\n"
	"func main() {\n"
	"\tvar wg sync.WaitGroup\n"
	"\tstop := make(chan struct{})\n"
	"\tfor i := 0; i < 64; i++ {\n"
	"\t\twg.Add(1)\n"
	"\t\tgo func() {\n\t\t\truntime.LockOSThread()\n\t\t\twg.Done()\n\t\t\t<-stop\n\t\t}()\n"
	"\t}\n"
	"\twg.Wait()\n\tclose(stop)\n\tfmt.Println(\"threads ok\")\n"
	"}\n";

#define PIDS_LOW "12"

/* the scenario's cgroup */
static char pc_dir[PATH_MAX];

static int pc_write(const char *dir, const char *file, const char *v)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	int fd = open(p, O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		return -1;
	}
	ssize_t n = write(fd, v, strlen(v));

	close(fd);
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

/* A fresh pids cgroup with pids.max = max; 0, or -1 when there is no pids
 * controller to use (the test then skips, saying so). */
static int pc_make(const char *tag)
{
	static const char *const roots[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified",
					     "/sys/fs/cgroup" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		char probe[PATH_MAX + 32];

		/* cgroup2: the controller must be enabled for the children */
		snprintf(probe, sizeof(probe), "%s/cgroup.subtree_control", roots[i]);
		if (access(probe, F_OK) == 0 && pc_write(roots[i], "cgroup.subtree_control", "+pids") < 0) {
			continue;
		}
		/* one name per case: a run that failed half-way left it empty */
		snprintf(pc_dir, sizeof(pc_dir), "%s/goshim-scen-%s", roots[i], tag);
		rmdir(pc_dir);
		if (mkdir(pc_dir, 0755) < 0) {
			continue;
		}
		snprintf(probe, sizeof(probe), "%s/pids.max", pc_dir);
		if (access(probe, W_OK) == 0) {
			return 0;
		}
		rmdir(pc_dir);
	}
	return -1;
}

/* In the workload's process: into the cgroup (goshimctl, the program) */
static void pc_enter(void)
{
	if (pc_write(pc_dir, "cgroup.procs", "0") < 0) {
		_exit(99);
	}
}

static void pc_set(const char *max)
{
	cr_assert_eq(pc_write(pc_dir, "pids.max", max), 0, "pids.max of %s: %s", pc_dir, max);
}

/* Does an event of finding f have member k1 equal to v1 and k2 holding v2? */
static int pc_has(json_t *f, const char *k1, const char *v1, const char *k2, const char *v2)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(f, "events"), i, e) {
		if (strcmp(sc_str(e, k1), v1) == 0 && strstr(sc_str(e, k2), v2)) {
			return 1;
		}
	}
	return 0;
}

static void pids_case(const char *tag, int ebpf)
{
	struct sc s;
	char bin[256], *argv[] = { bin, NULL };

	sc_go_start(&s, tag, 0, "t", "main.go", threads_main, NULL);
	if (!ebpf) {
		setenv("GOSHIM_TRACE_EBPF", "0", 1);
	}
	snprintf(bin, sizeof(bin), "%s/threads", s.dir);
	sc_sh("cd %s && %s build -o %s . >/dev/null", s.mod, SC_GO, bin);
	if (pc_make(tag) < 0) {
		sc_done(&s);
		cr_skip_test("no pids cgroup controller to create a cgroup in "
			     "(/sys/fs/cgroup/pids, cgroup2 with +pids)");
	}
	pc_set(PIDS_LOW);
	s.pre = pc_enter;
	s.doctor = 1;
	struct sc_want w = {
		.exit = 2, .out = { "failed to create new OS thread", "errno=11" },
		.id = "pids-limit", .sev = "error",
		.doctor = "pids-limit", .doctor_fact = { { "pids_max", PIDS_LOW } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);

	/* the watcher records the failed clone; the engine's note names the
	 * cgroup and its limit either way */
	cr_expect_eq(pc_has(f, "call", "clone", "errno", "EAGAIN"), ebpf,
		     "a clone EAGAIN event iff the in-kernel watcher ran");
	cr_expect(pc_has(f, "source", "note", "note", "pids.max " PIDS_LOW " of the cgroup"),
		  "no pids-limit note naming pids.max " PIDS_LOW);
	json_decref(rep);
	pc_set("max");
	sc_rerun_clean(&s, argv, "pids.max raised");
	char *out = sc_output(&s);

	cr_expect(strstr(out, "threads ok"), "output after the remedy: %s", sc_tail(out));
	free(out);
	rmdir(pc_dir);
	sc_done(&s);
}

Test(pids, go_threads_under_pids_max_ebpf, .timeout = 300)
{
	pids_case("pids", 1);
}

Test(pids, go_threads_under_pids_max_notify, .timeout = 300)
{
	pids_case("pidsn", 0);
}
