/* SPDX-License-Identifier: Apache-2.0 */
/* What an exec target is, as both capture engines see it: the same C
 * program executes the same file under the trace engine and under
 * LD_PRELOAD; the two reports name the same pattern and machine, and
 * the two records carry the same ELF evidence (decode --json).  A
 * big-endian 64-bit Go program (s390x), a 32-bit little-endian one
 * (arm), an ELF file whose header is cut short, a script whose "#!"
 * interpreter is missing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sc.h"

struct fx_case {
	const char *tag;
	const char *goarch;    /* a Go build for this GOARCH, or:          */
	const char *content;   /* printf(1) format of the file's content   */
	const char *errno_name;
	const char *pattern;
	const char *machine;   /* the report's machine fact, "" none      */
	const char *kind;      /* evidence.elf.kind                        */
	const char *interp;    /* evidence.elf.interp, NULL none           */
};

static void fx_make(struct sc *s, const struct fx_case *c, const char *tool)
{
	char mod[256];

	if (c->goarch) {
		sc_module(s, "t", mod, sizeof(mod), "main.go", "package main\n\nfunc main() {}\n",
			  NULL);
		sc_sh("cd %s && GOOS=linux GOARCH=%s %s build -o %s .", mod, c->goarch, SC_GO, tool);
	} else {
		sc_sh("printf '%s' > %s", c->content, tool);
	}
	sc_sh("chmod 0755 %s", tool);
}

/* One engine: the report's finding, and the record's ELF evidence. */
static json_t *fx_run(struct sc *s, const struct fx_case *c, const char *tool)
{
	const char *name = s->engine == SC_TRACE ? "trace" : "preload";
	char *argv[] = { (char *)sc_build("tests/scenarios/sc-prog"), "run", (char *)tool, NULL };

	/* the preload would hand the exec of a static program over to the
	 * trace engine: here it records it itself */
	setenv("GOSHIM_HANDOVER", "0", 1);
	sc_run(s, argv);
	unsetenv("GOSHIM_HANDOVER");
	cr_assert(WIFEXITED(s->status) && WEXITSTATUS(s->status) == 1, "%s: %s ran", name, tool);
	json_t *rep = sc_report(s);
	json_t *f = sc_expect(s, rep, c->pattern, "error");
	cr_expect_str_eq(sc_fact(f, "machine"), c->machine, "%s: machine=%s", name,
			 sc_fact(f, "machine"));
	cr_expect_str_eq(sc_str(sc_event(f), "errno"), c->errno_name, "%s", name);
	cr_expect_str_eq(sc_str(sc_event(f), "path"), tool, "%s", name);
	json_decref(rep);

	json_t *rec = sc_record(s, tool);
	json_t *elf = json_incref(json_object_get(json_object_get(rec, "evidence"), "elf"));
	cr_assert_str_eq(sc_str(rec, "engine"), name, "recorded by %s", sc_str(rec, "engine"));
	json_decref(rec);
	cr_assert(elf, "%s: no ELF evidence", name);
	cr_expect_str_eq(sc_str(elf, "kind"), c->kind, "%s: kind %s", name, sc_str(elf, "kind"));
	if (c->interp) {
		cr_expect_str_eq(sc_str(elf, "interp"), c->interp, "%s", name);
		cr_expect_str_eq(sc_str(elf, "interp_errno"), "ENOENT", "%s", name);
	}
	return elf;
}

static void fx_both(const struct fx_case *c)
{
	struct sc s;
	char tool[256];
	json_t *elf[2];

	sc_need(1, c->goarch != NULL);
	sc_init(&s, c->tag, SC_TRACE, 0);
	snprintf(tool, sizeof(tool), "%s/tool", s.dir);
	fx_make(&s, c, tool);
	for (int k = 0; k < 2; k++) {
		s.engine = k ? SC_PRELOAD : SC_TRACE;
		elf[k] = fx_run(&s, c, tool);
	}
	char *t = json_dumps(elf[0], JSON_SORT_KEYS), *p = json_dumps(elf[1], JSON_SORT_KEYS);
	cr_expect(json_equal(elf[0], elf[1]), "the engines disagree:\n  trace   %s\n  preload %s",
		  t, p);
	free(t);
	free(p);
	json_decref(elf[0]);
	json_decref(elf[1]);
	sc_done(&s);
}

Test(execfmt, big_endian_64, .timeout = 400)
{
	static const struct fx_case c = { "fx-s390x", "s390x", NULL, "ENOEXEC", "exec-format",
					  "s390", "elf", NULL };
	fx_both(&c);
}

Test(execfmt, little_endian_32, .timeout = 400)
{
	static const struct fx_case c = { "fx-arm", "arm", NULL, "ENOEXEC", "exec-format",
					  "arm", "elf", NULL };
	fx_both(&c);
}

/* ELF magic, 64-bit, little-endian, then nothing: the kernel refuses it
 * with ENOEXEC; it is not an ELF file the reader knows. */
Test(execfmt, truncated_header, .timeout = 60)
{
	static const struct fx_case c = { "fx-trunc", NULL, "\\177ELF\\002\\001\\001\\000junk",
					  "ENOEXEC", "exec-format", "", "other", NULL };
	fx_both(&c);
}

Test(execfmt, script_interpreter_missing, .timeout = 60)
{
	static const struct fx_case c = { "fx-script", NULL, "#!/nonexistent-goshim/interp -x\\n",
					  "ENOENT", "elf-interpreter-missing", "", "script",
					  "/nonexistent-goshim/interp" };
	fx_both(&c);
}
