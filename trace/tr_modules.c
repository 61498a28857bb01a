/* SPDX-License-Identifier: Apache-2.0 */
/* Backtraces: frame 0 is the syscall instruction's address.  With the
 * thread's registers (a call followed with ptrace), a frame-pointer walk
 * adds the return address at [sp] (a syscall stub has no frame of its
 * own: Go's, glibc's syscall()) and then the rbp chain.  Without them (a
 * failure answered at its notification: only sp and pc are known, from
 * /proc/TID/syscall), Go code is unwound with the frame sizes of its
 * .gopclntab (pcsp), and other code gets [sp] alone.  Each address is
 * kept only while it falls in an executable mapping, so a C program built
 * without frame pointers yields a short trace, never garbage.  For such a
 * program (frame 0 not in Go code) a followed failure other than the
 * benign ENOENT/ENOTDIR flood is unwound again with libunwind-ptrace
 * (tr_unwind.c), which needs no frame pointers.  Every object a frame
 * falls in is described once (T_MODULE): its extent from /proc/PID/maps,
 * its load bias and its GNU build-id (cached by device and inode).  Frames
 * in Go code are named now, from the binary's .gopclntab (T_FRAME_SYM,
 * tr_gosym.c): the binary may be stripped and gone by decode time. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "goshim/record.h"
#include "tr.h"
#include "gopclntab.h"
#include "tr_bt.h"

#define MOD_MAPS_MAX  (1024 * 1024)
#define MOD_NMAPS     4096
#define MOD_CACHE     256
#define MOD_FP_SPAN   (16ull << 20)   /* rbp never jumps further up    */

struct mod_map {
	uint64_t start, end, off;
	uint64_t dev, ino;
	int exec;
	const char *path;    /* points into the maps text                */
};

struct mod_elf {
	uint64_t dev, ino;   /* 0/0: free slot                           */
	int ok;
	uint64_t load_delta;
	uint8_t build_id_len;
	uint8_t build_id[20];
};

static struct mod_elf mod_cache[MOD_CACHE];
static unsigned mod_cache_next;

static size_t mod_parse(char *text, struct mod_map *m, size_t max)
{
	size_t n = 0;

	for (char *l = strtok(text, "\n"); l && n < max; l = strtok(NULL, "\n")) {
		unsigned long s, e, off, ino;
		unsigned maj, min;
		char perms[5];
		int pos = 0;

		if (sscanf(l, "%lx-%lx %4s %lx %x:%x %lu %n", &s, &e, perms, &off,
			   &maj, &min, &ino, &pos) < 7) {
			continue;
		}
		m[n] = (struct mod_map){ s, e, off, makedev(maj, min), ino,
					 perms[2] == 'x', l + pos };
		n++;
	}
	return n;
}

static const struct mod_map *mod_find(const struct mod_map *m, size_t n, uint64_t pc)
{
	for (size_t i = 0; i < n; i++) {
		if (pc >= m[i].start && pc < m[i].end) {
			return &m[i];
		}
	}
	return NULL;
}

static int mod_is_code(const struct mod_map *m, size_t n, uint64_t pc)
{
	const struct mod_map *x = mod_find(m, n, pc);

	return x && x->exec;
}

static const struct mod_elf *mod_elf(pid_t pid, const struct mod_map *m)
{
	struct tr_elf_info e;
	struct mod_elf *c;
	int fd;

	for (unsigned i = 0; i < MOD_CACHE; i++) {
		if (mod_cache[i].ino == m->ino && mod_cache[i].dev == m->dev) {
			return &mod_cache[i];
		}
	}
	c = &mod_cache[mod_cache_next++ % MOD_CACHE];
	*c = (struct mod_elf){ .dev = m->dev, .ino = m->ino };
	fd = tr_root_open(pid, m->path, O_RDONLY);
	if (fd >= 0) {
		if (tr_elf_parse(fd, &e) == 0) {
			c->ok = 1;
			c->load_delta = e.load_delta;
			c->build_id_len = e.build_id_len;
			memcpy(c->build_id, e.build_id, sizeof(c->build_id));
		}
		close(fd);
	}
	return c;
}

