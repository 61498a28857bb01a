/* SPDX-License-Identifier: Apache-2.0 */
#include "sc.h"

#include "tl_env.h"
#include "tl_fs.h"
#include "tl_run.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const sc_setpriv[] = {
	"/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", NULL,
};

const char *sc_go(void)
{
	const char *go = getenv("GOSHIM_SC_GO");

	return go && *go ? go : "/usr/local/go/bin/go";
}

const char *sc_gocache(void)
{
	return tl_build("tests/scenarios/gocache");
}

void sc_need(int root, int go)
{
	if (root && geteuid() != 0) {
		cr_skip_test("needs root: real mounts in a private namespace, uid 65534 via setpriv");
	}
	if (go) {
		cr_assert(access(SC_GO, X_OK) == 0,
			  "the Go toolchain %s is missing: the Go scenarios cannot run", SC_GO);
	}
}

void sc_init(struct sc *s, const char *tag, enum sc_engine engine, int nobody)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/gs-scen-%s-XXXXXX", tag);
	cr_assert(mkdtemp(s->dir), "mkdtemp: %s", strerror(errno));
	cr_assert(chmod(s->dir, 0755) == 0);
	snprintf(s->ring, sizeof(s->ring), "%s/r.ring", s->dir);
	snprintf(s->out, sizeof(s->out), "%s/out.txt", s->dir);
	snprintf(s->doc, sizeof(s->doc), "%s/doctor.json", s->dir);
	snprintf(s->mnt, sizeof(s->mnt), "%s/mnt", s->dir);
	snprintf(s->home, sizeof(s->home), "%s/home", s->dir);
	snprintf(s->tmp, sizeof(s->tmp), "%s/tmp", s->dir);
	cr_assert(mkdir(s->mnt, 0755) == 0 && mkdir(s->home, 0755) == 0 &&
		  mkdir(s->tmp, 0755) == 0 && chmod(s->tmp, 01777) == 0);
	const char *force = getenv("GOSHIM_SC_ENGINE");
	if (engine == SC_TRACE && force && strcmp(force, "preload") == 0) {
		engine = SC_PRELOAD;
		/* the preloaded workload writes the ring: a directory it may write */
		cr_assert(snprintf(s->ring, sizeof(s->ring), "%s/r.ring", s->tmp) <
			  (int)sizeof(s->ring));
	}
	s->engine = engine;
	s->nobody = nobody;
	if (nobody) {
		cr_assert(chown(s->home, SC_NOBODY, SC_NOBODY) == 0);
	}
	setenv("GOTOOLCHAIN", "local", 1);
	setenv("GOFLAGS", "-mod=mod", 1);
	setenv("GOPROXY", "off", 1);
	setenv("GOCACHE", sc_gocache(), 1);
	setenv("CGO_ENABLED", "0", 1);
	setenv("HOME", s->home, 1);
	setenv("TMPDIR", s->tmp, 1);
	char path[256];
	snprintf(path, sizeof(path), "%.*s:/usr/bin:/bin",
		 (int)(strrchr(sc_go(), '/') ? strrchr(sc_go(), '/') - sc_go() : 0), sc_go());
	setenv("PATH", path, 1);
	char gp[256];
	snprintf(gp, sizeof(gp), "%s/go", s->home);
	setenv("GOPATH", gp, 1);
	unsetenv("GOTMPDIR");
	unsetenv("GOMODCACHE");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("CC");
	unsetenv("GOENV");
	unsetenv("LD_PRELOAD");
	unsetenv("GOSHIM_RING");
}

/* The toolchain's language version ("1.26" for go1.26.8): a module at an
 * older version changes the GODEBUG defaults std's own tests expect. */
static const char *sc_go_lang(void)
{
	static char lang[32];
	unsigned maj = 0, min = 0;
	char *line;
	int st;

	if (lang[0]) {
		return lang;
	}
	line = tl_sh_out(&st, "%s env GOVERSION", SC_GO);
	cr_assert(sscanf(line, "go%u.%u", &maj, &min) == 2, "go env GOVERSION said: %s", line);
	snprintf(lang, sizeof(lang), "%u.%u", maj, min);
	free(line);
	return lang;
}

