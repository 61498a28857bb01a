/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/* The in-kernel watcher of the trace engine (trace/tr_ebpf.c).
 *
 * One program at every system call's exit (raw_tp/sys_exit) hands the
 * engine the failures of the watched x86_64 calls (openat, newfstatat,
 * statx, mmap, ...; the engine's watch[] says which, and which argument is
 * a string) made by the processes of the traced tree: the call's
 * registers, its path and up to 16 KiB of the stack above sp, everything
 * the record needs that will not be there later.  Calls that succeed cost
 * a compare and a return; nothing waits for the engine.
 *
 * The tree is the set of thread groups in `members`: its root is added by
 * the seed (the engine names it by its pid in the engine's namespace; the
 * root's next system call exit adds its kernel-wide tgid), every process
 * forked by a member is added at the fork, and a process is removed when
 * its last thread exits.
 *
 * Raw tracepoints, not BTF-typed ones: attaching needs no kernel BTF.
 * The system call's registers are read by the layout of x86_64's pt_regs,
 * the frame the kernel's entry code pushes (the ptrace ABI, the same in
 * every kernel).  The two kernel structures read otherwise are declared
 * here with only the fields used, and libbpf relocates them (CO-RE)
 * against the kernel's types: a minimal BTF of just those fields that the
 * engine keeps per kernel (../tr_ebpf_btf.c), else the kernel's whole
 * BTF.  No vmlinux.h.  The licence is the kernel's condition for the
 * tracing helpers; the program is also available under the project's. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "tr_ebpf_event.h"
#include "../../common/mmclass.h"

/* x86_64's struct pt_regs, in the order the entry code pushes it (the
 * uapi <asm/ptrace.h> layout): read as bytes, never relocated. */
struct eb_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di;
	__u64 orig_ax, ip;
	__u64 cs;             /* its low 16 bits: a union with FRED's since 6.9 */
	__u64 flags, sp, ss;
};
/* what every failed call's exit reads first: orig_ax, ip, cs */
struct eb_regs_nr {
	__u64 orig_ax, ip, cs;
};

struct signal_struct {
	struct { int counter; } live;
} __attribute__((preserve_access_index));

struct task_struct {
	int tgid;
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

#define EB_USER_CS64 0x33       /* __USER_CS: a 64-bit system call        */
/* Sizes: every map is made (zeroed, charged, mapped) at each start, the
 * ring buffer and .bss mapped into the engine, whose forks copy those
 * mappings; each is sized to need, with room.  members: the tree's live
 * processes (a few dozen for a go test; one beyond is NOTEd); seen: a
 * failure evicted is handed over whole again, counted into the same
 * record.  events stays 8 MiB: a go test's held 285 KiB at most at load
 * 27 (`goshimctl run -v` says), but a burst of distinct failures (a
 * compiler's include search) fills it faster than the engine records
 * them, and a full one loses failures (NOTEd): 2,000 distinct lookups in
 * a loop lost 62-1136 with 8 MiB, 1541-1635 with 2 MiB, which would have
 * saved ~4 ms per start. */
#define EB_MEMBERS   16384
#define EB_RINGBUF   (8u << 20)
#define EB_SEEN      8192
#define EB_ERESTART_FIRST 512   /* ERESTARTSYS                            */
#define EB_ERESTART_LAST  516   /* ERESTART_RESTARTBLOCK                  */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);   /* a few hundred used */
	__uint(max_entries, EB_MEMBERS);
	__type(key, __u32);          /* kernel-wide tgid */
	__type(value, __u8);
} members SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EB_RINGBUF);
} events SEC(".maps");

/* the event being made (too big for the BPF stack) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_eb_event);
} scratch SEC(".maps");

/* keys of the failures handed over whole lately, and the counter of
 * each one's repeats (TR_EB_NO_SLOT: none left): the same failure again
 * adds 1 to that counter and sends nothing (a loop failing the same call
 * thousands of times costs no ring space and no event) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, EB_SEEN);
	__type(key, __u64);
	__type(value, __u32);
} seen SEC(".maps");

/* set by the engine before loading */
const volatile __u8 watch[TR_EB_NR_MAX] = { 0 };
const volatile __u64 pidns_dev = 0, pidns_ino = 0;
const volatile __u8 engine_in_init_ns = 0;

/* the root to add, by its pid in the engine's namespace; 0 when done */
volatile __u32 seed_tgid = 0;
struct tr_eb_counts counts = { 0 };
struct tr_eb_slots slots = { 0 };

static __always_inline void eb_seed(void)
{
	struct bpf_pidns_info ns;

	if (bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)) == 0 &&
	    ns.tgid == seed_tgid) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		__u8 one = 1;

		bpf_map_update_elem(&members, &tgid, &one, BPF_ANY);
		seed_tgid = 0;
	}
}

