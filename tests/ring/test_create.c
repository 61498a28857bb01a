/* SPDX-License-Identifier: Apache-2.0 */
/* Ring creation and attachment: safe in sticky shared directories, exact
 * modes, concurrent creators all end up on one ring. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ringtest.h"

static void need_root(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root: switches to uid %d to play the attacker", RT_NOBODY);
	}
}


/* A sticky, world-writable directory like /tmp. */
static const char *sticky_dir(void)
{
	const char *d = rt_tmpdir();

	cr_assert_eq(chmod(d, 01777), 0);
	return d;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			n++;
		}
	}
	closedir(d);
	return n;
}

static char victim[256];

static int plant_symlink(const char *ring)
{
	return symlink(victim, ring) ? 1 : 0;
}

Test(create, refuses_planted_symlink)
{
	need_root();
	const char *d = sticky_dir();
	char ring[256];
	struct gs_ring r;
	struct stat st;
	size_t n;

	snprintf(victim, sizeof(victim), "%s/victim", d);
	snprintf(ring, sizeof(ring), "%s/ring", d);
	rt_spit(victim, "precious", 8);
	cr_assert_eq(rt_as_nobody(plant_symlink, ring), 0, "attacker could not plant");
	cr_assert_eq(lstat(ring, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(st.st_uid, RT_NOBODY, "the symlink belongs to the attacker");

	int ret = gs_ring_attach(&r, ring, 0, 0600, 0);
	cr_assert_eq(ret, -ELOOP, "attach through a planted symlink: %d", ret);
	cr_assert_null(r.hdr);
	uint8_t *v = rt_slurp(victim, &n);
	cr_assert_eq(n, 8);
	cr_assert_eq(memcmp(v, "precious", 8), 0, "the symlink target was written");
	free(v);
	cr_assert_eq(count_entries(d), 2, "a temporary file was left behind");
	rt_rmtree(d);
}

/* The attacker's own perfectly valid ring: still not ours to write. */
static int plant_ring(const char *ring)
{
	struct gs_ring r;
	int ret = gs_ring_attach(&r, ring, 0, 0666, 0);

	gs_ring_detach(&r);
	return ret ? 1 : 0;
}

static int plant_file(const char *ring)
{
	FILE *f = fopen(ring, "w");

	if (!f) {
		return 1;
	}
	fputs("attacker's bytes", f);
	fclose(f);
	return chmod(ring, 0666) ? 1 : 0;
}

static void refuses_foreign(int (*plant)(const char *))
{
	need_root();
	const char *d = sticky_dir();
	char ring[256];
	struct gs_ring r;
	struct stat st;
	size_t n0, n1;

	snprintf(ring, sizeof(ring), "%s/ring", d);
	cr_assert_eq(rt_as_nobody(plant, ring), 0, "attacker could not plant");
	cr_assert_eq(stat(ring, &st), 0);
	cr_assert_eq(st.st_uid, RT_NOBODY);
	uint8_t *before = rt_slurp(ring, &n0);

	int ret = gs_ring_attach(&r, ring, 0, 0600, 0);
	cr_assert_eq(ret, -EPERM, "attach to a foreign-owned file: %d", ret);
	cr_assert_null(r.hdr);
	uint8_t *after = rt_slurp(ring, &n1);
	cr_assert_eq(n0, n1);
	cr_assert_eq(memcmp(before, after, n0), 0, "the foreign file was modified");
	cr_assert_eq(count_entries(d), 1, "a temporary file was left behind");
	free(before);
	free(after);
	rt_rmtree(d);
}

Test(create, refuses_foreign_ring)
{
	refuses_foreign(plant_ring);
}

Test(create, refuses_foreign_file)
{
	refuses_foreign(plant_file);
}

Test(create, refuses_non_ring_and_bad_size_and_hardlink)
{
	const char *d = rt_tmpdir();
	char p[256], q[256];
	struct gs_ring r;
	struct stat st;

	snprintf(p, sizeof(p), "%s/notring", d);
	rt_spit(p, "hello, world\n", 13);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), -EPROTO);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_size, 13, "a non-ring file was changed");

	/* a real ring, then cut short */
	snprintf(p, sizeof(p), "%s/ring", d);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), 0);
	gs_ring_detach(&r);
	cr_assert_eq(truncate(p, GOSHIM_RING_HDR_SIZE + 1000), 0);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), -EPROTO);

	/* a hard link to a ring: nlink 2 */
	snprintf(p, sizeof(p), "%s/ring2", d);
	snprintf(q, sizeof(q), "%s/ring2.link", d);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), 0);
	gs_ring_detach(&r);
	cr_assert_eq(link(p, q), 0);
	cr_assert_eq(gs_ring_attach(&r, q, 0, 0600, 0), -EPROTO);

	/* a directory, a fifo */
	snprintf(p, sizeof(p), "%s/dir", d);
	cr_assert_eq(mkdir(p, 0700), 0);
	cr_assert_lt(gs_ring_attach(&r, p, 0, 0600, 0), 0);
	snprintf(p, sizeof(p), "%s/fifo", d);
	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_assert_eq(gs_ring_attach(&r, p, 0, 0600, 0), -EPROTO);
	rt_rmtree(d);
}

