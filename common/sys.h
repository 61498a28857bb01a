/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Raw system calls for code that must not touch errno or re-enter libc:
 * the preload's cold path, the ring writer, a vfork child.  Every gs_sys_*
 * returns the kernel's result: >= 0 on success, -errno on failure.
 * errno is set in exactly one place in goshim: nowhere in here.
 */
#ifndef GS_SYS_H
#define GS_SYS_H

#include <stdint.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
static inline long gs_sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static inline long gs_sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}
#else
#include <errno.h>
#include <unistd.h>
static inline long gs_sys6(long n, long a, long b, long c, long d, long e, long f)
{
	int saved = errno;
	long r = syscall(n, a, b, c, d, e, f);
	if (r == -1) {
		r = -errno;
	}
	errno = saved;
	return r;
}
#endif

#define gs_sys0(n)                gs_sys6((n), 0, 0, 0, 0, 0, 0)
#define gs_sys1(n, a)             gs_sys6((n), (long)(a), 0, 0, 0, 0, 0)
#define gs_sys2(n, a, b)          gs_sys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define gs_sys3(n, a, b, c)       gs_sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define gs_sys4(n, a, b, c, d)    gs_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define gs_sys5(n, a, b, c, d, e) gs_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif
