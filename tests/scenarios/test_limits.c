/* SPDX-License-Identifier: Apache-2.0 */
/* Resource limits: `go test -race` under a low `ulimit -v`, and a tiny
 * RLIMIT_NOFILE hard limit (Go raises the soft limit to it, no further). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc.h"

static const char race_test[] =
	"package r\n\n"
	"import \"testing\"\n\n"
	"func TestChan(t *testing.T) {\n"
	"\tc := make(chan int)\n\tgo func() { c <- 1 }()\n\tif <-c != 1 {\n\t\tt.Fatal(\"chan\")\n\t}\n"
	"}\n";

/* `ulimit -v 975000` (952 MiB): enough for go, compile and link and for
 * TSan's own start-up; its first shadow map (128 MiB, MAP_FIXED at
 * 0x218000000000) then fails.  Around 1 GiB the failure moves between
 * TSan's StackStore map and the shadow, and above 1.1 GiB -race may run. */
#define SC_AS_LIMIT (975000ull << 10)

/* The limit the next workload runs under (set in the test's process,
 * applied in the workload's child: soft and hard). */
static int low_resource;
static rlim_t low_value;

static void low_limit(void)
{
	struct rlimit rl = { low_value, low_value };

	if (setrlimit(low_resource, &rl) != 0) {
		_exit(99);
	}
}

Test(limits, race_under_low_ulimit_v, .timeout = 400)
{
	struct sc s;

	sc_go_start(&s, "race", 0, "r", "r_test.go", race_test, NULL);
	setenv("CGO_ENABLED", "1", 1);
	/* the oracle: -race works here with the official toolchain */
	sc_sh("cd %s && %s test -race -count=1 . >/dev/null", s.mod, SC_GO);
	low_resource = RLIMIT_AS;
	low_value = SC_AS_LIMIT;
	s.pre = low_limit;
	s.doctor = 1;
	char *argv[] = { SC_GO, "test", "-race", "-count=1", ".", NULL };
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { "ThreadSanitizer", "failed to allocate" },
		.id = "race-shadow-mmap", .sev = "error",
		.fact = { { "rlimit_as", "952 MiB" } }, .event = { { "errno", "ENOMEM" } },
		.doctor = "race-shadow-mmap",
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_str(sc_event(f), "exe"), ".test"), "exe %s",
		  sc_str(sc_event(f), "exe"));
	json_decref(rep);
	sc_done(&s);
}

/* A plain Go program (no -race) that runs out of address space under
 * `ulimit -v 2000000`: "fatal error: out of memory", exit 2.  Its failed
 * mmaps are no race finding (its build information says no -race): they
 * stay unclassified and its exit unexplained (report exits 3). */
Test(limits, plain_go_out_of_address_space_is_no_race, .timeout = 300)
{
	static const char big_go[] =
		"package main\n\nimport \"fmt\"\n\n"
		"func main() {\n\tvar keep [][]byte\n\tfor i := 0; i < 100; i++ {\n"
		"\t\tkeep = append(keep, make([]byte, 100<<20))\n\t\tkeep[i][0] = 1\n\t}\n"
		"\tfmt.Println(len(keep))\n}\n";
	struct sc s;
	char bin[256];

	sc_go_start(&s, "plainoom", 0, "big", "main.go", big_go, NULL);
	snprintf(bin, sizeof(bin), "%s/big.bin", s.dir);
	sc_sh("cd %s && %s build -o %s .", s.mod, SC_GO, bin);
	low_resource = RLIMIT_AS;
	low_value = 2000000ull << 10;
	s.pre = low_limit;
	char *argv[] = { bin, NULL };
	struct sc_want w = { .exit = 2, .out = { "out of memory" } };
	sc_run_want(&s, argv, &w);
	json_t *rep = sc_report(&s);
	cr_expect_eq(json_array_size(json_object_get(rep, "findings")), 0, "a finding: %s",
		     json_dumps(json_object_get(rep, "findings"), 0));
	cr_expect_eq(json_array_size(json_object_get(rep, "unexplained")), 1);
	json_decref(rep);
	cr_expect_eq(sc_report_status(&s), 3);
	sc_done(&s);
}

static const char many_test[] =
	"package r\n\n"
	"import (\n\t\"sync\"\n\t\"testing\"\n)\n\n"
	"func TestMany(t *testing.T) {\n"
	"\tvar wg sync.WaitGroup\n\tc := make(chan int)\n"
	"\tfor i := 0; i < 20000; i++ {\n"
	"\t\twg.Add(1)\n\t\tgo func() { defer wg.Done(); <-c }()\n\t}\n"
	"\tclose(c)\n\twg.Wait()\n}\n";

#define GO119 "/usr/lib/go-1.19/bin/go"
#define RACE_STACK "pthread_create failed: Resource temporarily unavailable"

/* Other ways the race runtime runs out of address space (measured with
 * Go 1.26.8 and 1.19.8; each line deterministic here): none of these
 * mmaps is huge or fixed, so before the in-kernel watcher handed every
 * failed mmap over, the ring held nothing and report said nothing. */