static void check_mode(unsigned mode, mode_t mask, unsigned want)
{
	const char *d = rt_tmpdir();
	char p[256];
	struct gs_ring r;
	struct stat st;
	mode_t old = umask(mask);

	snprintf(p, sizeof(p), "%s/ring", d);
	cr_assert_eq(gs_ring_attach(&r, p, 100000, mode, 7), 0);
	umask(old);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, want, "mode %o umask %o: got %o", mode, mask,
		     st.st_mode & 07777);
	cr_assert_eq(st.st_uid, geteuid());
	cr_assert_eq(st.st_nlink, 1);
	cr_assert_eq(st.st_size, GOSHIM_RING_HDR_SIZE + 128 * 1024, "rounded to a power of two");
	cr_assert_eq(r.size, 128 * 1024);
	cr_assert_eq(r.hdr->dict_id, 7);
	cr_assert_eq(r.hdr->writers, 1);
	cr_assert_eq(memcmp(r.hdr->magic, GOSHIM_RING_MAGIC, 8), 0);
	gs_ring_detach(&r);
	cr_assert_eq(count_entries(d), 1);
	rt_rmtree(d);
}

Test(create, mode_exact_despite_umask)
{
	check_mode(0, 022, 0600);      /* 0: the default, 0600 */
	check_mode(0600, 0, 0600);
	check_mode(0644, 077, 0644);   /* fchmod: the umask does not narrow it */
	check_mode(0640, 022, 0640);
	/* only 0600 plus group/other read: never a ring others can write or
	 * truncate, never a setuid ring */
	check_mode(0666, 0, 0644);
	check_mode(06777, 0, 0644);
	check_mode(0400, 0, 0600);
}

Test(create, size_is_clamped_and_existing_keeps_its_size)
{
	const char *d = rt_tmpdir();
	char p[256];
	struct gs_ring r, r2;

	snprintf(p, sizeof(p), "%s/ring", d);
	cr_assert_eq(gs_ring_attach(&r, p, 1, 0600, 0), 0);
	cr_assert_eq(r.size, GOSHIM_RING_MIN_DATA);
	cr_assert_eq(gs_ring_attach(&r2, p, 1u << 24, 0600, 0), 0);
	cr_assert_eq(r2.size, GOSHIM_RING_MIN_DATA);
	cr_assert_eq(r.hdr->writers, 2);
	gs_ring_detach(&r);
	gs_ring_detach(&r2);
	gs_ring_detach(&r2); /* twice is harmless */
	cr_assert_eq(gs_ring_write(&r, 1, 0, 1, "x", 1, 1), -1, "detached ring");
	rt_rmtree(d);
}

#define RACERS 8
#define RACE_RECS 200

Test(create, concurrent_creators_share_one_ring, .timeout = 60)
{
	const char *d = rt_tmpdir();
	char p[256];
	int go[2];
	pid_t kids[RACERS];

	snprintf(p, sizeof(p), "%s/ring", d);
	for (int round = 0; round < 10; round++) {
		unlink(p);
		cr_assert_eq(pipe(go), 0);
		for (int i = 0; i < RACERS; i++) {
			kids[i] = fork();
			cr_assert_geq(kids[i], 0);
			if (kids[i] == 0) {
				struct gs_ring r;
				char c;
				close(go[1]);
				if (read(go[0], &c, 1) != 0) {
					_exit(2);
				}
				if (gs_ring_attach(&r, p, 1 << 20, 0600, 0)) {
					_exit(3);
				}
				for (int k = 0; k < RACE_RECS; k++) {
					if (rt_write(&r, (uint32_t)i, (uint64_t)k, 20) < 0) {
						_exit(4);
					}
				}
				_exit(0);
			}
		}
		close(go[0]);
		close(go[1]); /* release them all at once */
		for (int i = 0; i < RACERS; i++) {
			int st;
			cr_assert_eq(waitpid(kids[i], &st, 0), kids[i]);
			cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
				  "round %d racer %d: status %#x", round, i, st);
		}
		cr_assert_eq(count_entries(d), 1, "temporary files left behind");

		struct gs_ring_reader rd = { 0 };
		uint8_t seen[RACERS][RACE_RECS] = { { 0 } };
		cr_assert_eq(gs_ring_load(&rd, p), 0);
		cr_assert(rd.hdr_ok);
		cr_assert_eq(rd.hdr.writers, RACERS, "round %d", round);
		cr_assert_eq(rd.hdr.committed, RACERS * RACE_RECS);
		cr_assert_eq(rd.nrecs, RACERS * RACE_RECS, "round %d: %zu records", round,
			     rd.nrecs);
		for (size_t i = 0; i < rd.nrecs; i++) {
			uint32_t w;
			uint64_t s;
			cr_assert_eq(rt_check(rd.recs[i].payload, rd.recs[i].raw_len, &w, &s), 0);
			cr_assert(w < RACERS && s < RACE_RECS);
			cr_assert_eq(seen[w][s]++, 0);
		}
		cr_assert_eq(gs_ring_lost(&rd), 0);
		gs_ring_unload(&rd);
	}
	rt_rmtree(d);
}
