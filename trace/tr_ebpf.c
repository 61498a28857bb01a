/* SPDX-License-Identifier: Apache-2.0 */
/* The in-kernel watcher (bpf/tr_ebpf.bpf.c): where eBPF may be used (root,
 * or CAP_BPF with CAP_PERFMON; a kernel with BTF), the x86_64 calls
 * (openat, newfstatat, statx, mmap, memfd_create, ...) leave the seccomp
 * filter and are watched at their exit in the kernel
 * instead.  A call that succeeds then costs the program nothing but the
 * system-call tracepoint (~0.1 us); only failures reach the engine,
 * through a ring buffer, each with its registers, its path and a copy of
 * the stack above sp, taken before the thread went on.  Without it every
 * such call is a notification round trip (~8 us), most of goshim's cost on
 * a `go test`.  The execs and the calls on a file's fd stay notified
 * (eb_row): what their record needs is read while they wait.
 *
 * The failure is recorded as a notified one would be (tr_fail): its path
 * and stack are read from the copy (tr_mem_snap), the rest (cwd, exe,
 * evidence) from /proc as soon as the event arrives; a process that has
 * ended by then is recorded with what the event carried.
 *
 * GOSHIM_TRACE_EBPF=0 keeps every call on the filter. */
#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "goshim/record.h"
#include "bpfwhy.h"
#include "tr.h"
#include "bpf/tr_ebpf_event.h"
#include "tr_ebpf.skel.h"
#include "tr_ebpf_btf.h"

#define EB_INIT_PIDNS 0xEFFFFFFCu /* PROC_PID_INIT_INO */

static struct tr_ebpf *eb_skel;
static struct ring_buffer *eb_rb;

/* The rows the program watches: every x86_64 call but those whose
 * evidence must be read while they wait: the execs (a failed exec of a
 * vfork child is followed by its _exit at once) and the calls on a file's
 * fd (fallocate, ftruncate: the linker closes and removes its output
 * right after ENOSPC, taking the path with it).  mmap's conditions are
 * the engine's (tr_row): the program hands over every failed mmap. */
static int eb_row(const struct tr_sc *s)
{
	return s->arch == TR_X86_64 && !s->exec && !s->view && !s->sync &&
	       !tr_sc_fd_names_file(s) && s->scmp_nr >= 0 && s->scmp_nr < TR_EB_NR_MAX;
}

/* The program's watch[nr]: 1 + the index of the string argument to copy
 * (the path, memfd_create's name), 1 + 6 for none. */
static uint8_t eb_watch(const struct tr_sc *s)
{
	int i = tr_sc_arg(s, GOSHIM_T_PATH);

	i = i >= 0 ? i : tr_sc_arg(s, GOSHIM_T_NAME);
	return (uint8_t)(1 + (i >= 0 ? i : 6));
}

int tr_ebpf_filters(size_t row)
{
	const struct tr_sc *s = &tr_table[row];

	return eb_rb ? !eb_row(s) : !s->sync && !s->kernel_only;
}

/* libbpf's own messages: only under -vv (-v says in one line whether the
 * watcher is used, and why not). */
static int eb_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (tr.verbose > 1) {
		return vfprintf(stderr, fmt, ap);
	}
	return 0;
}

/* The kernel's keys of the failures recorded whole, and the engine's
 * aggregation key each became: a REPEAT bumps that record's count.  A
 * REPEAT may come before its FULL (another CPU): counted as pending. */
#define EB_KEYS 4096u

enum { EB_NO_AGG, EB_AGG, EB_IGNORED };

/* The program's repeat counters (slots.count[], in its .bss): the
 * engine's aggregation key of each one's FULL, and how much of its count
 * is in the ring already.  A counter may grow before its FULL arrives
 * (another CPU): it is added once the FULL has made its record. */
static struct {
	uint64_t agg, done;
	uint8_t have_agg;    /* EB_* */
} eb_slot[TR_EB_SLOTS];

