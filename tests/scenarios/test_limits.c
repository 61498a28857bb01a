/* SPDX-License-Identifier: Apache-2.0 */
/* Resource limits: `go test -race` under a low `ulimit -v`, and a tiny
 * RLIMIT_NOFILE hard limit (Go raises the soft limit to it, no further). */
#include <criterion/criterion.h>
#include <signal.h>
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

/* The workload run under the limit must give address-space-limit, an
 * error, with these facts (exe_base may be NULL) and its first event call
 * failing ENOMEM; then the remedy, ulimit -v unlimited: clean. */
static void as_found_then_remedy(struct sc *s, char *const argv[], int exit, const char *out,
				 const char *as, const char *exe_base, const char *call)
{
	struct sc_want w = {
		.exit = exit, .out = { out }, .id = "address-space-limit", .sev = "error",
		.fact = { { "rlimit_as", as }, { exe_base ? "exe_base" : NULL, exe_base } },
		.event = { { "errno", "ENOMEM" }, { "call", call } },
	};
	json_decref(sc_check(s, argv, &w, NULL));
	s->pre = NULL;
	unlink(s->ring);
	sc_rerun_clean(s, argv, "ulimit -v unlimited");
}

/* The workload run under the limit (exit status and output as w says)
 * must give no finding and one unexplained exit (report exits 3). */
static void as_unexplained(struct sc *s, char *const argv[], const struct sc_want *w)
{
	sc_run_want(s, argv, w);
	json_t *rep = sc_report(s);
	cr_expect_eq(json_array_size(json_object_get(rep, "findings")), 0, "a finding: %s",
		     json_dumps(json_object_get(rep, "findings"), 0));
	cr_expect_eq(json_array_size(json_object_get(rep, "unexplained")), 1);
	json_decref(rep);
	cr_expect_eq(sc_report_status(s), 3);
}

/* A plain Go program (no -race) that runs out of address space under
 * `ulimit -v 2000000`: "fatal error: out of memory", exit 2.  Its build
 * information says no -race: no race finding, but address-space-limit
 * (its 128 MiB arena hints failed ENOMEM, the in-kernel watcher hands
 * them over), an error at the origin of the failed exit.  Without the
 * watcher no such mmap is notified (neither huge nor fixed): nothing
 * recorded, the exit unexplained (report exits 3).  The remedy, ulimit -v
 * unlimited: clean. */
static const char big_go[] =
	"package main\n\nimport \"fmt\"\n\n"
	"func main() {\n\tvar keep [][]byte\n\tfor i := 0; i < 100; i++ {\n"
	"\t\tkeep = append(keep, make([]byte, 100<<20))\n\t\tkeep[i][0] = 1\n\t}\n"
	"\tfmt.Println(len(keep))\n}\n";

static void plain_go_case(const char *tag, int ebpf)
{
	struct sc s;
	char bin[256];

	sc_go_start(&s, tag, 0, "big", "main.go", big_go, NULL);
	if (!ebpf) {
		setenv("GOSHIM_TRACE_EBPF", "0", 1);
	}
	snprintf(bin, sizeof(bin), "%s/big.bin", s.dir);
	sc_sh("cd %s && %s build -o %s .", s.mod, SC_GO, bin);
	low_resource = RLIMIT_AS;
	low_value = 2000000ull << 10;
	s.pre = low_limit;
	char *argv[] = { bin, NULL };
	if (!ebpf) {
		as_unexplained(&s, argv, &(struct sc_want){ .exit = 2,
				.out = { "fatal error: out of memory" } });
		sc_done(&s);
		return;
	}
	as_found_then_remedy(&s, argv, 2, "fatal error: out of memory", "1.9 GiB", "big.bin", "mmap");
	sc_done(&s);
}

Test(limits, plain_go_out_of_address_space, .timeout = 300)
{
	plain_go_case("plainoom", 1);
}

