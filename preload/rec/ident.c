/* SPDX-License-Identifier: Apache-2.0 */
/* Identity fields common to every record: times, pid, tid, ppid, exe. */
#include "rec.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/auxv.h>
#include <time.h>

#include "lazymem.h"
#include "sys.h"

/* The exe path is read once per pid; the writer fills it, then publishes
 * the pid.  A vfork child writes the same bytes its parent holds. */
static void *id_exe_mem; /* char[GS_REC_PATH_MAX], mapped at the first use */
static uint32_t id_exe_pid;

/* Thread id, valid while tid_pid is the current pid: a fork or vfork
 * child (which shares or copies this TLS) sees another pid and asks. */
static __thread uint32_t id_tid, id_tid_pid __attribute__((tls_model("initial-exec")));

uint32_t gs_pid(void)
{
	return (uint32_t)gs_sys0(SYS_getpid);
}

uint32_t gs_tid(uint32_t pid)
{
	if (id_tid_pid != pid) {
		id_tid = (uint32_t)gs_sys0(SYS_gettid);
		id_tid_pid = pid;
	}
	return id_tid;
}

uint32_t gs_ppid(void)
{
	return (uint32_t)gs_sys0(SYS_getppid);
}

static long id_readlink(const char *path, char *buf, size_t cap)
{
	long n = gs_sys4(SYS_readlinkat, AT_FDCWD, path, buf, cap - 1);

	buf[n > 0 ? n : 0] = 0;
	return n;
}

const char *gs_exe(uint32_t pid, char *buf, size_t cap)
{
	char *id_exe = gs_lazymem(&id_exe_mem, GS_REC_PATH_MAX);
	uint32_t cached = __atomic_load_n(&id_exe_pid, __ATOMIC_ACQUIRE);

	if (id_exe && cached == pid) {
		return id_exe;
	}
	id_readlink("/proc/self/exe", buf, cap);
	/* the first to replace a stale pid fills the cache */
	if (id_exe && cached != UINT32_MAX &&
	    __atomic_compare_exchange_n(&id_exe_pid, &cached, UINT32_MAX, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		gs_strlcpy(id_exe, buf, GS_REC_PATH_MAX);
		__atomic_store_n(&id_exe_pid, pid, __ATOMIC_RELEASE);
	}
	return buf;
}

typedef int (*id_clock_fn)(clockid_t, struct timespec *);

/* The vDSO's clock_gettime (no system call, no errno, not the wrapped
 * libc symbol), or NULL: then the raw system call. */
static id_clock_fn id_vdso_clock;

/* Its names, by architecture. */
static const char *const id_vdso_syms[] = {
	"__vdso_clock_gettime", "__kernel_clock_gettime",
};

static int id_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++, b++;
	}
	return *a == *b;
}

/* Found in the vDSO image the kernel maps (AT_SYSINFO_EHDR), by its
 * dynamic symbol table, as the kernel's parse_vdso.c does: no loader
 * call, nothing opened. */
void gs_ident_setup(void)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *sym = NULL;
	const Elf32_Word *hash = NULL;
	const char *str = NULL;
	uintptr_t bias = 0;
	int loaded = 0;

	if (!eh || eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
	    eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3) {
		return;
	}
	const ElfW(Phdr) *ph = (const void *)((const char *)eh + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !loaded) {
			bias = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			loaded = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const void *)((const char *)eh + ph[i].p_offset);
		}
	}
	for (; loaded && dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB) {
			sym = (const void *)(dyn->d_un.d_ptr + bias);
		} else if (dyn->d_tag == DT_STRTAB) {
			str = (const void *)(dyn->d_un.d_ptr + bias);
		} else if (dyn->d_tag == DT_HASH) {
			hash = (const void *)(dyn->d_un.d_ptr + bias);
		}
	}
	/* DT_HASH's second word is the number of symbols */
	for (Elf32_Word i = 0; sym && str && hash && !id_vdso_clock && i < hash[1]; i++) {
		if (ELF64_ST_TYPE(sym[i].st_info) != STT_FUNC || sym[i].st_shndx == SHN_UNDEF) {
			continue;
		}
		for (size_t k = 0; k < sizeof(id_vdso_syms) / sizeof(id_vdso_syms[0]); k++) {
			if (id_streq(str + sym[i].st_name, id_vdso_syms[k])) {
				id_vdso_clock = (id_clock_fn)(bias + sym[i].st_value);
			}
		}
	}
}

static uint64_t id_clock(int clk)
{
	struct timespec ts = { 0, 0 };

	if (!id_vdso_clock || id_vdso_clock(clk, &ts) != 0) {
		gs_sys2(SYS_clock_gettime, clk, &ts);
	}
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void gs_put_ident(struct gs_tlv *t, struct gs_slot *s, uint32_t pid)
{
	gs_tlv_u64(t, GOSHIM_T_TIME_REAL, id_clock(CLOCK_REALTIME));
	gs_tlv_u64(t, GOSHIM_T_TIME_MONO, id_clock(CLOCK_MONOTONIC));
	gs_tlv_u32(t, GOSHIM_T_PID, pid);
	gs_tlv_u32(t, GOSHIM_T_TID, gs_tid(pid));
	gs_tlv_u32(t, GOSHIM_T_PPID, gs_ppid());
	gs_tlv_str(t, GOSHIM_T_EXE, gs_exe(pid, s->tmp, sizeof(s->tmp)));
}
