/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recorder configuration and global state.
 *
 * Environment variables, read once by gs_setup() in the constructor:
 *
 * | variable          | default                   | meaning                                   |
 * |-------------------|---------------------------|-------------------------------------------|
 * | GOSHIM_RING       | common/ringhome.h:        | ring file to record into (created if      |
 * |                   | $XDG_RUNTIME_DIR/ or      | missing)                                  |
 * |                   | /tmp/goshim-<euid>/       |                                           |
 * |                   | goshim.ring               |                                           |
 * | GOSHIM_RING_SIZE  | 4M                        | data area of a new ring, bytes; suffix    |
 * |                   |                           | k, M or G (powers of 1024); rounded up to |
 * |                   |                           | a power of two in [64k, 1G]               |
 * | GOSHIM_RING_MODE  | 0600                      | octal mode of a new ring file             |
 * | GOSHIM_DISABLE    | unset                     | 1: record nothing (calls pass through)    |
 * | GOSHIM_BACKTRACE  | 1                         | 0: no backtraces (and no modules)         |
 * | GOSHIM_RUN        | made, and put into the    | the run id carried by process records     |
 * |                   | environment               | (common/runid.h)                          |
 * | GOSHIM_DEBUG      | unset                     | 1: goshim prints its own diagnostics to   |
 * |                   |                           | stderr; otherwise it never writes output  |
 * | GOSHIM_HANDOVER   | 1                         | 0: never hand over to the trace engine    |
 * |                   |                           | (read by preload/handover.c)              |
 * | GOSHIMCTL         | by the library, or bindir | the hand-over helper's goshimctl          |
 * |                   |                           | (read by preload/handover.c)              |
 *
 * An invalid GOSHIM_RING_SIZE or GOSHIM_RING_MODE is ignored (default
 * used, with a GOSHIM_DEBUG message).  GOSHIM_RING_MODE accepts only
 * 0600 plus group or other read (0600, 0640, 0604, 0644): a ring another
 * uid could write or truncate is refused by every writer.  A relative
 * GOSHIM_RING is made absolute once, against the working directory at
 * start-up, and put back into the environment, so that children in other
 * directories record into the same ring.  The ring is attached at the
 * first failure (attach.c); if it cannot be, recording stays off for the
 * whole process (silently, unless GOSHIM_DEBUG=1).
 *
 * A secure process (AT_SECURE: a setuid, setgid or file-capability
 * program, whoever preloaded goshim, e.g. /etc/ld.so.preload) cannot be
 * steered: it reads only the variables that can merely turn goshim off
 * (GOSHIM_DISABLE, GOSHIM_BACKTRACE, GOSHIM_HANDOVER) and records into the
 * default ring of its effective uid (never under XDG_RUNTIME_DIR or HOME,
 * which it does not read), with the default size and mode;
 * GOSHIMCTL is ignored (the hand-over uses the goshimctl next to the
 * library or the installed one).
 */
#include "rec.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "lazymem.h"
#include "nextsym.h"
#include "ringhome.h"
#include "subject.h"
#include "sys.h"

/* its small members first; the most aligned of .gs_large, so the first there
 * (--sort-section=alignment), in the page of the small variables */
GS_LARGE_BSS __attribute__((aligned(64))) struct gs_rec_state gs_rec;
__thread int gs_rec_nest __attribute__((tls_model("initial-exec")));

static void st_put(char *buf, size_t *n, size_t cap, const char *s)
{
	while (s && *s && *n < cap) {
		buf[(*n)++] = *s++;
	}
}

void gs_rec_debug(const char *a, const char *b, int have_n, long n)
{
	char buf[512];
	char num[24];
	size_t len = 0;

	if (!gs_rec.conf.debug) {
		return;
	}
	st_put(buf, &len, sizeof(buf) - 1, "goshim: ");
	st_put(buf, &len, sizeof(buf) - 1, a);
	st_put(buf, &len, sizeof(buf) - 1, b);
	if (have_n) {
		num[0] = ' ';
		if (n < 0) {
			num[1] = '-';
			gs_utoa((uint64_t)-n, num + 2);
		} else {
			gs_utoa((uint64_t)n, num + 1);
		}
		st_put(buf, &len, sizeof(buf) - 1, num);
	}
	buf[len++] = '\n';
	gs_sys3(SYS_write, 2, buf, len);
}

