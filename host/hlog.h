/* uvmhost's one logger: "uvmhost: LEVEL: TEXT" on stderr, one line each, errno kept.
 * It never waits on stderr: lines go out through vsockexec's writer (vsock/vxlog.h), so
 * a stderr that nobody reads (a full pipe, a stopped terminal) drops them. Used from
 * the main loop and the output's writer thread (one write(2) per line under a lock, so
 * lines from the two never mix). */
#ifndef UVMINIT_HOST_HLOG_H
#define UVMINIT_HOST_HLOG_H

enum hlog_level { HLOG_ERROR, HLOG_WARN, HLOG_INFO };

__attribute__((format(printf, 2, 3)))
void hlog(enum hlog_level level, const char *fmt, ...);

#endif
