/* SPDX-License-Identifier: Apache-2.0 */
/* Where a remedy applies: a process recorded in a container gets the
 * container's remedy first and no host command; a host, or a ring from
 * before the CONTAINER tag, keeps the remedies a host always got; the
 * rules' remedy-container and remedy-host keys. */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <elf.h>

#include "goshim/record.h"
#include "ringmake.h"
#include "rules.h"
#include "tl_fs.h"
#include "tl_json.h"

#define TRACE GOSHIM_ENGINE_TRACE
#define GO "/usr/local/go/bin/go"
#define TEST "/tmp/go-build1/b001/x.test"

/* What a host has always been told for a noexec /tmp. */
static const char host_remedy[] =
	"mkdir -p \"$HOME/.cache/go-tmp\" && export GOTMPDIR=\"$HOME/.cache/go-tmp\"    "
	"# any directory on a mount without noexec (Go >= 1.10)\n"
	"the linker and cgo ignore GOTMPDIR (golang/go#59636): if TMPDIR itself is noexec, "
	"also  export TMPDIR=\"$GOTMPDIR\"\n"
	"or allow exec on that mount:  sudo mount -o remount,exec \"/tmp\"";

/* go (pid 100) whose child cannot exec its test binary on a noexec /tmp;
 * c: the PROCESS record's CONTAINER evidence, NULL for none (an older
 * ring). */
static void pl_ring(struct rm_ring *r, const struct goshim_t_container *c)
{
	static const char *const env[] = { "PATH=/usr/local/go/bin:/usr/bin:/bin",
					   "HOME=/home/ci", NULL };
	struct goshim_t_elf elf = { .kind = 1, .ei_class = 2, .ei_data = 1, .e_type = ET_EXEC,
				    .e_machine = EM_X86_64 };
	struct rm_rec b;

	rm_create(r);
	rm_begin(&b, 100, 1, GO);
	gs_tlv_str(&b.t, GOSHIM_T_ARGV, GO);
	gs_tlv_str(&b.t, GOSHIM_T_CWD, "/src/proj");
	for (size_t i = 0; env[i]; i++) {
		gs_tlv_str(&b.t, GOSHIM_T_ENV, env[i]);
	}
	if (c) {
		gs_tlv_put(&b.t, GOSHIM_T_CONTAINER, c, sizeof(*c));
	}
	rm_commit(r, &b, GOSHIM_REC_PROCESS, TRACE, 1);
	rm_begin(&b, 101, 100, GO);
	rm_call(&b, "execve", 'S', EACCES);
	gs_tlv_str(&b.t, GOSHIM_T_PATH, TEST);
	gs_tlv_str(&b.t, GOSHIM_T_ABSPATH, TEST);
	rm_stat(&b, TEST, 0100755, 0, 0);
	rm_statfs(&b, TMPFS_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC,
		  "/tmp tmpfs rw,nosuid,nodev,noexec,relatime");
	gs_tlv_put(&b.t, GOSHIM_T_EV_ELF, &elf, sizeof(elf));
	rm_cred(&b, 0);
	rm_commit(r, &b, GOSHIM_REC_EVENT, TRACE, 1);
	rm_exit(r, TRACE, 101, 253 << 8);
	rm_exit(r, TRACE, 100, 1 << 8);
}

/* The tmpdir-noexec finding's remedy and its fact `container` ("" none),
 * malloc'd. */
static char *pl_remedy(const struct goshim_t_container *c, char **container)
{
	struct rm_ring r;
	size_t n;
	json_t *j, *f, *ev;
	char *s;

	pl_ring(&r, c);
	j = rm_expect(&r, "tmpdir-noexec", 1, &n);
	cr_assert_eq(n, 1);
	f = json_array_get(json_object_get(j, "findings"), 0);
	s = strdup(json_string_value(json_object_get(f, "remedy")));
	ev = json_object_get(json_object_get(f, "evidence"), "container");
	*container = strdup(ev ? json_string_value(ev) : "");
	json_decref(j);
	rm_close(&r);
	return s;
}

static int pl_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