static struct {
	uint64_t key, agg;
	uint32_t pending;
	uint8_t have_agg;    /* EB_*: IGNORED, a call no row wants (an mmap
	                      * outside the rows' conditions) */
} eb_keys[EB_KEYS];
static uint64_t eb_uncounted;

/* n repeats of the record of agg (their record may be gone) */
static void eb_add(uint64_t agg, uint64_t n)
{
	if (tr_agg_add(agg, n)) {
		tr.st->events += n;
	} else {
		eb_uncounted += n;
	}
}

/* The counters' growth since the last look into the records. */
static void eb_slots_flush(void)
{
	const struct tr_eb_slots *k = &eb_skel->bss->slots;
	uint32_t n = __atomic_load_n(&k->next, __ATOMIC_ACQUIRE);

	n = n < TR_EB_SLOTS ? n : TR_EB_SLOTS;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t c = __atomic_load_n(&k->count[i], __ATOMIC_RELAXED);

		if (eb_slot[i].have_agg == EB_AGG && c != eb_slot[i].done) {
			eb_add(eb_slot[i].agg, c - eb_slot[i].done);
			eb_slot[i].done = c;
		}
	}
}

/* At the end: the counters whose FULL never made a record. */
static uint64_t eb_slots_unmatched(void)
{
	const struct tr_eb_slots *k = &eb_skel->bss->slots;
	uint32_t n = __atomic_load_n(&k->next, __ATOMIC_ACQUIRE);
	uint64_t lost = 0;

	n = n < TR_EB_SLOTS ? n : TR_EB_SLOTS;
	for (uint32_t i = 0; i < n; i++) {
		if (eb_slot[i].have_agg == EB_NO_AGG) {
			lost += __atomic_load_n(&k->count[i], __ATOMIC_RELAXED);
		}
	}
	return lost;
}

/* Where the FULL's repeats are counted from now on: its slot, or (none
 * left) the REPEATs of its key. */
static void eb_full_is(const struct tr_eb_event *e, uint64_t agg, uint8_t have_agg)
{
	unsigned i = (unsigned)(e->key % EB_KEYS);

	if (e->slot < TR_EB_SLOTS) {
		eb_slot[e->slot].agg = agg;
		eb_slot[e->slot].have_agg = have_agg;
		return;
	}
	uint32_t pending = eb_keys[i].key == e->key ? eb_keys[i].pending : 0;

	eb_keys[i].key = e->key;
	eb_keys[i].agg = agg;
	eb_keys[i].have_agg = have_agg;
	eb_keys[i].pending = 0;
	while (have_agg == EB_AGG && pending--) {
		eb_add(agg, 1);
	}
}

static void eb_full(const struct tr_eb_event *e, size_t size)
{
	int row = tr_row(AUDIT_ARCH_X86_64, e->nr, (const uint64_t *)e->args);
	struct tr_task *t;

	if (row < 0) {
		eb_full_is(e, 0, EB_IGNORED);
		return;
	}
	tr_task_trim();
	if (!(t = tr_task_get((pid_t)e->tid))) {
		return;
	}
	int pi = tr_sc_arg(&tr_table[row], GOSHIM_T_PATH);
	size_t path_len = e->path_len <= size - TR_EB_HDR ? e->path_len : 0;
	size_t stack_len = size - TR_EB_HDR - path_len;

	stack_len = e->stack_len < stack_len ? e->stack_len : stack_len;
	t->tgid = (pid_t)e->tgid; /* kept when /proc/TID is gone already */
	t->sc = (uint16_t)row;
	t->arch = AUDIT_ARCH_X86_64;
	t->nr = (uint32_t)e->nr;
	memcpy(t->args, e->args, sizeof(t->args));
	t->ip = e->regs[TR_UR_IP];
	t->sp = e->regs[TR_UR_SP];
	t->have_regs = 0;
	t->uregs = (const uint64_t *)e->regs;
	tr_mem_snap(t->tid, pi >= 0 ? e->args[pi] : 0, e->data, path_len, t->sp,
		    e->data + path_len, stack_len);
	uint64_t agg = tr_fail(t, e->ret);

	tr_mem_snap(0, 0, NULL, 0, 0, NULL, 0);
	t->uregs = NULL;
	eb_full_is(e, agg, EB_AGG);
}