/* The thread's ids as the engine sees them, or -1. */
static __always_inline int eb_ids(struct tr_eb_event *e, __u64 pid_tgid)
{
	struct bpf_pidns_info ns;

	if (bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)) == 0) {
		e->tid = ns.pid;
		e->tgid = ns.tgid;
		return 0;
	}
	if (engine_in_init_ns) { /* a nested namespace: kernel-wide ids are ours */
		e->tid = (__u32)pid_tgid;
		e->tgid = pid_tgid >> 32;
		return 0;
	}
	return -1;
}

/* Copy up to TR_EB_PAGES pages of stack from sp to e->data + at, page by
 * page: a read that crosses into an unmapped page fails whole; the first
 * piece runs to the end of sp's page.  Returns the bytes copied. */
static __always_inline __u32 eb_stack(struct tr_eb_event *e, __u32 at, __u64 sp)
{
	__u32 n = 0;

	for (int i = 0; i < TR_EB_PAGES; i++) {
		__u64 from = sp + n;
		__u32 len = TR_EB_PAGE - (__u32)(from & (TR_EB_PAGE - 1));
		__u32 to = at + n;

		if (n > (TR_EB_PAGES - 1) * TR_EB_PAGE || to > TR_EB_PATH + n ||
		    to > TR_EB_PATH + (TR_EB_PAGES - 1) * TR_EB_PAGE || len > TR_EB_PAGE) {
			break;
		}
		if (bpf_probe_read_user(e->data + to, len, (const void *)from) < 0) {
			break;
		}
		n += len;
	}
	return n;
}

#define EB_HASH_OFF  14695981039346656037ull
#define EB_HASH_MUL  0x9e3779b97f4a7c15ull

/* One 64-bit word into h: xor, multiply by an odd constant, xor-shift.
 * Each step is a bijection of h: two keys whose words differ in one
 * place only (paths of one length, one word apart) never collide. */
static __always_inline __u64 eb_mix(__u64 h, __u64 v)
{
	h = (h ^ v) * EB_HASH_MUL;
	return h ^ (h >> 32);
}

struct eb_hash {
	const struct tr_eb_event *e;
	__u64 h;
};

/* Word i of the path (8 bytes; those past path_len, left there by an
 * earlier event, masked off). */
static long eb_hash_word(__u32 i, void *ctx)
{
	struct eb_hash *x = ctx;
	__u32 at = i * 8;

	if (at > TR_EB_PATH - 8) {
		return 1;
	}
	__u64 w = *(const __u64 *)(x->e->data + at);
	__u32 left = x->e->path_len - at;

	if (left < 8) {
		w &= (1ull << (left * 8)) - 1;
	}
	x->h = eb_mix(x->h, w);
	return 0;
}

/* What makes two failures the same record: process, call, errno, pc and
 * path (the engine aggregates by the same).  The path a word at a time
 * through bpf_loop (Linux 5.17): a loop the verifier walks once, not 512
 * times (33 ms of loading for a byte loop, measured, while the command
 * waits to start). */
/* The bit length of v (0 for 0), without a loop. */
static __always_inline __u32 eb_bits(__u64 v)
{
	__u32 n = 0;

	if (v >> 32) { n += 32; v >>= 32; }
	if (v >> 16) { n += 16; v >>= 16; }
	if (v >> 8) { n += 8; v >>= 8; }
	if (v >> 4) { n += 4; v >>= 4; }
	if (v >> 2) { n += 2; v >>= 2; }
	if (v >> 1) { n += 1; v >>= 1; }
	return n + (__u32)v;
}

#define EB_NR_MMAP 9 /* x86_64 */

static __always_inline __u64 eb_key(const struct tr_eb_event *e, __u32 tgid)
{
	struct eb_hash x = { .e = e };

	x.h = eb_mix(EB_HASH_OFF, ((__u64)tgid << 32) | e->path_len);
	x.h = eb_mix(x.h, ((__u64)(__u32)e->nr << 32) | (__u32)e->ret);
	x.h = eb_mix(x.h, e->regs[TR_UR_IP]);
	if (e->nr == EB_NR_MMAP) {
		/* a failed mmap's class, as the engine's and the preload's keys
		 * have it (common/mmclass.h): an arena and stacks apart */
		x.h = eb_mix(x.h, (e->args[3] & GS_MMCLASS_FLAGS) |
					  (__u64)eb_bits(e->args[1]) << GS_MMCLASS_BITS_SHIFT);
	}
	bpf_loop((e->path_len + 7) / 8, eb_hash_word, &x, 0);
	return x.h;
}

/* The engine is woken for a FULL failure (its evidence is read when it
 * arrives, while the process is as it was); a REPEAT (sent only once the
 * counters are all given out) waits in the ring buffer for the engine's
 * next look (its periodic drain, a notification, the end, or a FULL),
 * unless the buffer is filling: no count is dropped. */
#define EB_WAKE_AT (1u << 20)