static void sc_vmodule(struct sc *s, const char *name, char *buf, size_t size, va_list ap)
{
	char p[512], text[256];

	snprintf(buf, size, "%s/%s", s->dir, name);
	cr_assert(mkdir(buf, 0755) == 0, "mkdir %s: %s", buf, strerror(errno));
	snprintf(p, sizeof(p), "%s/go.mod", buf);
	snprintf(text, sizeof(text), "module example.com/%s\n\ngo %s\n", name, sc_go_lang());
	sc_write(p, text);
	for (const char *f; (f = va_arg(ap, const char *));) {
		snprintf(p, sizeof(p), "%s/%s", buf, f);
		sc_write(p, va_arg(ap, const char *));
	}
	if (s->nobody) {
		sc_sh("chown -R %d:%d %s", SC_NOBODY, SC_NOBODY, buf);
	}
}

void sc_module(struct sc *s, const char *name, char *buf, size_t size, ...)
{
	va_list ap;

	va_start(ap, size);
	sc_vmodule(s, name, buf, size, ap);
	va_end(ap);
}

void sc_go_start(struct sc *s, const char *tag, int nobody, const char *name, ...)
{
	va_list ap;

	sc_need(1, 1);
	sc_init(s, tag, SC_TRACE, nobody);
	va_start(ap, name);
	sc_vmodule(s, name, s->mod, sizeof(s->mod), ap);
	va_end(ap);
	s->cwd = s->mod;
}

/* argv of the workload: [engine prefix] [setpriv ...] argv. */
static void sc_argv(const struct sc *s, char *const argv[], const char **av, size_t max)
{
	const char *cmd[64];
	size_t n = 0;

	for (size_t i = 0; s->nobody && sc_setpriv[i]; i++) {
		cmd[n++] = sc_setpriv[i];
	}
	for (size_t i = 0; argv[i] && n < 63; i++) {
		cmd[n++] = argv[i];
	}
	cmd[n] = NULL;
	if (s->engine == SC_TRACE) {
		tl_traced_argv(av, max, s->ring, cmd);
	} else {
		memcpy(av, cmd, (n + 1) * sizeof(*cmd));
	}
}

/* Fork, exec av with stdout+stderr to file, wait.  Runs in the scenario
 * child; returns the wait status or -1. */
static int sc_spawn(const struct sc *s, const char *const *av, const char *file, int preload)
{
	int st, ep[2], err = 0;
	pid_t pid;

	if (pipe2(ep, O_CLOEXEC) < 0) {
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		return -1;
	}
	if (pid == 0) {
		int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		close(ep[0]);
		if (fd < 0 || chdir(s->cwd ? s->cwd : s->dir) < 0) {
			err = errno;
			if (write(ep[1], &err, sizeof(err)) < 0) {
				_exit(126);
			}
			_exit(126);
		}
		dup2(fd, 1);
		if (preload) {
			dup2(fd, 2);
			setenv("LD_PRELOAD", getenv("GOSHIM_PRELOAD"), 1);
			setenv("GOSHIM_RING", s->ring, 1);
			setenv("GOSHIM_RING_MODE", "0666", 1);
		} else if (strcmp(file, s->doc) != 0) {
			dup2(fd, 2);
		}
		close(fd);
		if (s->pre) {
			s->pre();
		}
		execv(av[0], (char **)av);
		err = errno;
		if (write(ep[1], &err, sizeof(err)) < 0) {
			_exit(127);
		}
		_exit(127);
	}
	close(ep[1]);
	if (read(ep[0], &err, sizeof(err)) != sizeof(err)) {
		err = 0;
	}
	close(ep[0]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			return -1;
		}
	}
	return err ? -1 : st;
}

static void sc_child(const struct sc *s, char *const argv[], int fd)
{
	const char *av[64], *dv[16];
	int st[2] = { -1, -1 };
	size_t n = 0;

	if (s->mounts) {
		if (tl_private_tmpfs(NULL, 0, NULL) < 0) {
			fprintf(stderr, "scenario: private mount namespace: %s\n", strerror(errno));
			_exit(200);
		}
		if (s->mounts((struct sc *)s) != 0) {
			_exit(201);
		}
	}
	sc_argv(s, argv, av, 64);
	st[0] = sc_spawn(s, av, s->out, s->engine == SC_PRELOAD);
	if (s->doctor) {
		for (size_t i = 0; s->nobody && sc_setpriv[i]; i++) {
			dv[n++] = sc_setpriv[i];
		}
		dv[n++] = getenv("GOSHIMCTL");
		dv[n++] = "doctor";
		dv[n++] = "--json";
		dv[n] = NULL;
		st[1] = sc_spawn(s, dv, s->doc, 0);
	}
	if (write(fd, st, sizeof(st)) != sizeof(st)) {
		_exit(202);
	}
	_exit(0);
}

