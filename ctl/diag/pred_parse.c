/* SPDX-License-Identifier: Apache-2.0 */
/* Load-time checks of predicate arguments. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "calls.h"
#include "facts.h"
#include "flags.h"
#include "goenv.h"
#include "hostarch.h"
#include "pred_int.h"

/* A word of a predicate's small vocabulary and what it stands for. */
struct gs_pp_word {
	const char *name;
	uint64_t v;
};

#define GS_PP_N(t) (sizeof(t) / sizeof((t)[0]))

/* The value of name in t[0..n): 0, or -1 when it is not there. */
static int gs_pp_lookup(const struct gs_pp_word *t, size_t n, const char *name, uint64_t *v)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			*v = t[i].v;
			return 0;
		}
	}
	return -1;
}

static int gs_pp_errno_one(const char *alt, const void *ctx)
{
	return gs_errno_parse(alt) < 0;
}

int gs_pp_errno_list(const char *arg, char *err, size_t len)
{
	if (gs_pr_any(arg, gs_pp_errno_one, NULL)) {
		snprintf(err, len, "unknown errno in \"%s\"", arg);
		return -1;
	}
	return 0;
}

int gs_pp_errno(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pp_errno_list(c->argv[0], err, len) < 0) {
		return -1;
	}
	/* each record asks for its errno: the answers for 0..255 now */
	for (int v = 0; v < 256; v++) {
		if (gs_pr_alts(c, 0, gs_pe_errno_one, &v)) {
			c->small[v >> 6] |= 1ull << (v & 63);
		}
	}
	return 0;
}

static int gs_pp_code_bad(const char *alt, const void *ctx)
{
	char *end;
	long v = strtol(alt, &end, 10);

	(void)ctx;
	return !*alt || *end || v < 0 || v > 255;
}

/* exit-code: '|'-separated exit statuses 0..255 into c->small */
int gs_pp_code(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pr_any(c->argv[0], gs_pp_code_bad, NULL)) {
		snprintf(err, len, "\"%s\" is not a list of exit statuses 0..255", c->argv[0]);
		return -1;
	}
	for (char **a = c->alts[0]; *a; a++) {
		long v = strtol(*a, NULL, 10);
		c->small[v >> 6] |= 1ull << (v & 63);
	}
	return 0;
}

static const char *const gs_pr_families[] = {
	"exec", "spawn", "open", "stat", "mmap", "memfd", "clock", "mkdir", "access", "other",
	"space",
};

static int gs_pp_family_bad(const char *alt, const void *ctx)
{
	for (size_t i = 0; i < sizeof(gs_pr_families) / sizeof(gs_pr_families[0]); i++) {
		if (strcmp(alt, gs_pr_families[i]) == 0) {
			return 0;
		}
	}
	return 1;
}

/* gs_pr_alts callback: add the family alt names to the set ctx. */
static int gs_pp_family_bit(const char *alt, const void *ctx)
{
	uint64_t *set = (uint64_t *)ctx;

	for (unsigned v = 0; v < 64; v++) {
		if (strcmp(gs_family_name((uint16_t)v), alt) == 0) {
			*set |= 1ull << v;
		}
	}
	return 0;
}

/* c->num: the families named, one bit per GOSHIM_FAM_* value. */
int gs_pp_family(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pr_alts(c, 0, gs_pp_family_bad, NULL)) {
		snprintf(err, len, "unknown family in \"%s\" (exec, spawn, open, stat, mmap, "
			 "memfd, clock, mkdir, access, other, space)", c->argv[0]);
		return -1;
	}
	c->num = 0;
	gs_pr_alts(c, 0, gs_pp_family_bit, &c->num);
	return 0;
}

static int gs_pp_call_bad(const char *alt, const void *ctx)
{
	return gs_call_by_name(alt, 0) == NULL && !gs_model_sysname_known(alt);
}

int gs_pp_call(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pr_alts(c, 0, gs_pp_call_bad, NULL)) {
		snprintf(err, len, "unknown call in \"%s\" (names of common/calls.h)", c->argv[0]);
		return -1;
	}
	return 0;
}

int gs_pp_size(struct gs_clause *c, char *err, size_t len)
{
	char *end;
	unsigned long long v = strtoull(c->argv[c->argc - 1], &end, 0);
	static const char units[] = "KMGTP";
	const char *u = *end ? strchr(units, *end) : NULL;

	if (end == c->argv[c->argc - 1] || (*end && (!u || end[1]))) {
		snprintf(err, len, "\"%s\" is not a size (4096, 64K, 1G ...)", c->argv[c->argc - 1]);
		return -1;
	}
	if (u) {
		v <<= 10 * (unsigned)(u - units + 1);
	}
	c->num = v;
	return 0;
}

static const struct gs_flagset *const gs_pr_flagsets[] = {
	&gs_fs_open, &gs_fs_mmap, &gs_fs_memfd, &gs_fs_at, &gs_fs_prot,
};

const struct gs_flag *gs_pr_flag(const char *name)
{
	for (size_t s = 0; s < sizeof(gs_pr_flagsets) / sizeof(gs_pr_flagsets[0]); s++) {
		for (size_t i = 0; i < gs_pr_flagsets[s]->n; i++) {
			if (strcmp(gs_pr_flagsets[s]->flags[i].name, name) == 0) {
				return &gs_pr_flagsets[s]->flags[i];
			}
		}
	}
	return NULL;
}

/* Check every argument of c with bad(word); the first bad one makes the
 * message "WHAT \"WORD\" (KNOWN)". */