/* The object hit belongs to: its extent, lowest mapping and load bias.
 * Returns the ELF facts, or NULL when its file could not be read. */
static const struct mod_elf *mod_extent(pid_t pid, const struct mod_map *m, size_t n,
					const struct mod_map *hit,
					struct goshim_t_module *mod)
{
	const struct mod_map *low = hit;
	const struct mod_elf *e;

	*mod = (struct goshim_t_module){ .start = hit->start, .end = hit->end };
	for (size_t i = 0; i < n; i++) {
		if (m[i].ino != hit->ino || m[i].dev != hit->dev ||
		    strcmp(m[i].path, hit->path) != 0) {
			continue;
		}
		if (m[i].start < mod->start) {
			mod->start = m[i].start;
			low = &m[i];
		}
		if (m[i].end > mod->end) {
			mod->end = m[i].end;
		}
	}
	if (!hit->ino || !(e = mod_elf(pid, hit))->ok) {
		return NULL;
	}
	mod->bias = low->start - low->off - e->load_delta;
	return e;
}

static void mod_put(struct gs_tlv *t, pid_t pid, const struct mod_map *m, size_t n,
		    const struct mod_map *hit)
{
	uint8_t buf[sizeof(struct goshim_t_module) + GOSHIM_STR_MAX];
	struct goshim_t_module mod;
	const struct mod_elf *e = mod_extent(pid, m, n, hit, &mod);
	size_t plen = strlen(hit->path);

	if (e) {
		mod.build_id_len = e->build_id_len;
		memcpy(mod.build_id, e->build_id, sizeof(mod.build_id));
	}
	if (plen > GOSHIM_STR_MAX) {
		plen = GOSHIM_STR_MAX;
		gs_tlv_mark_truncated(t, GOSHIM_T_MODULE);
	}
	memcpy(buf, &mod, sizeof(mod));
	memcpy(buf + sizeof(mod), hit->path, plen);
	gs_tlv_put(t, GOSHIM_T_MODULE, buf, sizeof(mod) + plen);
}

/* i386 __kernel_vsyscall pushes ecx, edx, ebp (and sets ebp := esp): the
 * caller's return address is MOD_VSYSCALL_RA above sp. */
#define MOD_VSYSCALL_RA 12

static int mod_in_vsyscall(const struct tr_task *task, const struct mod_map *m, size_t n)
{
	const struct mod_map *vdso = mod_find(m, n, task->ip);

	return task->arch == AUDIT_ARCH_I386 && vdso && strcmp(vdso->path, "[vdso]") == 0;
}

/* Frame-pointer walk: pcs[1..] from [sp], then the rbp chain. */
static unsigned mod_walk(const struct tr_task *task,
			 const struct mod_map *m, size_t n, uint64_t *pcs, unsigned max)
{
	size_t w = task->arch == AUDIT_ARCH_I386 ? 4 : 8;
	uint64_t ret = 0, fp, next = 0;
	unsigned k = 1;

	fp = w == 4 ? (uint32_t)task->rbp : task->rbp;
	uint64_t ra_at = task->sp;

	if (mod_in_vsyscall(task, m, n)) {
		uint32_t saved = 0;

		ra_at = task->sp + MOD_VSYSCALL_RA;
		if (tr_mem_read(task->tid, task->sp, &saved, 4) == 4) {
			fp = saved;
		}
	}
	if (k < max && tr_mem_read(task->tid, ra_at, &ret, w) == (ssize_t)w &&
	    mod_is_code(m, n, ret)) {
		pcs[k++] = ret;
	}
	while (k < max && fp && fp % w == 0 && fp >= task->sp) {
		uint64_t pair[2] = { 0, 0 };

		if (w == 8) {
			if (tr_mem_read(task->tid, fp, pair, 16) != 16) {
				break;
			}
			next = pair[0];
			ret = pair[1];
		} else {
			uint32_t p32[2];

			if (tr_mem_read(task->tid, fp, p32, 8) != 8) {
				break;
			}
			next = p32[0];
			ret = p32[1];
		}
		if (!mod_is_code(m, n, ret)) {
			break;
		}
		if (k < 2 || pcs[k - 1] != ret) {
			pcs[k++] = ret;
		}
		if (next <= fp || next - fp > MOD_FP_SPAN) {
			break;
		}
		fp = next;
	}
	return k;
}