int sc_run(struct sc *s, char *const argv[])
{
	int p[2], st[2], cst;
	pid_t pid;

	tl_env("GOSHIMCTL");
	tl_env("GOSHIM_PRELOAD");
	unlink(s->ring);
	cr_assert(pipe(p) == 0);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		sc_child(s, argv, p[1]);
	}
	close(p[1]);
	cr_assert(waitpid(pid, &cst, 0) == pid);
	cr_assert(WIFEXITED(cst) && WEXITSTATUS(cst) == 0,
		  "scenario setup failed in the child (status %#x): see stderr", cst);
	cr_assert(read(p[0], st, sizeof(st)) == sizeof(st));
	close(p[0]);
	cr_assert(st[0] != -1, "the workload could not be started: %s", argv[0]);
	cr_assert(!s->doctor || (st[1] != -1 && WIFEXITED(st[1]) && WEXITSTATUS(st[1]) < 2),
		  "doctor failed to run (%#x)", st[1]);
	s->status = st[0];
	return st[0];
}

char *sc_output(const struct sc *s)
{
	char *t = tl_read(s->out, NULL);

	return t ? t : strdup("");
}

/* The end of an output, for a message: a race or crash traceback runs to
 * megabytes, more than Criterion's report channel carries (the test then
 * hangs instead of failing). */
const char *sc_tail(const char *out)
{
	size_t n = strlen(out);

	return n > SC_TAIL ? out + n - SC_TAIL : out;
}

/* Run a goshimctl subcommand on the ring: stdout to file, stderr to
 * the test's. */
static int sc_ctl(const struct sc *s, const char *const *args, const char *file)
{
	const char *av[16] = { tl_env("GOSHIMCTL") };
	struct tl_cmd c = { .argv = av, .uid = -1, .capture = 1 };
	struct tl_res res;

	for (size_t i = 0; args[i] && i < 14; i++) {
		av[i + 1] = args[i];
	}
	tl_spawn(&c, &res);
	tl_write(file, res.out);
	fputs(res.err, stderr);
	tl_res_free(&res);
	return res.code;
}

static json_t *sc_json_file(const char *path, const char *what)
{
	char *t = tl_read(path, NULL);
	json_t *j;

	cr_assert_not_null(t, "%s: no output", what);
	j = tl_json(t);
	free(t);
	return j;
}

json_t *sc_report(const struct sc *s)
{
	char file[256];
	const char *args[] = { "report", "--json", s->ring, NULL };
	int rc;

	snprintf(file, sizeof(file), "%s/report.json", s->dir);
	rc = sc_ctl(s, args, file);
	cr_assert(rc == 0 || rc == 1 || rc == 3, "goshimctl report exited %d", rc);
	return sc_json_file(file, "report --json");
}

json_t *sc_record(const struct sc *s, const char *abspath)
{
	char file[256];
	const char *args[] = { "decode", "--json", "--path", abspath, s->ring, NULL };
	json_t *rec = NULL;

	snprintf(file, sizeof(file), "%s/decode.jsonl", s->dir);
	cr_assert(sc_ctl(s, args, file) == 0, "goshimctl decode failed");
	char *text = tl_slurp(file, NULL);
	for (char *line = strtok(text, "\n"); line && !rec; line = strtok(NULL, "\n")) {
		json_t *o = json_loads(line, 0, NULL);

		if (o && strcmp(sc_str(o, "abspath"), abspath) == 0) {
			rec = json_incref(o);
		}
		json_decref(o);
	}
	cr_assert(rec, "no failure on %s in the ring: %s", abspath, text);
	free(text);
	return rec;
}

