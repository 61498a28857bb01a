/* SPDX-License-Identifier: Apache-2.0 */
/* What the in-kernel watcher (tr_ebpf.bpf.c) hands the engine for a
 * failed call: shared by the BPF program and ../tr_ebpf.c, so only fixed-width
 * kernel types. */
#ifndef GS_TR_EBPF_EVENT_H
#define GS_TR_EBPF_EVENT_H

#include <linux/types.h>

#define TR_EB_NR_MAX  512      /* x86_64 system call numbers watched       */
#define TR_EB_PATH    4096     /* PATH_MAX                                 */
#define TR_EB_PAGE    4096
#define TR_EB_PAGES   4        /* stack copied from sp: 16 KiB at most     */
#define TR_EB_SLOTS   16384    /* repeat counters (slot_count[] of the program) */
#define TR_EB_NO_SLOT 0xffffffffu

/* The registers an unwinder needs: pc, sp and the callee-saved ones. */
enum { TR_UR_IP, TR_UR_SP, TR_UR_BP, TR_UR_BX, TR_UR_R12, TR_UR_R13, TR_UR_R14, TR_UR_R15,
       TR_UR_N };

/* watch[nr] of the program: 0 not watched, else 1 + index of the path
 * argument (0..5) */

enum { TR_EB_FULL = 1, TR_EB_REPEAT = 2 };

/* One record in the ring buffer, of variable length.  A FULL one is the
 * header followed by data[]: the path (path_len bytes, NUL included),
 * then the stack copied from sp (stack_len bytes); its slot names the
 * counter (slot_count[slot] in the program's .bss) that the program adds
 * its repeats to (a failure identical to it: same process, call, errno,
 * pc and path, by key), in the kernel, without an event.  Once the
 * TR_EB_SLOTS counters are all given out, a repeat is sent as a REPEAT:
 * the header up to its key (TR_EB_REPEAT_LEN bytes, tid and tgid not
 * set; the rest is not sent). */
struct tr_eb_event {
	__u32 kind;            /* TR_EB_FULL, TR_EB_REPEAT                  */
	__u32 tid, tgid;       /* in the engine's pid namespace             */
	__s32 nr;              /* x86_64 system call number                 */
	__s32 ret;             /* the kernel's result: -errno               */
	__u32 path_len;
	__u64 key;             /* FNV-1a of tgid, nr, ret, pc and path      */
	__u64 args[6];
	__u64 regs[8];         /* user registers at the call: TR_UR_*       */
	__u32 stack_len;
	__u32 slot;            /* FULL: its repeats' counter, or TR_EB_NO_SLOT */
	__u8 data[TR_EB_PATH + TR_EB_PAGES * TR_EB_PAGE];
};
#define TR_EB_HDR __builtin_offsetof(struct tr_eb_event, data)
#define TR_EB_REPEAT_LEN (__builtin_offsetof(struct tr_eb_event, key) + sizeof(__u64))

/* Counters the engine reads from the program's .bss. */
struct tr_eb_counts {
	__u64 events;          /* events sent: FULL and REPEAT             */
	__u64 lost;            /* failures dropped: the ring buffer was full */
	__u64 repeats;         /* of events, REPEATs (no counter was left)  */
	__u64 foreign_ns;      /* failures of a pid namespace the engine
	                        * cannot name                               */
	__u64 members_full;    /* processes not added: the map was full     */
	__u64 peak;            /* the most bytes the ring buffer held after
	                        * an event was put in                       */
};

/* The program's repeat counters, in its .bss (read by the engine through
 * the skeleton's mapping): slot_next counters were given out, one per
 * FULL event, in order; each only grows. */
struct tr_eb_slots {
	__u32 next;
	__u32 pad;
	__u64 count[TR_EB_SLOTS];
};

#endif
