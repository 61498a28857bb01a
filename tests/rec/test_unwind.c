// SPDX-License-Identifier: Apache-2.0
/*
 * The recorder's frame walker (unwind.h), called directly: it crosses
 * ordinary frames and a signal frame on an alternate stack, and a frame
 * without call frame information whose %rbp points into a PROT_NONE page
 * right above a thread's stack costs frames, never a fault.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "unwind.h"

#if defined(__x86_64__) /* the walker knows x86_64 only */

#define UT_CAP 64u

static struct gs_uw_work ut_work;
static void *ut_pcs[UT_CAP];
static unsigned ut_n;

static void ut_init(void)
{
	gs_uw_find = (gs_uw_find_fn)dlsym(RTLD_DEFAULT, "_dl_find_object");
	cr_assert(gs_uw_find, "no _dl_find_object");
}

TestSuite(unwind, .init = ut_init);

static int ut_has(const void *pc)
{
	for (unsigned i = 0; i < ut_n; i++) {
		if (ut_pcs[i] == pc) {
			return 1;
		}
	}
	return 0;
}

__attribute__((noinline)) static void ut_walk(void)
{
	ut_n = gs_unwind(ut_pcs, UT_CAP, &ut_work);
	__asm__ volatile("" ::: "memory");
}

static void *ut_ra_inner, *ut_ra_outer;

__attribute__((noinline)) static void ut_inner(void)
{
	ut_ra_inner = __builtin_return_address(0);
	ut_walk();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void ut_outer(void)
{
	ut_ra_outer = __builtin_return_address(0);
	ut_inner();
	__asm__ volatile("" ::: "memory");
}

Test(unwind, ordinary_frames)
{
	ut_outer();
	cr_assert_geq(ut_n, 3, "only %u frames", ut_n);
	cr_expect(ut_has(ut_ra_inner), "the return address into ut_outer is missing");
	cr_expect(ut_has(ut_ra_outer), "the return address into the test is missing");
	/* twice: the second walk comes from the row cache */
	ut_outer();
	cr_expect(ut_has(ut_ra_inner) && ut_has(ut_ra_outer), "cached walk differs");
}

static void ut_on_signal(int sig)
{
	(void)sig;
	ut_walk();
}

static void *ut_ra_raiser;

__attribute__((noinline)) static void ut_raiser(void)
{
	ut_ra_raiser = __builtin_return_address(0);
	raise(SIGUSR1);
	__asm__ volatile("" ::: "memory");
}

Test(unwind, signal_frame_on_alternate_stack)
{
	stack_t ss = { .ss_sp = malloc(SIGSTKSZ), .ss_size = SIGSTKSZ };
	struct sigaction sa = { .sa_handler = ut_on_signal, .sa_flags = SA_ONSTACK };

	cr_assert(ss.ss_sp);
	cr_assert_eq(sigaltstack(&ss, NULL), 0);
	cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	ut_raiser();
	cr_expect(ut_has(ut_ra_raiser), "the walk did not cross the signal frame (%u frames)", ut_n);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(ss.ss_sp);
}

/* ut_junk_fp(fp, fn): call fn with %rbp = fp, from code without CFI. */
void ut_junk_fp(uintptr_t fp, void (*fn)(void));
__asm__(".text\n"
	".globl ut_junk_fp\n"
	".type ut_junk_fp, @function\n"
	"ut_junk_fp:\n"
	"\tpushq %rbp\n"
	"\tmovq %rdi, %rbp\n"
	"\tcall *%rsi\n"
	"\tpopq %rbp\n"
	"\tret\n"
	".size ut_junk_fp, .-ut_junk_fp\n");

#define UT_STACK (256u * 1024u)

static void *ut_thread(void *arg)
{
	ut_junk_fp((uintptr_t)arg, ut_walk);
	return NULL;
}

Test(unwind, junk_frame_pointer_above_the_stack)
{
	char *m = mmap(NULL, UT_STACK + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_attr_t a;
	pthread_t t;

	cr_assert_neq(m, MAP_FAILED);
	cr_assert_eq(mprotect(m + UT_STACK, 4096, PROT_NONE), 0);
	cr_assert_eq(pthread_attr_init(&a), 0);
	cr_assert_eq(pthread_attr_setstack(&a, m, UT_STACK), 0);
	/* %rbp = the PROT_NONE page: the frame-pointer step must not read it */
	cr_assert_eq(pthread_create(&t, &a, ut_thread, m + UT_STACK), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_expect_geq(ut_n, 1, "no frame at all");
	munmap(m, UT_STACK + 4096);
}

/* The fixed-size encodings of .eh_frame (DW_EH_PE_udata*, sdata*, absptr)
 * read through gs_uw_enc: width, sign, and a field cut short. */
Test(unwind, fixed_size_pointer_encodings)
{
	static const uint8_t bytes[8] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80 };
	static const struct {
		uint8_t enc;
		size_t len;     /* bytes available */
		int rc;
		uint64_t v;
		size_t used;
	} rows[] = {
		{ 0x02, 8, 0, 0xfffeu, 2 },                        /* udata2 */
		{ 0x0a, 8, 0, (uint64_t)-2, 2 },                   /* sdata2 */
		{ 0x03, 8, 0, 0xfffffffeu, 4 },                    /* udata4 */
		{ 0x0b, 8, 0, (uint64_t)-2, 4 },                   /* sdata4 */
		{ 0x04, 8, 0, 0x80fffffffffffffeull, 8 },          /* udata8 */
		{ 0x0c, 8, 0, 0x80fffffffffffffeull, 8 },          /* sdata8 */
		{ 0x00, 8, 0, 0x80fffffffffffffeull, 8 },          /* absptr */
		{ 0x0b, 3, -1, 0, 0 },                             /* cut short */
		{ 0x04, 7, -1, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const uint8_t *p = bytes;
		uint64_t v = 0;
		int rc = gs_uw_enc(&p, bytes + rows[i].len, rows[i].enc, 0, &v);

		cr_expect_eq(rc, rows[i].rc, "enc %#x: rc %d", rows[i].enc, rc);
		if (rc == 0) {
			cr_expect_eq(v, rows[i].v, "enc %#x: %#llx", rows[i].enc,
				     (unsigned long long)v);
			cr_expect_eq((size_t)(p - bytes), rows[i].used, "enc %#x", rows[i].enc);
		}
	}
}
#endif