static __always_inline void eb_output(struct tr_eb_event *e, __u64 size)
{
	__u64 flags = BPF_RB_FORCE_WAKEUP;

	if (size > sizeof(*e)) {
		size = sizeof(*e);
	}
	if (e->kind == TR_EB_REPEAT &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < EB_WAKE_AT) {
		flags = BPF_RB_NO_WAKEUP;
	}
	if (bpf_ringbuf_output(&events, e, size, flags) < 0) {
		__sync_fetch_and_add(&counts.lost, 1);
		return;
	}
	__sync_fetch_and_add(&counts.events, 1);
	__u64 held = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	if (held > counts.peak) {
		counts.peak = held; /* a high-water mark: a lost race only lowers it */
	}
}

SEC("raw_tp/sys_exit")
int BPF_PROG(eb_sys_exit, const void *kregs, long ret)
{
	if (seed_tgid) {
		eb_seed();
	}
	/* -512..-516 (ERESTARTSYS & co.): a call interrupted by a signal; the
	 * program never sees them (it comes round again, or gets EINTR) */
	if (ret >= 0 || ret < -4095 || (ret >= -EB_ERESTART_LAST && ret <= -EB_ERESTART_FIRST)) {
		return 0;
	}
	struct eb_regs_nr rn;

	if (bpf_probe_read_kernel(&rn, sizeof(rn),
				  (const char *)kregs + __builtin_offsetof(struct eb_regs, orig_ax)) < 0) {
		return 0;
	}
	__u64 nr = rn.orig_ax;

	if (nr >= TR_EB_NR_MAX) {
		return 0;
	}
	nr &= TR_EB_NR_MAX - 1; /* for the verifier: the check above is kept */
	if (!watch[nr] || (__u16)rn.cs != EB_USER_CS64) {
		return 0;
	}
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, zero = 0;

	if (!bpf_map_lookup_elem(&members, &tgid)) {
		return 0;
	}
	struct tr_eb_event *e = bpf_map_lookup_elem(&scratch, &zero);
	struct eb_regs r;

	if (!e || bpf_probe_read_kernel(&r, sizeof(r), kregs) < 0) {
		return 0;
	}
	const struct eb_regs *regs = &r;

	e->nr = (__s32)nr;
	e->ret = (__s32)ret;
	e->args[0] = regs->di;
	e->args[1] = regs->si;
	e->args[2] = regs->dx;
	e->args[3] = regs->r10;
	e->args[4] = regs->r8;
	e->args[5] = regs->r9;
	e->regs[TR_UR_IP] = regs->ip;
	e->path_len = 0;
	__u8 pi = watch[nr] - 1;

	if (pi < 6) {
		long n = bpf_probe_read_user_str(e->data, TR_EB_PATH, (const void *)e->args[pi]);

		e->path_len = n > 0 ? (__u32)n : 0;
	}
	e->key = eb_key(e, tgid);
	__u32 *slot = bpf_map_lookup_elem(&seen, &e->key);

	if (slot) {
		__u32 s = *slot;

		if (s < TR_EB_SLOTS) {
			__sync_fetch_and_add(&slots.count[s], 1);
			return 0;
		}
		e->kind = TR_EB_REPEAT;
		__sync_fetch_and_add(&counts.repeats, 1);
		eb_output(e, TR_EB_REPEAT_LEN);
		return 0;
	}
	/* a failure not seen lately: handed over whole */
	if (eb_ids(e, pid_tgid) < 0) {
		__sync_fetch_and_add(&counts.foreign_ns, 1);
		return 0;
	}
	e->regs[TR_UR_SP] = regs->sp;
	e->regs[TR_UR_BP] = regs->bp;
	e->regs[TR_UR_BX] = regs->bx;
	e->regs[TR_UR_R12] = regs->r12;
	e->regs[TR_UR_R13] = regs->r13;
	e->regs[TR_UR_R14] = regs->r14;
	e->regs[TR_UR_R15] = regs->r15;
	e->stack_len = 0;
	e->slot = __sync_fetch_and_add(&slots.next, 1);
	if (e->slot >= TR_EB_SLOTS) {
		e->slot = TR_EB_NO_SLOT;
	}
	bpf_map_update_elem(&seen, &e->key, &e->slot, BPF_ANY);
	__u32 at = e->path_len;

	e->kind = TR_EB_FULL;
	if (at <= TR_EB_PATH) {
		e->stack_len = eb_stack(e, at, regs->sp);
	}
	eb_output(e, TR_EB_HDR + (__u64)at + e->stack_len);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(eb_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = bpf_get_current_pid_tgid() >> 32;
	__u32 ctgid = BPF_CORE_READ(child, tgid);

	if (ctgid == ptgid || !bpf_map_lookup_elem(&members, &ptgid)) {
		return 0; /* a thread, or not ours */
	}
	__u8 one = 1;

	if (bpf_map_update_elem(&members, &ctgid, &one, BPF_ANY) < 0) {
		__sync_fetch_and_add(&counts.members_full, 1);
	}
	return 0;
}

/* The last thread of a process exits (signal->live reached 0 before the
 * tracepoint): its tgid may be reused by anyone. */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(eb_exit, struct task_struct *p)
{
	if (BPF_CORE_READ(p, signal, live.counter) == 0) {
		__u32 tgid = BPF_CORE_READ(p, tgid);

		bpf_map_delete_elem(&members, &tgid);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