Test(place, older_ring_keeps_the_host_remedy)
{
	char *ctr, *rem = pl_remedy(NULL, &ctr);

	cr_expect_str_eq(rem, host_remedy);
	cr_expect_str_eq(ctr, "");
	free(rem);
	free(ctr);
}

Test(place, host_keeps_the_host_remedy)
{
	/* what a host shows: the initial namespaces, CAP_SYS_ADMIN bounded */
	struct goshim_t_container c = { .evidence = GOSHIM_CTR_NS_READ, .pid1 = "systemd" };
	char *ctr, *rem = pl_remedy(&c, &ctr);

	cr_expect_str_eq(rem, host_remedy);
	cr_expect_str_eq(ctr, "");
	free(rem);
	free(ctr);
}

Test(place, container_remedy_first_and_no_host_one)
{
	struct goshim_t_container c = {
		.evidence = GOSHIM_CTR_CONTAINERENV | GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN |
			    GOSHIM_CTR_NS_READ,
		.engine = "podman-4.3.1", .pid1 = "catatonit",
	};
	char *ctr, *rem = pl_remedy(&c, &ctr);

	cr_expect_str_eq(ctr, "podman-4.3.1");
	cr_expect(pl_starts(rem, "in the container's start, allow exec there:  podman run --tmpfs "
			  "/tmp:rw,exec"), "remedy: %s", rem);
	cr_expect(strstr(rem, "export GOTMPDIR="), "the in-container remedy stays: %s", rem);
	cr_expect(strstr(rem, "export GOTMPDIR=") > strstr(rem, "--tmpfs"), "%s", rem);
	cr_expect_null(strstr(rem, "sudo"), "no host command in a container: %s", rem);
	cr_expect_null(strstr(rem, "remount"), "%s", rem);
	free(rem);
	free(ctr);
}

/* A container whose evidence is only its sandbox: a pid namespace of its
 * own without CAP_SYS_ADMIN; the engine unnamed: docker's syntax. */
Test(place, sandbox_without_marks_is_a_container)
{
	struct goshim_t_container c = {
		.evidence = GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN | GOSHIM_CTR_NS_READ,
	};
	char *ctr, *rem = pl_remedy(&c, &ctr);

	cr_expect_str_eq(ctr, "yes");
	cr_expect(strstr(rem, "docker run --tmpfs /tmp:rw,exec") == strstr(rem, "docker run"),
		  "remedy: %s", rem);
	cr_expect_null(strstr(rem, "sudo"), "%s", rem);
	free(rem);
	free(ctr);
}

/* A privileged container (CAP_SYS_ADMIN kept): its start options first,
 * and the remount last, which works there. */
Test(place, privileged_container_keeps_the_host_remedy_last)
{
	struct goshim_t_container c = { .evidence = GOSHIM_CTR_DOCKERENV | GOSHIM_CTR_PIDNS |
						    GOSHIM_CTR_CGROUPNS | GOSHIM_CTR_NS_READ,
					.engine = "docker" };
	char *ctr, *rem = pl_remedy(&c, &ctr);
	const char *remount = strstr(rem, "sudo mount -o remount,exec \"/tmp\"");

	cr_expect_str_eq(ctr, "docker");
	cr_expect(pl_starts(rem, "in the container's start"), "remedy: %s", rem);
	cr_expect(remount && !strchr(remount, '\n'), "the remount last: %s", rem);
	free(rem);
	free(ctr);
}

/* /.dockerenv in the initial namespaces with every capability: a VM or
 * chroot made from a container image, which keeps the image's file. */
Test(place, dockerenv_in_the_initial_namespaces_is_a_host)
{
	struct goshim_t_container c = { .evidence = GOSHIM_CTR_DOCKERENV | GOSHIM_CTR_NS_READ,
					.engine = "docker" };
	char *ctr, *rem = pl_remedy(&c, &ctr);

	cr_expect_str_eq(rem, host_remedy);
	free(rem);
	free(ctr);
}

/* A CAP_SYS_ADMIN-less process that is neither in a pid namespace of its
 * own nor marked: a host user with a reduced bounding set. */