int gs_rec_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!s || *s < '0' || *s > '9') {
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10) {
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	static const struct { char c; unsigned shift; } sfx[] = {
		{ 'k', 10 }, { 'K', 10 }, { 'm', 20 }, { 'M', 20 },
		{ 'g', 30 }, { 'G', 30 },
	};
	unsigned shift = 0;
	for (size_t i = 0; *p && i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (*p == sfx[i].c) {
			shift = sfx[i].shift;
			p++;
			break;
		}
	}
	if (*p || (shift && v > (UINT64_MAX >> shift))) {
		return -1;
	}
	*out = v << shift;
	return 0;
}

int gs_rec_parse_mode(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!s || !*s) {
		return -1;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '7' || v > 07777 / 8) {
			return -1;
		}
		v = v * 8 + (unsigned)(*s - '0');
	}
	if ((v & ~(unsigned)GS_RING_MODE_OK) || (v & GS_RING_MODE_OWNER) != GS_RING_MODE_OWNER) {
		return -1; /* a ring others could write, or its owner could not */
	}
	*out = v;
	return 0;
}

static int st_flag(const char *v, int dflt)
{
	if (!v || !*v) {
		return dflt;
	}
	return !(v[0] == '0' && v[1] == 0);
}

/* v into buf (GS_REC_PATH_MAX), "" when unset or too long. */
static void st_keep(char *buf, const char *v)
{
	buf[0] = 0;
	if (v && gs_strlcpy(buf, v, GS_REC_PATH_MAX) != gs_strlen(v)) {
		buf[0] = 0;
	}
}

const char *gs_rec_ring_path(struct gs_rec_conf *conf)
{
	/* struct gs_ringhome, two paths long: not on a signal stack, and
	 * mapped only by a process that records (lazymem.h) */
	static void *home;
	struct gs_ringhome *h;
	char say[512];

	if (!conf->ring_default) {
		return conf->ring_path;
	}
	h = gs_lazymem(&home, sizeof(*h));
	if (!h) {
		return ""; /* no memory: no ring this time */
	}
	conf->ring_default = 0;
	conf->ring_is_default = 1;
	gs_ringhome(h, conf->def_xdg[0] ? conf->def_xdg : NULL,
		    conf->def_home[0] ? conf->def_home : NULL, conf->def_euid, 1);
	if (gs_strlcpy(conf->ring_path, h->path, GS_REC_PATH_MAX) != gs_strlen(h->path)) {
		conf->ring_path[0] = 0;
	}
	if (h->refused[0] && conf->debug) {
		gs_rec_debug(gs_ringhome_say(h, say, sizeof(say)), NULL, 0, 0);
	}
	return conf->ring_path;
}

/* cwd + "/" + rel into buf; empty (no ring) when the working directory
 * is unknown or the result too long. */
static void st_abs_ring(char *buf, const char *rel)
{
	long n = gs_sys2(SYS_getcwd, buf, GS_REC_PATH_MAX);
	size_t len;

	if (n <= 1 || buf[0] != '/') {
		buf[0] = 0; /* no working directory (deleted, unreachable) */
		return;
	}
	len = gs_strlen(buf);
	if (len > 1) {
		len = gs_strlcat(buf, len, "/", GS_REC_PATH_MAX);
	}
	if (gs_strlcat(buf, len, rel, GS_REC_PATH_MAX) != len + gs_strlen(rel)) {
		buf[0] = 0;
	}
}