Test(limits, plain_go_out_of_address_space_unwatched, .timeout = 300)
{
	plain_go_case("plainoomn", 0);
}

/* A C program under `ulimit -v`: as_c_case runs sc-prog MODE ARG under
 * the limit (KiB) and the engine, wants address-space-limit (an error:
 * the program is the origin of the failed exit) with the call and its
 * errno, then runs it again without the limit: clean.  Under the preload
 * a shell runs it, as in a job. */
struct as_c {
	const char *tag;
	enum sc_engine engine;
	int ebpf, shell;         /* shell: run by sh -c (always: the preload)   */
	const char *prog;        /* NULL: sc-prog                              */
	const char *mode, *arg;  /* its arguments                              */
	unsigned long long kib;
	int exit;                /* its exit status under the limit            */
	const char *out, *as;
	const char *call, *call_preload; /* the failed call each engine records */
};

static void as_c_case(const struct as_c *c)
{
	struct sc s;

	sc_need(1, 0);
	sc_init(&s, c->tag, c->engine, 0);
	if (!c->ebpf) {
		setenv("GOSHIM_TRACE_EBPF", "0", 1);
	}
	low_resource = RLIMIT_AS;
	low_value = (rlim_t)c->kib << 10;
	s.pre = low_limit;
	/* the preload records an exit where a preloaded process reaps it: a
	 * job's shell, here sh -c (its last command not exec'd); and a shell
	 * turns a signal into an exit status */
	char *prog = (char *)(c->prog ? c->prog : sc_build("tests/scenarios/sc-prog"));
	char *sh[] = { "/bin/sh", "-c", "\"$0\" \"$@\"; exit $?", prog, (char *)c->mode,
		       (char *)c->arg, NULL };
	char *own[] = { prog, (char *)c->mode, (char *)c->arg, NULL };
	char **argv = s.engine == SC_PRELOAD || c->shell ? sh : own;
	as_found_then_remedy(&s, argv, c->exit, c->out, c->as, NULL,
			     s.engine == SC_PRELOAD ? c->call_preload : c->call);
	sc_done(&s);
}

/* malloc's 100 MiB blocks are mmaps glibc makes inside libc: the watcher
 * sees them fail, the preload does not (no wrapper in between) */
Test(limits, c_malloc_out_of_address_space, .timeout = 120)
{
	as_c_case(&(struct as_c){ "cmalloc", SC_TRACE, 1, 0, NULL, "malloc", NULL, 2000000, 1,
				  "out of memory after", "1.9 GiB", "mmap", "mmap" });
}

/* A 1 GiB thread stack under 300 MB: glibc's pthread_create returns
 * EAGAIN.  The watcher sees its MAP_STACK mmap fail ENOMEM; the preload
 * sees pthread_create fail, ENOMEM in errno (a refused clone, pids.max or
 * RLIMIT_NPROC, leaves EAGAIN there: pids-limit) */
Test(limits, c_thread_stack_out_of_address_space, .timeout = 120)
{
	as_c_case(&(struct as_c){ "cthrw", SC_TRACE, 1, 0, NULL, "thread", "1024", 300000, 1,
				  "Resource temporarily unavailable", "293 MiB", "mmap", "pthread_create" });
}

Test(limits, c_thread_stack_out_of_address_space_preload, .timeout = 120)
{
	as_c_case(&(struct as_c){ "cthrp", SC_PRELOAD, 1, 1, NULL, "thread", "1024", 300000, 1,
				  "Resource temporarily unavailable", "293 MiB", "mmap", "pthread_create" });
}

/* A C program built with gcc -fsanitize=thread: TSan maps its allocator's
 * 1 TiB at 0x7b0000000000 (MAP_FIXED) at start, "CHECK failed:
 * sanitizer_allocator_primary64.h" and SIGSEGV under 2 GB (its shell
 * exits 139).  No -race
 * build information: address-space-limit, not race-shadow-mmap.  A fixed
 * mmap is notified: both with and without the watcher. */
