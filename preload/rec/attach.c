/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lazy half of the set-up: a process that never fails pays nothing
 * for the ring.  The constructor (gs_setup) only reads the configuration
 * and looks up what needs the loader; the first failure, wherever it
 * happens (any thread, a signal handler, a vfork child), attaches the
 * ring and tries the frame walker in the first scratch slot, here, with
 * raw system calls only.
 *
 *   OFF ──────────────────────────────── nothing is ever recorded
 *   ARMED ── first failure: CAS ──> BUSY ── attached ──> ON
 *                                        └─ failed ───> OFF
 *
 * Whoever wins the compare-and-swap attaches.  A failure of another
 * thread that meets BUSY (a storm of threads failing at once) waits for
 * it, polling, at most AT_WAIT_MS: attaching takes well under a
 * millisecond unless the ring must be created and zero-filled; after the
 * deadline (an attaching vfork child killed or stopped, say) recording is
 * turned off for the process: one failure waits, none after it.  A
 * failure that meets BUSY and is not recorded is counted, into the ring's
 * `dropped` once the ring is there.  A fork child, where the attaching
 * thread does not exist, finds the recorder armed again (gs_rec_forked);
 * otherwise it inherits whatever its parent had.  The attaching thread
 * itself never waits: a handler interrupting it finds the nesting guard
 * set and records nothing, as inside gs_fail.  A vfork child that
 * attaches does so for its parent too: the mapping and the state are in
 * the memory they share, and the ring's descriptor is closed before the
 * attach returns.
 *
 * A process about to give up what attaching needs (its uid, groups, root
 * directory: preload/cred.c) attaches first, with gs_rec_prepare: a
 * program that drops root and then fails still records into the ring it
 * could open at start.
 */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sys.h"

#define AT_WAIT_MS   1000
#define AT_POLL_NS   100000 /* 0.1 ms */

/* Failures that met an attach in progress, not yet counted in the ring. */
static uint64_t at_lost;

static void at_flush_lost(void)
{
	uint64_t n = __atomic_exchange_n(&at_lost, 0, __ATOMIC_RELAXED);

	while (n--) {
		gs_ring_count_drop(&gs_rec.ring);
	}
}

/* Attach the ring, try the frame walker.  1 when recording, 0 when off
 * for good, -1 to try again at the next failure (no descriptor left: the
 * failure may well be EMFILE itself). */
static int at_attach(void)
{
	struct gs_rec_conf *conf = &gs_rec.conf;
	size_t dlen;
	uint32_t dict_id;

	gs_zstd_dict(&dlen, &dict_id);
	if (!gs_rec_ring_path(conf)[0]) {
		gs_rec_debug("no default ring that is ours: recording off", NULL, 0, 0);
		return 0;
	}
	int rc = gs_ring_attach(&gs_rec.ring, conf->ring_path, conf->ring_size,
				conf->ring_mode, dict_id);
	if (rc < 0) {
		struct stat st;

		gs_rec_debug("cannot attach ring ", conf->ring_path, 1, rc);
		if (rc == -EMFILE || rc == -ENFILE) {
			return -1;
		}
		if (rc == -EPERM && gs_sys4(SYS_newfstatat, AT_FDCWD, conf->ring_path, &st,
					   AT_SYMLINK_NOFOLLOW) == 0) {
			gs_rec_debug("the ring belongs to another user: uid", NULL, 1, (long)st.st_uid);
		}
		return 0;
	}
	/* tries the walk in the first slot, which it maps */
	const char *bt_off = conf->backtrace ? gs_bt_check() : NULL;
	if (bt_off) {
		gs_rec_debug(bt_off, NULL, 0, 0);
	}
	gs_rec_debug("recording to ", conf->ring_path, 0, 0);
	gs_rec_debug("backtrace: ", conf->backtrace ? gs_bt_backend() : "off", 0, 0);
	return 1;
}

/* ARMED -> BUSY -> ON or OFF, by the caller that wins the CAS.  The state
 * seen (after the attempt). */
