#ifndef UVMINIT_VSOCK_VXLOG_H
#define UVMINIT_VSOCK_VXLOG_H

#include <stddef.h>

/* One line "vsockexec: ..." on stderr; keeps errno. It never waits: the line goes
 * through a non-blocking open of fd 2 of our own (write_bounded.h), so a stderr that
 * nobody reads (a full pipe, a console stopped with ^S) drops the line instead of
 * holding vsockexec. Where no such open is possible (/proc not mounted, a socket),
 * the line is written only if fd 2 has room at that moment. */
__attribute__((format(printf, 1, 2)))
void vx_warn(const char *fmt, ...);

/* Writes line (n bytes, its '\n' included, n < PIPE_BUF) the way vx_warn writes its
 * lines: never waiting. For a program with lines of its own format (uvmhost's hlog);
 * not thread-safe: callers on two threads take a lock around it. */
void vx_log_put(const char *line, size_t n);

/* Opens that description now rather than at the first line (the relay: a constant
 * set of fds from its start). */
void vx_log_open(void);

/* Before fd 2 is replaced (the relay's child): later lines still go where fd 2 was. */
void vx_log_keep(void);

/* Closes vsockexec's own hold on its stderr (the background relay: whoever reads
 * vsockexec's stderr to the end must not wait on it); later lines go to fd 2 as it is
 * then. */
void vx_log_release(void);

#endif