static void eb_repeat(const struct tr_eb_event *e)
{
	unsigned i = (unsigned)(e->key % EB_KEYS);

	if (eb_keys[i].key != e->key) {
		/* its FULL is still to come, or its slot was taken since */
		eb_uncounted += eb_keys[i].have_agg == EB_NO_AGG ? eb_keys[i].pending : 0;
		eb_keys[i].key = e->key;
		eb_keys[i].have_agg = EB_NO_AGG;
		eb_keys[i].pending = 0;
	}
	if (eb_keys[i].have_agg == EB_AGG) {
		eb_add(eb_keys[i].agg, 1);
	} else if (eb_keys[i].have_agg == EB_NO_AGG) {
		eb_keys[i].pending++;
	}
}

static int eb_on_event(void *ctx, void *data, size_t size)
{
	const struct tr_eb_event *e = data;

	(void)ctx;
	if (size < TR_EB_REPEAT_LEN || (e->kind != TR_EB_REPEAT && size < TR_EB_HDR)) {
		return 0;
	}
	tr.st->kernel_events++;
	if (e->kind == TR_EB_REPEAT) {
		eb_repeat(e);
	} else {
		eb_full(e, size);
	}
	return 0;
}

/* The engine's pid namespace: the ids the program gives are in it. */
static int eb_pidns(struct tr_ebpf *s)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) < 0) {
		return -errno;
	}
	s->rodata->pidns_dev = st.st_dev;
	s->rodata->pidns_ino = st.st_ino;
	s->rodata->engine_in_init_ns = st.st_ino == EB_INIT_PIDNS;
	return 0;
}

/* The one line a run without the watcher gets (a NOTE, in the report):
 * why, and what it costs. */
static void eb_without(int rc)
{
	char why[512];

	if (gs_bpf_obstacles(why, sizeof(why)) == 0) {
		snprintf(why, sizeof(why), "loading it failed: %s", strerror(-rc));
	}
	tr_note(0, "ebpf-watcher: not used (%s): %s", why, GS_BPF_NOTIFY_COST);
}

/* The program opened, set up and loaded, its kernel types from btf (NULL:
 * the kernel's own BTF): into eb_skel; 0 or -errno. */
static int eb_load(const char *btf)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct tr_ebpf *s = tr_ebpf__open_opts(&opts);
	int rc;

	if (!s) {
		return -errno;
	}
	eb_skel = s;
	for (size_t i = 0; i < tr_table_len; i++) {
		if (eb_row(&tr_table[i])) {
			s->rodata->watch[tr_table[i].scmp_nr] = eb_watch(&tr_table[i]);
		}
	}
	/* libbpf may raise RLIMIT_MEMLOCK on kernels without memcg
	 * accounting of BPF memory: the command would inherit it */
	struct rlimit memlock;
	int have_memlock = getrlimit(RLIMIT_MEMLOCK, &memlock) == 0;

	rc = eb_pidns(s);
	if (rc == 0) {
		rc = tr_ebpf__load(s);
	}
	if (have_memlock) {
		setrlimit(RLIMIT_MEMLOCK, &memlock);
	}
	if (rc < 0) {
		tr_ebpf__destroy(s);
		eb_skel = NULL;
	}
	return rc;
}