static int at_try_attach(int st)
{
	if (st != GS_REC_ARMED ||
	    !__atomic_compare_exchange_n(&gs_rec.state, &st, GS_REC_BUSY, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return st;
	}
	int busy = GS_REC_BUSY;

	gs_rec_nest++;
	int ok = at_attach();
	gs_rec_nest--;
	int next = ok > 0 ? GS_REC_ON : ok < 0 ? GS_REC_ARMED : GS_REC_OFF;
	/* fails only when recording was turned off meanwhile */
	__atomic_compare_exchange_n(&gs_rec.state, &busy, next, 0,
				    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return busy == GS_REC_BUSY ? next : busy;
}

/* Another thread is attaching: the state once it is done, or BUSY still
 * after AT_WAIT_MS. */
static int at_wait(void)
{
	struct timespec pause = { 0, AT_POLL_NS };
	int st = GS_REC_BUSY;

	for (long n = 0; st == GS_REC_BUSY && n < AT_WAIT_MS * 1000000L / AT_POLL_NS; n++) {
		gs_sys2(SYS_nanosleep, &pause, NULL);
		st = __atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE);
	}
	if (st == GS_REC_BUSY &&
	    __atomic_compare_exchange_n(&gs_rec.state, &st, GS_REC_OFF, 0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		gs_rec_debug("the ring's attach did not finish: recording off", NULL, 0, 0);
		return GS_REC_OFF;
	}
	return st;
}

int gs_rec_ready(void)
{
	int st = at_try_attach(__atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE));

	if (st == GS_REC_BUSY) {
		st = at_wait();
	}

	if (st == GS_REC_ON) {
		if (gs_unlikely(__atomic_load_n(&at_lost, __ATOMIC_RELAXED))) {
			at_flush_lost();
		}
		return 1;
	}
	if (st == GS_REC_BUSY || st == GS_REC_ARMED) {
		__atomic_fetch_add(&at_lost, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

/* "0755" of mode's permission bits into buf (5 bytes). */
static void at_octal(unsigned mode, char *buf)
{
	for (int i = 3; i >= 0; i--, mode >>= 3) {
		buf[i] = (char)('0' + (mode & 7));
	}
	buf[4] = 0;
}

/* The NOTE of gs_rec_exec_reach, its buffer in a frame of its own: a
 * shell's fork child that execs does not fault in the stack pages. */
static GS_COLD void at_note_unreachable(const char *prog, long euid, long rc,
					const struct stat *st)
{
	const char *ring = gs_rec.conf.ring_path;
	char text[GS_REC_PATH_MAX * 2 + 200], num[24], mode[5];
	size_t o;

	o = gs_strlcpy(text, "ring-unreachable: ", sizeof(text));
	o = gs_strlcat(text, o, prog, sizeof(text));
	o = gs_strlcat(text, o, " runs as uid ", sizeof(text));
	gs_utoa((uint64_t)euid, num);
	o = gs_strlcat(text, o, num, sizeof(text));
	o = gs_strlcat(text, o, ", which cannot open the ring ", sizeof(text));
	o = gs_strlcat(text, o, ring, sizeof(text));
	if (rc == 0) {
		o = gs_strlcat(text, o, " (uid ", sizeof(text));
		gs_utoa(st->st_uid, num);
		o = gs_strlcat(text, o, num, sizeof(text));
		at_octal(st->st_mode & 07777, mode);
		o = gs_strlcat(text, o, ", mode ", sizeof(text));
		o = gs_strlcat(text, o, mode, sizeof(text));
	} else {
		o = gs_strlcat(text, o, " (its directory cannot be searched", sizeof(text));
	}
	o = gs_strlcat(text, o, "): its failures and its children's are not recorded here", sizeof(text));
	if (gs_rec.conf.ring_is_default) {
		/* it looks its own default ring up, for its own euid */
		gs_strlcat(text, o, " but in the default ring of that uid", sizeof(text));
	}
	gs_note(text);
}

void gs_rec_exec_reach(const char *prog)
{
	static int noted;
	const char *ring = gs_rec.conf.ring_path;
	struct stat st;

	/* The new image opens the ring O_RDWR with the euid alone: the
	 * capabilities a process keeps after dropping root (setpriv) are lost
	 * at the exec, and a ring is never writable by group or others
	 * (GS_RING_MODE_OK): only root and the owner get in. */
	long rc = -1, euid = gs_sys0(SYS_geteuid);

	if (!gs_rec_nest && !noted && prog && euid != 0 &&
	    __atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE) == GS_REC_ON && ring[0]) {
		rc = gs_sys4(SYS_newfstatat, AT_FDCWD, ring, &st, 0);
	}
	/* EACCES: a directory on the way it may not search */
	if ((rc != 0 && rc != -EACCES) || (rc == 0 && (uint64_t)euid == st.st_uid)) {
		return; /* raw system calls only: errno as it was */
	}
	noted = 1;
	int saved = errno;

	at_note_unreachable(prog, euid, rc, &st);
	errno = saved;
}

void gs_rec_forked(void)
{
	int busy = GS_REC_BUSY;

	/* read first: a compare-and-swap writes even when it fails, and the
	 * write would copy the page this child shares with its parent */
	if (__atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE) == GS_REC_BUSY) {
		__atomic_compare_exchange_n(&gs_rec.state, &busy, GS_REC_ARMED, 0,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
}

void gs_rec_prepare(void)
{
	if (!gs_rec_nest &&
	    at_try_attach(__atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE)) == GS_REC_BUSY) {
		at_wait(); /* another thread's attach: finished before we change */
	}
}

int gs_rec_armed(void)
{
	int st = __atomic_load_n(&gs_rec.state, __ATOMIC_ACQUIRE);

	return st != GS_REC_OFF;
}

void gs_rec_off(void)
{
	__atomic_store_n(&gs_rec.state, GS_REC_OFF, __ATOMIC_RELEASE);
}
