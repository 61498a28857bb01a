/* SPDX-License-Identifier: Apache-2.0 */
/* Exec evidence on real files: a noexec tmpfs, a missing ELF interpreter,
 * a "#!" script, PATH search. */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goshim/record.h"
#include "rec.h"
#include "util.h"

static void copy_file(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 20];
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, mode);
	ssize_t n;

	cr_assert(in >= 0 && out >= 0, "copy %s -> %s: %m", from, to);
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		cr_assert_eq(write(out, buf, (size_t)n), n);
	}
	close(in);
	close(out);
}

static const struct gs_rec *exec_fail(const char *path, const char *name, int err,
				      struct gs_ring_reader *r)
{
	char *argv[] = { "prog", "arg1", NULL };
	struct gs_call c = {
		.call = name ? GOSHIM_CALL_execvp : GOSHIM_CALL_execve, .err = err, .ret = -1,
		.present = GS_A_EXEC | (name ? GS_A_SEARCH : 0u), .path = path, .name = name,
		.argv = argv, .caller = __builtin_return_address(0),
	};
	gs_fail(&c);
	rt_load(r);
	const struct gs_rec *e = rt_find(r, GOSHIM_REC_EVENT, 0, 0);
	cr_assert_not_null(e);
	cr_assert_eq(rt_count(e, GOSHIM_T_ARGV), 2);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_ARGV, 1), "arg1");
	return e;
}

static const struct goshim_t_elf *elf_of(const struct gs_rec *e)
{
	struct gs_tlv_field f;

	cr_assert(rt_field(e, GOSHIM_T_EV_ELF, 0, &f), "EV_ELF missing");
	cr_assert_eq(f.len, sizeof(struct goshim_t_elf));
	return (const void *)f.val;
}

Test(exec, noexec_tmpfs)
{
	const char *dir = rt_setup();
	char mnt[512], prog[600];
	struct gs_ring_reader r;

	if (unshare(CLONE_NEWNS) != 0) {
		cr_skip_test("needs root for a private mount namespace (unshare: %s)", strerror(errno));
	}
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0, "%m");
	snprintf(mnt, sizeof(mnt), "%s/noexec", dir);
	cr_assert_eq(mkdir(mnt, 0755), 0);
	cr_assert_eq(mount("tmpfs", mnt, "tmpfs", MS_NOEXEC | MS_NOSUID, "size=4m"), 0,
		     "mount noexec tmpfs: %m");
	snprintf(prog, sizeof(prog), "%s/x.test", mnt);
	copy_file("/bin/true", prog, 0755);
	cr_assert_eq(execve(prog, (char *[]){ "x", NULL }, NULL), -1);
	cr_assert_eq(errno, EACCES, "the kernel refuses exec on noexec");

	const struct gs_rec *e = exec_fail(prog, NULL, EACCES, &r);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_PATH, 0), prog);
	struct gs_tlv_field f;
	cr_assert(rt_field(e, GOSHIM_T_EV_STATFS, 0, &f));
	const struct goshim_t_statfs *sf = (const void *)f.val;
	cr_assert(sf->flags & ST_NOEXEC, "ST_NOEXEC in f_flags");
	const char *m = rt_str(e, GOSHIM_T_EV_MOUNT, 0);
	cr_assert(!strncmp(m, mnt, strlen(mnt)) && m[strlen(mnt)] == ' ', "mount line '%s'", m);
	cr_assert_not_null(strstr(m, " tmpfs "), "'%s'", m);
	cr_assert_not_null(strstr(m, "noexec"), "'%s'", m);
	const struct goshim_t_elf *el = elf_of(e);
	cr_assert_eq(el->kind, 1);
	cr_assert_eq(el->ei_class, ELFCLASS64);
	cr_assert_eq(el->e_machine, EM_X86_64);
	cr_assert_eq(el->has_interp, 1);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_INTERP, 0), "/lib64/ld-linux-x86-64.so.2");
	cr_assert_eq(rt_i32(e, GOSHIM_T_EV_INTERP_ERR), 0);
	cr_assert_eq(rt_count(e, GOSHIM_T_EV_CRED), 1);
	umount(mnt);
}

/* Copy /bin/true with its PT_INTERP replaced by a path that does not exist. */
static void make_bad_interp(const char *to)
{
	static char buf[1 << 20];
	int in = open("/bin/true", O_RDONLY);
	ssize_t n = read(in, buf, sizeof(buf));
	const char want[] = "/lib64/ld-linux-x86-64.so.2";
	const char bad[] = "/nonexistent/ld-missing.so";

	close(in);
	cr_assert_gt(n, 0);
	char *p = memmem(buf, (size_t)n, want, sizeof(want));
	cr_assert_not_null(p);
	memset(p, 0, sizeof(want));
	memcpy(p, bad, sizeof(bad));
	int out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	cr_assert_eq(write(out, buf, (size_t)n), n);
	close(out);
}

Test(exec, missing_interpreter)
{
	char prog[512];
	struct gs_ring_reader r;

	rt_setup_file("badinterp", prog, sizeof(prog));
	make_bad_interp(prog);
	cr_assert_eq(execve(prog, (char *[]){ "x", NULL }, NULL), -1);
	cr_assert_eq(errno, ENOENT, "the kernel says ENOENT for a missing interpreter");

	const struct gs_rec *e = exec_fail(prog, NULL, ENOENT, &r);
	cr_assert_eq(rt_u32(e, GOSHIM_T_EV_MISSING), 0, "the program itself exists");
	cr_assert_eq(elf_of(e)->kind, 1);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_INTERP, 0), "/nonexistent/ld-missing.so");
	cr_assert_eq(rt_i32(e, GOSHIM_T_EV_INTERP_ERR), ENOENT);
}