/* A window of the stack read at once: one process_vm_readv for the
 * frames it covers instead of one per frame (~1.5 us each). */
#define MOD_WIN 4096

struct mod_win {
	uint64_t base;
	size_t len;
	uint8_t buf[MOD_WIN];
};

/* The w-byte word at addr, through the window (re-read from addr when
 * it falls outside). */
static int mod_word(pid_t tid, struct mod_win *win, uint64_t addr, size_t w, uint64_t *v)
{
	if (addr < win->base || addr + w > win->base + win->len) {
		ssize_t got = tr_mem_read(tid, addr, win->buf, MOD_WIN);

		win->base = addr;
		win->len = got > 0 ? (size_t)got : 0;
		if (win->len < w) {
			return -1;
		}
	}
	*v = 0;
	memcpy(v, win->buf + (addr - win->base), w);
	return 0;
}

/* Walk Go frames by their sizes (no registers but sp and pc): the return
 * address of a frame is at sp + its pcsp delta.  Stops at the first
 * frame outside Go code; when frame 0 is not Go code, [sp] is taken as
 * the return address (a C syscall stub). */
static unsigned mod_gowalk(const struct tr_task *task, const struct mod_map *m, size_t n,
			   uint64_t *pcs, unsigned max)
{
	size_t w = task->arch == AUDIT_ARCH_I386 ? 4 : 8;
	uint64_t pc = task->ip, sp = task->sp, ret = 0;
	unsigned k = 1;

	if (mod_in_vsyscall(task, m, n)) {
		if (tr_mem_read(task->tid, sp + MOD_VSYSCALL_RA, &ret, 4) == 4 &&
		    mod_is_code(m, n, ret) && k < max) {
			pcs[k++] = ret;
		}
		return k;
	}
	struct mod_win win = { .len = 0 };

	while (k < max && sp) {
		const struct mod_map *hit = mod_find(m, n, pc - 1);
		const struct gs_gopcln *g = NULL;
		struct goshim_t_module mod;
		int32_t delta = 0;

		if (hit && hit->ino && mod_extent(task->tid, m, n, hit, &mod)) {
			g = tr_gosym_table(task->tid, hit->dev, hit->ino, hit->start, hit->end,
					   hit->path);
		}
		if (!g || gs_gopcln_spdelta(g, pc - 1 - mod.bias, &delta) < 0) {
			if (k > 1) {
				break; /* left Go code, or a frame of unknown size */
			}
			delta = 0; /* frame 0: a stub with no frame of its own */
		}
		if (mod_word(task->tid, &win, sp + (uint64_t)delta, w, &ret) < 0 ||
		    !mod_is_code(m, n, ret)) {
			break;
		}
		pcs[k++] = ret;
		if (!g) {
			break;
		}
		sp += (uint64_t)delta + w;
		pc = ret;
	}
	return k;
}

/* sp of tid, blocked in a system call ("nr args... sp pc" in
 * /proc/TID/syscall), or 0. */
