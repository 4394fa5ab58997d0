/* Syscalls that return -errno and never write errno. For code that runs in a child
 * sharing PID 1's memory (init/job.h's JOB_SHARED): there errno is PID 1's own, which
 * PID 1 writes and reads at any moment. The guests' two architectures have them inline;
 * elsewhere RAW_SYSCALLS is 0, raw_syscall goes through libc (errno written) and no job
 * shares PID 1's memory. */
#ifndef UVMINIT_RAWSYS_H
#define UVMINIT_RAWSYS_H

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RAW_SYSCALLS 1
static inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define RAW_SYSCALLS 1
static inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f)
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
			 : "memory", "cc");
	return x0;
}
#else
#define RAW_SYSCALLS 0
static inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	long ret = syscall(n, a, b, c, d, e, f);

	return ret < 0 ? -errno : ret;
}
#endif

#endif