Test(exec, script_and_path_search)
{
	const char *dir = rt_setup();
	char script[512], path[1024];
	struct gs_ring_reader r;

	snprintf(script, sizeof(script), "%s/goshim-test-script", dir);
	int fd = open(script, O_CREAT | O_WRONLY, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "#!/nonexistent/sh -e\necho\n", 26), 26);
	close(fd);
	snprintf(path, sizeof(path), "/nonexistent-dir:%s:/usr/bin", dir);
	setenv("PATH", path, 1);

	const struct gs_rec *e = exec_fail(NULL, "goshim-test-script", ENOENT, &r);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_NAME, 0), "goshim-test-script");
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_RESOLVED, 0), script);
	const struct goshim_t_elf *el = elf_of(e);
	cr_assert_eq(el->kind, 2);
	cr_assert_eq(el->has_interp, 1);
	cr_assert_str_eq(rt_str(e, GOSHIM_T_EV_INTERP, 0), "/nonexistent/sh");
	cr_assert_eq(rt_i32(e, GOSHIM_T_EV_INTERP_ERR), ENOENT);
}

Test(exec, not_on_path)
{
	rt_setup();
	struct gs_ring_reader r;

	setenv("PATH", "/nonexistent-a:/nonexistent-b", 1);
	const struct gs_rec *e = exec_fail(NULL, "gcc", ENOENT, &r);
	cr_assert_eq(rt_count(e, GOSHIM_T_EV_RESOLVED), 0);
	cr_assert_eq(rt_count(e, GOSHIM_T_EV_ELF), 0);
}

/* Read system calls made so far by this process (/proc/self/io syscr),
 * less the one that reads it. */
static long syscr(void)
{
	char buf[512];
	int fd = open("/proc/self/io", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	const char *p;

	if (fd >= 0) {
		close(fd);
	}
	if (n <= 0) {
		cr_skip_test("no /proc/self/io (kernel without task I/O accounting)");
	}
	buf[n] = 0;
	p = strstr(buf, "syscr: ");
	cr_assert_not_null(p, "%s", buf);
	return atol(p + 7) - 1;
}

/* MAP_SHARED anonymous mappings of this process (the kernel names them
 * "/dev/zero (deleted)"): the page of seen.c. */
static int shared_zero_maps(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		n += strstr(line, " rw-s ") && strstr(line, "/dev/zero");
	}
	fclose(f);
	return n;
}

/* Reads made by one gs_exec_check of path with envp. */
static long check_reads(const char *path, char *const envp[])
{
	long before = syscr();

	gs_exec_check(path, NULL, envp);
	return syscr() - before - 1;
}

/* The version check reads a target and its libraries once: the same
 * target, unchanged, run again with the same LD_LIBRARY_PATH, costs no
 * read (a fork child's check counts for its parent and siblings); another
 * LD_LIBRARY_PATH, or a changed file, is read again. */
Test(exec, version_check_once_per_target)
{
	char prog[512];
	char *env_a[] = { "LD_LIBRARY_PATH=/nonexistent-a", NULL };
	char *env_b[] = { "LD_LIBRARY_PATH=/nonexistent-b", NULL };
	int st;

	rt_setup_file("prog", prog, sizeof(prog));
	copy_file("/bin/true", prog, 0755);
	long first = check_reads(prog, env_a);
	cr_assert_gt(first, 2, "the first check reads the program and its libraries (%ld)", first);
	cr_assert_eq(check_reads(prog, env_a), 0, "checked again");

	pid_t pid = fork();
	if (pid == 0) {
		_exit(check_reads(prog, env_b) > 2 ? 0 : 1);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert_eq(st, 0, "another LD_LIBRARY_PATH is read again");
	cr_assert_eq(check_reads(prog, env_b), 0, "the child's check counts for its parent");

	char fresh[600];
	snprintf(fresh, sizeof(fresh), "%s.new", prog);
	copy_file("/bin/true", fresh, 0755); /* a new file (inode) in its place */
	cr_assert_eq(rename(fresh, prog), 0);
	cr_assert_gt(check_reads(prog, env_a), 2, "a changed program is read again");
}

/* The page that remembers is mapped before the process's first fork, so
 * a check its child makes first still counts for the parent; and a
 * process that neither forks nor checks never maps it. */
Test(exec, version_check_a_child_makes_first_counts_for_its_parent)
{
	char prog[512];
	char *env_a[] = { "LD_LIBRARY_PATH=/nonexistent-c", NULL };
	int st;

	rt_setup_file("prog", prog, sizeof(prog));
	copy_file("/bin/true", prog, 0755);
	cr_assert_eq(shared_zero_maps(), 0, "the page is mapped before any fork or check");
	pid_t pid = fork();
	if (pid == 0) {
		_exit(check_reads(prog, env_a) > 2 ? 0 : 1);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert_eq(st, 0, "the child's first check reads the program");
	cr_assert_eq(shared_zero_maps(), 1, "the parent holds the page its child wrote");
	cr_assert_eq(check_reads(prog, env_a), 0, "the child's check counts for its parent");
}