static uint64_t mod_sp(pid_t tid)
{
	char b[512];
	unsigned long long v[9];

	if (tr_proc_read(tid, "syscall", b, sizeof(b)) <= 0 ||
	    sscanf(b, "%llu %llx %llx %llx %llx %llx %llx %llx %llx", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9) {
		return 0;
	}
	return v[7];
}

/* Name the frames that fall in Go code (T_FRAME_SYM).  Returns 1 when
 * frame 0 is Go code. */
static int mod_names(struct gs_tlv *t, pid_t pid, const struct mod_map *m, size_t n,
		     const uint64_t *pcs, unsigned k)
{
	int go0 = 0;

	for (unsigned i = 0; i < k; i++) {
		const struct mod_map *hit = mod_find(m, n, pcs[i]);
		const struct gs_gopcln *g;
		struct goshim_t_module mod;

		if (!hit || !hit->ino ||
		    !(g = tr_gosym_table(pid, hit->dev, hit->ino, hit->start, hit->end, hit->path)) ||
		    !mod_extent(pid, m, n, hit, &mod)) {
			continue;
		}
		go0 |= i == 0;
		tr_gosym_inline(g, pid, mod.bias);
		tr_gosym_put(t, g, i, pcs[i] - mod.bias);
	}
	tr_gosym_release();
	return go0;
}

/* Worth the libunwind cost: a C program's failure outside the benign
 * flood of missing files. */
static int mod_wants_unwind(const struct tr_task *task, int64_t rv,
			    const struct mod_map *m, size_t n)
{
	const struct mod_map *hit = mod_find(m, n, task->ip);

	if (task->arch != AUDIT_ARCH_X86_64 || rv == -ENOENT || rv == -ENOTDIR || rv >= 0 ||
	    rv < -4095) {
		return 0;
	}
	return !hit || !tr_gosym_table(task->tid, hit->dev, hit->ino, hit->start, hit->end,
				       hit->path);
}

/* libunwind-ptrace opens the objects it unwinds through itself, by the
 * path text of /proc/PID/maps, in the engine's root, with a blocking
 * open: it is let loose only when every executable mapping's path names
 * the mapped file itself, a regular file (stat opens nothing).  A path a
 * program made into something else (a FIFO named "prog (deleted)", a
 * file put in its place) costs the C frames of that record, never a
 * hang. */
static int mod_unwind_safe(const struct mod_map *m, size_t n)
{
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		if (!m[i].exec || !m[i].ino || m[i].path[0] != '/') {
			continue; /* [vdso], anonymous code: read from memory */
		}
		if (stat(m[i].path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_ino != m[i].ino ||
		    st.st_dev != m[i].dev) {
			return 0;
		}
	}
	return 1;
}

static double mod_us(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e6 + (double)(b.tv_nsec - a->tv_nsec) / 1e3;
}

/* The file-backed mappings of a process ([vdso] too: code lives there),
 * kept between its records: reading and parsing /proc/PID/maps cost more
 * than the rest of a record (30-90 us; a Go program maps ~200 regions,
 * mostly anonymous heap).  A set is read again when the program changes
 * (an exec: tr_modules_forget) or frame 0 falls outside it (a library
 * loaded since). */
#define MOD_SETS      4
#define MOD_SET_TEXT  (256 * 1024)

struct mod_set {
	pid_t tgid;          /* 0: free                                      */
	size_t n;
	struct mod_map m[MOD_NMAPS];
	char text[MOD_SET_TEXT];
};

static struct mod_set mod_sets[MOD_SETS];
static unsigned mod_set_next;

void tr_modules_forget(pid_t tgid)
{
	for (unsigned i = 0; i < MOD_SETS; i++) {
		if (mod_sets[i].tgid == tgid) {
			mod_sets[i].tgid = 0;
		}
	}
}

/* Keep the lines of text that name a file or [vdso]. */
static size_t mod_keep(const char *text, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *l = text; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
		const char *slash = memchr(l, '/', len), *vdso = memchr(l, '[', len);

		if ((slash || (vdso && len >= 6 && memcmp(vdso, "[vdso]", 6) == 0)) &&
		    o + len + 1 < cap) {
			memcpy(out + o, l, len);
			o += len;
		}
		l += len;
	}
	out[o] = 0;
	return o;
}