json_t *sc_decode(const struct sc *s)
{
	char file[256];
	const char *args[] = { "decode", "--json", s->ring, NULL };
	json_t *all = json_array();

	snprintf(file, sizeof(file), "%s/decode.jsonl", s->dir);
	cr_assert_eq(sc_ctl(s, args, file), 0, "goshimctl decode --json failed");
	char *text = tl_slurp(file, NULL), *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *j = json_loads(l, 0, &je);
		cr_assert(j, "decode --json line is not JSON (%s): %s", je.text, l);
		json_array_append_new(all, j);
	}
	free(text);
	return all;
}

int sc_report_status(const struct sc *s)
{
	char file[256];
	const char *args[] = { "report", s->ring, NULL };

	snprintf(file, sizeof(file), "%s/report.txt", s->dir);
	return sc_ctl(s, args, file);
}

json_t *sc_doctor(const struct sc *s)
{
	cr_assert(s->doctor, "doctor was not run in this scenario");
	return sc_json_file(s->doc, "doctor --json");
}

const char *sc_fact(json_t *f, const char *k)
{
	return sc_str(json_object_get(f, "evidence"), k);
}

json_t *sc_event(json_t *f)
{
	json_t *e = json_array_get(json_object_get(f, "events"), 0);

	cr_assert(e, "finding %s has no event", sc_str(f, "pattern"));
	return e;
}

/* What a failing assertion needs: the report and what the ring held. */
static void sc_explain(const struct sc *s, json_t *rep)
{
	char file[256], cmd[1024], *t;
	const char *args[] = { "decode", "--no-symbols", "--type", "all", s->ring, NULL };
	char *r = json_dumps(json_pack("{s:O,s:O,s:O*,s:O*}", "findings",
				       json_object_get(rep, "findings"), "unclassified",
				       json_object_get(rep, "unclassified"), "unexplained",
				       json_object_get(rep, "unexplained"), "ring",
				       json_object_get(rep, "ring")),
			     JSON_INDENT(1));

	/* Most telling last: a CI log keeps the last lines of a test. */
	fprintf(stderr, "---- scenario %s: workload status %#x, output (its start, its end):\n",
		s->dir, s->status);
	t = sc_output(s);
	size_t n = strlen(t);
	if (n > 2800) {
		fprintf(stderr, "%.800s\n[...]\n%s\n", t, t + n - 2000);
	} else {
		fprintf(stderr, "%s\n", t);
	}
	free(t);
	snprintf(file, sizeof(file), "%s/decode.txt", s->dir);
	sc_ctl(s, args, file);
	fprintf(stderr, "---- ring (significant failures, process records; all of it in %s):\n",
		file);
	fflush(stderr);
	snprintf(cmd, sizeof(cmd),
		 "grep -v '^    #' %s/decode.txt | grep -B1 -A3 -E "
		 "'E(ACCES|PERM|ROFS|NOSPC|NOEXEC|TXTBSY|MFILE|NFILE|NOMEM)|\\[(process|exit)' "
		 "| cut -c1-200 | tail -60 >&2", s->dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "(no significant failure in the ring)\n");
	}
	fprintf(stderr, "---- report findings, unclassified, unexplained, ring:\n%.6000s\n", r ? r : "?");
	free(r);
}

json_t *sc_expect(const struct sc *s, json_t *rep, const char *id, const char *sev)
{
	char errs[512], warns[512], want[128];
	const char *other = strcmp(sev, "error") == 0 ? warns : errs;
	const char *mine = strcmp(sev, "error") == 0 ? errs : warns;
	size_t i;
	json_t *f;

	tl_patterns(rep, "error", errs, sizeof(errs));
	tl_patterns(rep, "warning", warns, sizeof(warns));
	snprintf(want, sizeof(want), "%s", id);
	if (strcmp(mine, want) != 0 || other[0]) {
		sc_explain(s, rep);
	}
	cr_assert_str_eq(mine, want, "%s findings [%s], want exactly [%s] (errors [%s], warnings [%s])",
			 sev, mine, want, errs, warns);
	cr_assert_str_eq(other, "", "unexpected findings [%s] besides %s", other, id);
	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		if (strcmp(sc_str(f, "pattern"), id) == 0) {
			return f;
		}
	}
	return NULL;
}