void gs_rec_conf_parse(struct gs_rec_conf *conf,
		       const char *(*env)(const char *), unsigned euid)
{
	const char *v;

	conf->debug = st_flag(env("GOSHIM_DEBUG"), 0);
	conf->disable = st_flag(env("GOSHIM_DISABLE"), 0);
	conf->backtrace = st_flag(env("GOSHIM_BACKTRACE"), 1);

	v = env("GOSHIM_RING");
	conf->ring_default = 0;
	conf->ring_relative = v && *v && *v != '/';
	if (conf->ring_relative) {
		st_abs_ring(conf->ring_path, v);
	} else if (v && *v) {
		if (gs_strlcpy(conf->ring_path, v, GS_REC_PATH_MAX) != gs_strlen(v)) {
			conf->ring_path[0] = 0; /* too long: no ring */
		}
	} else {
		conf->ring_path[0] = 0;
		conf->ring_default = 1;
		st_keep(conf->def_xdg, env("XDG_RUNTIME_DIR"));
		st_keep(conf->def_home, env("HOME"));
		conf->def_euid = euid;
	}

	v = env("GOSHIM_RUN");
	conf->run[0] = 0;
	if (v && gs_runid_ok(v)) {
		gs_strlcpy(conf->run, v, sizeof(conf->run));
	} else if (v && *v && conf->debug) {
		gs_rec_debug("ignoring invalid GOSHIM_RUN=", v, 0, 0);
	}

	conf->ring_size = GOSHIM_RING_DEF_DATA;
	v = env("GOSHIM_RING_SIZE");
	if (v && gs_rec_parse_size(v, &conf->ring_size)) {
		conf->ring_size = GOSHIM_RING_DEF_DATA;
		if (conf->debug) {
			gs_rec_debug("ignoring invalid GOSHIM_RING_SIZE=", v, 0, 0);
		}
	}

	conf->ring_mode = 0600;
	v = env("GOSHIM_RING_MODE");
	if (v && gs_rec_parse_mode(v, &conf->ring_mode)) {
		conf->ring_mode = 0600;
		if (conf->debug) {
			gs_rec_debug("ignoring invalid GOSHIM_RING_MODE=", v, 0, 0);
		}
	}
}

const char *gs_rec_getenv(const char *name)
{
	static const char *const off_only[] = {
		"GOSHIM_DISABLE", "GOSHIM_BACKTRACE", "GOSHIM_HANDOVER",
	};

	if (!gs_rec.secure) {
		return getenv(name);
	}
	for (size_t i = 0; i < sizeof(off_only) / sizeof(off_only[0]); i++) {
		const char *a = off_only[i], *b = name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (!*a && !*b) {
			return getenv(name);
		}
	}
	return NULL;
}

void gs_setup(void)
{
	static int done;
	struct gs_rec_conf *conf = &gs_rec.conf;

	if (done) {
		return;
	}
	done = 1;
	gs_rec_nest++;
	gs_rec.secure = getauxval(AT_SECURE) != 0;
	gs_rec_conf_parse(conf, gs_rec_getenv, (unsigned)gs_sys0(SYS_geteuid));
	if (conf->ring_relative && conf->ring_path[0]) {
		/* once, here: children in other directories share this ring
		 * (the constructor: no other thread of the program runs yet) */
		setenv("GOSHIM_RING", conf->ring_path, 1);
	}
	if (conf->disable) {
		gs_rec_debug("GOSHIM_DISABLE=1: recording off", NULL, 0, 0);
		goto out;
	}
	if (!conf->run[0] && !gs_rec.secure) {
		/* the first goshim process of this tree: its run, for its
		 * children too (the constructor: no other thread runs yet) */
		gs_runid_new(conf->run);
		setenv("GOSHIM_RUN", conf->run, 1);
	}
	if (!conf->ring_path[0] && !conf->ring_default) {
		gs_rec_debug("GOSHIM_RING too long, or relative without a working directory: "
			     "recording off", NULL, 0, 0);
		goto out;
	}
	if (gs_ns_program_defines(GOSHIM_NOT_A_SUBJECT)) {
		gs_rec_debug("goshimctl is not a subject: recording off", NULL, 0, 0);
		goto out;
	}
	/* What needs the loader (dlsym, dlopen: not async-signal-safe) is
	 * looked up now; everything else waits for the first failure
	 * (attach.c). */
	gs_ident_setup();
	void *find = gs_mod_setup();
	const char *bt_off = conf->backtrace ? gs_bt_setup(find) : NULL;
	if (bt_off) {
		gs_rec_debug(bt_off, NULL, 0, 0);
	}
	gs_seen_setup();
	pthread_atfork(gs_seen_prepare_fork, NULL, gs_rec_forked);
	__atomic_store_n(&gs_rec.state, GS_REC_ARMED, __ATOMIC_RELEASE);
out:
	gs_rec_nest--;
}