static int gs_pp_words(const struct gs_clause *c, int (*bad)(const char *word),
		       const char *what, const char *known, char *err, size_t len)
{
	for (size_t i = 0; i < c->argc; i++) {
		if (bad(c->argv[i])) {
			snprintf(err, len, "%s \"%s\" (%s)", what, c->argv[i], known);
			return -1;
		}
	}
	return 0;
}

static int gs_pp_flag_bad(const char *alt, const void *ctx)
{
	return gs_pr_flag(alt) == NULL;
}

static int gs_pp_flag_word_bad(const char *word)
{
	return gs_pr_any(word, gs_pp_flag_bad, NULL);
}

int gs_pp_flags(struct gs_clause *c, char *err, size_t len)
{
	return gs_pp_words(c, gs_pp_flag_word_bad, "unknown flag in",
			   "O_*, MAP_*, MFD_*, AT_*, PROT_*", err, len);
}

static const struct gs_pp_word gs_pr_mflags[] = {
	{ "noexec", ST_NOEXEC }, { "rdonly", ST_RDONLY }, { "ro", ST_RDONLY },
	{ "nosuid", ST_NOSUID }, { "nodev", ST_NODEV },
};

int gs_pr_mflag(const char *name, uint64_t *bit)
{
	return gs_pp_lookup(gs_pr_mflags, GS_PP_N(gs_pr_mflags), name + (*name == '!'), bit);
}

static int gs_pp_mflag_bad(const char *word)
{
	uint64_t bit;

	return gs_pr_mflag(word, &bit) < 0;
}

int gs_pp_mflag(struct gs_clause *c, char *err, size_t len)
{
	return gs_pp_words(c, gs_pp_mflag_bad, "unknown mount flag",
			   "noexec, rdonly, nosuid, nodev", err, len);
}

static const struct gs_pp_word gs_pr_rlims[] = {
	{ "AS", RLIMIT_AS }, { "NOFILE", RLIMIT_NOFILE }, { "DATA", RLIMIT_DATA },
	{ "NPROC", RLIMIT_NPROC }, { "FSIZE", RLIMIT_FSIZE }, { "STACK", RLIMIT_STACK },
};

int gs_pp_rlim(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pr_rlimit_res(c->argv[0]) >= 0) {
		return c->argc > 1 ? gs_pp_size(c, err, len) : 0;
	}
	snprintf(err, len, "unknown resource \"%s\" (AS, NOFILE, DATA, NPROC, FSIZE, STACK)",
		 c->argv[0]);
	return -1;
}

int gs_pp_goenv(struct gs_clause *c, char *err, size_t len)
{
	for (const char *p = c->argv[0]; *p; p++) {
		if (!(*p == '_' || *p == '|' || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
			snprintf(err, len, "\"%s\" is not a variable name (GOCACHE, WORK, TMPDIR ...)",
				 c->argv[0]);
			return -1;
		}
	}
	return 0;
}

int gs_pp_seccomp(struct gs_clause *c, char *err, size_t len)
{
	if (strcmp(c->argv[0], "off") && strcmp(c->argv[0], "strict") &&
	    strcmp(c->argv[0], "filter")) {
		snprintf(err, len, "mode must be off, strict or filter");
		return -1;
	}
	return 0;
}

/* EV_ELF kinds */
static const struct gs_pp_word gs_pp_elfkinds[] = {
	{ "unreadable", 0 }, { "elf", 1 }, { "script", 2 }, { "other", 3 },
};

int gs_pp_elfkind(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pp_lookup(gs_pp_elfkinds, GS_PP_N(gs_pp_elfkinds), c->argv[0], &c->num) < 0) {
		snprintf(err, len, "kind must be elf, script, other or unreadable");
		return -1;
	}
	return 0;
}

/* mode-allows: a word of r, w and x, the permission bits it asks for. */
int gs_pp_access(struct gs_clause *c, char *err, size_t len)
{
	static const char bits[] = "rwx";

	c->num = 0;
	for (const char *p = c->argv[0]; *p; p++) {
		const char *b = strchr(bits, *p);
		if (!b) {
			snprintf(err, len, "access must be a word of r, w and x, not \"%s\"", c->argv[0]);
			return -1;
		}
		c->num |= 4u >> (b - bits);
	}
	if (c->num == 0) {
		snprintf(err, len, "access must be a word of r, w and x");
		return -1;
	}
	return 0;
}

static const struct gs_pp_word gs_pp_engines[] = {
	{ "preload", GOSHIM_ENGINE_PRELOAD }, { "trace", GOSHIM_ENGINE_TRACE },
};

int gs_pp_engine(struct gs_clause *c, char *err, size_t len)
{
	if (gs_pp_lookup(gs_pp_engines, GS_PP_N(gs_pp_engines), c->argv[0], &c->num) < 0) {
		snprintf(err, len, "engine must be preload or trace");
		return -1;
	}
	return 0;
}

int gs_pr_rlimit_res(const char *name)
{
	uint64_t res;

	return gs_pp_lookup(gs_pr_rlims, GS_PP_N(gs_pr_rlims), name, &res) < 0 ? -1 : (int)res;
}

/* `fact NAME PAT[|PAT...] ...`: name and pattern pairs */
int gs_pp_fact(struct gs_clause *c, char *err, size_t len)
{
	if (c->argc % 2) {
		snprintf(err, len, "arguments come in pairs: NAME PATTERN[|PATTERN...] ...");
		return -1;
	}
	return 0;
}
