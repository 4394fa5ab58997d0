/* A small snprintf for vsockexec: the conversions its messages use, without the
 * floating point that libc's printf always links in (on aarch64 that is software
 * 128-bit long double, about 18 KB of vsockexec's 48 KB budget). */
#ifndef UVMINIT_FMT_H
#define UVMINIT_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf, for %% %c %s (precision N or *), %d %i %u %x with h, l, ll, z, j
 * or t, and %m (strerror(errno)). No flags, no field width: a conversion outside this
 * set is printed as "%?" and ends the formatting. Returns the length the whole output
 * needs (without the NUL); buf is always NUL-terminated when size > 0. */
__attribute__((format(printf, 3, 0)))
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

__attribute__((format(printf, 3, 4)))
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