int tr_ebpf_start(void)
{
	const char *v = getenv("GOSHIM_TRACE_EBPF");
	char btf[64];
	int rc;

	if (v && strcmp(v, "0") == 0) {
		eb_without(-ECANCELED);
		tr_dbg("in-kernel watcher off (GOSHIM_TRACE_EBPF=0): every watched call is a "
		       "notification\n");
		return -ECANCELED;
	}
	libbpf_set_print(eb_print);
	/* the kernel types kept for this kernel, else its whole BTF; none
	 * made where the program cannot load anyway (a user without CAP_BPF:
	 * libbpf fails before it reads any BTF) */
	char why[512];
	int bfd = gs_bpf_obstacles(why, sizeof(why)) == 0 ? tr_ebpf_btf_open(btf, sizeof(btf))
							  : -EPERM;

	rc = eb_load(bfd >= 0 ? btf : NULL);
	if (bfd >= 0) {
		close(bfd);
		if (rc < 0 && (rc = eb_load(NULL)) == 0) {
			tr_ebpf_btf_drop(); /* the kept file was at fault */
		}
	}
	if (rc == 0 && (rc = tr_ebpf__attach(eb_skel)) == 0) {
		eb_rb = ring_buffer__new(bpf_map__fd(eb_skel->maps.events), eb_on_event, NULL, NULL);
		rc = eb_rb ? 0 : -errno;
	}
	if (rc < 0) {
		eb_without(rc);
		tr_ebpf_stop();
		return rc;
	}
	tr_dbg("in-kernel watcher attached: x86_64 calls but the execs and fallocate, "
	       "ftruncate are watched at their exit\n");
	return 0;
}

int tr_ebpf_active(void)
{
	return eb_rb != NULL;
}

void tr_ebpf_seed(pid_t pid)
{
	if (eb_rb) {
		__atomic_store_n(&eb_skel->bss->seed_tgid, (uint32_t)pid, __ATOMIC_SEQ_CST);
	}
}

int tr_ebpf_fd(void)
{
	return eb_rb ? ring_buffer__epoll_fd(eb_rb) : -1;
}

void tr_ebpf_drain(void)
{
	if (!eb_rb) {
		return;
	}
	if (ring_buffer__consume(eb_rb) > 0) {
		tr.st->kernel_drains++;
	}
	eb_slots_flush();
}

void tr_ebpf_stop(void)
{
	if (eb_rb) {
		const struct tr_eb_counts *c = &eb_skel->bss->counts;

		ring_buffer__consume(eb_rb);
		eb_slots_flush();
		eb_uncounted += eb_slots_unmatched();
		for (unsigned i = 0; i < EB_KEYS; i++) {
			eb_uncounted += eb_keys[i].have_agg == EB_NO_AGG ? eb_keys[i].pending : 0;
		}
		if (eb_skel->bss->seed_tgid) {
			tr_note(0, "ebpf-watcher: the traced command was never seen by the "
				"in-kernel watcher; the failures it watches went unrecorded");
		}
		if (c->lost || c->members_full || c->foreign_ns || eb_uncounted) {
			tr_note(0, "ebpf-watcher: %llu failed calls lost (ring buffer full), %llu "
				"repeats not counted, %llu processes not watched (map full), "
				"%llu failures in a pid namespace the engine cannot name",
				(unsigned long long)c->lost, (unsigned long long)eb_uncounted,
				(unsigned long long)c->members_full,
				(unsigned long long)c->foreign_ns);
		}
		tr_dbg("in-kernel watcher: %llu events (%llu of them repeats), %u repeat "
		       "counters, ring buffer %llu of %u KiB at most\n", (unsigned long long)c->events,
		       (unsigned long long)c->repeats, eb_skel->bss->slots.next,
		       (unsigned long long)(c->peak >> 10), bpf_map__max_entries(eb_skel->maps.events) >> 10);
		ring_buffer__free(eb_rb);
		eb_rb = NULL;
	}
	if (eb_skel) {
		tr_ebpf__destroy(eb_skel);
		eb_skel = NULL;
	}
}
