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

static void low_as(void)
{
	struct rlimit rl = { SC_AS_LIMIT, SC_AS_LIMIT };

	if (setrlimit(RLIMIT_AS, &rl) != 0) {
		_exit(99);
	}
}

Test(limits, race_under_low_ulimit_v, .timeout = 400)
{
	struct sc s;
	char mod[256];

	sc_need(1, 1);
	sc_init(&s, "race", SC_TRACE, 0);
	sc_module(&s, "r", mod, sizeof(mod), "r_test.go", race_test, NULL);
	setenv("CGO_ENABLED", "1", 1);
	/* the oracle: -race works here with the official toolchain */
	sc_sh("cd %s && %s test -race -count=1 . >/dev/null", mod, SC_GO);
	s.cwd = mod;
	s.pre = low_as;
	s.doctor = 1;
	char *argv[] = { SC_GO, "test", "-race", "-count=1", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) != 0 &&
		  strstr(out, "ThreadSanitizer") && strstr(out, "failed to allocate"),
		  "go test -race: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "race-shadow-mmap", "error");
	cr_expect_str_eq(sc_fact(f, "rlimit_as"), "952 MiB");
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "ENOMEM");
	cr_expect(strstr(sc_str(sc_event(f), "exe"), ".test"), "exe %s",
		  sc_str(sc_event(f), "exe"));
	json_t *doc = sc_doctor(&s);
	sc_doctor_expect(&s, doc, "race-shadow-mmap");
	json_decref(doc);
	json_decref(rep);
	sc_done(&s);
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

static void low_nofile(void)
{
	struct rlimit rl = { SC_NOFILE, SC_NOFILE };

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		_exit(99);
	}
}

Test(limits, tiny_nofile_hard_limit, .timeout = 240)
{
	struct sc s;
	char mod[256], want[32];

	sc_need(1, 1);
	sc_init(&s, "nofile", SC_TRACE, 0);
	sc_module(&s, "f", mod, sizeof(mod), "f_test.go", files_test, NULL);
	s.cwd = mod;
	s.pre = low_nofile;
	s.doctor = 1;
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	sc_run(&s, argv);
	char *out = sc_output(&s);
	cr_assert(WIFEXITED(s.status) && WEXITSTATUS(s.status) != 0 &&
		  strstr(out, "too many open files"), "go test: %s", out);
	free(out);

	json_t *rep = sc_report(&s);
	json_t *f = sc_expect(&s, rep, "fd-limit", "error");
	snprintf(want, sizeof(want), "%d", SC_NOFILE);
	cr_expect_str_eq(sc_fact(f, "rlimit_nofile_hard"), want);
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), "EMFILE");
	json_t *doc = sc_doctor(&s);
	json_t *d = sc_doctor_expect(&s, doc, "fd-limit");
	cr_expect_str_eq(sc_fact(d, "rlimit_nofile_hard"), want);
	json_decref(doc);
	json_decref(rep);
	sc_done(&s);
}