Test(place, dropped_cap_alone_is_a_host)
{
	struct goshim_t_container c = { .evidence = GOSHIM_CTR_NO_SYS_ADMIN | GOSHIM_CTR_NS_READ };
	char *ctr, *rem = pl_remedy(&c, &ctr);

	cr_expect_str_eq(rem, host_remedy);
	free(rem);
	free(ctr);
}

static const char *pl_load(const char *text, struct gs_rules *rs, char *err, size_t n)
{
	memset(rs, 0, sizeof(*rs));
	return gs_rules_load_text(rs, "t.rules", text, err, n) == 0 ? NULL : err;
}

Test(place, rules_keys)
{
	struct gs_rules rs;
	char err[512];
	const struct gs_rule *r;

	cr_assert_null(pl_load("[p]\nseverity error\nsummary s\nremedy-host H1\nremedy A\n"
			       "remedy-container C1\nremedy-host H2\nremedy-container C2\n"
			       "match errno EACCES\n", &rs, err, sizeof(err)), "%s", err);
	r = gs_rules_find(&rs, "p");
	cr_assert_not_null(r);
	cr_expect_str_eq(gs_rule_remedy(r, GS_PLACE_HOST), "H1\nA\nH2");
	cr_expect_str_eq(gs_rule_remedy(r, GS_PLACE_CONTAINER), "C1\nC2\nA");
	cr_expect_str_eq(gs_rule_remedy(r, GS_PLACE_ANY), "C1\nC2\nH1\nA\nH2");
	gs_rules_free(&rs);

	cr_expect(pl_load("[p]\nseverity error\nsummary s\nremedy-host H\nmatch errno EACCES\n",
			  &rs, err, sizeof(err)) && strstr(err, "leave a container without a remedy"),
		  "%s", err);
	cr_expect(pl_load("[p]\nseverity error\nsummary s\nremedy-container C\nmatch errno EACCES\n",
			  &rs, err, sizeof(err)) && strstr(err, "leave a host without a remedy"),
		  "%s", err);
	cr_expect(pl_load("[p]\nseverity error\nsummary s\nremedy-hots H\nmatch errno EACCES\n",
			  &rs, err, sizeof(err)) && strstr(err, "unknown key"), "%s", err);
}

/* explain without --check: the log says not where it ran, so every line,
 * the container's first and the host's remount last. */
Test(place, explain_without_check_gives_every_place)
{
	const char *args[] = { "explain", "--format=json", NULL, NULL };
	char log[256], *out, *err;
	json_t *j, *c;
	const char *rem;

	snprintf(log, sizeof(log), "%s/job.log", tl_tmpdir("place-explain"));
	tl_write(log, "fork/exec /tmp/go-build1/b001/x.test: permission denied\n");
	args[2] = log;
	cr_assert_eq(rm_run(args, &out, &err), 1, "%s", err);
	j = tl_json(out);
	c = json_array_get(json_object_get(json_array_get(json_object_get(j, "findings"), 0),
					   "causes"), 0);
	rem = json_string_value(json_object_get(c, "remedy"));
	cr_assert_not_null(rem, "%s", out);
	cr_expect(pl_starts(rem, "in the container's start, allow exec there:  docker run --tmpfs"),
		  "%s", rem);
	cr_expect(strstr(rem, "sudo mount -o remount,exec") && !strchr(strstr(rem, "sudo"), '\n'),
		  "the host's remount last: %s", rem);
	json_decref(j);
	free(out);
	free(err);
}

/* A ring's engine and pid 1 fill their fields without a NUL: read within
 * them. */
Test(place, unterminated_names)
{
	struct goshim_t_container c = {
		.evidence = GOSHIM_CTR_CONTAINERENV | GOSHIM_CTR_PIDNS | GOSHIM_CTR_NO_SYS_ADMIN,
	};
	char *ctr, *rem;

	memcpy(c.engine, "podman-0123456789abcdefghijklmno", sizeof(c.engine));
	memset(c.pid1, 'p', sizeof(c.pid1));
	rem = pl_remedy(&c, &ctr);
	cr_expect_str_eq(ctr, "podman-0123456789abcdefghijklmno");
	cr_expect(strstr(rem, "podman run --tmpfs"), "%s", rem);
	free(rem);
	free(ctr);
}