static void tsan_case(const char *tag, int ebpf)
{
	char dir[256], bin[300], src[300];

	snprintf(dir, sizeof(dir), "%s", tl_tmpdir("tsanc"));
	snprintf(bin, sizeof(bin), "%s/tsan", dir);
	snprintf(src, sizeof(src), "%s/t.c", dir);
	tl_write(src,
		 "#include <pthread.h>\n#include <stdio.h>\n"
		 "static int v;\nstatic void *f(void *a) { v++; return a; }\n"
		 "int main(int argc, char **argv) {\n\tpthread_t t;\n"
		 "\tif (pthread_create(&t, NULL, f, NULL)) return 1;\n"
		 "\tpthread_join(t, NULL);\n\treturn 0;\n}\n");
	sc_sh("cd %s && gcc -fsanitize=thread -o tsan t.c", dir);
	/* the oracle: it runs without the limit */
	sc_sh("%s", bin);
	as_c_case(&(struct as_c){ tag, SC_TRACE, ebpf, 1, bin, NULL, NULL, 2000000, 128 + SIGSEGV,
				  "ThreadSanitizer: CHECK failed", "1.9 GiB", "mmap", "mmap" });
	tl_rmtree(dir);
}

Test(limits, tsan_c_out_of_address_space, .timeout = 120)
{
	tsan_case("tsanw", 1);
}

Test(limits, tsan_c_out_of_address_space_unwatched, .timeout = 120)
{
	tsan_case("tsann", 0);
}

/* Go's own toolchain under `ulimit -v`: at 975000 KiB go, vet and compile
 * refuse arena hints and retry smaller (benign-go-arena-retry), and go vet
 * passes: clean.  At 600000 KiB go itself cannot reserve its page
 * summary: address-space-limit about go, the origin; the remedy: clean. */
Test(limits, go_toolchain_under_ulimit_v, .timeout = 400)
{
	struct sc s;

	sc_go_start(&s, "gotool", 0, "m", "main.go", sc_go_main, NULL);
	low_resource = RLIMIT_AS;
	low_value = 975000ull << 10;
	s.pre = low_limit;
	char *vet[] = { SC_GO, "vet", ".", NULL };
	sc_rerun_clean(&s, vet, "a limit go survives");
	json_t *dec = sc_decode(&s);
	json_t *r;
	size_t i, retries = 0;
	json_array_foreach(dec, i, r) {
		retries += strcmp(sc_str(r, "family"), "mmap") == 0 &&
			   strcmp(sc_str(r, "errno"), "ENOMEM") == 0;
	}
	json_decref(dec);
	cr_expect_gt(retries, 0, "no mmap ENOMEM recorded: the retries were not seen");
	unlink(s.ring);
	low_value = 600000ull << 10;
	char *build[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	as_found_then_remedy(&s, build, 2, "fatal error: failed to reserve page summary memory",
			     "586 MiB", "go", "mmap");
	sc_done(&s);
}

/* A test that fails for a reason of its own under `ulimit -v 975000`: its
 * binary's refused arena hints (retried, as go's) are no
 * address-space-limit; the failed test is unexplained (report exits 3). */
Test(limits, failing_test_under_ulimit_v_is_not_address_space, .timeout = 300)
{
	static const char fail_test[] =
		"package ft\n\nimport \"testing\"\n\n"
		"func TestFail(t *testing.T) { t.Fatal(\"boom\") }\n";
	struct sc s;

	sc_go_start(&s, "ftas", 0, "ft", "ft_test.go", fail_test, NULL);
	low_resource = RLIMIT_AS;
	low_value = 975000ull << 10;
	s.pre = low_limit;
	char *argv[] = { SC_GO, "test", "-count=1", ".", NULL };
	as_unexplained(&s, argv, &(struct sc_want){ .exit = 1, .out = { "boom" } });
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
