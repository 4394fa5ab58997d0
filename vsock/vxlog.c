#include "vxlog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void vx_warn(const char *fmt, ...)
{
	char line[320];
	int saved = errno, n;
	va_list ap;

	n = snprintf(line, sizeof(line), "vsockexec: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write so that the line is never interleaved */
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to say it */
	}
	errno = saved;
}
