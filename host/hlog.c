#include "hlog.h"
#include "vxlog.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

void hlog(enum hlog_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error: ", "warning: ", "" };
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	char line[512];
	int saved = errno, n;
	va_list ap;

	n = snprintf(line, sizeof(line), "uvmhost: %s", names[level]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	for (int i = 0; i < n; i++) /* a guest's or user's words stay on one line */
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n++] = '\n';
	/* vsockexec's writer: a stderr with no room drops the line, never waits. The lock:
	 * the main loop and the log's writer thread both log. */
	pthread_mutex_lock(&mu);
	vx_log_put(line, (size_t)n);
	pthread_mutex_unlock(&mu);
	errno = saved;
}