struct lm_race {
	const char *go;        /* NULL: SC_GO                                  */
	const char *src;       /* the test file of module r                    */
	unsigned long long kib; /* ulimit -v                                   */
	const char *out[2];    /* what the race binary prints                  */
	const char *out_or;    /* or else this (the other way, by timing)      */
	const char *as;        /* the rlimit_as fact                           */
};

static void lm_race_case(const char *tag, const struct lm_race *c)
{
	struct sc s;
	const char *go = c->go ? c->go : SC_GO;

	sc_go_start(&s, tag, 0, "r", "r_test.go", c->src, NULL);
	setenv("CGO_ENABLED", "1", 1);
	/* the oracle: this -race test passes without the limit */
	sc_sh("cd %s && %s test -race -count=1 . >/dev/null", s.mod, go);
	low_resource = RLIMIT_AS;
	low_value = (rlim_t)c->kib << 10;
	s.pre = low_limit;
	char *argv[] = { (char *)go, "test", "-race", "-count=1", ".", NULL };
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { c->out[0], c->out[1] }, .out_or = { c->out_or },
		.id = "race-shadow-mmap", .sev = "error",
		.fact = { { "rlimit_as", c->as } },
		.event = { { "errno", "ENOMEM" }, { "call", "mmap" } },
	};
	json_t *f, *rep = sc_check(&s, argv, &w, &f);
	cr_expect(strstr(sc_str(sc_event(f), "exe"), "r.test"), "exe %s",
		  sc_str(sc_event(f), "exe"));
	json_decref(rep);
	/* the remedy: ulimit -v unlimited */
	s.pre = NULL;
	unlink(s.ring);
	sc_rerun_clean(&s, argv, "ulimit -v unlimited");
	sc_done(&s);
}

/* glibc's 8 MiB thread stack (MAP_STACK) fails: pthread_create returns
 * EAGAIN and cgo aborts, before TSan maps its shadow */
Test(limits, race_thread_stack_go119, .timeout = 400)
{
	lm_race_case("rstk119", &(struct lm_race){ GO119, race_test, 975000,
		     { RACE_STACK }, NULL, "952 MiB" });
}

Test(limits, race_thread_stack_go126, .timeout = 400)
{
	lm_race_case("rstk126", &(struct lm_race){ NULL, race_test, 1060000,
		     { RACE_STACK }, NULL, "1.0 GiB" });
}

/* 20000 goroutines exhaust 2 GB: TSan's 128 KiB trace parts ("out of
 * memory: failed to allocate 0x20000 (131072) bytes of TracePart") or,
 * Go 1.26 now and then, its internal allocator ("internal allocator is
 * out of memory trying to allocate 0x2c0 bytes"); Go 1.19 passes with
 * 3000 goroutines.  On a loaded machine more goroutines block at once,
 * Go starts more threads, and their 8 MiB stacks run out first
 * (pthread_create, as above): the same finding either way. */
Test(limits, race_trace_parts_go126, .timeout = 400)
{
	lm_race_case("rtp126", &(struct lm_race){ NULL, many_test, 2000000,
		     { "ThreadSanitizer", "out of memory" }, RACE_STACK, "1.9 GiB" });
}

Test(limits, race_trace_parts_go119, .timeout = 400)
{
	lm_race_case("rtp119", &(struct lm_race){ GO119, many_test, 2000000,
		     { "ThreadSanitizer", "out of memory" }, RACE_STACK, "1.9 GiB" });
}

static const char files_test[] =
	"package f\n\n"
	"import (\n\t\"os\"\n\t\"testing\"\n)\n\n"
	"func TestOpenMany(t *testing.T) {\n"
	"\tvar files []*os.File\n"
	"\tfor i := 0; i < 64; i++ {\n"
	"\t\tf, err := os.Open(\"go.mod\")\n"
	"\t\tif err != nil {\n\t\t\tt.Fatal(err)\n\t\t}\n"
	"\t\tfiles = append(files, f)\n"
	"\t}\n"
	"\tfor _, f := range files {\n\t\tf.Close()\n\t}\n"
	"}\n";

#define SC_NOFILE 32

Test(limits, tiny_nofile_hard_limit, .timeout = 240)
{
	struct sc s;
	char want[32];

	sc_go_start(&s, "nofile", 0, "f", "f_test.go", files_test, NULL);
	low_resource = RLIMIT_NOFILE;
	low_value = SC_NOFILE;
	s.pre = low_limit;
	s.doctor = 1;
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	snprintf(want, sizeof(want), "%d", SC_NOFILE);
	struct sc_want w = {
		.exit = SC_NONZERO, .out = { "too many open files" }, .id = "fd-limit", .sev = "error",
		.fact = { { "rlimit_nofile_hard", want } }, .event = { { "errno", "EMFILE" } },
		.doctor = "fd-limit", .doctor_fact = { { "rlimit_nofile_hard", want } },
	};
	json_decref(sc_check(&s, argv, &w, NULL));
	sc_done(&s);
}