void sc_expect_clean(const struct sc *s, json_t *rep)
{
	size_t nf = json_array_size(json_object_get(rep, "findings"));
	size_t nu = json_array_size(json_object_get(rep, "unclassified"));
	size_t nx = json_array_size(json_object_get(rep, "unexplained"));

	if (nf || nu || nx) {
		sc_explain(s, rep);
	}
	cr_assert_eq(nf, 0, "a clean run gave %zu finding(s): false positives", nf);
	cr_assert_eq(nu, 0, "a clean run left %zu failure(s) unclassified", nu);
	cr_assert_eq(nx, 0, "a clean run has %zu unexplained failed exit(s)", nx);
}

json_t *sc_doctor_expect(const struct sc *s, json_t *doc, const char *id)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(doc, "findings"), i, f) {
		if (strcmp(sc_str(f, "pattern"), id) == 0) {
			return f;
		}
	}
	char *d = json_dumps(doc, JSON_INDENT(1));
	fprintf(stderr, "---- doctor (%s):\n%.8000s\n", s->dir, d ? d : "?");
	free(d);
	cr_assert_fail("doctor does not flag %s", id);
	return NULL;
}

void sc_run_want(struct sc *s, char *const argv[], const struct sc_want *w)
{
	sc_run(s, argv);
	char *out = sc_output(s);
	int ok = WIFEXITED(s->status) &&
		 (w->exit == SC_NONZERO ? WEXITSTATUS(s->status) != 0
					: WEXITSTATUS(s->status) == w->exit);

	int has = 1, has_or = w->out_or[0] != NULL;

	for (size_t i = 0; i < 3; i++) {
		has &= !w->out[i] || strstr(out, w->out[i]) != NULL;
		has_or &= !w->out_or[i] || strstr(out, w->out_or[i]) != NULL;
	}
	ok = ok && (has || has_or);
	/* a long output's start says what failed, its end where */
	size_t n = strlen(out), head = n > SC_TAIL + SC_HEAD ? SC_HEAD : 0;

	cr_assert(ok, "%s %s (status %#x, want exit %d and [%s] [%s]%s%s in the output): %.*s%s%s",
		  argv[0], argv[1] ? argv[1] : "", s->status, w->exit, w->out[0] ? w->out[0] : "",
		  w->out[1] ? w->out[1] : "", w->out_or[0] ? " or " : "",
		  w->out_or[0] ? w->out_or[0] : "", (int)head, out, head ? "\n[...]\n" : "",
		  head ? sc_tail(out) : out);
	free(out);
}

static void sc_expect_kv(json_t *obj, const struct sc_kv *kv, size_t n, const char *what)
{
	for (size_t i = 0; i < n && kv[i].k; i++) {
		cr_expect_str_eq(sc_str(obj, kv[i].k), kv[i].v, "%s %s", what, kv[i].k);
	}
}

json_t *sc_check(struct sc *s, char *const argv[], const struct sc_want *w, json_t **finding)
{
	json_t *rep, *f;

	sc_run_want(s, argv, w);
	rep = sc_report(s);
	f = sc_expect(s, rep, w->id, w->sev);
	sc_expect_kv(json_object_get(f, "evidence"), w->fact, 6, "fact");
	if (w->event[0].k) {
		sc_expect_kv(sc_event(f), w->event, 4, "event");
	}
	if (w->doctor) {
		json_t *doc = sc_doctor(s);
		json_t *d = sc_doctor_expect(s, doc, w->doctor);

		sc_expect_kv(json_object_get(d, "evidence"), w->doctor_fact, 2, "doctor fact");
		json_decref(doc);
	}
	if (finding) {
		*finding = f;
	}
	return rep;
}

void sc_done(struct sc *s)
{
	tl_rmtree(s->dir);
}

const char sc_go_main[] =
	"package main\n\n"
	"import (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"net/url\"\n\t\"os\"\n\t\"strings\"\n)\n\n"
	"func main() {\n"
	"\tu, err := url.Parse(\"https://example.com/a?q=go\")\n"
	"\tif err != nil {\n\t\tos.Exit(1)\n\t}\n"
	"\tb, _ := json.Marshal(map[string]string{\"q\": strings.ToUpper(u.Query().Get(\"q\"))})\n"
	"\tfmt.Fprintln(os.Stdout, string(b))\n"
	"}\n";