static struct mod_set *mod_set_of(pid_t tgid, pid_t tid, uint64_t ip)
{
	static char raw[MOD_MAPS_MAX];
	struct mod_set *set = NULL;

	for (unsigned i = 0; i < MOD_SETS; i++) {
		if (mod_sets[i].tgid == tgid) {
			set = &mod_sets[i];
			break;
		}
	}
	if (set && mod_find(set->m, set->n, ip)) {
		return set;
	}
	if (!set) {
		set = &mod_sets[mod_set_next++ % MOD_SETS];
	}
	set->tgid = 0;
	if (tr_proc_read(tid, "maps", raw, MOD_MAPS_MAX) <= 0) {
		return NULL;
	}
	mod_keep(raw, set->text, sizeof(set->text));
	set->n = mod_parse(set->text, set->m, MOD_NMAPS);
	set->tgid = tgid;
	return set;
}

/* The set tr_backtrace_walk used, for tr_backtrace_put. */
static const struct mod_set *mod_last;

unsigned tr_backtrace_walk(struct tr_task *task, int64_t rv, uint64_t *pcs)
{
	const struct mod_set *set;
	unsigned max = tr.frames ? tr.frames : 16, k = 1, ku = 0;
	struct timespec t0;
	double walk = 0, unwind = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (max > GOSHIM_FRAMES_MAX) {
		max = GOSHIM_FRAMES_MAX;
	}
	pcs[0] = task->ip;
	if (!task->have_regs && !task->sp) {
		task->sp = mod_sp(task->tid);
	}
	mod_last = set = mod_set_of(task->tgid, task->tid, task->ip);
	if (set) {
		k = task->have_regs ? mod_walk(task, set->m, set->n, pcs, max)
				    : mod_gowalk(task, set->m, set->n, pcs, max);
		walk = mod_us(&t0);
		if (set->n && (task->have_regs || task->uregs) &&
		    mod_wants_unwind(task, rv, set->m, set->n) && mod_unwind_safe(set->m, set->n)) {
			uint64_t upcs[GOSHIM_FRAMES_MAX];

			upcs[0] = task->ip;
			ku = tr_unwind(task->tgid, task->tid, set->m[0].ino ^ set->m[0].start,
				       task->have_regs ? NULL : task->uregs, upcs, max);
			if (ku >= k) {
				memcpy(pcs, upcs, ku * sizeof(pcs[0]));
				k = ku;
			}
			unwind = mod_us(&t0) - walk;
		}
	}
	if (tr.verbose > 1) {
		tr_dbg2("backtrace %d: %u frames; us: walk %.1f, libunwind %.1f (%u frames)\n",
		       task->tid, k, walk, unwind, ku);
	}
	return k;
}

void tr_backtrace_put(struct gs_tlv *t, struct tr_task *task, const uint64_t *pcs,
		      unsigned k)
{
	const struct mod_map *m = mod_last ? mod_last->m : NULL;
	size_t n = mod_last ? mod_last->n : 0;
	const struct mod_map *done[GOSHIM_FRAMES_MAX];
	unsigned ndone = 0;

	for (unsigned i = 0; i < k; i++) {
		gs_tlv_u64(t, GOSHIM_T_FRAME, pcs[i]);
	}
	for (unsigned i = 0; i < k; i++) {
		const struct mod_map *hit = mod_find(m, n, pcs[i]);
		int seen = !hit || !hit->path[0];

		for (unsigned j = 0; hit && j < ndone && !seen; j++) {
			seen = done[j]->ino == hit->ino && done[j]->dev == hit->dev &&
			       strcmp(done[j]->path, hit->path) == 0;
		}
		if (!seen) {
			mod_put(t, task->tid, m, n, hit);
			done[ndone++] = hit;
		}
	}
	mod_names(t, task->tid, m, n, pcs, k);
}