const char sc_go_test[] =
	"package main\n\n"
	"import (\n\t\"encoding/json\"\n\t\"net/url\"\n\t\"os\"\n\t\"strings\"\n\t\"testing\"\n)\n\n"
	"func TestParse(t *testing.T) {\n"
	"\tu, err := url.Parse(\"https://example.com/a?q=go\")\n"
	"\tif err != nil || u.Host != \"example.com\" {\n\t\tt.Fatal(err)\n\t}\n"
	"\tvar m map[string]string\n"
	"\tif err := json.Unmarshal([]byte(`{\"a\":\"b\"}`), &m); err != nil || strings.ToUpper(m[\"a\"]) != \"B\" {\n"
	"\t\tt.Fatal(err)\n\t}\n"
	"\tif _, err := os.Stat(\"go.mod\"); err != nil {\n\t\tt.Fatal(err)\n\t}\n"
	"}\n";

const char sc_go_cgo[] =
	"package main\n\n"
	"// #include <stdlib.h>\n"
	"// static int two(void) { return abs(-2); }\n"
	"import \"C\"\n\n"
	"import \"fmt\"\n\n"
	"func main() { fmt.Println(\"cgo says\", C.two()) }\n";

const char sc_go_cgo_test[] =
	"package main\n\n"
	"import \"testing\"\n\n"
	"func TestTwo(t *testing.T) {\n\tif C2() != 2 {\n\t\tt.Fatal(\"two\")\n\t}\n}\n";

const char sc_go_cgo_lib[] =
	"package main\n\n"
	"// static int two2(void) { return 2; }\n"
	"import \"C\"\n\n"
	"func C2() int { return int(C.two2()) }\n";

void sc_rerun_clean(struct sc *s, char *const argv[], const char *what)
{
	s->doctor = 0;
	sc_run(s, argv);
	char *out = sc_output(s);
	cr_assert(WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0,
		  "the workload with the remedy (%s) failed (%#x): %s", what, s->status, sc_tail(out));
	free(out);
	json_t *rep = sc_report(s);
	sc_expect_clean(s, rep);
	json_decref(rep);
}

void sc_denied_path_start(struct sc *s, const char *tag, const char *rest)
{
	char path[512];

	sc_need(1, 0);
	sc_init(s, tag, SC_TRACE, 1);
	sc_sh("mkdir -p %s/priv/bin && chmod 0700 %s/priv", s->dir, s->dir);
	sc_sh("printf 'int f(void) { return 0; }\\n' > %s/t.c && chown %d %s/t.c", s->home,
	      SC_NOBODY, s->home);
	snprintf(path, sizeof(path), "%s/priv/bin:%s/priv%s", s->dir, s->dir, rest);
	setenv("PATH", path, 1);
	s->cwd = s->home;
}

/* A GOPROXY directory serving example.com/dep v1.0.0. */
void sc_dep_proxy(const char *proxy)
{
	sc_sh("d=%s/example.com/dep/@v && mkdir -p $d && echo v1.0.0 > $d/list && "
	      "printf 'module example.com/dep\\n\\ngo 1.19\\n' > $d/v1.0.0.mod && "
	      "echo '{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}' > $d/v1.0.0.info && "
	      "python3 -c 'import sys, zipfile\n"
	      "z = zipfile.ZipFile(sys.argv[1], \"w\")\n"
	      "z.writestr(\"example.com/dep@v1.0.0/go.mod\", \"module example.com/dep\\n\\ngo 1.19\\n\")\n"
	      "z.writestr(\"example.com/dep@v1.0.0/dep.go\", \"package dep\\n\")\n"
	      "z.close()' $d/v1.0.0.zip && chmod -R a+rX %s",
	      proxy, proxy);
}

void sc_compile_error_without(struct sc *s, const char *id)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/broken.go", s->mod);
	sc_write(p, "package main\n\nfunc broken() { undefined() }\n");
	char *argv[] = { SC_GO, "build", "-o", "/dev/null", ".", NULL };
	sc_run(s, argv);
	char *out = sc_output(s);
	cr_assert(s->status != 0 && strstr(out, "undefined"), "%#x: %s", s->status, sc_tail(out));
	free(out);
	json_t *rep = sc_report(s);
	json_t *fs = json_object_get(rep, "findings");
	cr_assert(json_is_array(fs), "report without findings array");
	for (size_t i = 0; i < json_array_size(fs); i++) {
		const char *got = sc_str(json_array_get(fs, i), "pattern");
		cr_expect(id && strcmp(got, id) != 0, "finding %s for a compile error", got);
	}
	json_decref(rep);
}
